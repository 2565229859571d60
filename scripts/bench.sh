#!/usr/bin/env bash
# The speed and scale benchmark (issue 6): newsdex against SQLite FTS5 on Reuters-21578,
# chronam (with --size full) and the synthetic corpus. Builds both release binaries, then runs
# `newsdex-bench all` with the arguments given, e.g.
#   scripts/bench.sh                                  # Reuters + 10k synthetic (a few minutes)
#   scripts/bench.sh --size full --json-out /tmp/newsdex-bench/results.json
#   scripts/bench.sh --synthetic 10k,100k --skip reuters
# Generated corpora, indexes and databases go to /tmp/newsdex-bench (--work DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p newsdex -p newsdex-bench
exec "${CARGO_TARGET_DIR:-target}/release/newsdex-bench" all "$@"
