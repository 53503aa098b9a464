#!/usr/bin/env bash
# The test suite: set up, then run the harness's own tests and the shipped scenarios, on a worker per core.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
source ci/chainspecs.sh
mkdir -p reports
# -n auto: pytest-xdist, a worker per core (on this project's 2-core CI machine the suite took 318 s so, 586 s
# serially); a later -n in "$@" wins (-n 0 runs serially).
exec .venv/bin/python -m pytest -n auto --junitxml=reports/junit.xml "$@"
