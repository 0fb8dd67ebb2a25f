#!/usr/bin/env bash
# Pack what scripts/throughput.sh needs into target/scaling-kit/ for a many-core machine
# that has no cargo, no ripgrep, no GNU time and no network (the project's 16-core
# device): a release build of jdclass and copies of rg and time from this machine. Then
# print the command that measures 1/2/4/8/16 threads there from the working tree.
#
#   scripts/scaling_kit.sh            # builds release first
#   JDCLASS_BIN=path/to/jdclass scripts/scaling_kit.sh
#
# The copies are dynamically linked: the other machine needs a glibc at least as new
# as the one jdclass was built against (2.34 here), and rg needs libpcre2-8.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KIT=$ROOT/target/scaling-kit
BIN=${JDCLASS_BIN:-}
if [ -z "$BIN" ]; then
    (cd "$ROOT" && cargo build --release --quiet)
    BIN=$ROOT/target/release/jdclass
fi
mkdir -p "$KIT"
cp "$BIN" "$KIT/jdclass"
for tool in rg time; do
    found=$(type -P "$tool" || true)
    [ -n "$found" ] || { echo "error: $tool is not on this machine's PATH: install it here first" >&2; exit 2; }
    cp "$found" "$KIT/$tool"
done
echo "kit in target/scaling-kit ($(du -sh "$KIT" | cut -f1)); on the other machine, from the repository root:" >&2
echo 'PATH=$PWD/target/scaling-kit:$PATH JDCLASS_BIN=target/scaling-kit/jdclass JDCLASS_BENCH_MB=256 JDCLASS_BENCH_RUNS=2 JDCLASS_BENCH_THREADS="1 2 4 8 16" JDCLASS_BENCH_STDIN=1 scripts/throughput.sh'
