#!/usr/bin/env bash
# Builds the JMH uber-jar and runs the published benchmark suites with the exact options of BENCHMARKS.md.
#
#   bench/run.sh [--no-build] [--smoke] [suite ...]
#       suites: decision variants kernels refresh floor (default: all of them, ~24 min on 2 cores; without
#               the diagnostic variants suite ~15 min)
#       --smoke: 1 fork, 1 x 100 ms warm-up and measurement, results to bench/target/results-smoke:
#                checks that every benchmark runs (~5 min), numbers meaningless.
#
# Each suite writes bench/results/<suite>.json (JMH JSON) and bench/results/<suite>.log.gz (JMH's text
# output, which includes the "# kernels: ..." line every fork prints); bench/results/env-<suite>.txt
# records the CPU, the JDK, the git commit and `uptime` before and after, since on a shared machine the
# load is part of the result. bench/tables.py turns the JSON into the tables of BENCHMARKS.md.
#
# The JDK is chosen the same way ./mvnw does (.mvn/find-jdk.sh: JAVA_HOME if >= 25, else the newest
# under /usr/lib/jvm). Every fork gets --add-modules jdk.incubator.vector -Xms1g -Xmx1g from the
# benchmark's @Fork; the host JVM gets the module too so that JMH itself can load the classes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=../.mvn/find-jdk.sh
source "$root/.mvn/find-jdk.sh"
JAVA_HOME="$(recourse_find_jdk)" || exit 1
export JAVA_HOME
java="$JAVA_HOME/bin/java"
jar="$here/target/benchmarks.jar"
out="$here/results"
smoke=0

build=1
suites=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --smoke) smoke=1 ;;
    decision|variants|kernels|refresh|floor) suites+=("$arg") ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (suites: decision variants kernels refresh floor)" >&2; exit 2 ;;
  esac
done
[ ${#suites[@]} -gt 0 ] || suites=(decision variants kernels refresh floor)

if [ "$build" = 1 ]; then
  "$root/mvnw" -q -DskipTests package
fi
mkdir -p "$out"

# Published JMH options. Decision level: 3 forks x (3 warm-up + 5 measured) x 400 ms. Variants (with the
# core runs they are compared with, re-measured in the same invocation): 2 forks, same iterations.
# Kernel sweep: 2 forks x (3 x 300 ms warm-up + 3 x 200 ms); a few ns per call, ~10^7 calls per
# iteration, but the Panama code needs ~1 s to reach C2 while other JVMs compete for the 2 cores.
DECISION_OPTS=(-f 3 -wi 3 -w 400ms -i 5 -r 400ms -prof gc)
VARIANT_OPTS=(-f 2 -wi 3 -w 400ms -i 5 -r 400ms -prof gc)
KERNEL_OPTS=(-f 2 -wi 3 -w 300ms -i 3 -r 200ms -p n=4,8,12,16,20,32,100)
REFRESH_OPTS=(-f 3 -wi 3 -w 400ms -i 5 -r 400ms -prof gc)
# Machine floor (issue #17): peak FMA and read/read-write bandwidth, the options of its @Fork/@Warmup/
# @Measurement (2 forks x (5 x 300 ms warm-up + 5 x 300 ms)); scores are rates (MAC/ns, bytes/ns).
FLOOR_OPTS=(-f 2 -wi 5 -w 300ms -i 5 -r 300ms)
if [ "$smoke" = 1 ]; then
  out="$here/target/results-smoke"
  mkdir -p "$out"
  quick=(-f 1 -wi 1 -w 100ms -i 1 -r 100ms)
  DECISION_OPTS=("${quick[@]}" -prof gc)
  VARIANT_OPTS=("${quick[@]}" -prof gc)
  KERNEL_OPTS=("${quick[@]}" -p n=4,8,12,16,20,32,100)
  REFRESH_OPTS=("${quick[@]}" -prof gc)
  FLOOR_OPTS=("${quick[@]}")
fi

jmh() {
  # jmh <suite> <jmh args...>: one JMH invocation, JSON + log + environment record.
  local suite="$1"; shift
  local env="$out/env-$suite.txt"
  {
    echo "suite: $suite"
    echo "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
    echo "git: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (dirty)')"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
    echo "cpus: $(nproc)"
    echo "avx2: $(grep -qw avx2 /proc/cpuinfo && echo yes || echo no), avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
    echo "java: $("$java" -version 2>&1 | tr '\n' ' ')"
    echo "command: java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar $(printf '%q ' "$@")-rf json -rff bench/results/$suite.json"
    echo "uptime before: $(uptime)"
  } > "$env"
  echo "== $suite: $*" >&2
  (cd "$root" && "$java" --add-modules jdk.incubator.vector -jar "$jar" "$@" \
      -rf json -rff "$out/$suite.json") > "$out/$suite.log" 2>&1 \
    || { echo "JMH failed, see $out/$suite.log" >&2; tail -30 "$out/$suite.log" >&2; exit 1; }
  echo "uptime after: $(uptime)" >> "$env"
  grep -E '^[A-Za-z][A-Za-z0-9]*\.[A-Za-z]' "$out/$suite.log" | grep -v ':gc\.' >&2 || true
  gzip -f "$out/$suite.log"
}

for suite in "${suites[@]}"; do
  case "$suite" in
    decision)
      jmh decision 'dev.recourse.bench.decision.(LinUcbBench|FloorBench)\.' "${DECISION_OPTS[@]}" ;;
    variants)
      # Preferred width, then 256-bit: prototypes and core side by side in one invocation each.
      jmh variants 'dev.recourse.bench.decision.(DecideVariantsBench|UpdateVariantsBench|LinUcbBench|FloorBench)\.' \
        -p kernels=panama "${VARIANT_OPTS[@]}"
      jmh variants256 'dev.recourse.bench.decision.(DecideVariantsBench256\.(symmetric|pairs)|(UpdateVariantsBench256|LinUcbBench256|FloorBench256)\.)' \
        -p kernels=panama "${VARIANT_OPTS[@]}" ;;
    kernels)
      jmh kernels 'dev.recourse.bench.kernels.KernelBench\.' "${KERNEL_OPTS[@]}"
      jmh kernels256 'dev.recourse.bench.kernels.KernelBench256\.' -p impl=panama "${KERNEL_OPTS[@]}" ;;
    refresh)
      jmh refresh 'dev.recourse.bench.kernels.RefreshBench\.' "${REFRESH_OPTS[@]}" ;;
    floor)
      jmh floor 'dev.recourse.bench.decision.MachineFloorBench\.' "${FLOOR_OPTS[@]}" ;;
  esac
done
