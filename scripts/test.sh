#!/usr/bin/env bash
# The test command of the README: installs the locked dependencies, then builds, lints,
# typechecks and tests every package through turbo. Needs only Node.js 20 (corepack).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# turbo starts the package manager named in package.json by its binary name, and corepack
# provides pnpm without putting it on PATH: a one-line shim that goes through scripts/pnpm.sh.
shim="$root/node_modules/.confab-bin"
mkdir -p "$shim"
printf '#!/usr/bin/env bash\nexec "%s/scripts/pnpm.sh" "$@"\n' "$root" >"$shim/pnpm"
chmod +x "$shim/pnpm"
export PATH="$shim:$PATH"

scripts/pnpm.sh install --frozen-lockfile
scripts/pnpm.sh test "$@"
