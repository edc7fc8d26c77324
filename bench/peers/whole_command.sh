#!/usr/bin/env bash
# Whole-command wall time (issue #17): the numpy peer script against `./recourse replay` without and
# with the JVM's ahead-of-time cache, on one d = 20, K = 10 stream per size, in alternating order, and
# `./recourse reproduce synthetic` without and with the cache.
#
#   bench/peers/whole_command.sh [--reps 5] [--rounds "20000 200000"] [--synthetic-reps 3]
#                                [--out-dir /tmp/recourse-whole]
#
# Each repetition runs every variant once, in the same order (numpy, ours without the cache, ours with
# it): on a shared machine a slow minute then hits all of them. Times are /usr/bin/time's %e (wall),
# %U and %S; replay's own "seconds" (its decide+update loop) is kept too. BEFORE_JAR=<jar> adds a
# variant "before": that jar run directly by java with the launcher's JVM options and no cache (a
# build of an earlier commit). Prints one line per run and the medians; the raw lines go to
# <out-dir>/runs.tsv. Replay outputs of all variants are compared with cmp (the arms numpy picks are
# compared by run_peers.sh, not here). FLOOR=1 adds the least a JVM command can cost on the same streams
# (bench/probes/JvmFloor.java: "jvm-start" only starts, "jvm-read" also reads the stream's bytes).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
reps=5 rounds="20000 200000" synth_reps=3 out=${TMPDIR:-/tmp}/recourse-whole
while [[ $# -gt 0 ]]; do
  case $1 in
    --reps) reps=$2 ;; --rounds) rounds=$2 ;; --synthetic-reps) synth_reps=$2 ;; --out-dir) out=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
# shellcheck source=../../.mvn/find-jdk.sh
source "$root/.mvn/find-jdk.sh"
java="$(recourse_find_jdk)/bin/java"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
PY=/usr/bin/python3
mkdir -p "$out"
tsv="$out/runs.tsv"
: > "$tsv"

# The jar and its cache exist before timing starts (the first launcher run may build them).
"$root/recourse" --version > /dev/null

timed() {
  # timed <label> <size> <stdout file> <command...>: one run, one line in runs.tsv.
  local label=$1 size=$2 stdout=$3; shift 3
  local tf="$out/time.txt"
  /usr/bin/time -f '%e %U %S' -o "$tf" "$@" > "$stdout" 2> "$out/stderr.txt" \
    || { echo "$label failed:" >&2; cat "$out/stderr.txt" >&2; exit 1; }
  local loop
  loop="$(sed -n 's/^seconds: //p; s/.*"seconds": \([0-9.e-]*\).*/\1/p' "$stdout" | head -1)"
  printf '%s\t%s\t%s\t%s\n' "$label" "$size" "$(tr ' ' '\t' < "$tf")" "${loop:--}" | tee -a "$tsv"
}

for n in $rounds; do
  d="$out/s$n"
  [ -f "$d/stream.csv" ] || "$PY" "$here/gen_stream.py" --dim 20 --arms 10 --rounds "$n" --seed 42 --out-dir "$d" >&2
done

if [ "${FLOOR:-0}" = 1 ]; then
  "$(dirname "$java")/javac" -d "$out/floor" "$root/bench/probes/JvmFloor.java"
fi

echo "# label size wall user sys loop" >&2
for rep in $(seq 1 "$reps"); do
  for n in $rounds; do
    d="$out/s$n"
    timed numpy "$n" "$out/numpy.txt" "$PY" "$here/numpy_linucb.py" --warmup "$d/warmup.csv" --stream "$d/stream.csv" \
      --out "$d/numpy_rounds.csv"
    if [ "${FLOOR:-0}" = 1 ]; then
      timed jvm-start "$n" "$out/floor.txt" "$java" -cp "$out/floor" JvmFloor
      timed jvm-read "$n" "$out/floor.txt" "$java" -cp "$out/floor" JvmFloor "$d/stream.csv"
    fi
    if [ -n "${BEFORE_JAR:-}" ]; then
      timed before "$n" "$out/before.txt" "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
        '-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n' -jar "$BEFORE_JAR" \
        replay --warmup "$d/warmup.csv" --stream "$d/stream.csv" --out "$d/before_rounds.csv"
    fi
    timed no-aot "$n" "$out/noaot.txt" env RECOURSE_AOT=0 "$root/recourse" replay --warmup "$d/warmup.csv" \
      --stream "$d/stream.csv" --out "$d/noaot_rounds.csv"
    timed aot "$n" "$out/aot.txt" "$root/recourse" replay --warmup "$d/warmup.csv" --stream "$d/stream.csv" \
      --out "$d/aot_rounds.csv"
    cmp "$d/noaot_rounds.csv" "$d/aot_rounds.csv"
    [ -z "${BEFORE_JAR:-}" ] || cmp "$d/before_rounds.csv" "$d/aot_rounds.csv"
  done
done
for rep in $(seq 1 "$synth_reps"); do
  timed synthetic-no-aot synthetic "$out/syn.txt" env RECOURSE_AOT=0 "$root/recourse" reproduce synthetic --quiet \
    --out "$out/synthetic-noaot"
  timed synthetic-aot synthetic "$out/syn.txt" "$root/recourse" reproduce synthetic --quiet --out "$out/synthetic-aot"
  cmp "$out/synthetic-noaot/synthetic-checkpoints.csv" "$out/synthetic-aot/synthetic-checkpoints.csv" \
    || echo "synthetic checkpoints differ with and without the cache" >&2
done

echo
echo "medians (s): label size wall user+sys loop  [n]"
"$PY" - "$tsv" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
groups = {}
for label, size, wall, user, sys_, loop in rows:
    groups.setdefault((size, label), []).append((float(wall), float(user) + float(sys_), None if loop == "-" else float(loop)))
for (size, label), v in groups.items():
    loops = [x[2] for x in v if x[2] is not None]
    print(f"{label:18s} {size:>9s} {statistics.median(x[0] for x in v):7.2f} {statistics.median(x[1] for x in v):7.2f} "
          f"{statistics.median(loops) if loops else float('nan'):7.3f}  [{len(v)}]")
for size in sorted({s for s, _ in groups}):
    if (size, "numpy") in groups:
        np_wall = statistics.median(x[0] for x in groups[(size, "numpy")])
        for label in ("before", "no-aot", "aot", "jvm-start", "jvm-read"):
            if (size, label) in groups:
                print(f"numpy/{label} whole-command wall, {size} rounds: "
                      f"{np_wall / statistics.median(x[0] for x in groups[(size, label)]):.2f}x")
EOF
