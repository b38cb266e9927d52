#!/usr/bin/env bash
# Builds the browser playground (release) and serves it at http://127.0.0.1:8080 (PORT=… to
# change). Installs what is missing first (see scripts/tools.sh). Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
trunk build --release
port="${PORT:-8080}"
echo
echo "podplay is at http://127.0.0.1:$port/  (Ctrl-C stops it)"
exec python3 -m http.server --bind 127.0.0.1 --directory dist "$port"
