#!/usr/bin/env python3
"""Tutorial 06's gdb session, typed into gdb through a terminal as a person types it.

The session is the fenced block under "<!-- output 06-gdb-session -->" in the tutorial's
README.md. Its first line is the shell command that starts gdb ("$ gdb ..."); every line that
starts with "(gdb) " is a command, and every yes-or-no question gdb asks ends with the answer
the reader types ("(y or n) y"). This script starts that command in a pseudo-terminal, waits
for each prompt, types the next command or answer, and prints everything the terminal showed.
docs_sync compares the print with the README block; `meson compile -C build update-docs`
writes it there.

Nothing is typed or set that the README does not show. The output is masked only where it
cannot be the same on every machine: addresses (0x...), the process id (N) and the build
folder, which is written as the README's build-debug/ in the checkout /path/to/fcnn. Terminal
colours are removed, because a Markdown block cannot show them.

usage: gdb_session.py README PROGRAM BUILD_ROOT SOURCE_ROOT
  PROGRAM: the debug build of tutorial 03's program, typed as build-debug/tutorials/03-backprop
  BUILD_ROOT: the build folder, where gdb runs ($PWD: gdb trusts its printers there)
"""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import tempfile
import termios

MARKER = "<!-- output 06-gdb-session -->"
TYPED_PROGRAM = "build-debug/tutorials/03-backprop"
SHOWN_CHECKOUT = "/path/to/fcnn"
COLUMNS, LINES = 160, 60  # the terminal the README's transcript was typed in
GDB_PROMPT = "(gdb) "
QUESTION = re.compile(r"\((y or n|y or \[n\]|\[y\] or n)\) $")
TIMEOUT = 60  # seconds without a new prompt before giving up


def session_lines(readme):
    """The README block's lines, without the fences."""
    lines = open(readme, encoding="utf-8").read().split("\n")
    start = lines.index(MARKER) + 2  # the marker, then the opening fence
    end = lines.index("```", start)
    return lines[start:end]


def typed_inputs(lines):
    """The shell command, then what the reader types, in order: commands and answers."""
    if not lines or not lines[0].startswith("$ "):
        sys.exit("gdb_session.py: the session block must start with '$ ' and the command that starts gdb")
    inputs = []
    for line in lines[1:]:
        if line.startswith(GDB_PROMPT):
            inputs.append(line[len(GDB_PROMPT):])
        else:
            question = re.search(r"\((y or n|y or \[n\]|\[y\] or n)\) (.*)$", line)
            if question:
                inputs.append(question.group(2))
    return lines[0][2:], inputs


def start_in_terminal(command, cwd):
    """Runs `command` with sh in a new pseudo-terminal of COLUMNS x LINES; returns (pid, fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execvp("sh", ["sh", "-c", command])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    return pid, fd


def read_until_prompt(fd, seen):
    """Reads what the terminal shows until gdb waits for input again; returns False at the end."""
    start = len(seen)
    while True:
        shown = strip_terminal_codes(seen[start:].decode("utf-8", "replace"))
        if shown.endswith(GDB_PROMPT) or QUESTION.search(shown):
            return True
        ready, _, _ = select.select([fd], [], [], TIMEOUT)
        if not ready:
            sys.exit("gdb_session.py: gdb showed no prompt for %d seconds; so far:\n%s"
                     % (TIMEOUT, strip_terminal_codes(seen.decode("utf-8", "replace"))))
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closed: gdb has exited
            return False
        if not chunk:
            return False
        seen += chunk


def strip_terminal_codes(text):
    """Colours, bracketed-paste switches and carriage returns, which a text block cannot show."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    text = re.sub(r"\x1b[()][A-Za-z0-9]", "", text)
    return text.replace("\r\n", "\n").replace("\r", "")


def mask(text, program, build_root, source_root):
    """Only what differs between machines and runs: addresses, process ids, build paths."""
    build_root = os.path.realpath(build_root)
    source_root = os.path.realpath(source_root)
    for path in (os.path.realpath(program), program):
        text = text.replace(path, SHOWN_CHECKOUT + "/" + TYPED_PROGRAM)
    text = text.replace(os.path.relpath(os.path.realpath(program), build_root), TYPED_PROGRAM)
    text = text.replace(source_root + "/", "../")  # a build folder outside the checkout
    text = re.sub(r"0x[0-9a-f]{3,}", "0x...", text)  # not a 0x0 shape
    return re.sub(r"process [0-9]+", "process N", text)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    readme, program, build_root, source_root = sys.argv[1:]
    command, inputs = typed_inputs(session_lines(readme))
    run = command.replace(TYPED_PROGRAM, os.path.relpath(os.path.realpath(program), os.path.realpath(build_root)))
    # The reader's own gdb settings and history are theirs, not the tutorial's: gdb reads none here.
    home = tempfile.mkdtemp()
    os.environ.update(HOME=home, XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home, TERM="xterm")
    os.environ.pop("DEBUGINFOD_URLS", None)
    os.environ["ASAN_OPTIONS"] = "detect_leaks=0"  # LeakSanitizer cannot run under gdb (docs/debugging.md)
    pid, fd = start_in_terminal(run, build_root)
    seen = bytearray()
    for typed in inputs:
        if not read_until_prompt(fd, seen):
            break
        os.write(fd, typed.encode() + b"\r")
    read_until_prompt(fd, seen)  # the end, or a prompt the README does not answer
    try:
        os.kill(pid, signal.SIGKILL)  # gdb still waiting after the last line typed
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    shown = "$ " + command + "\n" + strip_terminal_codes(seen.decode("utf-8", "replace"))
    if shown.endswith(GDB_PROMPT):
        shown = shown[: -len(GDB_PROMPT)]
    sys.stdout.write(mask(shown.rstrip("\n") + "\n", program, build_root, source_root))


if __name__ == "__main__":
    main()
