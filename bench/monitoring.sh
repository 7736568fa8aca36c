#!/usr/bin/env bash
# Builds the benchmark app (Release) into artifacts/bench, then runs its `monitoring` verb: request throughput
# through the in-process facade with the prediction log off, best-effort and durable (SQLite), interleaved in one
# run. Arguments go to the verb (e.g. --smoke, --rounds N, --window S, --callers N); see bench/README.md,
# "Prediction log".
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/verb.sh" monitoring "$@"
