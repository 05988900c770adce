#!/usr/bin/env bash
# The accessibility checks in tests/e2e inject axe-core into the pages they test. The browser must
# never fetch it from a CDN (the promise: no third-party request), so a pinned copy is installed from
# the npm registry into var/axe once, and the tests read it from disk.
set -euo pipefail
AXE_VERSION="4.14.1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$ROOT/var/axe"
FILE="$PREFIX/node_modules/axe-core/axe.min.js"
PACKAGE="$PREFIX/node_modules/axe-core/package.json"

if [ -f "$FILE" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$PACKAGE" 2>/dev/null; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js and npm for the accessibility checks (apt-get install npm)." >&2
  exit 1
fi
echo "Installing axe-core $AXE_VERSION into var/axe for the accessibility checks."
mkdir -p "$PREFIX"
npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error --prefix "$PREFIX" "axe-core@$AXE_VERSION"
test -f "$FILE"
