#!/usr/bin/env bash
# Installs everything the harness needs on a fresh machine: a virtualenv with the package and its
# Python dependencies, and chopsticks pinned by package-lock.json. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
if [ ! -f node_modules/@acala-network/chopsticks/chopsticks.cjs ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
