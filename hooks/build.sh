#!/usr/bin/env bash
# The ASK CLI's custom build step (`ask deploy` runs hooks/build.sh BUILD_ZIP DEBUG from the project root):
# the Lambda zip that `make lambda-zip` builds (Lambda's Python, dependencies from pyproject.toml),
# copied where the CLI uploads it from. ask-resources.json's code.default.src (lambda/) is only what the
# CLI copies first; this zip replaces it.
set -euo pipefail
out="${1:?usage: hooks/build.sh BUILD_ZIP [DEBUG]}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
make -C "$root" --no-print-directory lambda-zip >&2
cp "$root/build/lambda.zip" "$out"
echo "hooks/build.sh: $out ($(du -h "$out" | cut -f1)) from make lambda-zip" >&2
