#!/usr/bin/env python3
"""Tutorial 07's pictures, made by typing the tutorial's commands, as a reader types them.

The commands are the "$ " lines of the fenced block under "<!-- output 07-pictures -->" in the
tutorial's README.md. This script runs each one with sh, as typed, in a folder made fresh for
this run, in which `build` is the build folder (so `build/cli/fcnn` is the program that was
just built), and prints each command followed by what it printed. docs_sync compares that with
the README block; the only thing masked is the time each epoch took, which no two runs share.

The pictures the README shows, ![...](pictures/NAME), must be the files NAME that the commands
wrote. When they are not, the print ends with a line that says so, and the docs check fails on
it. With FCNN_UPDATE_PICTURES=1 (`meson compile -C build update-docs` sets it), the new files are
copied into tutorials/07-fashion-mnist/pictures/ instead.

Exits with 77 ("skipped") when Fashion-MNIST is not installed.

usage: pictures.py README BUILD_ROOT
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

MARKER = "<!-- output 07-pictures -->"
FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
EPOCH_SECONDS = re.compile(r"  [0-9]+\.[0-9] s$", re.MULTILINE)  # the end of an epoch line


def block_lines(readme_text):
    lines = readme_text.split("\n")
    start = lines.index(MARKER) + 2  # the marker, then the opening fence
    return lines[start:lines.index("```", start)]


def run_commands(commands, build_root, folder):
    os.symlink(os.path.realpath(build_root), os.path.join(folder, "build"))
    shown = ""
    for command in commands:
        run = subprocess.run(["sh", "-c", command], cwd=folder, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        shown += "$ " + command + "\n" + run.stdout
        if run.returncode != 0:
            shown += "(exit status %d)\n" % run.returncode
    return EPOCH_SECONDS.sub("  N.N s", shown)


def check_pictures(readme_path, readme_text, folder):
    """The lines to add to the print: none when every picture is the commands' own."""
    pictures = os.path.join(os.path.dirname(os.path.abspath(readme_path)), "pictures")
    update = os.environ.get("FCNN_UPDATE_PICTURES") == "1"
    problems = ""
    for name in re.findall(r"\]\(pictures/([^)]+)\)", readme_text):
        made, kept = os.path.join(folder, name), os.path.join(pictures, name)
        if not os.path.exists(made):
            problems += "pictures/%s: the commands above do not write %s\n" % (name, name)
        elif not os.path.exists(kept) or open(made, "rb").read() != open(kept, "rb").read():
            if update:
                os.makedirs(pictures, exist_ok=True)
                shutil.copyfile(made, kept)
            else:
                problems += ("pictures/%s differs from the %s the commands above write "
                             "(meson compile -C build update-docs copies it)\n" % (name, name))
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    readme, build_root = sys.argv[1:]
    if not os.path.exists(FASHION_MNIST):
        print("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist")
        sys.exit(77)
    text = open(readme, encoding="utf-8").read()
    commands = [line[2:] for line in block_lines(text) if line.startswith("$ ")]
    folder = tempfile.mkdtemp(prefix="fcnn-07-pictures-")
    try:
        shown = run_commands(commands, build_root, folder)
        shown += check_pictures(readme, text, folder)
    finally:
        shutil.rmtree(folder)
    sys.stdout.write(shown)


if __name__ == "__main__":
    main()
