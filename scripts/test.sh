#!/usr/bin/env bash
# Runs every check podplay has, installing what a fresh machine lacks first (the wasm target,
# rustfmt, clippy, Trunk, wasm-bindgen, wasm-opt, Debian's Chromium, the e2e driver).
# This is the test command README.md gives and .ci/run runs.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
failed_steps=()
check() { # check NAME COMMAND…: runs a step, remembers a failure and goes on
  local name=$1; shift
  step "$name"
  if ! "$@"; then
    failed_steps+=("$name")
    echo "FAILED: $name"
  fi
}

step "toolchain"
set -e
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
. scripts/tools.sh
# Chromium for the browser tests, and CJK fonts so the screenshots of the Chinese interface
# are readable.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  echo "installing Debian's chromium, chromium-driver and fonts-noto-cjk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk >/dev/null
fi
(cd tests/e2e && npm ci --silent --no-audit --no-fund)
set +e

check "cargo fmt --check" cargo fmt --all -- --check
check "cargo clippy (host)" cargo clippy --all-targets -- -D warnings
check "cargo clippy (wasm32: engine and browser UI)" \
  cargo clippy --target wasm32-unknown-unknown --lib --bin podplay-web -- -D warnings
check "editor bundle matches its sources (www/editor)" bash www/editor/check.sh

step "cargo test"
# Unit, property and golden-transcript tests (benchmarks run with `cargo bench`).
log=$(mktemp)
cargo test --lib --bins --tests 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed_steps+=("cargo test")
passed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) s += $i } END { print s + 0 }' "$log")
failed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) s += $i } END { print s + 0 }' "$log")

step "browser component tests (wasm-bindgen-test in Chromium)"
cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed_steps+=("browser component tests")
passed=$((passed + $(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) s += $i } END { print s + 0 }' "$log")))
failed=$((failed + $(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) s += $i } END { print s + 0 }' "$log")))

check "fuzz every target for 30 s (cargo fuzz, nightly)" bash scripts/fuzz.sh 30
check "trunk build --release (the playground in dist/)" trunk build --release --no-sri
check "size report" bash scripts/size-report.sh

step "end-to-end tests in Chromium (screenshots in target/e2e/)"
node --test --test-reporter=spec tests/e2e/ 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed_steps+=("end-to-end tests")
passed=$((passed + $(awk '/^ℹ pass / { print $3 }' "$log" | tail -1)))
failed=$((failed + $(awk '/^ℹ fail / { print $3 }' "$log" | tail -1)))
rm -f "$log"

if [ ${#failed_steps[@]} -gt 0 ]; then
  printf '\nfailed steps: %s\n' "${failed_steps[*]}"
fi
echo "summary: ${passed:-0} passed, ${failed:-0} failed"
[ ${#failed_steps[@]} -eq 0 ]
