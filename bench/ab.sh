#!/usr/bin/env bash
# A/B of JVM options: runs the same layer commands of one Raw run under each set of options in turn,
# alternating the order every repetition so that neither set always runs first (a warm disk cache, a
# busy neighbour), and appends one CSV row per command. Every set must write the same bytes (the
# layers' data hashes): options that change the data are not a speed-up. At the end it prints each
# layer's medians per set and the ratio to the first set, then each other set's pairs with the first
# (faster and less CPU in how many, the median difference); `python3 bench/ab_summary.py --pairs FILE
# NAME...` gives the pairs of every invocation in FILE together. docs/benchmarks/changes.md's
# "Twenty-sixth change" was measured with it (the earlier A/B files the same way, by scripts kept
# outside the repository).
#
#   bench/ab.sh [--reps N] [--runner R] [--common OPTS] [--csv FILE] ROOT RUN_ID LAYERS NAME=OPTS...
#     ROOT      the lake (local folder) holding Raw run RUN_ID
#     LAYERS    comma-separated, in order: bronze, silver, gold; or chain (`pqrs run --from bronze`: the
#               three layers in one JVM). Silver reads Bronze's output and Gold Silver's: run them once first.
#     NAME=OPTS a set of JVM options (PQRS_JAVA_OPTS for bin/pqrs: they come after the launcher's own
#               and win); an empty OPTS measures the launcher's own choice. Two sets at least. A word
#               VAR=value (upper case) goes to the command's environment instead: old=PQRS_C1_BELOW=500000
#     --reps N      repetitions of each set (default 3)
#     --runner R    direct, flink-embedded (default: parallelism 2), flink-cluster (the local session
#                   cluster, infra/local/flink) or HOST:PORT of another Flink cluster (on a cluster the
#                   peak is the client's, not the cluster's)
#     --common OPTS options for every set, before its own (e.g. -Xmx1g, the bench's embedded heap)
#     --csv FILE    where the rows go (default bench/.work/ab.csv; appended to)
#
#   e.g. bench/ab.sh --reps 5 lakehouse run-1 bronze,silver,gold c1=-XX:TieredStopAtLevel=1 default=
#
# seconds is the command's own "took" (JVM start excluded); wall_s, user_cpu_s, sys_cpu_s and
# peak_rss_mb are the process's, from GNU time; launcher_jit is the line bin/pqrs printed about the
# compiler it chose (e.g. "C1 only: Raw run r has 104743 lines, fewer than 250000 …"), if any.
# Before each repetition the machine probe (bench/MachineProbe.java, as bench/run.sh times it) is
# timed and kept as a row of layer "probe": a drift of the machine's speed during the pairs shows
# beside them (the summary lists it), rather than passing for a difference between the sets.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

usage() { sed -n '/^#   bench\/ab.sh \[/,/^#   e\.g\./p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "ab: $*" >&2; exit 2; }

reps=3 runner=flink-embedded common="" csv=bench/.work/ab.csv
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="${2:-}"; shift 2 ;;
    --runner) runner="${2:-}"; shift 2 ;;
    --common) common="${2:-}"; shift 2 ;;
    --csv) csv="${2:-}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    --*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ -x /usr/bin/time ] || die "it times each command with GNU time, which is not at /usr/bin/time (apt-get install time)"
[ $# -ge 5 ] || { echo "ab: ROOT, RUN_ID, LAYERS and two NAME=OPTS sets at least" >&2; usage >&2; exit 2; }
root=$1 run_id=$2 layers_arg=$3
shift 3
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive number, not '$reps'"
runner_args "$runner" || die "--runner must be $RUNNERS_KNOWN, not '$runner'"
manifest="$root/manifests/raw/run_id=$run_id/manifest.json"
[ -f "$manifest" ] || die "no Raw run $run_id in $root (no $manifest)"
events="$(grep -m1 -oP '"lines" *: *\K[0-9]+' "$manifest")" || die "$manifest has no \"lines\""

IFS=, read -r -a layers <<< "$layers_arg"
for layer in "${layers[@]}"; do
  case "$layer" in
    bronze | silver | gold | chain) ;;
    *) die "unknown layer '$layer' (bronze, silver, gold, chain)" ;;
  esac
done
names=() sets=()
for v in "$@"; do
  [[ "$v" == *=* ]] || die "a set is NAME=OPTS, not '$v'"
  name="${v%%=*}"
  [[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "a set's name is letters, digits, '.', '_' or '-', not '$name'"
  for n in "${names[@]}"; do [ "$n" != "$name" ] || die "two sets named $name"; done
  names+=("$name") sets+=("${v#*=}")
done

PQRS="${PQRS_AB_PQRS:-bin/pqrs}"  # another launcher (tests)
read -r -a PROBE <<< "${PQRS_AB_PROBE:-}"  # another probe (tests); none: bench/MachineProbe.java
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$csv")"
header="started,code,run_id,events,runner,layer,variant,rep,options,launcher_jit,seconds,wall_s,user_cpu_s,sys_cpu_s,peak_rss_mb,data_hash"
[ -s "$csv" ] || echo "$header" > "$csv"
[ "$(head -1 "$csv")" = "$header" ] || die "$csv has other columns than this script writes: name another --csv"
started="$(date -u +%FT%T.%NZ)"  # this invocation: its summary reads only its own rows
code="$(measured_code)"
csv_field() { if [[ "$1" == *[,\"]* ]]; then printf '"%s"' "${1//\"/\"\"}"; else printf '%s' "$1"; fi; }

n=${#names[@]}
echo "ab: ${names[*]} on $run_id ($events Raw lines), $layers_arg, $reps repetitions on $runner; rows in $csv" >&2
for rep in $(seq 1 "$reps"); do
  probe_s="$(machine_probe ab "$work/probe-$rep.log" "${PROBE[@]}")" || exit 1
  echo "$started,$code,$run_id,$events,$runner,probe,probe,$rep,,,$probe_s,,,,," >> "$csv"
  printf 'ab: rep %s  machine probe %.3f s (lower is faster)\n' "$rep" "$probe_s" >&2
  for ((j = 0; j < n; j++)); do
    i=$(((j + rep - 1) % n))  # each repetition starts one set later
    # Split at blanks as bin/pqrs splits PQRS_JAVA_OPTS (no quoting).
    name="${names[i]}"
    read -r -a parts <<< "$common ${sets[i]}"
    options="${parts[*]}" envs=() jvm=()
    for w in "${parts[@]}"; do
      if [[ "$w" =~ ^[A-Z_][A-Z0-9_]*= ]]; then envs+=("$w"); else jvm+=("$w"); fi
    done
    for layer in "${layers[@]}"; do
      cmd=("$layer")
      [ "$layer" = chain ] && cmd=(run --from bronze)
      log="$work/$name-$layer-$rep.log"
      env "${envs[@]}" PQRS_JAVA_OPTS="${jvm[*]}" /usr/bin/time -f 'ab-time %e %U %S %M' \
        "$PQRS" "${cmd[@]}" --root "$root" --run-id "$run_id" "${RUNNER_ARGS[@]}" >"$log" 2>"$log.err" \
        || { echo "ab: $name failed: pqrs ${cmd[*]} --run-id $run_id" >&2; grep -v '^\s*at ' "$log.err" | tail -5 >&2; exit 1; }
      secs="$(command_seconds "$log")"
      [ -n "$secs" ] || { echo "ab: no \"took\" line from $name's $layer (its output: $log)" >&2; exit 1; }
      read -r wall user sys rss_kb < <(grep -oP '^ab-time \K.*' "$log.err" | tail -1)
      jit="$(grep -m1 -oP '^pqrs: JIT \K.*' "$log.err" || true)"  # what bin/pqrs chose by itself, if anything
      expect=("$layer")
      [ "$layer" = chain ] && expect=(bronze silver gold)
      bench/same-bytes.sh "$work/data-hashes" "$log" "${expect[@]}" \
        || { echo "ab: set $name changed the data: the sets must write the same bytes" >&2; exit 1; }
      hash="$(grep -oP '^  data hash: \K[0-9a-f]{12}' "$log" | tail -1)"
      echo "$started,$code,$run_id,$events,$runner,$layer,$name,$rep,$(csv_field "$options"),$(csv_field "$jit"),$secs,$wall,$user,$sys,$((rss_kb / 1024)),$hash" >> "$csv"
      printf 'ab: rep %s  %-12s %-6s %7.1f s  %7.1f s CPU  %6s MB\n' "$rep" "$name" "$layer" "$secs" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u + s}')" "$((rss_kb / 1024))" >&2
    done
  done
done
python3 bench/ab_summary.py "$csv" "$started" "${names[@]}"
