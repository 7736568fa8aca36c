#!/usr/bin/env bash
# Builds the benchmark app (Release) into artifacts/bench, then runs its `pipeline` verb: allocated bytes per request
# and latency of pipelines against their ONNX files run directly, and parallel branches against a chain. Arguments go
# to the verb (e.g. --smoke, --runs N); see bench/README.md, "Pipelines".
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/verb.sh" pipeline "$@"
