#!/usr/bin/env python3
"""The same replay loop with mabwiser's LinUCB (peer baseline).

mabwiser is imported from a source checkout given by env var MABWISER_SRC (never vendored
into this repo). fit() on the warm-up rows, then per stream row predict() and partial_fit()
with that single row. Exit 3 with an {"impl":"mabwiser","error":...} line if it can't import.
"""
import json
import os
import sys
import time

import numpy as np

from streamio import arg_parser, load_stream, load_warmup, report, write_rounds


def import_mabwiser():
    src = os.environ.get("MABWISER_SRC")
    if not src:
        raise ImportError("MABWISER_SRC is not set")
    sys.path.insert(0, src)
    from mabwiser.mab import MAB, LearningPolicy
    return MAB, LearningPolicy


def main():
    args = arg_parser(__doc__).parse_args()
    try:
        MAB, LearningPolicy = import_mabwiser()
    except Exception as e:  # ImportError, or a dependency failing at import time
        print(json.dumps({"impl": "mabwiser", "error": f"{type(e).__name__}: {e}"}), flush=True)
        return 3
    warm_arms, warm_r, warm_X = load_warmup(args.warmup)
    X, R = load_stream(args.stream, args.limit)
    K = R.shape[1]
    mab = MAB(arms=list(range(K)),
              learning_policy=LearningPolicy.LinUCB(alpha=args.alpha, l2_lambda=args.lam))
    mab.fit(decisions=warm_arms, rewards=warm_r, contexts=warm_X)
    T = len(X)
    arms = np.empty(T, dtype=np.int64)
    rewards = np.empty(T)
    t0 = time.perf_counter()
    for t in range(T):
        x = X[t:t + 1]           # keep it 2-D: one context row
        a = mab.predict(x)       # a single context gives a single arm back
        r = R[t, a]
        mab.partial_fit(decisions=[a], rewards=[r], contexts=x)
        arms[t] = a
        rewards[t] = r
    seconds = time.perf_counter() - t0
    if args.out:
        write_rounds(args.out, arms, rewards)
    report("mabwiser", T, seconds, float(rewards.sum()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
