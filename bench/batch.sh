#!/usr/bin/env bash
# Builds the benchmark app (Release) into artifacts/bench, then runs its `batch` verb: batch-job rows/s over CSV and
# Parquet against raw ONNX Runtime on the same model, batch size and threads. Arguments go to the verb
# (e.g. --smoke, --rows N, --rounds N, --profile, --json FILE); see bench/README.md, "Batch jobs".
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/verb.sh" batch "$@"
