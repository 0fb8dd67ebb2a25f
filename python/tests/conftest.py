"""Shared fixtures: the classifier, and the jdclass binary the Python results are
compared with (JDCLASS_BIN, or the root crate's debug build, built when missing)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import jdclass

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def clf() -> jdclass.Classifier:
    return jdclass.Classifier()


@pytest.fixture(scope="session")
def jdclass_bin() -> str:
    """The CLI built from the same library: the reference the package must agree with."""
    env = os.environ.get("JDCLASS_BIN")
    if env:
        return env
    subprocess.run(["cargo", "build", "--quiet", "--bin", "jdclass"], cwd=ROOT, check=True)
    return str(ROOT / "target" / "debug" / "jdclass")


def run_cli(jdclass_bin: str, *args: str, stdin: bytes | None = None, ok=(0,)) -> list[dict]:
    """Run the CLI from the repository root and parse its records: one JSON document
    (an object, or an array for several inputs) or JSON lines."""
    proc = subprocess.run([jdclass_bin, *args], cwd=ROOT, input=stdin, capture_output=True)
    assert proc.returncode in ok, proc.stderr.decode()
    out = proc.stdout.decode()
    if out.lstrip().startswith("["):
        return json.loads(out)
    return [json.loads(line) for line in out.splitlines() if line.strip()]
