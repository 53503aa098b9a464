# Sourced by ci/test.sh and ci/scenarios.sh. The chopsticks networks read the real Kusama chain specs from the
# folder HARNESS_CHAINSPECS names (harness/networks/kusama-local.yaml); when it is unset, this project's
# workspace keeps them beside the checkout, in ../shared/chainspecs (or /work/shared/chainspecs for a clone
# elsewhere on the same machine).
if [ -z "${HARNESS_CHAINSPECS:-}" ]; then
  for dir in ../shared/chainspecs /work/shared/chainspecs; do
    if [ -d "$dir" ]; then export HARNESS_CHAINSPECS="$(cd "$dir" && pwd)"; break; fi
  done
fi
