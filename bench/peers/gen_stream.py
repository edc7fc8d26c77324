#!/usr/bin/env python3
"""Synthetic linear-bandit stream in the CSV formats read by `recourse replay`.

  warmup.csv  arm,reward,x0..x{d-1}      one row per arm, arm 0..K-1 in order
  stream.csv  x0..x{d-1},r0..r{K-1}      T rows, the full reward vector per row

theta_a ~ N(0,I), x ~ N(0,I), r_a = theta_a.x + N(0,1). Floats are written with
'%.17g', which round-trips every double exactly, so every reader sees the same bits.
"""
import argparse
import os

import numpy as np


def generate(d, K, T, seed):
    """Return (theta, warm_arms, warm_X, warm_r, X, R); the same seed gives the same stream."""
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal((K, d))
    warm_arms = np.arange(K)
    warm_X = rng.standard_normal((K, d))
    warm_r = np.einsum("kd,kd->k", theta, warm_X) + rng.standard_normal(K)
    X = rng.standard_normal((T, d))
    R = X @ theta.T + rng.standard_normal((T, K))
    return theta, warm_arms, warm_X, warm_r, X, R


def write(out_dir, warm_arms, warm_X, warm_r, X, R):
    os.makedirs(out_dir, exist_ok=True)
    d, K = X.shape[1], R.shape[1]
    xs = [f"x{i}" for i in range(d)]
    warm = np.column_stack([warm_arms, warm_r, warm_X])
    np.savetxt(os.path.join(out_dir, "warmup.csv"), warm, delimiter=",", comments="",
               header=",".join(["arm", "reward"] + xs), fmt=["%d"] + ["%.17g"] * (d + 1))
    np.savetxt(os.path.join(out_dir, "stream.csv"), np.column_stack([X, R]), delimiter=",",
               comments="", header=",".join(xs + [f"r{a}" for a in range(K)]), fmt="%.17g")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dim", type=int, default=20)
    p.add_argument("--arms", type=int, default=10)
    p.add_argument("--rounds", type=int, default=20000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out-dir", required=True)
    a = p.parse_args()
    _, *data = generate(a.dim, a.arms, a.rounds, a.seed)
    write(a.out_dir, *data)


if __name__ == "__main__":
    main()
