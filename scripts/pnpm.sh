#!/usr/bin/env bash
# Runs the pnpm version pinned in package.json ("packageManager") through corepack, which ships
# with Node 20. Some registry mirrors serve package metadata without npm's signatures, which
# corepack then refuses ("No compatible signature found"); in that case, and only then, retry
# with signature checks off so the pinned version still installs.
set -euo pipefail
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
if ! command -v corepack >/dev/null 2>&1; then
  echo "confab: corepack is missing; install Node.js 20 or newer (it ships corepack)." >&2
  exit 1
fi
if ! err=$(corepack pnpm --version 2>&1 >/dev/null); then
  if grep -q 'signature' <<<"$err"; then
    echo "confab: corepack could not verify pnpm's signature on this registry; using the pinned version without the check." >&2
    export COREPACK_INTEGRITY_KEYS=0
  else
    echo "$err" >&2
    exit 1
  fi
fi
# turbo (run by the root scripts) starts the package manager by its binary name, and corepack
# does not put pnpm on PATH: a one-line shim back to this script does.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shim="$root/node_modules/.confab-bin"
if [ ! -x "$shim/pnpm" ]; then
  mkdir -p "$shim"
  printf '#!/usr/bin/env bash\nexec "%s/scripts/pnpm.sh" "$@"\n' "$root" >"$shim/pnpm"
  chmod +x "$shim/pnpm"
fi
export PATH="$shim:$PATH"
exec corepack pnpm "$@"
