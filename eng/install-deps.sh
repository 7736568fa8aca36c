#!/usr/bin/env bash
# Installs the Debian packages the test suite uses: the ONNX conformance set, a Python gRPC client (stubs are
# generated from our own protos), curl, and PostgreSQL (the prediction-log tests start a throwaway server with
# eng/postgres.sh). Safe to run twice; does nothing when everything is present.
set -euo pipefail
packages=(libonnx-testdata python3-grpcio python3-protobuf python3-numpy protobuf-compiler protobuf-compiler-grpc curl postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "not root and no sudo: install ${missing[*]} by hand; the tests that need them are skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
