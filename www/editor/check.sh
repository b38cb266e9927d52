#!/usr/bin/env bash
# Checks that the committed www/editor.bundle.js is exactly what the sources
# and the locked dependencies build to. It installs the locked packages with
# `npm ci`, rebuilds the bundle into a temporary file with the same esbuild
# command as `npm run build` (taken from package.json, only --outfile changed)
# and compares the two byte for byte.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
committed="$here/../editor.bundle.js"

if [ ! -f "$committed" ]; then
  echo "editor bundle check: $committed is missing; run 'npm run build' in www/editor" >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error >/dev/null

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The build script from package.json, pointed at the temporary file.
build="$(node -p "require('./package.json').scripts.build")"
case "$build" in
  *" --outfile=../editor.bundle.js"*) ;;
  *) echo "editor bundle check: package.json's build script no longer writes --outfile=../editor.bundle.js" >&2; exit 1 ;;
esac
build="${build/ --outfile=..\/editor.bundle.js/ --outfile=$tmp/editor.bundle.js}"
read -r -a argv <<<"$build"
PATH="$here/node_modules/.bin:$PATH" "${argv[@]}" --log-level=warning

if ! cmp -s "$tmp/editor.bundle.js" "$committed"; then
  echo "editor bundle check: www/editor.bundle.js is out of date with www/editor/src and package-lock.json;" >&2
  echo "  run 'npm ci && npm run build' in www/editor and commit www/editor.bundle.js" >&2
  exit 1
fi
echo "editor bundle check: www/editor.bundle.js is up to date ($(wc -c <"$committed") bytes)"
