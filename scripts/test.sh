#!/usr/bin/env bash
# The test command of the README: installs the locked dependencies, then builds, lints,
# typechecks and tests every package through turbo. Needs only Node.js 20 (corepack).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/pnpm.sh install --frozen-lockfile
scripts/pnpm.sh test "$@"
