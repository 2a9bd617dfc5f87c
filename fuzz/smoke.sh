#!/usr/bin/env bash
# Smoke fuzzing for CI: builds the four targets and runs each for a fixed
# number of executions, starting from the committed seeds. Exits non-zero
# on the first crash, timeout or out-of-memory (the input is kept under
# fuzz/artifacts/<target>/).
#
#   fuzz/smoke.sh                      # 20000 runs per target
#   RUNS=100000 fuzz/smoke.sh record   # one target, more runs
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Builds without a sanitizer (src/ has no `unsafe`) but with debug
# assertions and overflow checks, and with 16 codegen units, in
# fuzz/target/smoke/: that build is the slow part, so cache that folder.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20000}
TOOLCHAIN=${TOOLCHAIN:-+nightly}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(record runbook config edit)
build=(-s none --debug-assertions --codegen-units 16 --target-dir fuzz/target/smoke)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
work_build=$work/build.log
t0=$(date +%s)
# `cargo fuzz build` takes one target or none (all).
one=()
[ ${#targets[@]} -ne 1 ] || one=("${targets[0]}")
if ! cargo "$TOOLCHAIN" fuzz build "${build[@]}" "${one[@]}" >"$work_build" 2>&1; then
    tail -n 40 "$work_build" >&2
    echo "smoke: build failed" >&2
    exit 2
fi
t1=$(date +%s)
echo "smoke: build $((t1 - t0)) s"

status=0
for t in "${targets[@]}"; do
    mkdir -p "$work/$t" "fuzz/artifacts/$t"
    # `edit` starts from the record seeds and dictionary: it edits records.
    src=$t
    [ "$t" != edit ] || src=record
    s=$(date +%s)
    # New inputs go to the scratch folder (first), never into the seeds.
    if cargo "$TOOLCHAIN" fuzz run "${build[@]}" "$t" "$work/$t" "fuzz/seeds/$src" -- \
        -runs="$RUNS" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -entropic_scale_per_exec_time=1 \
        -dict="fuzz/dicts/$src.dict" -artifact_prefix="fuzz/artifacts/$t/" \
        >"$work/$t.log" 2>&1; then
        echo "smoke: $t ok, $RUNS runs in $(($(date +%s) - s)) s"
    else
        status=1
        echo "smoke: $t FAILED after $(($(date +%s) - s)) s" >&2
        grep -E -A40 'panicked|ERROR: libFuzzer|SUMMARY' "$work/$t.log" | head -n 60 >&2 ||
            tail -n 40 "$work/$t.log" >&2
    fi
done
echo "smoke: total $(($(date +%s) - t0)) s"
exit $status
