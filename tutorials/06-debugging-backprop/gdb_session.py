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

Under qemu-i386 (FCNN_GDB_QEMU_I386 names it: .ci/run sets it for its -m32 build on a machine
that cannot run 32-bit programs), gdb cannot start the program itself: it would trace qemu. There
the program runs under qemu's gdb server, and the README's `start > FILE` is typed as what a
person types for a program that runs elsewhere: `tbreak main`, `set tdesc filename` (qemu 7.2
describes the registers without the Linux part, without which gdb finds no shared library: see
tests/qemu-i386-linux.xml), `target remote SOCKET` and `continue`, with qemu's output sent to
FILE. What gdb shows for those lines is checked line by line against what it shows for a remote
start (as_started_natively) and written as the README's lines for `start`: gdb's "Starting
program", and the libthread_db lines a native start adds, are thus checked only by the builds that
run programs natively. Every line from the stop in main on is what gdb showed.

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
import subprocess
import sys
import tempfile
import termios
import time

MARKER = "<!-- output 06-gdb-session -->"
TYPED_PROGRAM = "build-debug/tutorials/03-backprop"
SHOWN_CHECKOUT = "/path/to/fcnn"
COLUMNS, LINES = 160, 60  # the terminal the README's transcript was typed in
GDB_PROMPT = "(gdb) "
QUESTION = re.compile(r"\((y or n|y or \[n\]|\[y\] or n)\) $")
TIMEOUT = 60  # seconds without a new prompt before giving up
QEMU_SETTING = "FCNN_GDB_QEMU_I386"  # the qemu-i386 that runs this build's programs, if any
START = re.compile(r"start(?: > (\S+))?$")  # the README's `start`, with where the program's output goes


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


class QemuStart:
    """The program under qemu-i386's gdb server, waiting on a socket in a fresh folder."""

    def __init__(self, qemu, program, output, cwd):
        self.folder = tempfile.mkdtemp(prefix="fcnn-gdb-qemu-")
        self.socket = os.path.join(self.folder, "gdb.sock")
        with open(output, "wb") as out:
            self.process = subprocess.Popen([qemu, "-g", self.socket, program], cwd=cwd, stdout=out)
        for _ in range(TIMEOUT * 10):  # qemu makes the socket, then waits there for gdb
            if os.path.exists(self.socket) or self.process.poll() is not None:
                break
            time.sleep(0.1)
        if not os.path.exists(self.socket):
            self.close()
            sys.exit("gdb_session.py: %s -g %s %s made no socket" % (qemu, self.socket, program))

    def typed_for_start(self, tdesc):
        """What a person types in gdb, in place of `start`, for a program that waits in qemu."""
        return ["tbreak main", "set tdesc filename " + tdesc, "target remote " + self.socket, "continue"]

    def close(self):
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for name in os.listdir(self.folder):
            os.remove(os.path.join(self.folder, name))
        os.rmdir(self.folder)


def start_under_qemu(qemu, inputs, program, build_root, source_root):
    """Starts the program under qemu; replaces the typed `start` in inputs with typed_for_start."""
    starts = [i for i, typed in enumerate(inputs) if START.match(typed)]
    if len(starts) != 1 or any(typed.split()[:1] == ["run"] for typed in inputs):
        sys.exit("gdb_session.py: under qemu (%s) the session must start the program once, with "
                 "'start' or 'start > FILE', and never 'run'" % QEMU_SETTING)
    output = START.match(inputs[starts[0]]).group(1) or os.devnull
    started = QemuStart(qemu, program, os.path.join(build_root, output), build_root)
    started.typed = started.typed_for_start(os.path.join(source_root, "tests", "qemu-i386-linux.xml"))
    inputs[starts[0]:starts[0] + 1] = started.typed
    return started


def as_started_natively(shown, readme_lines, started, masked):
    """The transcript with the lines of the remote start written as the README's `start`, if they
    are exactly what gdb shows for one (masked as the transcript is); else unchanged, so that the
    comparison with the README shows them."""
    first = next(i for i, line in enumerate(readme_lines) if START.match(line[len(GDB_PROMPT):]))
    stop = next(i for i, line in enumerate(readme_lines) if line.startswith("Temporary breakpoint 1, main ("))
    tbreak, tdesc, remote, go = started.typed
    remote_start = masked("\n".join([
        GDB_PROMPT + tbreak, readme_lines[first + 1],  # `tbreak main` says what `start` says first
        GDB_PROMPT + tdesc, GDB_PROMPT + remote, "Remote debugging using " + started.socket,
        "warning: remote target does not support file transfer, attempting to access files from local filesystem.",
        "Reading symbols from /lib/ld-linux.so.2...", "(No debugging symbols found in /lib/ld-linux.so.2)",
        "0x... in ?? () from /lib/ld-linux.so.2", GDB_PROMPT + go, "Continuing.", ""])).split("\n")
    lines = shown.split("\n")
    if lines[first:first + len(remote_start)] != remote_start:
        return shown
    return "\n".join(lines[:first] + readme_lines[first:stop] + lines[first + len(remote_start):])


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
    lines = session_lines(readme)
    command, inputs = typed_inputs(lines)
    run = command.replace(TYPED_PROGRAM, os.path.relpath(os.path.realpath(program), os.path.realpath(build_root)))
    qemu = os.environ.get(QEMU_SETTING)
    started = start_under_qemu(qemu, inputs, program, build_root, source_root) if qemu else None
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
    def masked(text):
        return mask(text, program, build_root, source_root)
    shown = masked(shown.rstrip("\n") + "\n")
    if started:
        started.close()
        shown = as_started_natively(shown, lines, started, masked)
    sys.stdout.write(shown)


if __name__ == "__main__":
    main()
