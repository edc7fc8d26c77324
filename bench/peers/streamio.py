"""CSV reading/writing and the common command line shared by the peer runners."""
import argparse
import json

import numpy as np


def load_warmup(path):
    """-> (arms int[K'], rewards float[K'], contexts float[K',d]) from arm,reward,x0..."""
    m = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return m[:, 0].astype(np.int64), m[:, 1].copy(), np.ascontiguousarray(m[:, 2:])


def load_stream(path, limit=None):
    """-> (X float[T,d], R float[T,K]); the header tells d (x* columns) and K (r* columns)."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    d = sum(1 for h in header if h.startswith("x"))
    m = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, max_rows=limit)
    return np.ascontiguousarray(m[:, :d]), np.ascontiguousarray(m[:, d:])


def write_rounds(path, arms, rewards):
    """t,arm,reward per stream round, t from 0 (warm-up rows are not listed)."""
    with open(path, "w") as f:
        f.write("t,arm,reward\n")
        for t, (a, r) in enumerate(zip(arms, rewards)):
            f.write(f"{t},{a},{float(r)!r}\n")


def arg_parser(desc):
    p = argparse.ArgumentParser(description=desc)
    p.add_argument("--warmup", required=True, help="warm-up CSV (arm,reward,x0..)")
    p.add_argument("--stream", required=True, help="stream CSV (x0..,r0..)")
    p.add_argument("--out", help="write t,arm,reward per round here")
    p.add_argument("--limit", type=int, help="use only the first N stream rows")
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--lambda", dest="lam", type=float, default=1.0)
    return p


def report(impl, rounds, seconds, cum_reward):
    print(json.dumps({"impl": impl, "rounds": rounds, "seconds": seconds,
                      "rounds_per_s": rounds / seconds if seconds > 0 else None,
                      "cum_reward": cum_reward}), flush=True)
