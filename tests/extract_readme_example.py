#!/usr/bin/env python3
"""Turns the C++ block of README.md's "Using it" section into a function, so the README's example
is compiled and run by tests/test_readme.cpp and cannot drift from the library.

usage: extract_readme_example.py README.md OUTPUT.cpp
"""
import sys

readme, output = sys.argv[1], sys.argv[2]
lines = open(readme, encoding="utf-8").read().splitlines()
start = lines.index("## Using it")
opening = next(i for i in range(start, len(lines)) if lines[i] == "```cpp")
closing = next(i for i in range(opening + 1, len(lines)) if lines[i] == "```")
block = lines[opening + 1:closing]

includes = [line for line in block if line.startswith("#include")]
body = [line for line in block if not line.startswith("#include")]
with open(output, "w", encoding="utf-8") as out:
    out.write("// Generated from README.md by tests/extract_readme_example.py: do not edit.\n")
    out.write("\n".join(includes) + "\n\nvoid readme_example() {\n")
    out.write("\n".join("    " + line if line else "" for line in body) + "\n}\n")
