#!/usr/bin/env bash
# Runs every check podplay has, installing what a fresh machine lacks first.
# This is the test command README.md gives and .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed | grep -q '^clippy' || rustup component add clippy

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (host)"
cargo clippy --all-targets -- -D warnings

step "cargo clippy (wasm32 engine)"
cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

step "wasm32 build of the engine"
cargo build --lib --release --target wasm32-unknown-unknown
ls -l target/wasm32-unknown-unknown/release/libpodplay.rlib | awk '{print "engine rlib for wasm32: " $5 " bytes"}'

step "cargo test"
cargo test --all-targets
