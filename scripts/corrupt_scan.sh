#!/usr/bin/env bash
# Scan a large JSONL file with a share of corrupted lines (36 kinds of damage, from
# scripts/corrupt_jsonl.py) and check the promises of `jdclass scan`: records in =
# records out, the error kinds expected for the damage, and peak memory.
#
#   scripts/corrupt_scan.sh                    # 1,000,000 records, 5% corrupted
#   JDCLASS_RECORDS=20000 scripts/corrupt_scan.sh
#   JDCLASS_BIN=target/debug/jdclass scripts/corrupt_scan.sh   # skip the release build
#
# Prints records, errors by kind (expected and seen), wall time and peak RSS, and exits
# non-zero when a promise is broken or peak RSS is over JDCLASS_MAX_RSS_MB (100).
# Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail

RECORDS=${JDCLASS_RECORDS:-1000000}
SHARE=${JDCLASS_CORRUPT_SHARE:-0.05}
MAX_RSS_MB=${JDCLASS_MAX_RSS_MB:-100}
MAX_BYTES=65536
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${JDCLASS_BIN:-$ROOT/target/release/jdclass}
if [ ! -x "$BIN" ]; then
    (cd "$ROOT" && cargo build --release --quiet)
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$ROOT/scripts/corrupt_jsonl.py" "$RECORDS" "$WORK/in.jsonl" "$WORK/expected.json" \
    --share "$SHARE" --max-bytes "$MAX_BYTES"
echo "input: $(du -h "$WORK/in.jsonl" | cut -f1), $(wc -l < "$WORK/in.jsonl") lines" >&2

/usr/bin/time -v "$BIN" scan "$WORK/in.jsonl" --max-bytes "$MAX_BYTES" --summary json -q \
    > "$WORK/out.jsonl" 2> "$WORK/stderr" || true

python3 - "$WORK" "$MAX_RSS_MB" <<'PY'
import json, re, sys
work, max_rss = sys.argv[1], float(sys.argv[2])
expected = json.load(open(f"{work}/expected.json"))
err = open(f"{work}/stderr").read()
summary = json.loads(next(l for l in err.splitlines() if l.startswith("{")))
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", err).group(1)
out_lines = sum(1 for _ in open(f"{work}/out.jsonl", "rb"))
seen = summary["errors_by_kind"]
want = expected["errors_by_kind"]
print(f"records in {expected['records']}, records out {out_lines}, summary {summary['records']}")
print(f"corruptions: {sum(expected['corruptions'].values())} lines in {len(expected['corruptions'])} kinds")
for kind in sorted(set(seen) | set(want)):
    print(f"  {kind:14} expected {want.get(kind, 0):7}  seen {seen.get(kind, 0):7}")
print(f"wall {wall}, {summary['megabytes_per_second']:.1f} MB/s, peak RSS {rss_kb / 1024:.1f} MB")
ok = out_lines == expected["records"] == summary["records"] and seen == want and rss_kb / 1024 <= max_rss
print("OK" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
