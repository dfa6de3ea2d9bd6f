#!/usr/bin/env bash
# Runs one libFuzzer program of a -Dfuzz=true build for a bounded time and says whether it ran
# clean: tests/fuzz/run.sh BUILD_DIR TARGET SECONDS [ARTIFACT_DIR]
#
# A failure is any crash, sanitizer report, input slower than 1 s (-timeout=1), or allocation
# past 512 MB (-malloc_limit_mb, -rss_limit_mb). The failing input is kept in ARTIFACT_DIR (by
# default a fresh temporary folder); copy it into tests/fuzz/regressions/TARGET/ once it is fixed.
# New inputs the fuzzer finds go to a temporary folder; the committed seeds are only read.
set -uo pipefail
build=$1 target=$2 seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
artifacts=${4:-$(mktemp -d)}
mkdir -p "$artifacts"
found=$(mktemp -d)
trap 'rm -rf "$found"' EXIT

corpora=("$found" "$here/corpus/$target")
[ -d "$here/regressions/$target" ] && corpora+=("$here/regressions/$target")
log="$artifacts/$target.log"
"$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=512 -malloc_limit_mb=512 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "${corpora[@]}" >"$log" 2>&1
status=$?
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
if [ "$status" -eq 0 ]; then
    echo "fuzz $target: OK, ${runs:-?} inputs in ${seconds} s, $coverage"
else
    echo "fuzz $target: FAILED (exit $status); log and input in $artifacts:"
    grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20
fi
exit "$status"
