#!/usr/bin/env bash
# Builds the benchmark app (Release) into artifacts/bench, then runs one of its verbs: `bench/verb.sh VERB ARGS...`.
# bench/batch.sh and bench/pipeline.sh are this with their verb.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
verb="$1"
shift
log="$(mktemp)"
echo "bench/$verb.sh: building bench/Inferd.Bench (Release)" >&2
if ! dotnet build bench/Inferd.Bench/Inferd.Bench.csproj -c Release --nologo -v q -o artifacts/bench >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "bench/$verb.sh: building bench/Inferd.Bench failed (see above)" >&2
  exit 1
fi
rm -f "$log"
exec dotnet artifacts/bench/Inferd.Bench.dll "$verb" "$@"
