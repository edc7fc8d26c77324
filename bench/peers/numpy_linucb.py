#!/usr/bin/env python3
"""Tight numpy disjoint LinUCB (Chu et al. 2011), our own peer baseline.

Per arm a: Vinv_a = (lambda*I + sum x x^T)^-1, kept by Sherman-Morrison, and the ridge
estimate theta_a, kept by the recursive-least-squares step. Score
x.theta_a + alpha*sqrt(x^T Vinv_a x); ties go to the lowest arm (np.argmax takes the first).
"""
import sys
import time

import numpy as np

from streamio import arg_parser, load_stream, load_warmup, report, write_rounds


class LinUCB:
    def __init__(self, K, d, alpha=1.0, lam=1.0):
        self.alpha = alpha
        self.Vinv = np.tile(np.eye(d) / lam, (K, 1, 1))  # (K,d,d), C-contiguous
        self.theta = np.zeros((K, d))
        # (K*d, d) view of Vinv: one BLAS gemv gives Vinv_a x for every arm at once,
        # cheaper than a batched (K,d,d)@(d,) matmul; in-place updates show through it.
        self._Vflat = self.Vinv.reshape(K * d, d)

    def update(self, a, x, r):
        """Rank-one update of arm a; used for warm-up rows (the loop below inlines it)."""
        w = self.Vinv[a] @ x
        s = 1.0 / (1.0 + x @ w)
        self.theta[a] += ((r - x @ self.theta[a]) * s) * w  # Vinv_new x = w/(1+x.w)
        self.Vinv[a] -= np.outer(w * s, w)

    def run(self, X, R):
        """Decide+update over the stream; returns (arms, rewards). R[t,a] is the reward of arm a."""
        K, d = self.theta.shape
        Vflat, Vinv, theta, alpha = self._Vflat, self.Vinv, self.theta, self.alpha
        argmax, sqrt, outer = np.argmax, np.sqrt, np.outer
        T = len(X)
        arms = np.empty(T, dtype=np.int64)
        rewards = np.empty(T)
        for t in range(T):
            x = X[t]
            W = (Vflat @ x).reshape(K, d)  # row a = Vinv_a x
            q = W @ x                      # x^T Vinv_a x for all arms
            mean = theta @ x
            a = int(argmax(mean + alpha * sqrt(q)))
            r = R[t, a]
            # Update of arm a, reusing w = Vinv_a x and x^T w from the decide step.
            w = W[a]
            s = 1.0 / (1.0 + q[a])
            theta[a] += ((r - mean[a]) * s) * w
            Vinv[a] -= outer(w * s, w)     # w is a row of a fresh array, not of Vinv: safe
            arms[t] = a
            rewards[t] = r
        return arms, rewards


def main():
    args = arg_parser(__doc__).parse_args()
    warm_arms, warm_r, warm_X = load_warmup(args.warmup)
    X, R = load_stream(args.stream, args.limit)
    bandit = LinUCB(R.shape[1], X.shape[1], args.alpha, args.lam)
    for a, x, r in zip(warm_arms, warm_X, warm_r):
        bandit.update(int(a), x, r)
    t0 = time.perf_counter()
    arms, rewards = bandit.run(X, R)
    seconds = time.perf_counter() - t0
    if args.out:
        write_rounds(args.out, arms, rewards)
    report("numpy", len(X), seconds, float(rewards.sum()))


if __name__ == "__main__":
    sys.exit(main())
