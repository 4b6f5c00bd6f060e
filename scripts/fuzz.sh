#!/usr/bin/env bash
# Fuzzes every reader of outside input (fuzz/fuzz_targets/: JSON, URL, JWT, stored session,
# server answers, Link header) with cargo-fuzz on the nightly toolchain. Not part of
# scripts/test.sh (it takes minutes of CPU); the property tests there cover the same readers.
#
#   bash scripts/fuzz.sh                  # every target, FUZZ_RUNS (default 1,000,000) runs each
#   bash scripts/fuzz.sh json jwt         # some targets
#   FUZZ_RUNS=20000 bash scripts/fuzz.sh  # a quick pass
#   FUZZ_MINIMIZE=1 bash scripts/fuzz.sh  # then merge what was found into the committed corpus,
#                                         # minimized (libFuzzer -merge=1)
#
# Targets run one after the other, each a single libFuzzer process (one core), with an
# allocation bound: a single allocation over FUZZ_MALLOC_LIMIT_MB (default 64 MB) or a
# resident size over FUZZ_RSS_LIMIT_MB (default 2048 MB, AddressSanitizer's shadow
# included) is reported as a crash, as is any panic. Inputs are at most 4096 bytes
# (libFuzzer's default -max_len). The figures of the run go to fuzz/figures.tsv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_FUZZ_VERSION=0.13.1
RUNS="${FUZZ_RUNS:-1000000}"
MALLOC_LIMIT_MB="${FUZZ_MALLOC_LIMIT_MB:-64}"
RSS_LIMIT_MB="${FUZZ_RSS_LIMIT_MB:-2048}"
ALL_TARGETS=(json url jwt stored_session server_answer link_header)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")

step() { printf '\n==> %s\n' "$*" >&2; }

if ! rustup toolchain list | grep -q '^nightly'; then
  step "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  step "installing cargo-fuzz $CARGO_FUZZ_VERSION from crates.io"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

step "building the fuzz targets (nightly, AddressSanitizer)"
cargo +nightly fuzz build

FIGURES="$ROOT/fuzz/figures.tsv"
printf 'target\truns\tseconds\texecs_per_second\tpeak_rss_mb\tmalloc_limit_mb\trss_limit_mb\tcorpus_files\n' >"$FIGURES.new"
for target in "${TARGETS[@]}"; do
  step "fuzzing $target: $RUNS runs"
  corpus="corpus/$target"
  mkdir -p "$corpus" "corpus-work/$target" artifacts
  log="$(mktemp)"
  started=$(date +%s.%N)
  # New inputs go to corpus-work/ (not committed); the committed corpus seeds the run.
  if ! cargo +nightly fuzz run "$target" "corpus-work/$target" "$corpus" -- \
    -runs="$RUNS" -malloc_limit_mb="$MALLOC_LIMIT_MB" -rss_limit_mb="$RSS_LIMIT_MB" \
    -timeout=10 -print_final_stats=1 2>"$log"; then
    tail -60 "$log" >&2
    echo "[fuzz] $target FAILED: the crashing input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  ended=$(date +%s.%N)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.0f", b - a }')
  rate=$(awk -v r="$runs" -v s="$seconds" 'BEGIN { if (s > 0 && r ~ /^[0-9]+$/) printf "%.0f", r / s; else print "?" }')
  if [ "${FUZZ_MINIMIZE:-0}" = 1 ]; then
    step "minimizing the corpus of $target"
    # libFuzzer's merge into an empty directory keeps the fewest inputs with the same coverage.
    rm -rf "corpus-min/$target" && mkdir -p "corpus-min/$target"
    cargo +nightly fuzz run "$target" "corpus-min/$target" "$corpus" "corpus-work/$target" -- -merge=1 \
      >/dev/null 2>&1
    rm -rf "$corpus" && mv "corpus-min/$target" "$corpus"
  fi
  files=$(find "$corpus" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$runs" "$seconds" "$rate" "$rss" \
    "$MALLOC_LIMIT_MB" "$RSS_LIMIT_MB" "$files" | tee -a "$FIGURES.new" >&2
  rm -f "$log"
done
# Targets not run this time keep their last figures.
if [ -f "$FIGURES" ]; then
  awk -F'\t' 'NR == FNR { if (FNR > 1) ran[$1] = 1; next } FNR > 1 && !($1 in ran)' "$FIGURES.new" "$FIGURES" \
    >>"$FIGURES.new"
fi
mv "$FIGURES.new" "$FIGURES"
step "fuzzing passed: figures in fuzz/figures.tsv"
