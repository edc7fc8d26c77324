#!/usr/bin/env bash
# The headline of BENCHMARKS.md (issue #17): LinUCB decide / update / round in JMH at 8×2, 20×10 and
# 100×50 (Panama and scalar kernels, -prof gc), bracketed by the numpy peer on a 20×10 stream run
# before and after in the same session, so the ratio compares like with like.
#
#   bench/headline.sh [--quick]        (--quick: one fork, short iterations; for checking, not figures)
#
# Writes bench/results/headline.json and headline-learned.json (JMH), headline-numpy.jsonl (the peer's result lines) and
# env-headline.txt (date, commit, CPU, JDK, command, load); `python3 bench/headline.py` prints the
# table, with the floors of bench/floor.py (rates from bench/results/floor-*.json) beside each figure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=../.mvn/find-jdk.sh
source .mvn/find-jdk.sh
JAVA_HOME="$(recourse_find_jdk)" || exit 1
forks=3 wi=3 w=1s it=5 r=1s
if [ "${1:-}" = "--quick" ]; then forks=1 wi=1 w=200ms it=2 r=200ms; fi
./mvnw -q -B -DskipTests package -pl bench -am
out=bench/results
mkdir -p "$out"
stream_dir="${TMPDIR:-/tmp}/recourse-headline-$$"
trap 'rm -rf "$stream_dir"' EXIT
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
/usr/bin/python3 bench/peers/gen_stream.py --dim 20 --arms 10 --rounds 20000 --seed 42 --out-dir "$stream_dir" >/dev/null
jmh=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar
  'decision.LinUcbBench\.' -p shape=8x2,20x10,100x50 -p kernels=panama,scalar
  -f "$forks" -wi "$wi" -w "$w" -i "$it" -r "$r" -prof gc -rf json -rff "$out/headline.json")
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(lscpu | sed -n 's/^CPU family: *//p' | head -1)/$(lscpu | sed -n 's/^Model: *//p' | head -1)), $(nproc --all) CPUs"
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
  echo "command: ${jmh[*]}"
  echo "uptime before: $(uptime)"
} > "$out/env-headline.txt"
: > "$out/headline-numpy.jsonl"
numpy() {
  for _ in 1 2 3; do
    /usr/bin/python3 bench/peers/numpy_linucb.py --warmup "$stream_dir/warmup.csv" --stream "$stream_dir/stream.csv" \
      >> "$out/headline-numpy.jsonl"
  done
}
numpy
"${jmh[@]}" | tee "$out/headline.log" | grep -E '^(Benchmark|LinUcbBench)' || true
# The decide again on a learned model (DecisionState's state=learned: 200,000 more played rounds), the
# state decideUpdate drifts to and a long study spends most rounds in.
learned=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar
  'decision.LinUcbBench\.decide$' -p shape=20x10,100x50 -p kernels=panama -p state=learned
  -f "$forks" -wi "$wi" -w "$w" -i "$it" -r "$r" -prof gc -rf json -rff "$out/headline-learned.json")
echo "command (learned): ${learned[*]}" >> "$out/env-headline.txt"
"${learned[@]}" | tee -a "$out/headline.log" | grep -E '^(Benchmark|LinUcbBench)' || true
numpy
echo "uptime after: $(uptime)" >> "$out/env-headline.txt"
gzip -f "$out/headline.log"
/usr/bin/python3 bench/headline.py
