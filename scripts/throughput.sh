#!/usr/bin/env bash
# Measure `jdclass scan` throughput on a large JSONL corpus, against ripgrep searching
# the same file for the same phrases, and print one table.
#
#   scripts/throughput.sh                      # 512 MB corpus
#   JDCLASS_BENCH_MB=2048 scripts/throughput.sh
#   JDCLASS_BIN=path/to/jdclass scripts/throughput.sh   # skip the build
#   JDCLASS_BENCH_THREADS="1 2 4 8 16" scripts/throughput.sh   # thread counts (default "1 2")
#   JDCLASS_BENCH_STDIN=1 scripts/throughput.sh   # also the largest count reading a pipe
#   JDCLASS_BENCH_GZIP=1 scripts/throughput.sh    # also the largest count on a gzipped copy
#   JDCLASS_BENCH_CORPUS=dump.jsonl scripts/throughput.sh   # your own JSONL instead
#
# The corpus is generated from corpus/postings with variation (paragraphs shuffled and
# dropped, ids varied, titles split out as a field, some postings wrapped in HTML, a
# few malformed lines) into a temporary directory that is deleted on exit. A dump of
# real postings is the better yardstick where you have one: ripgrep's regex engines
# build their states as new text needs them, so its rate depends on how varied the
# text is, and text generated from a hundred postings is less varied than a job board.
# JDCLASS_BENCH_CORPUS names such a file (JSONL, one posting per line, plain, not
# gzipped); it is read where it lies, never changed, and JDCLASS_BENCH_MB is ignored.
#
# Needs: cargo (unless JDCLASS_BIN names a build), awk, ripgrep and GNU time; the last
# two are installed with apt-get when missing and running as root, and
# scripts/scaling_kit.sh packs copies of them for a machine that has neither. JDCLASS_BENCH_RUNS=3 runs every command
# in each of three rounds and keeps each one's fastest; wall-clock figures need an
# otherwise idle machine, CPU-time figures (MB/CPU-s) hold up on a busy one.
set -euo pipefail

SIZE_MB=${JDCLASS_BENCH_MB:-512}
SEED=${JDCLASS_BENCH_SEED:-42}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${JDCLASS_BIN:-$TARGET_DIR/release/jdclass}

need() { # command package
    command -v "$1" >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing $2…" >&2
        apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
    else
        echo "error: $1 is needed (package $2)" >&2
        exit 2
    fi
}
need rg ripgrep
# GNU time: JDCLASS_BENCH_TIME, else /usr/bin/time, else a copy on PATH (a machine that
# cannot install packages, like the 16-core device, is given copies of rg and time).
GNU_TIME=${JDCLASS_BENCH_TIME:-/usr/bin/time}
[ -x "$GNU_TIME" ] || GNU_TIME=$(type -P time || true)
[ -n "$GNU_TIME" ] || { need /usr/bin/time time; GNU_TIME=/usr/bin/time; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/jdclass-throughput.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ -z "${JDCLASS_BIN:-}" ]; then
    echo "building release…" >&2
    (cd "$ROOT" && cargo build --release --quiet)
fi

if [ -n "${JDCLASS_BENCH_CORPUS:-}" ]; then
    CORPUS=$JDCLASS_BENCH_CORPUS
    [ -f "$CORPUS" ] && [ -r "$CORPUS" ] || { echo "error: JDCLASS_BENCH_CORPUS=$CORPUS is not a readable file" >&2; exit 2; }
    case $CORPUS in *.gz | *.zst | *.csv | *.tsv | *.parquet)
        echo "error: JDCLASS_BENCH_CORPUS must be plain JSONL (ripgrep reads the same bytes)" >&2; exit 2 ;;
    esac
    echo "using $CORPUS…" >&2
else
CORPUS=$WORK/postings.jsonl
echo "generating ${SIZE_MB} MB of JSONL in $WORK…" >&2
awk -v target_mb="$SIZE_MB" -v seed="$SEED" '
function esc(s) {
    gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); gsub(/\r/, "", s)
    return s
}
function flush_para() {
    if (para != "") { units[nfile, ++nunits[nfile]] = para; para = "" }
}
FNR == 1 {
    if (nfile > 0) flush_para()
    nfile++; html[nfile] = (FILENAME ~ /\.html?$/); title[nfile] = ""
}
{
    line = esc($0)
    if (title[nfile] == "" && line !~ /^[ \t]*$/ && !html[nfile]) { title[nfile] = line; next }
    if (html[nfile]) { if (line !~ /^[ \t]*$/) units[nfile, ++nunits[nfile]] = line; next }
    if (line ~ /^[ \t]*$/) flush_para(); else para = (para == "" ? line : para "\\n" line)
}
END {
    flush_para()
    srand(seed); target = target_mb * 1024 * 1024; written = 0; n = 0
    while (written < target) {
        f = 1 + int(rand() * nfile); k = nunits[f]; n++
        for (i = 1; i <= k; i++) order[i] = i
        for (i = k; i > 1; i--) { j = 1 + int(rand() * i); t = order[i]; order[i] = order[j]; order[j] = t }
        wrap = !html[f] && rand() < 0.1
        body = ""
        for (i = 1; i <= k; i++) {
            if (k > 3 && rand() < 0.12) continue
            u = units[f, order[i]]
            if (wrap) u = "<p>" u "</p>"
            body = (body == "" ? u : body (html[f] ? "\\n" : "\\n\\n") u)
        }
        id = (rand() < 0.5) ? "\"job-" n "\"" : n
        r = rand()
        if (r < 0.0005) rec = "{\"id\":" id ",\"text\":\"" substr(body, 1, 200)             # truncated line
        else if (r < 0.001) rec = "{\"id\":" id ",\"body\":\"" body "\"}"                   # no text field
        else if (title[f] != "" && r < 0.5) rec = "{\"id\":" id ",\"title\":\"" title[f] "\",\"text\":\"" body "\",\"source\":\"bench\"}"
        else rec = "{\"id\":" id ",\"source\":\"bench\",\"text\":\"" (title[f] == "" ? "" : title[f] "\\n\\n") body "\"}"
        print rec
        written += length(rec) + 1
    }
}' "$ROOT"/corpus/postings/* > "$CORPUS"
fi

BYTES=$(wc -c < "$CORPUS")
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
"$BIN" lexicon phrases > "$WORK/phrases.txt"
cat "$CORPUS" > /dev/null # warm the page cache so every run reads from memory

# run NAME COMMAND...: time the command once with GNU time, adding its wall seconds,
# CPU seconds (user + system) and peak RSS (KB) to NAME's runs; best() keeps the
# fastest of them.
run() {
    local name=$1; shift
    local rc=0
    echo "round $ROUND/$RUNS: $name…" >&2
    "$GNU_TIME" -v -o "$WORK/$name.time" "$@" > /dev/null 2> "$WORK/$name.err" || rc=$?
    # ripgrep (runs named r…) exits 1 when nothing matched; anything else is a failure.
    if [ $rc -ne 0 ] && { [ "${name#r}" = "$name" ] || [ $rc -ne 1 ]; }; then
        cat "$WORK/$name.err" "$WORK/$name.time" >&2
        exit 1
    fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time \(seconds\)/ { u = $2 }
        /System time \(seconds\)/ { s = $2 }
        /Maximum resident set size/ { m = $2 }
        END { print w, u + s, m }' "$WORK/$name.time" >> "$WORK/$name.all"
}
best() { for name in "$@"; do sort -n "$WORK/$name.all" | head -1 > "$WORK/$name.res"; done; }

RUNS=${JDCLASS_BENCH_RUNS:-1}
LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
THREADS=${JDCLASS_BENCH_THREADS:-1 2}
case " $THREADS " in *" 1 "*) ;; *) THREADS="1 $THREADS" ;; esac # the speed-ups are against 1
MOST=${THREADS##* }
if [ -n "${JDCLASS_BENCH_GZIP:-}" ]; then
    echo "compressing the corpus…" >&2
    gzip -c "$CORPUS" > "$WORK/corpus.jsonl.gz"
    cat "$WORK/corpus.jsonl.gz" > /dev/null
fi
: > "$WORK/empty.jsonl"
head -c 1000000 "$CORPUS" | sed '$d' > "$WORK/head.jsonl"
# Rounds: each round runs every command once, and each command keeps its fastest
# round. Interleaved, a machine that slows down for a minute slows every command
# alike, where runs grouped by command would hand the slow minute to one of them.
for ROUND in $(seq "$RUNS"); do
    for t in $THREADS; do
        run "t$t" "$BIN" scan --threads "$t" --quiet --summary json "$CORPUS"
    done
    if [ -n "${JDCLASS_BENCH_STDIN:-}" ]; then
        # The same corpus piped in, as a job-board dump usually arrives (`zcat dump.gz |`):
        # a pipe, whose reads return 64 KB at a time, not a file redirected to stdin.
        run stdin sh -c 'cat "$3" | "$1" scan --threads "$2" --quiet --summary json -' sh "$BIN" "$MOST" "$CORPUS"
    fi
    if [ -n "${JDCLASS_BENCH_GZIP:-}" ]; then
        # A gzipped dump: one stream, inflated by one thread however many classify it.
        run gz "$BIN" scan --threads "$MOST" --quiet --summary json "$WORK/corpus.jsonl.gz"
    fi
    run rg rg -j1 -o -i -w -F -f "$WORK/phrases.txt" "$CORPUS"
    # The fixed start-up cost (lexicon and automaton for jdclass, regex compilation for rg),
    # measured on an empty input: it matters for small files, not for this corpus.
    run t0 "$BIN" scan --threads 1 --quiet --summary json "$WORK/empty.jsonl"
    run r0 rg -j1 -o -i -w -F -f "$WORK/phrases.txt" "$WORK/empty.jsonl"
    # The same on the corpus's first megabyte (whole lines). With `-i -w` and a lexicon this
    # size, ripgrep spends about a second more on its first 100 KB than on an empty input
    # (its regex engines build their states lazily, as the input needs them), a cost that
    # a corpus's MB/s averages away only slowly. Subtracting each tool's time on this
    # prefix gives its steady rate over the rest: what a much larger corpus converges to.
    run t1m "$BIN" scan --threads 1 --quiet --summary json "$WORK/head.jsonl"
    run r1m rg -j1 -o -i -w -F -f "$WORK/phrases.txt" "$WORK/head.jsonl"
done
NAMES="rg t0 r0 t1m r1m ${JDCLASS_BENCH_STDIN:+stdin} ${JDCLASS_BENCH_GZIP:+gz}"
for t in $THREADS; do NAMES="$NAMES t$t"; done
best $NAMES
HEAD_MB=$(awk -v b="$(wc -c < "$WORK/head.jsonl")" 'BEGIN { printf "%.3f", b / 1e6 }')

RECORDS=$(grep -o '"records":[0-9]*' "$WORK/t1.err" | cut -d: -f2)
for t in $THREADS ${JDCLASS_BENCH_STDIN:+stdin} ${JDCLASS_BENCH_GZIP:+gz}; do
    name=t$t
    [ "$t" = stdin ] || [ "$t" = gz ] && name=$t
    [ "$RECORDS" = "$(grep -o '"records":[0-9]*' "$WORK/$name.err" | cut -d: -f2)" ] || {
        echo "error: the runs disagree on the record count" >&2
        exit 1
    }
done
ERRORS=$(grep -o '"errors":[0-9]*' "$WORK/t1.err" | head -1 | cut -d: -f2)

echo
echo "corpus: $MB MB, $RECORDS postings ($ERRORS malformed) · $(nproc) cores · load average $LOAD before the runs · $(rg --version | sed -n 1p)"
awk -v mb="$MB" -v head_mb="$HEAD_MB" -v n="$RECORDS" -v wd="$WORK" -v threads="$THREADS" -v stdin="${JDCLASS_BENCH_STDIN:-}" -v gz="${JDCLASS_BENCH_GZIP:-}" 'BEGIN {
    count = split(threads, ts, " ")
    for (i = 1; i <= count; i++) { names[i] = "t" ts[i]; label[names[i]] = "jdclass scan --threads " ts[i] }
    threads_run = count
    if (stdin != "") { names[++count] = "stdin"; label["stdin"] = "cat | jdclass scan --threads " ts[threads_run] " -" }
    if (gz != "") { names[++count] = "gz"; label["gz"] = "jdclass scan --threads " ts[threads_run] " (.jsonl.gz)" }
    names[++count] = "rg"; label["rg"] = "rg -j1 -o -i -w -F -f phrases"
    for (i = 1; i <= count; i++) {
        f = wd "/" names[i] ".res"; getline l < f; split(l, v, " ")
        wall[names[i]] = v[1] > 0 ? v[1] : 0.01; cpu[names[i]] = v[2] > 0 ? v[2] : 0.01; rss[names[i]] = v[3]
    }
    printf "%-38s %8s %8s %8s %10s %11s %9s %8s %10s %9s\n", "run", "wall s", "CPU s", "MB/s", "MB/CPU-s", "postings/s", "RSS MB", "vs rg", "vs rg CPU", "vs 1 thr"
    for (i = 1; i <= count; i++) {
        k = names[i]
        speedup = k == "rg" ? "" : sprintf("%8.2fx", wall["t1"] / wall[k])
        printf "%-38s %8.2f %8.2f %8.1f %10.1f %11.0f %9.1f %7.2fx %9.2fx %9s\n", label[k], wall[k], cpu[k], mb / wall[k],
            mb / cpu[k], n / wall[k], rss[k] / 1024, wall["rg"] / wall[k], cpu["rg"] / cpu[k], speedup
    }
    for (i = 2; i <= threads_run; i++) printf "speed-up from 1 to %d threads: %.2fx (wall)\n", ts[i], wall["t1"] / wall[names[i]]
    # Wall seconds of the short runs: empty input (t0, r0) and the first megabyte (t1m, r1m).
    split("t0 r0 t1m r1m", short, " ")
    for (i = 1; i <= 4; i++) { f = wd "/" short[i] ".res"; getline l < f; split(l, v, " "); start[short[i]] = v[1] }
    printf "start-up on an empty input: jdclass %.2f s, rg %.2f s\n", start["t0"], start["r0"]
    jd_rate = (mb - head_mb) / ((wall["t1"] - start["t1m"]) > 0 ? wall["t1"] - start["t1m"] : 0.01)
    rg_rate = (mb - head_mb) / ((wall["rg"] - start["r1m"]) > 0 ? wall["rg"] - start["r1m"] : 0.01)
    printf "on the first %.1f MB: jdclass 1 thread %.2f s, rg %.2f s; steady rate after it: jdclass %.1f MB/s, rg %.1f MB/s (%.2fx rg)\n",
        head_mb, start["t1m"], start["r1m"], jd_rate, rg_rate, jd_rate / rg_rate
    printf "(MB/CPU-s is throughput per second of CPU time: comparable even on a busy machine; vs rg compares MB/s)\n"
}'
