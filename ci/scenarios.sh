#!/usr/bin/env bash
# The main job: set up, then run every shipped scenario. JUnit XML lands in reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
mkdir -p reports
exec .venv/bin/harness run scenarios --junitxml=reports/scenarios.xml "$@"
