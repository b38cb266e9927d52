#!/usr/bin/env bash
# Installs what building the browser playground needs, into .tools/ inside the checkout
# (nothing is cached elsewhere): the wasm32 target, Trunk, the wasm-bindgen CLI at the version
# Cargo.lock pins, and wasm-opt (binaryen from npm). Skips whatever is already there, so a
# second run takes seconds. Source it: `. scripts/tools.sh`; it puts .tools on PATH.
# Pinned versions (see ../shared/notes/toolchain.md for why these):
TRUNK_VERSION=0.21.14       # newer releases need a newer rustc
BINARYEN_VERSION=132.0.0    # Debian's wasm-opt is too old for wasm-bindgen 0.2.130's output

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"
export PATH="$tools/bin:$tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  echo "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install --locked --quiet trunk --version "$TRUNK_VERSION" --root "$tools"
fi
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$root/Cargo.lock")
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg_version" ]; then
  echo "installing wasm-bindgen-cli $wbg_version (a few minutes, once)"
  # Not --locked: its lockfile pins a crate release the registry no longer has.
  cargo install --quiet wasm-bindgen-cli --version "$wbg_version" --root "$tools"
fi
if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  echo "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  npm install --silent --no-audit --no-fund --prefix "$tools" "binaryen@$BINARYEN_VERSION" >/dev/null
fi
# Trunk runs cargo offline: make sure the crates are here.
(cd "$root" && cargo fetch --quiet)
