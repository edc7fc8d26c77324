#!/usr/bin/env python3
"""Markdown tables for BENCHMARKS.md from the JMH JSON files that bench/run.sh writes.

    python3 bench/tables.py [results-dir]      (default: bench/results next to this script)

Scores are JMH's mean with its 99.9% confidence half-width ("±"). Missing suites are skipped.
"""
import gzip
import json
import os
import re
import sys

RESULTS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
SHAPES = ["8x2", "20x10", "100x50"]


def load(suite):
    path = os.path.join(RESULTS, suite + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def kernel_name(suite, default):
    """The kernels the forks really ran (each fork prints '# kernels: <name>' into the log)."""
    for path, opener in ((os.path.join(RESULTS, suite + ".log"), open),
                         (os.path.join(RESULTS, suite + ".log.gz"), gzip.open)):
        if not os.path.exists(path):
            continue
        with opener(path, "rt") as f:
            for line in f:
                m = re.match(r"# kernels: (panama-\d+)", line)
                if m:
                    return m.group(1)
    return default


def index(rows):
    """{short benchmark name: [rows]}."""
    out = {}
    for r in rows or []:
        out.setdefault(".".join(r["benchmark"].split(".")[-2:]), []).append(r)
    return out


def get(idx, name, **params):
    """The row of benchmark `name` whose parameters include `params` (others, e.g. padDoubles=0, ignored)."""
    for r in idx.get(name, []):
        p = r.get("params", {})
        if all(p.get(k) == v for k, v in params.items()):
            return r
    return None


def fmt(x, err=None, digits=None):
    if x is None:
        return "–"
    if digits is None:
        digits = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2
    s = f"{x:,.{digits}f}"
    if err is not None and err == err:  # NaN check
        s += f" ± {err:,.{digits}f}"
    return s


def score(row):
    if row is None:
        return None, None
    m = row["primaryMetric"]
    err = m["scoreError"]
    return float(m["score"]), float(err) if err not in (None, "NaN") else float("nan")


def alloc(row):
    if row is None:
        return None
    m = row.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if m is None else m["score"]


def median(row):
    """Median of all measured iteration means (all forks): robust to the bursts of load from other JVMs."""
    if row is None:
        return None
    vals = sorted(x for fork in row["primaryMetric"]["rawData"] for x in fork)
    m = len(vals) // 2
    return vals[m] if len(vals) % 2 else 0.5 * (vals[m - 1] + vals[m])


def ns(row):
    s, e = score(row)
    return fmt(s, e)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def decision_tables():
    dec = index(load("decision"))
    # The 256-bit core runs are part of the variants256 suite (2 forks instead of 3).
    dec256 = index(load("variants256"))
    if not dec and not dec256:
        return
    pref = kernel_name("decision", "panama")
    configs = [(pref, dec, "LinUcbBench", "FloorBench", "panama"),
               ("panama-256", dec256, "LinUcbBench256", "FloorBench256", "panama"),
               ("scalar", dec, "LinUcbBench", "FloorBench", "scalar")]
    print("### LinUCB per-round latency (ns/op, mean ± 99.9% CI) and the bare-kernel floor\n")
    rows = []
    for shape in SHAPES:
        for label, idx, lin, floor, k in configs:
            d = get(idx, lin + ".decide", kernels=k, shape=shape)
            if d is None:
                continue
            u = get(idx, lin + ".update", kernels=k, shape=shape)
            du = get(idx, lin + ".decideUpdate", kernels=k, shape=shape)
            fl = get(idx, floor + ".quadForms", kernels=k, shape=shape)
            dus, due = score(du)
            rps = fmt(1e9 / dus, 1e9 * due / dus ** 2, 0) if dus else "–"
            ds, _ = score(d)
            fs, _ = score(fl)
            ratio = f"{ds / fs:.2f}" if ds and fs else "–"
            rows.append([shape, label, ns(d), ns(u), ns(du), rps, ns(fl), ratio])
    print(table(["d×K", "kernels", "decide", "update", "decide+update", "rounds/s", "floor (K quadForms)",
                 "decide / floor"], rows))
    print()
    print("panama-512 and scalar: `decision` suite (3 forks); panama-256: `LinUcbBench256`/`FloorBench256`"
          " from the `variants256` suite (2 forks).\n")
    print("Medians of the iteration means (ns/op), less sensitive to load bursts than the means:\n")
    rows = []
    for shape in SHAPES:
        for label, idx, lin, floor, k in configs:
            r = [get(idx, lin + "." + m, kernels=k, shape=shape) for m in ("decide", "update", "decideUpdate")]
            fl = get(idx, floor + ".quadForms", kernels=k, shape=shape)
            if r[0] is None:
                continue
            md = [median(x) for x in r]
            mf = median(fl)
            rows.append([shape, label] + [fmt(v) for v in md] + [fmt(1e9 / md[2], digits=0) if md[2] else "–",
                                                                 fmt(mf), f"{md[0] / mf:.2f}" if mf else "–"])
    print(table(["d×K", "kernels", "decide", "update", "decide+update", "rounds/s", "floor", "decide / floor"], rows))
    print()
    print("### Allocation (gc.alloc.rate.norm, B/op)\n")
    rows = []
    for shape in SHAPES:
        for label, idx, lin, floor, k in configs:
            r = [get(idx, lin + "." + m, kernels=k, shape=shape) for m in ("decide", "update", "decideUpdate")]
            r.append(get(idx, floor + ".quadForms", kernels=k, shape=shape))
            if all(x is None for x in r):
                continue
            rows.append([shape, label] + [fmt(alloc(x), digits=3) for x in r])
    print(table(["d×K", "kernels", "decide", "update", "decide+update", "floor"], rows))
    print()


def variant_tables():
    for suite, label in (("variants", kernel_name("variants", "panama")), ("variants256", "panama-256")):
        var = index(load(suite))
        if not var:
            continue
        cor = var  # core re-measured in the same invocation
        sfx = "256" if suite.endswith("256") else ""
        dv, uv = "DecideVariantsBench" + sfx, "UpdateVariantsBench" + sfx
        lin, flo = "LinUcbBench" + sfx, "FloorBench" + sfx
        print(f"### Variants, {label} (ns/op): decide\n")
        rows = []
        for shape in SHAPES:
            p = dict(kernels="panama", shape=shape)
            rows.append([shape, ns(get(cor, lin + ".decide", **p)), ns(get(var, dv + ".coreNoCheck", **p)),
                         ns(get(cor, flo + ".quadForms", **p)), ns(get(var, dv + ".rowsMasked", **p)),
                         ns(get(var, dv + ".pairs", **p)),
                         ns(get(var, dv + ".symmetric", **p)), ns(get(var, dv + ".symmetricFloor", **p))])
        print(table(["d×K", "core decide", "core, no context check", "core floor", "rows, masked tail",
                     "fused, 2 arms per pass", "proto decide (symmetric)", "proto floor (symmetric)"], rows))
        print()
        print(f"### Variants, {label} (ns/op): update and round\n")
        rows = []
        for shape in SHAPES:
            p = dict(kernels="panama", shape=shape)
            cdu = get(cor, lin + ".decideUpdate", **p)
            pdu = get(var, uv + ".decideUpdate", **p)
            c, _ = score(cdu)
            q, _ = score(pdu)
            rows.append([shape, ns(get(cor, lin + ".update", **p)), ns(get(var, uv + ".update", **p)), ns(cdu),
                         ns(get(var, uv + ".decideThenUpdate", **p)), ns(pdu),
                         fmt(1e9 / c, digits=0) if c else "–", fmt(1e9 / q, digits=0) if q else "–"])
        print(table(["d×K", "core update", "proto update", "core decide+update", "proto decide, update",
                     "proto round (w reused)", "core rounds/s", "proto rounds/s"], rows))
        print()


def kernel_tables():
    k = index(load("kernels"))
    k256 = index(load("kernels256"))
    if not k:
        return
    pref = kernel_name("kernels", "panama")
    ns_ = sorted({int(r["params"]["n"]) for rows in k.values() for r in rows})
    print("### Kernels, scalar vs Panama (ns/op)\n")
    print("Speed-up = scalar / panama. † = below one vector: the Panama object runs its scalar path.\n")
    summary = []
    for kern in ("dot", "quadForm", "gemv", "symRankOneDowndate"):
        rows = []
        wins = {pref: [], "panama-256": []}
        for n in ns_:
            sc = get(k, "KernelBench." + kern, impl="scalar", n=str(n))
            pa = get(k, "KernelBench." + kern, impl="panama", n=str(n))
            pb = get(k256, "KernelBench256." + kern, impl="panama", n=str(n))
            s, _ = score(sc)
            a, _ = score(pa)
            b, _ = score(pb)
            # Below one vector the Panama object runs the scalar code: no vector win to find there.
            pbits = int(pref.split("-")[1]) if "-" in pref else 512
            wins[pref].append((n, a is not None and a < s and n >= pbits // 64))
            wins["panama-256"].append((n, b is not None and b < s and n >= 4))
            # † : below one full vector PanamaKernels clamps to its scalar path whatever minLength says.
            mark = lambda bits: " †" if n < bits // 64 else ""
            rows.append([n, ns(sc), ns(pa) + mark(pbits), f"{s / a:.2f}" if a else "–",
                         ns(pb) + mark(256), f"{s / b:.2f}" if b else "–"])
        print(f"**{kern}**\n")
        print(table(["n", "scalar", pref, "speed-up", "panama-256", "speed-up"], rows))
        print()
        for label, w in wins.items():
            # Smallest n from which Panama wins at every larger n of the grid.
            start = None
            for n, won in reversed(w):
                if won:
                    start = n
                else:
                    break
            summary.append([kern, label, start if start is not None else "never"])
    print("**Where Panama starts to win** (smallest n of the grid from which it wins at every larger n)\n")
    print(table(["kernel", "vector width", "n"], summary))
    print()


def refresh_table():
    r = index(load("refresh"))
    if not r:
        return
    print("### Refresh of one arm (ns/op)\n")
    rows = []
    for d in ("8", "20", "100"):
        c = get(r, "RefreshBench.refresh", dim=d, method="CHOLESKY")
        l = get(r, "RefreshBench.refresh", dim=d, method="LAPACK")
        cs, _ = score(c)
        ls, _ = score(l)
        rows.append([d, ns(c), ns(l), f"{ls / cs:.2f}" if cs and ls else "–",
                     fmt(alloc(c), digits=1), fmt(alloc(l), digits=1)])
    print(table(["d", "CHOLESKY", "LAPACK", "LAPACK / CHOLESKY", "B/op CHOLESKY", "B/op LAPACK"], rows))
    print()


def environments():
    print("### Runs\n")
    rows = []
    for name in sorted(os.listdir(RESULTS)):
        m = re.match(r"env-(.+)\.txt$", name)
        if not m:
            continue
        with open(os.path.join(RESULTS, name)) as f:
            env = dict(line.rstrip("\n").split(": ", 1) for line in f if ": " in line)
        la = lambda s: re.sub(r".*load average: ", "", s or "")
        rows.append([m.group(1), env.get("date", ""), env.get("git", ""), la(env.get("uptime before")),
                     la(env.get("uptime after"))])
    print(table(["suite", "date (UTC)", "commit", "load avg before (1, 5, 15 min)", "load avg after"], rows))
    print()


if __name__ == "__main__":
    environments()
    decision_tables()
    variant_tables()
    kernel_tables()
    refresh_table()
