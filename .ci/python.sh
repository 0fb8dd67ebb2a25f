#!/usr/bin/env bash
# The Python package (python/): build the wheel with maturin through `pip install
# ./python` (the README's command) in a fresh virtualenv, then run its pytest suite,
# which includes the Spark local-mode test (pyspark from PyPI, a headless JRE from
# Debian). Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }
step_start=$SECONDS
took() {
  echo "    ($(( SECONDS - step_start )) s; disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free)"
  step_start=$SECONDS
}
apt_install() {
  command -v apt-get >/dev/null 2>&1 || { echo "cannot install $*: no apt-get" >&2; return 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null; }
}

PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  log "installing python3"
  apt_install python3 python3-venv
fi
VENV=target/python-venv
log "virtualenv in $VENV ($("$PY" --version))"
rm -rf "$VENV"
if ! "$PY" -m venv "$VENV" 2>/dev/null; then
  apt_install python3-venv
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --upgrade pip
took

# Spark needs a JRE (17 or newer for pyspark 4).
if ! command -v java >/dev/null 2>&1; then
  log "installing a headless JRE for Spark"
  apt_install openjdk-17-jre-headless || apt_install default-jre-headless || echo "no JRE: the Spark test will fail" >&2
  took
fi

log "pip install ./python (builds the wheel with maturin)"
"$VENV/bin/pip" install -q ./python
took

log "test dependencies: pytest, pandas, polars, pyspark, pyarrow"
"$VENV/bin/pip" install -q pytest "pandas<3" polars pyspark pyarrow  # pyspark 4.3 warns that pandas 3 is not yet supported
took

# The binding is its own crate (and workspace): hold it to the root's gates.
log "python/: cargo fmt --check, cargo clippy --all-targets -- -D warnings"
(cd python && cargo fmt --check && PYO3_PYTHON="$PWD/../$VENV/bin/python" cargo clippy --quiet --all-targets -- -D warnings)
took

# The suite compares the package with the CLI built from the same library.
log "cargo build --bin jdclass"
cargo build --quiet --bin jdclass
took

log "pytest python/tests"
JDCLASS_BIN="$PWD/target/debug/jdclass" "$VENV/bin/python" -m pytest python/tests -q -rs -s
took
