#!/usr/bin/env bash
# Builds the benchmark app (Release) into artifacts/bench, then runs its `explain` verb: exact Kernel SHAP on a
# 10-feature MLP with 100 background rows through the in-process facade, against raw ONNX Runtime running the same
# rows in the same batches. Arguments go to the verb (--smoke, --rounds N); see bench/README.md, "Explanations".
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/verb.sh" explain "$@"
