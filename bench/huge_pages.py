"""bench/huge_pages.py: spare the programs measured the cost of mapping fresh memory 4 KB at a time.

The blog's NumPy code makes new arrays for every batch, and glibc's malloc gives large blocks back
to the kernel when they are freed, so each batch maps fresh pages again: about 770,000 page faults
in two epochs. Where the kernel is slow to map a page (about 10 microseconds on our virtual
machines; docs/results.md, 2026-12-07), NumPy's epoch then takes three times as long, which would
flatter fcnn, whose training loop allocates nothing. glibc 2.35 and later can ask the kernel for
transparent huge pages instead (GLIBC_TUNABLES=glibc.malloc.hugetlb=1). Where the kernel gives them
only on request ("[madvise]" in /sys/kernel/mm/transparent_hugepage/enabled), the scripts that
measure set that tunable for every program they run.
"""
import os
import re

THP_SETTING = "/sys/kernel/mm/transparent_hugepage/enabled"
TUNABLE = "glibc.malloc.hugetlb=1"


def thp_mode():
    """The kernel's transparent huge page mode ("always", "madvise", "never"), or None if it has none."""
    try:
        with open(THP_SETTING) as setting:
            chosen = re.search(r"\[(\w+)\]", setting.read())
    except OSError:
        return None
    return chosen.group(1) if chosen else None


def ask_for_huge_pages(script):
    """If the kernel gives huge pages only on request, add the tunable to GLIBC_TUNABLES for this
    process's children, say so, and return True. A tunable already set for huge pages is kept."""
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    if thp_mode() != "madvise" or "glibc.malloc.hugetlb" in tunables:
        return False
    os.environ["GLIBC_TUNABLES"] = f"{tunables}:{TUNABLE}" if tunables else TUNABLE
    print(f"{script}: this kernel maps transparent huge pages only on request; measuring every program with "
          f"GLIBC_TUNABLES={os.environ['GLIBC_TUNABLES']} (--small-pages to measure without)", flush=True)
    return True
