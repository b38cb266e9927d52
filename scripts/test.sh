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
# Unit, property and golden-transcript tests (benchmarks run with `cargo bench`).
log=$(mktemp)
cargo test --lib --bins --tests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) s += $i } END { print s + 0 }' "$log")
failed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) s += $i } END { print s + 0 }' "$log")
rm -f "$log"
echo "summary: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
