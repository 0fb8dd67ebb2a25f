#!/usr/bin/env bash
# Needs of the robustness tests (issue 9): tests/corrupt_scan.rs runs
# scripts/corrupt_jsonl.py with python3. Installs it when missing (Debian).
set -euo pipefail
if ! command -v python3 >/dev/null 2>&1; then
  echo "installing python3 for tests/corrupt_scan.rs" >&2
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq python3 >/dev/null || echo "python3 could not be installed" >&2
  fi
fi
