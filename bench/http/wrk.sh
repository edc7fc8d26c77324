#!/usr/bin/env bash
# wrk on loopback against the policy server (issue 13's must-hold): for each policy file (LinUCB and GLRB,
# d = 20, K = 10) and each server, requests/s and wrk's p50/p99 at a few concurrency levels for
# /v1/decide alone and for a mix where a share of the requests are outcomes of earlier decisions; beside
# them, the in-process decide latency of the same policy file measured in the same run. Prints a Markdown
# table on stdout; wrk's own reports go to stderr.
#
#   bench/http/wrk.sh                         # ./recourse serve with a temporary --state-dir
#   SERVERS="jdk helidon" bench/http/wrk.sh   # the HTTP layers alone (bench's WrkSupport, no state dir)
#
# Environment (defaults): SERVERS (serve; any of serve, jdk, helidon, in that order per policy),
# POLICIES (linucb glrb: bench/http/NAME.yaml), CONNECTIONS (1 4 16), DURATION (10s per cell),
# TEACH (5s of mixed load before the cells, so the model has learnt and the JIT has warmed),
# OUTCOME_SHARE (0.5 of the mixed requests are outcomes), FSYNC (interval: the write-ahead log's fsync
# for `serve`; `always` measures the disk, see BENCHMARKS.md), SKIP_BUILD (1: use the built jars).
# Everything listens on 127.0.0.1 only; the servers and the temporary directory go on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/http"
cd "$root"

SERVERS="${SERVERS:-serve}"
POLICIES="${POLICIES:-linucb glrb}"
CONNECTIONS="${CONNECTIONS:-1 4 16}"
DURATION="${DURATION:-10s}"
TEACH="${TEACH:-5s}"
OUTCOME_SHARE="${OUTCOME_SHARE:-0.5}"
FSYNC="${FSYNC:-interval}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk.sh: wrk is not installed; trying apt-get install -y wrk ..." >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  if ! { $sudo apt-get install -y wrk >/dev/null 2>&1 \
         || { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y wrk >/dev/null 2>&1; }; }; then
    echo "wrk.sh: error: cannot install wrk (needs root or passwordless sudo, and a Debian mirror)." >&2
    echo "        Install it yourself (apt-get install wrk, or build github.com/wg/wrk) and rerun." >&2
    exit 1
  fi
fi
command -v curl >/dev/null 2>&1 || { echo "wrk.sh: error: curl is needed to wait for /v1/health" >&2; exit 1; }

# shellcheck source=../../.mvn/find-jdk.sh
source "$root/.mvn/find-jdk.sh"
JAVA_HOME="$(recourse_find_jdk)" || exit 1
export JAVA_HOME
java="$JAVA_HOME/bin/java"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "wrk.sh: building server and bench ..." >&2
  # Maven prints colour resets even with -q -B; keep them off the terminal (pipefail keeps its status).
  ./mvnw -q -B -DskipTests -pl server,bench -am package 2>&1 | sed $'s/\x1b\\[[0-9;]*m//g' >&2
fi
bench_jar="$root/bench/target/benchmarks.jar"
[ -f "$bench_jar" ] || { echo "wrk.sh: error: $bench_jar missing (run without SKIP_BUILD=1)" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/recourse-wrk.XXXXXX")"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    # SIGTERM: recourse serve writes its last snapshot (into $tmp) and exits; give it a few seconds.
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() { stop_server; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server KIND POLICY_FILE: sets $port once /v1/health answers 200.
start_server() {
  local kind="$1" policy="$2" out="$tmp/server.out" err="$tmp/server.err"
  : >"$out"; : >"$err"
  if [ "$kind" = serve ]; then
    rm -rf "$tmp/state"
    RECOURSE_JAVA_OPTS="-Xms1g -Xmx1g" "$root/recourse" serve --policy "$policy" --port 0 \
      --state-dir "$tmp/state" --fsync "$FSYNC" >"$out" 2>"$err" &
  else
    "$java" --add-modules jdk.incubator.vector -Xms1g -Xmx1g -cp "$bench_jar" \
      dev.recourse.bench.http.WrkSupport serve "$kind" "$policy" >"$out" 2>"$err" &
  fi
  server_pid=$!
  port=""
  for _ in $(seq 600); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "wrk.sh: error: the $kind server exited at start:" >&2; cat "$err" >&2; server_pid=""; exit 1
    fi
    port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$out")"
    if [ -n "$port" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/health")" = 200 ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "wrk.sh: error: the $kind server did not answer /v1/health within 60 s" >&2; cat "$err" >&2; exit 1
}

# to_us VALUE: wrk's "123.45us", "1.23ms", "1.02s" in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "ms") n *= 1000; else if (u == "s") n *= 1e6; else if (u == "m") n *= 6e7;
    printf "%.0f", n }'
}

# run_wrk CONNECTIONS SHARE DURATION: prints "requests/s p50_us p99_us decides outcomes non200".
run_wrk() {
  local c="$1" share="$2" duration="$3" threads=2 out="$tmp/wrk.out"
  [ "$c" -lt 2 ] && threads=1   # wrk needs at least one connection per thread
  RECOURSE_OUTCOME_SHARE="$share" wrk -t"$threads" -c"$c" -d"$duration" --latency -s "$here/decide.lua" \
    "http://127.0.0.1:$port" >"$out"
  cat "$out" >&2
  local rps p50 p99 counts
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
  p50="$(to_us "$(awk '$1 == "50%" { print $2 }' "$out")")"
  p99="$(to_us "$(awk '$1 == "99%" { print $2 }' "$out")")"
  counts="$(sed -n 's/^RECOURSE decides=\([0-9]*\) outcomes=\([0-9]*\) errors=\([0-9]*\) unparsed=\([0-9]*\)/\1 \2 \3/p' "$out")"
  # Socket errors (timeouts, resets) would make the figures meaningless: say so in the table's errors.
  local sock
  sock="$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")"
  if [ -z "$rps" ] || [ -z "$p50" ] || [ -z "$p99" ] || [ -z "$counts" ]; then
    echo "wrk.sh: error: could not read wrk's report (above) for $c connections" >&2
    return 1
  fi
  # shellcheck disable=SC2086  # three numbers, split on purpose
  set -- $counts
  echo "$rps $p50 $p99 $1 $2 $(( $3 + ${sock:-0} ))"
}

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores;" \
  "$("$java" -version 2>&1 | sed -n 2p); load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $DURATION per cell, outcome share $OUTCOME_SHARE, fsync $FSYNC"
echo "| policy | in-process decide p50 / p99 (µs) | server | load | connections | requests/s | p50 (µs) | p99 (µs) | decides | outcomes | errors |"
echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for name in $POLICIES; do
  policy="$here/$name.yaml"
  [ -f "$policy" ] || { echo "wrk.sh: error: no policy file $policy" >&2; exit 1; }
  # In-process first, with no server running, so that it has both cores like the server had.
  # Command substitutions, not <(...), so that set -e stops the script when one of them fails.
  ip="$("$java" --add-modules jdk.incubator.vector -Xms1g -Xmx1g -cp "$bench_jar" \
    dev.recourse.bench.http.WrkSupport in-process "$policy")"
  read -r ip50 ip99 <<<"$ip"
  for kind in $SERVERS; do
    start_server "$kind" "$policy"
    echo "wrk.sh: $name on $kind at 127.0.0.1:$port; teaching for $TEACH" >&2
    run_wrk 4 0.5 "$TEACH" >/dev/null
    for share in 0 "$OUTCOME_SHARE"; do
      load=decide; [ "$share" != 0 ] && load="decide+outcome"
      for c in $CONNECTIONS; do
        res="$(run_wrk "$c" "$share" "$DURATION")"
        read -r rps p50 p99 nd no ne <<<"$res"
        echo "| $name | $ip50 / $ip99 | $kind | $load | $c | $rps | $p50 | $p99 | $nd | $no | $ne |"
      done
    done
    stop_server
  done
done
echo "# finished $(date -u '+%H:%M:%S UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
