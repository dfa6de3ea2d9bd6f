#!/usr/bin/env python3
"""Copies the first C++ block under a heading of README.md into a file, as it stands, so that a
program the README tells you to write is compiled and run by the build (and its output checked
by docs_sync) and cannot drift from the library.

usage: extract_readme_program.py README.md HEADING OUTPUT.cpp
"""
import sys

readme, heading, output = sys.argv[1:]
lines = open(readme, encoding="utf-8").read().splitlines()
start = lines.index(heading)
opening = next(i for i in range(start, len(lines)) if lines[i] == "```cpp")
closing = next(i for i in range(opening + 1, len(lines)) if lines[i] == "```")
with open(output, "w", encoding="utf-8") as out:
    out.write("\n".join(lines[opening + 1:closing]) + "\n")
