#!/usr/bin/python3
"""Solve an assign-bench instance with scipy's exact sparse assignment.

    assign-peer.py instance.txt

The instance (from assign-bench -o, or ps-match with PS_MATCH_DUMP) is
"n m", m capacities, then "i j score" lines; lines that start with # are
skipped. Volunteer j becomes cap[j] identical columns, and each
participant gets a private column of score 0 for staying unmatched, so
every participant is assigned and scipy's min_weight_full_bipartite_matching
(LAPJVsp) applies. Costs are BIG - score, all positive; the shift adds the
same n * BIG to every full matching, so the optimum is unchanged. A pair
given twice keeps its higher score, as in lib/rules/assign.c.

Prints "peer n=... total=... time=... ms" with the optimal total; time is
the solve (building the sparse graph and LAPJVsp), not reading the file.
"""
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def read(path):
    """n, m, capacities, and the edges' left, right and score arrays."""
    with open(path, "rb") as f:
        n, m = map(int, f.readline().split())
        cap = np.array([int(f.readline()) for _ in range(m)], dtype=np.int64)
        rest = f.read()
    if b"#" in rest:
        rest = b"\n".join(line for line in rest.split(b"\n")
                          if not line.lstrip().startswith(b"#"))
    # numpy's C parser: whitespace, newlines included, separates numbers
    data = np.fromstring(rest.decode("ascii"), dtype=np.float64, sep=" ")
    if data.size % 3:
        sys.exit("assign-peer.py: %s: an edge line is not \"i j score\""
                 % path)
    data = data.reshape(-1, 3)
    return (n, m, cap, data[:, 0].astype(np.int64),
            data[:, 1].astype(np.int64), data[:, 2])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: assign-peer.py instance.txt")
    n, m, cap, li, rj, sc = read(sys.argv[1])

    # One score a pair, the highest: sort by pair, best score first.
    key = li * max(m, 1) + rj
    order = np.lexsort((-sc, key))
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key = key[first]
    vals = sc[order][first]
    kl, kr = key // max(m, 1), key % max(m, 1)

    t0 = time.perf_counter()
    start = np.concatenate(([0], np.cumsum(cap)))
    slots = int(start[-1])
    big = (max(vals.max(), 0.0) if len(vals) else 0.0) + 1.0
    rows, cols, cost = [], [], []
    for c in range(int(cap.max()) if m else 0):
        ok = cap[kr] > c
        rows.append(kl[ok])
        cols.append(start[kr[ok]] + c)
        cost.append(big - vals[ok])
    rows.append(np.arange(n))
    cols.append(slots + np.arange(n))
    cost.append(np.full(n, big))
    g = csr_matrix((np.concatenate(cost),
                    (np.concatenate(rows), np.concatenate(cols))),
                   shape=(n, slots + n))
    _, col = min_weight_full_bipartite_matching(g)
    ms = (time.perf_counter() - t0) * 1e3

    # Summed in whole millionths, exactly, as lib/rules/assign.c does.
    mine = np.flatnonzero(col < slots)
    colof = np.searchsorted(start, col[mine], side="right") - 1
    at = np.searchsorted(key, mine * max(m, 1) + colof)
    total = int(np.rint(vals[at] * 1e6).astype(np.int64).sum())
    print("peer n=%d m=%d edges=%d total=%d.%06d time=%.1f ms"
          % (n, m, len(li), total // 1000000, total % 1000000, ms))


main()
