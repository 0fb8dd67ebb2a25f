"""Spark in local mode: the same JSONL through `rdd.pipe("jdclass scan -")` and through
`mapInPandas` calling the Python package, checked against `jdclass scan` alone.

As a test (pytest, skipped when pyspark is not installed) it runs 3,000 postings and
asserts counts in = counts out and the same labels. As a script it measures::

    python python/tests/test_spark.py --postings 50000 --cores 2 --bin target/release/jdclass

and prints seconds and postings/s per executor core for each route and for
`jdclass scan --threads 1` alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from corpus_gen import ROOT, records, write_jsonl

# Postings the test runs: a few thousand, enough for several partitions per core.
TEST_POSTINGS = 3_000
# Partitions per executor core, so that each core gets more than one task.
PARTITIONS_PER_CORE = 2


def default_bin() -> str:
    """JDCLASS_BIN, else the release build, else the debug build (built if missing)."""
    if os.environ.get("JDCLASS_BIN"):
        return os.environ["JDCLASS_BIN"]
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "jdclass"
        if path.exists():
            return str(path)
    subprocess.run(["cargo", "build", "--quiet", "--bin", "jdclass"], cwd=ROOT, check=True)
    return str(ROOT / "target" / "debug" / "jdclass")


def _classify_partition(batches):
    """mapInPandas: parse each JSONL line, classify the partition in one call."""
    import pandas as pd

    import jdclass

    global _CLASSIFIER
    try:
        clf = _CLASSIFIER
    except NameError:  # first partition in this Python worker
        clf = _CLASSIFIER = jdclass.Classifier()
    for batch in batches:
        ids, titles, texts, bad = [], [], [], []
        for line in batch["value"]:
            try:
                rec = json.loads(line)
                ok = isinstance(rec, dict)
            except ValueError:
                ok = False
            rec = rec if ok else {}
            ids.append(None if rec.get("id") is None else str(rec.get("id")))
            title = rec.get("title")
            titles.append(title)
            texts.append(rec.get("text", rec.get("description")))
            bad.append(not ok)
        # One thread per task: Spark already runs one task per executor core.
        out = clf.scan_many(texts, titles=titles, ids=ids, threads=1)
        yield pd.DataFrame(
            {
                "id": ids,
                "label": [r.get("label") for r in out],
                "confidence": [r.get("confidence") for r in out],
                "error": ["bad JSON" if b else r.get("error") for r, b in zip(out, bad)],
            }
        )


def run(n: int, cores: int, jdclass_bin: str, workdir: Path, repeat: int = 1) -> dict:
    """Run both routes over `n` generated postings (each `repeat` times, keeping the
    fastest); return counts, agreement and seconds."""
    from pyspark import cloudpickle
    from pyspark.sql import SparkSession

    # Spark's Python workers cannot import this file: ship its functions by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])

    path = workdir / "postings.jsonl"
    write_jsonl(path, records(n, seed=11))
    nbytes = path.stat().st_size

    t = time.perf_counter()
    proc = subprocess.run(
        [jdclass_bin, "scan", str(path), "--threads", "1", "--quiet"], capture_output=True, check=True
    )
    scan_s = time.perf_counter() - t
    reference = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    ref_label = {r["id"]: r.get("label") for r in reference}

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    t = time.perf_counter()
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("jdclass-spark-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    startup_s = time.perf_counter() - t
    partitions = cores * PARTITIONS_PER_CORE
    try:
        lines = spark.sparkContext.textFile(str(path), minPartitions=partitions).cache()
        lines_in = lines.count()  # read once, so both routes time classification only

        # Route 1: the binary as a streaming map step.
        pipe_s = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            piped = lines.pipe(f"{shlex.quote(jdclass_bin)} scan - --quiet").map(json.loads).collect()
            pipe_s = min(pipe_s, time.perf_counter() - t)

        # Route 2: the Python package on each partition (the JVM reads the lines).
        df = spark.read.text(str(path)).repartition(partitions).cache()
        df.count()
        schema = "id string, label string, confidence double, error string"
        pandas_s = float("inf")
        for _ in range(repeat):  # later runs find the Python workers started
            t = time.perf_counter()
            mapped = [r.asDict() for r in df.mapInPandas(_classify_partition, schema).collect()]
            pandas_s = min(pandas_s, time.perf_counter() - t)
    finally:
        spark.stop()

    def agreement(out):
        same = sum(1 for r in out if r.get("label") is not None and r.get("label") == ref_label.get(r["id"]))
        # Every error on the reference must be an error on the route too.
        same -= sum(1 for r in out if r.get("label") is not None and ref_label.get(r["id"]) is None)
        labelled = sum(1 for r in reference if r.get("label") is not None)
        return same, labelled

    result = {
        "postings": n,
        "bytes": nbytes,
        "cores": cores,
        "partitions": lines.getNumPartitions(),
        "lines_in": lines_in,
        "scan": {"records_out": len(reference), "seconds": scan_s},
        "pipe": {"records_out": len(piped), "seconds": pipe_s, "agree": agreement(piped)},
        "mapInPandas": {"records_out": len(mapped), "seconds": pandas_s, "agree": agreement(mapped)},
        "spark_startup_seconds": startup_s,
        "ids_pipe": sorted(r["id"] for r in piped) == sorted(r["id"] for r in reference),
        "ids_pandas": sorted(r["id"] for r in mapped) == sorted(r["id"] for r in reference),
    }
    return result


def report(r: dict) -> str:
    """The measurement as a table."""
    rows = [
        ("jdclass scan --threads 1", r["scan"]["seconds"], 1),
        (f"rdd.pipe(jdclass scan -), local[{r['cores']}]", r["pipe"]["seconds"], r["cores"]),
        (f"mapInPandas + jdclass package, local[{r['cores']}]", r["mapInPandas"]["seconds"], r["cores"]),
    ]
    out = [
        f"{r['postings']} postings ({r['bytes'] / 1e6:.1f} MB JSONL), {r['partitions']} partitions; "
        f"Spark start-up {r['spark_startup_seconds']:.1f} s (not counted)",
        f"records in {r['lines_in']}, out: scan {r['scan']['records_out']}, pipe {r['pipe']['records_out']}, "
        f"mapInPandas {r['mapInPandas']['records_out']}",
        f"labels equal to jdclass scan: pipe {r['pipe']['agree'][0]}/{r['pipe']['agree'][1]}, "
        f"mapInPandas {r['mapInPandas']['agree'][0]}/{r['mapInPandas']['agree'][1]}",
        f"{'route':<48} {'seconds':>8} {'postings/s':>11} {'per core':>9}",
    ]
    for name, secs, cores in rows:
        rate = r["postings"] / secs
        out.append(f"{name:<48} {secs:>8.2f} {rate:>11,.0f} {rate / cores:>9,.0f}")
    return "\n".join(out)


def test_spark_routes_agree_with_jdclass_scan(tmp_path):
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    cores = min(os.cpu_count() or 1, 2)
    r = run(TEST_POSTINGS, cores, default_bin(), tmp_path)
    print("\n" + report(r))
    assert r["lines_in"] == TEST_POSTINGS
    assert r["scan"]["records_out"] == TEST_POSTINGS
    assert r["pipe"]["records_out"] == TEST_POSTINGS and r["ids_pipe"]
    assert r["mapInPandas"]["records_out"] == TEST_POSTINGS and r["ids_pandas"]
    same, labelled = r["pipe"]["agree"]
    assert same == labelled > TEST_POSTINGS * 0.97
    same, labelled = r["mapInPandas"]["agree"]
    assert same == labelled > TEST_POSTINGS * 0.97


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postings", type=int, default=TEST_POSTINGS)
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--bin", default=None, help="the jdclass binary (default: JDCLASS_BIN or target/…)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each route; the fastest counts")
    ap.add_argument("--json", action="store_true", help="print the raw result as JSON too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        res = run(args.postings, args.cores, args.bin or default_bin(), Path(d), args.repeat)
    print(report(res))
    if args.json:
        print(json.dumps(res))
