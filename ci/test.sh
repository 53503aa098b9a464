#!/usr/bin/env bash
# The test suite: set up, then run the harness's own tests and the shipped scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
mkdir -p reports
exec .venv/bin/python -m pytest --junitxml=reports/junit.xml "$@"
