#!/usr/bin/env bash
# Install the Node tools the tests and the storage benchmark use: dynalite, a
# DynamoDB-protocol server run on 127.0.0.1, apl-suggester, Amazon's APL
# validator, for the screen document, and the ASK CLI that deploys the skill
# (`npx ask`, DEPLOY.md; its antlr4ts pinned by package.json's overrides)
# (package.json, package-lock.json).
#
#   1. node and npm: from Debian's packages (apt-get) when `node` is not on PATH;
#      needs root on a Debian/Ubuntu system, otherwise says what to do and fails.
#   2. `npm ci` in the repository root: exactly the versions in package-lock.json,
#      into ./node_modules (not committed).
#
# Idempotent; called by the Makefile. Usage: scripts/install-node-deps.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'install-node-deps: %s\n' "$*"; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        say "node/npm not found and this is not a Debian/Ubuntu system: install Node.js (18 or newer) and npm, then run me again."
        exit 1
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        say "node/npm not found and not root. Run:"
        say "  sudo apt-get update && sudo apt-get install -y nodejs npm"
        exit 1
    fi
    missing=()
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    export DEBIAN_FRONTEND=noninteractive
    say "installing: ${missing[*]}"
    apt-get update -qq
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
say "node $(node --version), npm $(npm --version)"

cd "$repo"
npm ci --no-audit --no-fund
test -f node_modules/dynalite/cli.js
test -f node_modules/apl-suggester/dist/src/index.js
# The CLI must start: a wrong antlr4ts build makes it crash here, not at deploy time.
ask_version="$(node_modules/.bin/ask --version)"
say "dynalite, apl-suggester and ask-cli $ask_version (npx ask) installed in $repo/node_modules"
