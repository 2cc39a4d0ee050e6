#!/usr/bin/env bash
# Runs the bot: installs the locked dependencies, builds the bot and its plugins, then
# `confab run` with the given arguments (default: the quickstart config, confab.yaml).
# Install and build output goes to stderr, so stdout carries only what the bot prints.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

{
  scripts/pnpm.sh install --frozen-lockfile
  scripts/pnpm.sh exec turbo run build --filter=@confab/bot... --output-logs=errors-only
} >&2

if [ "$#" -eq 0 ]; then set -- -c confab.yaml; fi
exec node apps/bot/dist/cli.js run "$@"
