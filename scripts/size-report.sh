#!/usr/bin/env bash
# Prints what a first visit downloads (dist/ after `trunk build --release`), raw and gzip,
# against the budgets: wasm ≤ 400 KB gzip, whole first load ≤ 600 KB gzip. Informational:
# it fails only when dist/ is missing.
set -euo pipefail
cd "$(dirname "$0")/../dist"
total=0
printf '%-44s %10s %10s\n' file raw gzip
for f in index.html *.js *.wasm *.css *.svg; do
  [ -f "$f" ] || continue
  raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  [[ $f == *.wasm ]] && wasm=$gz
  printf '%-44s %10d %10d\n' "$f" "$raw" "$gz"
done
printf 'size: wasm %d KB gzip (budget 400 KB); first load %d KB gzip (budget 600 KB)\n' \
  $(( ${wasm:-0} / 1000 )) $(( total / 1000 ))
