#!/usr/bin/env bash
# Runs every BenchmarkDotNet case in bench/Inferd.Benchmarks (Release, out of process, default job).
# Extra arguments go to BenchmarkDotNet, e.g.:
#   bench/benchmarks.sh --job short          # the quick run whose table is in bench/Inferd.Benchmarks/README.md
#   bench/benchmarks.sh --smoke              # each case once, in process: checks that everything runs
#   bench/benchmarks.sh --filter '*Grpc*'    # a later --filter replaces the default '*'
# Results (tables, CSV, markdown) land in artifacts/benchmarks/results/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
filter=('*')
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) shift; filter=("$1"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
exec dotnet run -c Release --project bench/Inferd.Benchmarks -- \
  --filter "${filter[@]}" --artifacts artifacts/benchmarks "${args[@]}"
