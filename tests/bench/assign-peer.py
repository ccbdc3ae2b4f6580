#!/usr/bin/python3
"""Solve an assign-bench instance with scipy's exact sparse assignment.

    assign-peer.py instance.txt

The instance (from assign-bench -o) is "n m", m capacities, then
"i j score" lines. Volunteer j becomes cap[j] identical columns, and each
participant gets a private column of score 0 for staying unmatched, so
every participant is assigned and scipy's min_weight_full_bipartite_matching
(LAPJVsp) applies. Costs are BIG - score, all positive; the shift adds the
same n * BIG to every full matching, so the optimum is unchanged. A pair
given twice keeps its higher score, as in lib/assign.c.

Prints "peer n=... total=... time=... ms" with the optimal total.
"""
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: assign-peer.py instance.txt")
    with open(sys.argv[1]) as f:
        n, m = map(int, f.readline().split())
        cap = np.array([int(f.readline()) for _ in range(m)], dtype=np.int64)
        data = np.loadtxt(f, ndmin=2)
    li = data[:, 0].astype(np.int64)
    rj = data[:, 1].astype(np.int64)
    sc = data[:, 2]

    best = {}
    for i, j, s in zip(li.tolist(), rj.tolist(), sc.tolist()):
        if (i, j) not in best or s > best[(i, j)]:
            best[(i, j)] = s
    keys = np.array(list(best.keys()), dtype=np.int64).reshape(-1, 2)
    vals = np.array(list(best.values()), dtype=np.float64)

    t0 = time.perf_counter()
    first = np.concatenate(([0], np.cumsum(cap)))
    slots = int(first[-1])
    big = (max(vals.max(), 0.0) if len(vals) else 0.0) + 1.0
    rows, cols, cost = [], [], []
    for c in range(int(cap.max()) if m else 0):
        ok = cap[keys[:, 1]] > c
        rows.append(keys[ok, 0])
        cols.append(first[keys[ok, 1]] + c)
        cost.append(big - vals[ok])
    rows.append(np.arange(n))
    cols.append(slots + np.arange(n))
    cost.append(np.full(n, big))
    g = csr_matrix((np.concatenate(cost),
                    (np.concatenate(rows), np.concatenate(cols))),
                   shape=(n, slots + n))
    _, col = min_weight_full_bipartite_matching(g)
    ms = (time.perf_counter() - t0) * 1e3

    # Summed in whole millionths, exactly, as lib/assign.c does.
    total = 0
    colof = np.searchsorted(first, col, side="right") - 1
    for i in range(n):
        if col[i] < slots:
            total += round(best[(i, int(colof[i]))] * 1e6)
    print("peer n=%d m=%d edges=%d total=%d.%06d time=%.1f ms"
          % (n, m, len(li), total // 1000000, total % 1000000, ms))


main()
