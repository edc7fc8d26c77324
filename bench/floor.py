#!/usr/bin/env python3
"""The arithmetic and bandwidth floor of a LinUCB decide, update and round (issue #17, part 1).

Reads the machine's rates from bench/results/floor.json (MachineFloorBench, `bench/run.sh floor`) and
prints the Markdown tables of BENCHMARKS.md, "Machine floor (issue #17)".

    python3 bench/floor.py [floor.json ...] [--rate best|mean]     (default: bench/results/floor.json, floor-<n>.json)

Rates: --rate best (default) takes each benchmark's fastest measured iteration over all the files
given, the least disturbed estimate of what the hardware can do on a shared machine (other sessions
only ever take time away); --rate mean takes the mean of JMH's means.

Operation counts (d = context dimension, K = arms; one MAC = one multiply-add of doubles), as core's
LinUcb/RidgeArms do them:
  decide  for every arm: u = V⁻¹x (d² MACs), xᵀu (d), θ̂ᵀx (d); then K square roots and an argmax
          (not counted). Symmetric: xᵀV⁻¹x from one triangle, d(d+1)/2 MACs, and θ̂ᵀx (d).
          Reads V⁻¹ of all K arms (8·d² bytes each; a packed triangle: 8·d(d+1)/2) and θ̂ (8·d each).
  update  of one arm: w = V⁻¹x (d²), s = 1 + xᵀw (d), r − θ̂ᵀx (d), θ̂ += c·w (d), V⁻¹ −= wwᵀ/s (d²),
          V += xxᵀ (d²), b += r·x (d): 3d² + 4d MACs. Symmetric: w still needs d² MACs, each rank-one
          update d(d+1)/2. Traffic: V⁻¹ read by the gemv (8d² B), then V⁻¹ and V read and written
          (16d² B each, read-modify-write), vectors θ̂, b read and written (4·8d B). Symmetric: a packed
          triangle instead of d². The Cholesky refresh every 1024 updates of an arm (≈ d³/2 MACs) is
          left out: < 4 % of an update at d = 100, amortised.
  round   decide + update. A fused round takes the winner's w = V⁻¹x from the decide: one gemv
          (d² MACs, 8d² B) less ("fused" column).
Floor of each = max(MACs / peak MAC rate, read bytes / read rate + rmw bytes / rmw rate), the rates
of the memory level the round's working set (V⁻¹ and V of all arms, 16·K·d² B) lives in: 8×2 (2 KiB)
L1, 20×10 (62.5 KiB, twice the 32 KiB L1d) L2, 100×50 (7.6 MiB, past the 1 MiB L2) L3. The peak MAC
rate is the best of fma256 and fma512; the bandwidths the better width at each level.
"""
import glob
import json
import sys

SHAPES = [(8, 2), (20, 10), (100, 50)]
LEVEL_KB = {"L1": 16, "L2": 512, "L3": 8192, "memory": 131072}
LEVEL_OF = {(8, 2): "L1", (20, 10): "L2", (100, 50): "L3"}


def rates(paths, how):
    best, means = {}, {}
    for path in paths:
        for b in json.load(open(path)):
            name = b["benchmark"].rsplit(".", 1)[1]
            kb = (b.get("params") or {}).get("kb")
            key = (name, int(kb) if kb else None)
            raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
            best[key] = max(best.get(key, 0.0), max(raw))
            means.setdefault(key, []).append(b["primaryMetric"]["score"])
    return best if how == "best" else {k: sum(v) / len(v) for k, v in means.items()}


def counts(d, k, sym):
    tri = d * (d + 1) // 2
    m = tri if sym else d * d
    decide_macs = k * ((tri + d) if sym else (d * d + 2 * d))
    decide_read = 8 * k * (m + d)
    update_macs = d * d + 2 * m + 4 * d
    update_read = 8 * m + 8 * 2 * d          # gemv's read of V⁻¹; x·θ̂ reads θ̂ (and x, in L1)
    update_rmw = 16 * m * 2 + 16 * 2 * d     # V⁻¹ and V, θ̂ and b: read + written
    return {
        "decide": (decide_macs, decide_read, 0),
        "update": (update_macs, update_read, update_rmw),
        "round": (decide_macs + update_macs, decide_read + update_read, update_rmw),
        "fused": (decide_macs + update_macs - d * d, decide_read + update_read - 8 * m, update_rmw),
    }


def main():
    argv = sys.argv[1:]
    how = "best"
    if "--rate" in argv:
        i = argv.index("--rate")
        how = argv[i + 1]
        del argv[i:i + 2]
    paths = argv or sorted(glob.glob("bench/results/floor.json") + glob.glob("bench/results/floor-[0-9]*.json"))
    r = rates(paths, how)
    print("Files: " + ", ".join(paths))
    peak = max(r[("fma256", None)], r[("fma512", None)])
    print(f"Rates ({how} iteration): peak {peak:.2f} MAC/ns (scalar {r[('fmaScalar', None)]:.2f}); "
          + "; ".join(f"{lvl} read {max(r[('read256', kb)], r[('read512', kb)]):.1f} GB/s, "
                      f"rmw {max(r[('rmw256', kb)], r[('rmw512', kb)]):.1f} GB/s"
                      for lvl, kb in LEVEL_KB.items()))
    print()
    print("| d×K | level | storage | op | MACs | bytes read | bytes r+w | arith ns | bandwidth ns | **floor ns** | bound |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for d, k in SHAPES:
        lvl = LEVEL_OF[(d, k)]
        kb = LEVEL_KB[lvl]
        read = max(r[("read256", kb)], r[("read512", kb)])
        rmw = max(r[("rmw256", kb)], r[("rmw512", kb)])
        for sym in (False, True):
            for op, (macs, rd, rw) in counts(d, k, sym).items():
                arith = macs / peak
                bw = rd / read + rw / rmw
                floor = max(arith, bw)
                print(f"| {d}×{k} | {lvl} | {'triangle' if sym else 'full d²'} | {op} | {macs:,} | {rd:,} | {rw:,} | "
                      f"{arith:,.1f} | {bw:,.1f} | **{floor:,.1f}** | {'arith' if arith >= bw else 'bandwidth'} |")


if __name__ == "__main__":
    main()
