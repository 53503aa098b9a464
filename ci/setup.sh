#!/usr/bin/env bash
# Installs everything the harness needs on a fresh machine: a virtualenv with the package and its
# Python dependencies, and chopsticks pinned by package-lock.json. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e . build  # build: tests/test_packaging.py builds the wheel
if [ ! -f node_modules/@acala-network/chopsticks/chopsticks.cjs ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# async-substrate-interface (the client tests/devnet/test_async_substrate_interface.py drives) depends
# on cyscale, which installs a module named `scalecodec` that would shadow substrate-interface's in
# .venv: it gets a virtualenv of its own, with bittensor-wallet for its sr25519 Keypair.
if ! .venv-async/bin/python -c "import async_substrate_interface, bittensor_wallet" 2>/dev/null; then
  python3 -m venv .venv-async
  .venv-async/bin/python -m pip install --quiet --upgrade pip
  .venv-async/bin/python -m pip install --quiet "async-substrate-interface==2.2.1" "bittensor-wallet==4.1.1"
fi
# Debian's chromium, headless, checks the comparison page in a real browser (tests/test_compare_page_browser.py).
# Installed when missing, as root (a CI container) or through passwordless sudo (a hosted runner); elsewhere
# that test fails naming this step.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  as_root=""
  if [ "$(id -u)" != 0 ] && sudo -n true 2>/dev/null; then as_root="sudo -n"; fi
  if [ "$(id -u)" = 0 ] || [ -n "$as_root" ]; then
    $as_root apt-get update -qq && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
