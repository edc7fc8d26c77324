#!/usr/bin/env bash
# LinUCB speed comparison: numpy peer, mabwiser peer, and our engine, on one synthetic stream.
#
#   bench/peers/run_peers.sh [--dim 20] [--arms 10] [--rounds 20000] [--mab-rounds 2000]
#                            [--seed 42] [--out-dir /tmp/recourse-peers]
#
# Environment:
#   MABWISER_SRC         path of a mabwiser source checkout OUTSIDE this repo (skipped if unset)
#   RECOURSE_REPLAY_CMD  command running our replay (skipped if unset); {warmup} {stream} {out}
#                        are replaced by the file paths, which are also exported as $WARMUP,
#                        $STREAM and $OURS_OUT. It runs from the directory you called this from.
set -euo pipefail

DIM=20 ARMS=10 ROUNDS=20000 MAB_ROUNDS=2000 SEED=42 OUT=${TMPDIR:-/tmp}/recourse-peers
while [[ $# -gt 0 ]]; do
  case $1 in
    --dim) DIM=$2 ;; --arms) ARMS=$2 ;; --rounds) ROUNDS=$2 ;; --mab-rounds) MAB_ROUNDS=$2 ;;
    --seed) SEED=$2 ;; --out-dir) OUT=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Debian's python, not a pyenv/venv one on PATH: the packages below come from apt.
PY=/usr/bin/python3
# Single-threaded BLAS: the matrices are tiny and we compare against a single-threaded loop.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# (a) Debian's numpy/pandas/sklearn/joblib (mabwiser needs the last three). No PyPI here.
if ! "$PY" -c 'import numpy, pandas, sklearn, joblib' 2>/dev/null; then
  echo "installing Debian python3 packages..." >&2
  apt-get update && apt-get install -y python3-numpy python3-pandas python3-sklearn python3-joblib
fi

# (b) One stream; mabwiser replays only its first MAB_ROUNDS rows (--limit).
mkdir -p "$OUT"
WARMUP=$OUT/warmup.csv STREAM=$OUT/stream.csv RESULTS=$OUT/results.jsonl
"$PY" "$HERE/gen_stream.py" --dim "$DIM" --arms "$ARMS" --rounds "$ROUNDS" --seed "$SEED" --out-dir "$OUT"
: > "$RESULTS"
echo "stream: d=$DIM K=$ARMS T=$ROUNDS seed=$SEED in $OUT" >&2

# (c) The runs. Each peer prints one JSON line, appended to results.jsonl.
"$PY" "$HERE/numpy_linucb.py" --warmup "$WARMUP" --stream "$STREAM" --out "$OUT/numpy_rounds.csv" \
  | tee -a "$RESULTS"

if [[ -n ${MABWISER_SRC:-} ]]; then
  MABWISER_SRC=$MABWISER_SRC "$PY" "$HERE/mabwiser_linucb.py" --warmup "$WARMUP" --stream "$STREAM" \
    --limit "$MAB_ROUNDS" --out "$OUT/mabwiser_rounds.csv" | tee -a "$RESULTS" \
    || echo "mabwiser skipped (see the error line above)" >&2
else
  echo "MABWISER_SRC not set: mabwiser skipped" >&2
fi

# ======================= ADAPT HERE: running and parsing our engine =======================
# run_ours prints ONE JSON result line {"impl":"recourse","rounds":N,"rounds_per_s":X}.
# report.py parse-ours takes a JSON line with "rounds_per_s" if the replay prints one, else
# the first '<number> rounds/s' in its stdout. Change this function if replay's output changes.
run_ours() {
  local cmd=${RECOURSE_REPLAY_CMD//\{warmup\}/$WARMUP}
  cmd=${cmd//\{stream\}/$STREAM}
  cmd=${cmd//\{out\}/$OUT/ours_rounds.csv}
  echo "ours: $cmd" >&2
  WARMUP=$WARMUP STREAM=$STREAM OURS_OUT=$OUT/ours_rounds.csv bash -c "$cmd" > "$OUT/ours_stdout.txt" \
    || { local rc=$?; echo "{\"impl\": \"recourse\", \"error\": \"replay exited with status $rc\"}"; return 1; }
  cat "$OUT/ours_stdout.txt" >&2
  "$PY" "$HERE/report.py" parse-ours "$OUT/ours_stdout.txt" "$ROUNDS"
}
# ===========================================================================================

rm -f "$OUT/ours_rounds.csv"
if [[ -n ${RECOURSE_REPLAY_CMD:-} ]]; then
  run_ours | tee -a "$RESULTS" || echo "our replay failed or printed no rate" >&2
else
  echo "RECOURSE_REPLAY_CMD not set: our engine skipped" >&2
fi

# (d) Table.
echo
"$PY" "$HERE/report.py" table "$RESULTS"

# (e) Same maths, same tie rule, same stream: the arm sequences should agree.
echo
status=0
if [[ -f $OUT/ours_rounds.csv ]]; then
  echo -n "numpy vs ours: "
  "$PY" "$HERE/report.py" compare "$OUT/numpy_rounds.csv" "$OUT/ours_rounds.csv" || status=1
fi
if [[ -f $OUT/mabwiser_rounds.csv ]]; then  # informational: mabwiser inverts V instead
  echo -n "numpy vs mabwiser (prefix): "
  "$PY" "$HERE/report.py" compare "$OUT/numpy_rounds.csv" "$OUT/mabwiser_rounds.csv" || true
fi
exit $status
