#!/usr/bin/env bash
# Builds the browser playground (release) and serves it at http://127.0.0.1:8080 (PORT=… to
# change). Installs what is missing first (see scripts/tools.sh). Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
# Rebuild only when a source is newer than the last build (a second run then starts at once).
if [ ! -f dist/index.html ] || [ -n "$(find src www Cargo.toml Cargo.lock Trunk.toml -newer dist/index.html -not -path '*/node_modules/*' -print -quit)" ]; then
  trunk build --release --no-sri
fi
port="${PORT:-8080}"
echo
echo "podplay is at http://127.0.0.1:$port/  (Ctrl-C stops it)"
exec python3 -m http.server --bind 127.0.0.1 --directory dist "$port"
