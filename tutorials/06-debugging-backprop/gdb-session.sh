#!/bin/sh
# The gdb session of tutorial 06, run for real: gdb stops in fcnn's backprop inside the debug
# build of tutorial 03's program, and this prints the transcript, "(gdb)" before each command.
# Addresses and process ids vary from run to run and are replaced by 0x... and N; source paths
# are written as seen from a build folder inside the checkout.
#
# usage: gdb-session.sh SOURCE_ROOT PROGRAM LIBRARY_DIR
set -eu
source_root=$1
program=$2
library_dir=$3

# The line after each equation's tag in lib/fcnn/network.cpp is the line that computes it.
line_after() {
    echo $(( $(grep -n "$1" "$source_root/lib/fcnn/network.cpp" | head -n 1 | cut -d: -f1) + 1 ))
}
bp1=$(line_after '// BP1:')
bp2=$(line_after '// BP2:')
bp4=$(line_after '// BP4:')
bp4_done=$(grep -n 'if (trace_) trace_gradients(l, gradients);' "$source_root/lib/fcnn/network.cpp" | cut -d: -f1)
deltas_done=$(grep -n '^    return delta;' "$source_root/lib/fcnn/network.cpp" | cut -d: -f1)

set -- \
    "break network.cpp:$bp1" \
    "run > /dev/null" \
    "print z_s[1]" \
    "next" \
    "print delta[1]" \
    "delete 1" \
    "break network.cpp:$bp2" \
    "continue" \
    "print l" \
    "print layers_[l + 1]" \
    "next" \
    "print error_back" \
    "break network.cpp:$deltas_done" \
    "continue" \
    "print delta" \
    "delete" \
    "break network.cpp:$bp4" \
    "continue" \
    "print l" \
    "print gradients.nabla_w" \
    "delete" \
    "break network.cpp:$bp4_done" \
    "continue" \
    "print gradients.nabla_w" \
    "continue" \
    "print l" \
    "print gradients.nabla_w" \
    "delete" \
    "continue"

commands=$(mktemp)
trap 'rm -f "$commands"' EXIT
for command in "$@"; do
    printf 'echo (gdb) %s\\n\n%s\n' "$command" "$command" >> "$commands"
done

# LeakSanitizer cannot run under a debugger: keep it quiet in sanitizer builds (docs/debugging.md).
export ASAN_OPTIONS=detect_leaks=0
gdb -batch -nx -iex "add-auto-load-safe-path $library_dir" \
    -iex "set breakpoint pending on" -iex "set pagination off" -x "$commands" "$program" 2>&1 |
    grep -v -e 'libthread_db' -e '^No source file named' |
    sed -E -e 's/0x[0-9a-f]{6,}/0x.../g' -e 's/process [0-9]+/process N/' -e 's/^(Breakpoint [0-9]+)\.[0-9]+,/\1,/' \
        -e 's#at [^ ]*/lib/fcnn/#at ../lib/fcnn/#'  # the same path for any build folder
