#!/usr/bin/env bash
# The README's first command, as a new user runs it: a clean checkout of the committed tree, then
# `make run` (a short range to keep CI fast; the default is 90 days). Passes when the chain ends
# with Gold SUCCESS, the summary names every layer and the default runner (embedded Flink), and the
# embedded store answers a query, and nothing of embedded Flink is left in the temporary folder.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/pqrs-make-run.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

if git -C "$HERE" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git clone -q "$HERE" "$WORK/repo"
else
  mkdir -p "$WORK/repo" && (cd "$HERE" && tar --exclude=target --exclude=lakehouse -cf - .) | tar -xf - -C "$WORK/repo"
fi
cd "$WORK/repo"
echo "make-run test: make run in a clean checkout ($(git rev-parse --short HEAD 2>/dev/null || echo copy))" >&2
# The JVMs' temporary folder is the test's own, so that what they leave behind can be seen.
mkdir "$WORK/tmp"
JAVA_TOOL_OPTIONS="-Djava.io.tmpdir=$WORK/tmp" \
  make run START=2025-02-03 END=2025-02-13 > "$WORK/run.out" 2> "$WORK/run.err" || {
  echo "make-run test: make run failed" >&2; tail -30 "$WORK/run.err" >&2; exit 1; }

fail() { echo "make-run test: $1" >&2; cat "$WORK/run.out" >&2; exit 1; }
grep -q "run status:  raw SUCCESS | bronze \(SUCCESS\|DEGRADED\) | silver \(SUCCESS\|DEGRADED\) | gold SUCCESS" "$WORK/run.out" \
  || fail "the summary does not report every layer with gold SUCCESS"
grep -q "in time [0-9.]*%" "$WORK/run.out" || fail "the summary has no in-time share"
grep -q "^  seconds:     raw [0-9.]* s | bronze [0-9.]* s | silver [0-9.]* s | gold [0-9.]* s$" "$WORK/run.out" \
  || fail "the summary does not give each layer's seconds"
# The default runner: Flink embedded in the command's JVM, at Flink's default parallelism.
grep -q "^  runner:      FlinkRunner, embedded in this JVM, parallelism 1$" "$WORK/run.out" \
  || fail "the summary does not name embedded Flink as the runner"
# Flink's runtime logs (every task's state change) stay out of a user's console.
! grep -q "\] ExecutionGraph - " "$WORK/run.err" || fail "Flink's task logs fill make run's output"
# Embedded Flink unpacks a 22 MB jar and a working folder there; each pqrs process removes its own.
left="$(find "$WORK/tmp" -mindepth 1 -maxdepth 1 \( -name 'pqrs-*' -o -name 'flink-*' -o -name 'minicluster_*' \) | head -3)"
[ -z "$left" ] || fail "make run left in the temporary folder: $left"
[ -f lakehouse/serving/pqrs.duckdb ] || fail "no embedded store at lakehouse/serving/pqrs.duckdb"
rows="$(java -jar pipelines/target/pqrs-lakehouse.jar sql "SELECT count(*) AS n FROM gold.v_ts_national_daily" | sed -n 3p | tr -d ' ')"
[ "$rows" = "11" ] || fail "gold.v_ts_national_daily has $rows rows, expected 11 (one per day)"
echo "make-run test: ok ($(grep '^run ' "$WORK/run.out"))" >&2
