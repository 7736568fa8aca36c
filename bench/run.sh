#!/usr/bin/env bash
# Builds the Inferd CLI and the benchmark suite (Release), then runs the suite; arguments go to `suite`
# (e.g. --smoke, --out FILE). Prints the G1–G8 table; writes bench/results/latest.md and .json by default.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
build() {
  local log
  log="$(mktemp)"
  if ! dotnet build "$1" -c Release --nologo -v q -o "$2" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "bench/run.sh: building $1 failed (see above)" >&2
    exit 1
  fi
  rm -f "$log"
}
echo "bench/run.sh: building src/Inferd.Cli and bench/Inferd.Bench (Release)" >&2
build src/Inferd.Cli/Inferd.Cli.csproj artifacts/cli
# The same marker the ./inferd script uses, so it does not rebuild what is already current.
touch artifacts/cli/inferd.dll
build bench/Inferd.Bench/Inferd.Bench.csproj artifacts/bench
exec dotnet artifacts/bench/Inferd.Bench.dll suite --cli artifacts/cli/inferd.dll "$@"
