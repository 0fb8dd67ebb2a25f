#!/usr/bin/env bash
# `jdclass serve` checks: the browser test (tests/serve_browser.rs) drives Debian's
# chromium through chromedriver (chromium-driver). Installed here; `cargo test` in
# .ci/run then runs tests/serve_api.rs and tests/serve_browser.rs, which refuses to
# skip when CI is set.
set -euo pipefail
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing chromium and chromium-driver for the serve browser test"
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "apt-get not found: install chromium and chromedriver for tests/serve_browser.rs" >&2
    exit 1
  fi
fi
chromedriver --version
