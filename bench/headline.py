#!/usr/bin/env python3
"""The headline table of BENCHMARKS.md from bench/headline.sh's results (issue #17).

    python3 bench/headline.py [headline.json] [headline-numpy.jsonl]

For every shape and kernel: decide, update and decide+update (JMH mean ± 99.9 % CI, ns), rounds/s,
the round against the numpy peer's median rounds/s of the same session (20×10 stream, six runs around
the JMH run), the floors of bench/floor.py (triangle storage, as core stores LinUCB's scoring copy;
rates from bench/results/floor-*.json, best iteration) and allocation (gc.alloc.rate.norm, B/op).
"""
import glob
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import floor  # noqa: E402  (same folder)


def main():
    args = sys.argv[1:]
    jmh_path = args[0] if args else "bench/results/headline.json"
    numpy_path = args[1] if len(args) > 1 else "bench/results/headline-numpy.jsonl"
    rows = {}
    for b in json.load(open(jmh_path)):
        op = b["benchmark"].rsplit(".", 1)[1]
        p = b["params"]
        key = (p["shape"], p["kernels"])
        alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        rows.setdefault(key, {})[op] = (b["primaryMetric"]["score"], b["primaryMetric"]["scoreError"], alloc)
    numpy_rps = [json.loads(line)["rounds_per_s"] for line in open(numpy_path) if line.strip()]
    numpy_med = statistics.median(numpy_rps)
    paths = sorted(glob.glob("bench/results/floor-[0-9]*.json"))
    r = floor.rates(paths, "best")
    peak = max(r[("fma256", None)], r[("fma512", None)])
    print(f"numpy peer (20x10): median {numpy_med:,.0f} rounds/s of {len(numpy_rps)} runs "
          f"({min(numpy_rps):,.0f}..{max(numpy_rps):,.0f}); 30x = {30 * numpy_med:,.0f} rounds/s")
    print(f"floor rates from {', '.join(paths)}: peak {peak:.2f} MAC/ns")
    print()
    print("| d×K | kernels | decide ns | update ns | decide+update ns | rounds/s | × numpy | "
          "floor decide / round ns (arith, bound) | decide ÷ arith floor | round ÷ floor | B/op |")
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for shape in ("8x2", "20x10", "100x50"):
        d, k = (int(v) for v in shape.split("x"))
        lvl = floor.LEVEL_OF[(d, k)]
        kb = floor.LEVEL_KB[lvl]
        read = max(r[("read256", kb)], r[("read512", kb)])
        rmw = max(r[("rmw256", kb)], r[("rmw512", kb)])
        c = floor.counts(d, k, True)
        fl = {}
        for op in ("decide", "round"):
            macs, rd, rw = c[op]
            fl[op] = (macs / peak, max(macs / peak, rd / read + rw / rmw))
        for kern in ("panama", "scalar"):
            ops = rows.get((shape, kern))
            if not ops:
                continue
            dec, upd, rnd = ops["decide"], ops["update"], ops["decideUpdate"]
            rps = 1e9 / rnd[0]
            alloc = max(v[2] for v in ops.values())
            print(f"| {d}×{k} | {kern} | {dec[0]:,.0f} ± {dec[1]:,.0f} | {upd[0]:,.0f} ± {upd[1]:,.0f} | "
                  f"{rnd[0]:,.0f} ± {rnd[1]:,.0f} | {rps:,.0f} | {rps / numpy_med:.1f} | "
                  f"{fl['decide'][1]:,.0f} / {fl['round'][1]:,.0f} ({fl['decide'][0]:,.0f}, {lvl}) | "
                  f"{dec[0] / fl['decide'][0]:.2f} | {rnd[0] / fl['round'][1]:.2f} | {alloc:.3f} |")
    learned_path = os.path.join(os.path.dirname(jmh_path), "headline-learned.json")
    if os.path.exists(learned_path):
        print()
        print("Decide on a learned model (state=learned):")
        print()
        print("| d×K | kernels | decide ns | floor decide ns (arith, bound) | decide ÷ arith floor | "
              "decide ÷ floor | B/op |")
        print("|---|---|---:|---|---:|---:|---:|")
        for b in json.load(open(learned_path)):
            p = b["params"]
            d, k = (int(v) for v in p["shape"].split("x"))
            lvl = floor.LEVEL_OF[(d, k)]
            kb = floor.LEVEL_KB[lvl]
            read = max(r[("read256", kb)], r[("read512", kb)])
            rmw = max(r[("rmw256", kb)], r[("rmw512", kb)])
            macs, rd, rw = floor.counts(d, k, True)["decide"]
            arith, bound = macs / peak, max(macs / peak, rd / read + rw / rmw)
            score, err = b["primaryMetric"]["score"], b["primaryMetric"]["scoreError"]
            alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
            print(f"| {d}×{k} | {p['kernels']} | {score:,.0f} ± {err:,.0f} | {bound:,.0f} ({arith:,.0f}, {lvl}) | "
                  f"{score / arith:.2f} | {score / bound:.2f} | {alloc:.3f} |")


if __name__ == "__main__":
    main()
