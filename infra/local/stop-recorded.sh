# Sourced by the *-down.sh scripts: stops a process started by an *-up.sh script, by the PID file it
# recorded; waits up to 10 s, then kills it, and removes the file.
#   stop_recorded <pid file> <what, for the message> <script name>
stop_recorded() {
  local file=$1 what=$2 script=$3 pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    echo "$script: $what (pid $pid) stopped" >&2
  fi
  rm -f "$file"
}
