#!/usr/bin/env python3
"""Checks numpy_linucb against a slow, obviously-correct LinUCB.

The slow version keeps V_a and b_a = sum r x, and each round inverts every V_a with
np.linalg.inv and sets theta_a = V_a^-1 b_a. Same stream, same warm-up: the arm sequences
must be identical. Also checks that an exact tie goes to the lowest arm. Exit 1 on failure.
"""
import sys

import numpy as np

from gen_stream import generate
from numpy_linucb import LinUCB


def slow_linucb(warm, X, R, alpha=1.0, lam=1.0):
    warm_arms, warm_X, warm_r = warm
    K, d = R.shape[1], X.shape[1]
    V = np.tile(lam * np.eye(d), (K, 1, 1))
    b = np.zeros((K, d))
    for a, x, r in zip(warm_arms, warm_X, warm_r):
        V[a] += np.outer(x, x)
        b[a] += r * x
    arms, scores = [], []
    for x, rv in zip(X, R):
        s = np.empty(K)
        for a in range(K):
            Vinv = np.linalg.inv(V[a])
            s[a] = x @ (Vinv @ b[a]) + alpha * np.sqrt(x @ Vinv @ x)
        a = int(np.argmax(s))
        V[a] += np.outer(x, x)
        b[a] += rv[a] * x
        arms.append(a)
        scores.append(s)
    return np.array(arms), np.array(scores)


def fast_linucb(warm, X, R, alpha=1.0, lam=1.0):
    bandit = LinUCB(R.shape[1], X.shape[1], alpha, lam)
    for a, x, r in zip(*warm):
        bandit.update(int(a), x, r)
    return bandit.run(X, R)[0]


def main():
    ok = True
    for d, K, T, seed in [(5, 3, 2000, 1), (8, 5, 3000, 2), (20, 10, 1000, 3)]:
        _, warm_arms, warm_X, warm_r, X, R = generate(d, K, T, seed)
        warm = (warm_arms, warm_X, warm_r)
        fast = fast_linucb(warm, X, R)
        slow, scores = slow_linucb(warm, X, R)
        bad = np.flatnonzero(fast != slow)
        if bad.size:
            t = bad[0]
            gap = np.sort(scores[t])[-1] - np.sort(scores[t])[-2]
            print(f"FAIL d={d} K={K} T={T}: {bad.size} mismatches, first t={t} "
                  f"fast={fast[t]} slow={slow[t]} (top-2 score gap {gap:.3g})")
            ok = False
        else:
            print(f"ok   d={d} K={K} T={T}: identical arm sequences")
    # Exact tie: a zero context gives every arm score 0, so arm 0 must be chosen;
    # contexts equal to e_0 with equal untouched arms tie too.
    K, d = 4, 3
    arms = LinUCB(K, d).run(np.zeros((1, d)), np.zeros((1, K)))[0]
    arms2 = LinUCB(K, d).run(np.eye(d)[:1], np.zeros((1, K)))[0]
    tie_ok = arms[0] == 0 and arms2[0] == 0
    print(("ok  " if tie_ok else "FAIL") + " ties go to the lowest arm")
    ok &= tie_ok
    print("selfcheck:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
