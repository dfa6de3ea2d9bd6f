"""bench/huge_pages.py: spare the programs measured the cost of mapping fresh memory 4 KiB at a time.

The blog's NumPy code makes new arrays for every batch, and glibc's malloc gives large blocks back
to the kernel when they are freed, so each batch maps fresh pages again: about 770,000 page faults
in two epochs. Where the kernel is slow to map a page (about 10 microseconds on the virtual
machine of docs/results.md's 2026-12-07 entry), NumPy's epoch then takes three times as long,
which would flatter fcnn, whose training loop allocates nothing. glibc 2.35 and later can ask the
kernel for transparent huge pages instead (GLIBC_TUNABLES=glibc.malloc.hugetlb=1). Where the
kernel gives them only on request ("[madvise]" in /sys/kernel/mm/transparent_hugepage/enabled),
bench/compare.py sets that tunable for every program it runs, unless told not to.
"""
import os
import re

THP_SETTING = "/sys/kernel/mm/transparent_hugepage/enabled"
NAME = "glibc.malloc.hugetlb"


def thp_mode():
    """The kernel's transparent huge page mode ("always", "madvise", "never"), or None if it has none."""
    try:
        with open(THP_SETTING) as setting:
            chosen = re.search(r"\[(\w+)\]", setting.read())
    except OSError:
        return None
    return chosen.group(1) if chosen else None


def set_hugetlb(value):
    """Set glibc.malloc.hugetlb in GLIBC_TUNABLES for this process's children (None: remove it),
    keeping any other tunables, and return the new GLIBC_TUNABLES."""
    kept = [t for t in os.environ.get("GLIBC_TUNABLES", "").split(":") if t and not t.startswith(NAME + "=")]
    tunables = ":".join(kept + ([f"{NAME}={value}"] if value is not None else []))
    if tunables:
        os.environ["GLIBC_TUNABLES"] = tunables
    else:
        os.environ.pop("GLIBC_TUNABLES", None)
    return tunables


def choose(script, small_pages):
    """Ask for huge pages (or, with small_pages, make sure no child asks for them) and say which."""
    mode = thp_mode()
    if small_pages:
        set_hugetlb(None)
        print(f"{script}: measuring with the kernel's own pages (transparent huge pages: {mode}), "
              f"GLIBC_TUNABLES={os.environ.get('GLIBC_TUNABLES', '')!r}", flush=True)
    elif mode == "madvise":
        tunables = set_hugetlb(1)
        print(f"{script}: this kernel maps transparent huge pages only on request; measuring every program "
              f"with GLIBC_TUNABLES={tunables}", flush=True)
