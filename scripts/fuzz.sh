#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 30): `bash scripts/fuzz.sh [SECONDS] [TARGET…]`.
# Installs cargo-fuzz (pinned) into .tools and the nightly toolchain if missing, seeds each
# corpus from the tutorial's examples and the golden session scripts, and stops at the first
# crash, leaving the input in fuzz/artifacts/TARGET/. Turn a crash into a regression test in
# tests/fuzz_regressions.rs (see there).
set -euo pipefail
CARGO_FUZZ_VERSION=0.13.1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest kubectl session shell cluster)
export PATH="$root/.tools/bin:$PATH"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION (a minute, once)"
  cargo install --locked --quiet cargo-fuzz --version "$CARGO_FUZZ_VERSION" --root "$root/.tools"
fi

# Seeds: written fresh into the (git-ignored) corpus directories each run.
seed() { mkdir -p "fuzz/corpus/$1"; }
seed manifest; cp tests/sessions/examples/*.yml fuzz/seeds/manifest/* fuzz/corpus/manifest/
seed session; for f in tests/sessions/*.sh; do cp "$f" "fuzz/corpus/session/$(basename "$f")"; done
seed kubectl
grep -h '^kubectl ' tests/sessions/*.sh | sed 's/^kubectl //' | sort -u | awk '{ print > ("fuzz/corpus/kubectl/line" NR) }'
seed shell; cp fuzz/seeds/shell/* fuzz/corpus/shell/
seed cluster; cp fuzz/seeds/cluster/* fuzz/corpus/cluster/

# No sanitizer: the code has no `unsafe`; panics, overflows and stack overflows are caught
# without one, and the runs go twice as fast.
cargo +nightly fuzz build --sanitizer none 2>&1 | tail -1
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${secs}s"
  cargo +nightly fuzz run --sanitizer none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=60 -max_len=8192 -print_final_stats=1 2>&1 \
    | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|.*(panicked|ERROR|Crash|crash-|timeout-|oom-))' || true
  if ls "fuzz/artifacts/$t"/* >/dev/null 2>&1; then
    echo "fuzz: $t found a failing input:"; ls "fuzz/artifacts/$t"; exit 1
  fi
done
echo "fuzz: no crash in ${targets[*]}"
