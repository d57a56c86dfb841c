#!/usr/bin/env bash
# Every runner and every repetition of one size must write the same bytes: the same Raw run, seed and
# configuration give each layer the same data hash (README, "Reproducibility"), on the DirectRunner as
# on Flink at any parallelism. bench/run.sh calls this after each command; a difference stops it.
#
#   bench/same-bytes.sh LEDGER LOG LAYER...
#     LOG     the summary a pqrs command printed: one "  data hash:" line per layer it ran, in order
#     LAYER   the layers that LOG's data hashes belong to, in the same order
#     LEDGER  the first data hash seen for each layer of this size, and where (appended to)
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: bench/same-bytes.sh LEDGER LOG LAYER..." >&2; exit 2; }
ledger=$1 log=$2
shift 2
mapfile -t hashes < <(grep -oP '^  data hash: \K[0-9a-f]{64}$' "$log" || true)
if [ "${#hashes[@]}" -ne $# ]; then
  echo "bench: $log prints ${#hashes[@]} data hashes, not one for each of $*" >&2
  exit 1
fi
touch "$ledger"
i=0
for layer in "$@"; do
  hash=${hashes[$i]}
  i=$((i + 1))
  read -r first where < <(awk -v l="$layer" '$1 == l { $1 = ""; print substr($0, 2); exit }' "$ledger") || true
  if [ -z "${first:-}" ]; then
    echo "$layer $hash $log" >> "$ledger"
  elif [ "$first" != "$hash" ]; then
    echo "bench: $layer wrote other bytes in $log (data hash ${hash:0:12}…) than in $where (${first:0:12}…): the same input must give the same bytes on every runner" >&2
    exit 1
  fi
done
