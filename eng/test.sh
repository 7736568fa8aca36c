#!/usr/bin/env bash
# Runs every test: installs test dependencies when it can, builds the demo model zoo, builds, tests, and
# prints one closing line "Tests: N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
bash eng/install-deps.sh
# A throwaway PostgreSQL for the prediction-log tests (INFERD_TEST_POSTGRES), stopped and deleted at exit.
# A failed start fails the run; without PostgreSQL binaries it prints nothing and those tests are skipped.
postgres_env="$(bash eng/postgres.sh start)"
eval "$postgres_env"
trap 'bash eng/postgres.sh stop' EXIT
# The zoo (samples/model-repository) is part of the product: a model that fails to build fails the run.
./inferd zoo build
mkdir -p artifacts
log=artifacts/test-output.txt
set +e
dotnet test --solution Inferd.slnx "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
total_passed=0; total_failed=0; total_skipped=0
while read -r n; do total_passed=$((total_passed + n)); done < <(grep -oE 'succeeded: [0-9]+' "$log" | awk '{print $2}' | tail -n 1)
while read -r n; do total_failed=$((total_failed + n)); done < <(grep -oE '^\s*failed: [0-9]+' "$log" | awk '{print $2}' | tail -n 1)
while read -r n; do total_skipped=$((total_skipped + n)); done < <(grep -oE 'skipped: [0-9]+' "$log" | awk '{print $2}' | tail -n 1)
if [ -f artifacts/conformance.txt ]; then
  echo "--- ONNX conformance set through the server (artifacts/conformance.txt) ---"
  head -n 3 artifacts/conformance.txt
fi
if [ "$status" -ne 0 ]; then
  # The failing tests' names and messages, repeated at the end where a truncated CI log still shows them.
  echo "--- failed tests ---"
  grep -E -A 12 '^\s*failed [^0-9]' "$log" | head -n 150 || true
fi
echo "Tests: ${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
exit "$status"
