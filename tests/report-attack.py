#!/usr/bin/python3
"""report-attack.py: try to undo the small-cell suppression of ps-report.

  report-attack.py gen STORE SEED   random records for week 2026-W47 in STORE
  report-attack.py attack           read a report (YAML) on stdin; print
                                    each small count it gives away

Written apart from the C code, from ps-report(1) alone, as a reader of
the board's report would: each count shown is exact, <N is 1 to N-1
(or 0 to N-1, where taking them as 1 or more adds up to too much: a 0
hidden with them), x is N or more, and the sums the man page states hold (a table's total
row and column; a figure that a table's total repeats; contacts and
drop-in visits that add up to the contacts by funder and by host
organisation). For each small count hidden, an exact integer program
(scipy's milp) finds its least and greatest value under all of them at
once: when they meet, the count is given away.

It also checks what the report must not hold: a change beside a hidden
count (with the report of the week before, it gives the count), and
anything that looks like an ID.
"""
import datetime
import random
import re
import subprocess
import sys

import numpy as np
import yaml
from scipy.optimize import Bounds, LinearConstraint, milp

B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MODES = ["phone", "email", "video", "in-person", "text"]
FLAGS = ["risk", "crisis", "safeguarding"]
ROLES = ["living-with", "caregiver", "both"]
TOOLS = ["ps-apply", "ps-screen", "ps-match", "ps-log"]


def rid(kind, rng):
    return kind + "-" + "".join(rng.choice(B32) for _ in range(6))


def small_count(rng):
    """Mostly small counts, some zeros, some larger."""
    return rng.choice([0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 9])


def gen(store, seed):
    rng = random.Random(seed)
    prog = yaml.safe_load(open(store + "/program.yaml"))
    streams = list(prog["streams"])
    hosts = [h for s in prog["streams"].values()
             for h in s.get("host_organisations", [])]
    funders = prog.get("funders", [])
    ongoing = [k for k, s in prog["streams"].items()
               if s["type"] not in ("single-call", "group", "dropin")]

    def write(path, doc):
        subprocess.run(["mkdir", "-p", path.rsplit("/", 1)[0]], check=True)
        with open(path, "w") as f:
            yaml.safe_dump(doc, f, sort_keys=False)

    # applications of the week, by stream and role
    for st in streams:
        for role in ROLES:
            for _ in range(small_count(rng)):
                p = rid("P", rng)
                day = rng.randint(16, 22)
                write("%s/participants/%s.yaml" % (store, p), {
                    "kind": "participant", "id": p, "status": "closed",
                    "stream": st, "role": role,
                    "received": "2026-11-%02dT10:00:00-05:00" % day})
    # people waiting for a match, over ten weeks
    for _ in range(rng.randint(0, 14)):
        p = rid("P", rng)
        day = datetime.date(2026, 11, 22) - datetime.timedelta(
            days=rng.randint(0, 70))
        write("%s/participants/%s.yaml" % (store, p), {
            "kind": "participant", "id": p, "status": "waiting",
            "stream": rng.choice(ongoing), "role": "living-with",
            "received": day.isoformat() + "T10:00:00-05:00"})
    # contacts, callbacks and drop-in visits of the week
    kinds = [("contact", m) for m in MODES] + [("dropin", None)]
    for typ, mode in kinds:
        for _ in range(small_count(rng)):
            c = rid("C", rng)
            day = rng.randint(16, 22)
            doc = {"kind": "contact", "id": c, "type": typ,
                   "date": "2026-11-%02dT12:00:00-05:00" % day,
                   "minutes": rng.choice([10, 20, 30, 45])}
            if mode:
                doc["mode"] = mode
            if funders and rng.random() < 0.7:
                doc["funder"] = rng.choice(funders)
            if hosts and rng.random() < 0.6:
                doc["host_organisation"] = rng.choice(hosts)
            if typ == "contact" and rng.random() < 0.3:
                doc["flag"] = {"type": rng.choice(FLAGS),
                               "referral": rng.choice(["988", "none"])}
            write("%s/contacts/2026/11/%02d/%s.yaml" % (store, day, c), doc)
    git = ["git", "-C", store, "-c", "user.name=Coordinator",
           "-c", "user.email=c@example.org"]
    env = {"GIT_AUTHOR_DATE": "2026-11-17T12:00:00Z",
           "GIT_COMMITTER_DATE": "2026-11-17T12:00:00Z", "PATH": "/usr/bin:/bin"}
    subprocess.run(git + ["add", "-A"], check=True, env=env)
    subprocess.run(git + ["commit", "-q", "--no-verify", "-m", "records"],
                   check=True, env=env)
    # commits of the week by tool, as the audit counts them
    for tool in TOOLS:
        for i in range(small_count(rng)):
            when = "2026-11-%02dT1%d:00:00Z" % (rng.randint(16, 22), i % 10)
            env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
            subprocess.run(git + ["commit", "-q", "--no-verify",
                                  "--allow-empty", "-m",
                                  "%s: work\n\nPs-Tool: %s" % (tool, tool)],
                           check=True, env=env)


COUNTS = {  # the count columns of each table, as ps-report(1) gives them
    "applications": ["living-with", "caregiver", "both", "total"],
    "funnel": ["volunteers"], "gaps": ["participants"],
    "waiting_times": ["participants"], "by_mode": ["contacts"],
    "by_funder": ["contacts"], "by_host": ["contacts"],
    "by_flag": ["contacts"], "outcomes": ["answers"],
    "by_tool": ["commits"],
}
SUMS = [  # (table, [figures]): the table's grand total is their sum
    ("applications", ["participant_applications"]),
    ("waiting_times", ["waiting"]),
    ("by_mode", ["contacts"]),
    ("by_funder", ["contacts", "dropin_visits"]),
    ("by_host", ["contacts", "dropin_visits"]),
    ("by_flag", ["flagged"]),
    ("by_tool", ["commits"]),
]
BIG = 10 ** 6


def attack(doc):
    thr = doc["suppression_threshold"]
    found, checked = [], 0
    for sec in doc["sections"]:
        var = {}          # name -> (lo, hi)
        lines = []        # (parts, total)

        def add(name, v):
            s = str(v)
            if s == "x":
                var[name] = (thr, BIG)
            elif s.startswith("<"):
                var[name] = (1, thr - 1)
            elif re.fullmatch(r"-?\d+", s):
                var[name] = (int(s), int(s))
            else:
                return False
            return True

        figs = {}
        for f in sec["figures"]:
            if add(("fig", f["key"]), f["value"]):
                figs[f["key"]] = ("fig", f["key"])
            if "change" in f and not re.fullmatch(r"-?\d+", str(f["value"])) \
                    and str(f["value"]) != "-" and not \
                    str(f["value"]).startswith("n<"):
                found.append("%s: a change beside the hidden %s" %
                             (sec["section"], f["key"]))
        totals = {}
        for t in sec["tables"]:
            cols = COUNTS.get(t["key"])
            if cols is None:
                continue
            rows = [r[list(r)[0]] for r in t["rows"]]
            for r in t["rows"]:
                for c in cols:
                    add((t["key"], r[list(r)[0]], c), r[c])
            if rows and rows[-1] == "total":
                for c in cols:
                    lines.append(([(t["key"], r, c) for r in rows[:-1]],
                                  (t["key"], "total", c)))
                totals[t["key"]] = (t["key"], "total", cols[-1])
            if cols[-1] == "total":
                for r in rows:
                    lines.append(([(t["key"], r, c) for c in cols[:-1]],
                                  (t["key"], r, "total")))
        for tab, fs in SUMS:
            if tab in totals and all(f in figs for f in fs):
                lines.append(([figs[f] for f in fs], totals[tab]))
        names = list(var)
        ix = {n: i for i, n in enumerate(names)}
        if not names:
            continue
        A = np.zeros((max(len(lines), 1), len(names)))
        for k, (parts, total) in enumerate(lines):
            for p in parts:
                A[k, ix[p]] += 1
            A[k, ix[total]] -= 1
        cons = LinearConstraint(A, 0, 0)
        lo = np.array([var[n][0] for n in names], dtype=float)
        hi = np.array([var[n][1] for n in names], dtype=float)
        whole = np.ones(len(names))
        if not milp(np.zeros(len(names)), constraints=cons,
                    bounds=Bounds(lo, hi), integrality=whole).success:
            # a 0 is hidden as <N (the key says where): every <N may be 0
            lo = np.array([0 if var[n] == (1, thr - 1) else var[n][0]
                           for n in names], dtype=float)
        for n in names:
            if var[n] != (1, thr - 1):
                continue
            checked += 1
            ends = []
            for sign in (1, -1):
                c = np.zeros(len(names))
                c[ix[n]] = sign
                r = milp(c, constraints=cons, bounds=Bounds(lo, hi),
                         integrality=whole)
                if not r.success:
                    found.append("%s: the report's counts do not add up"
                                 " (%s)" % (sec["section"], r.message))
                    break
                ends.append(round(r.fun) * sign)
            if len(ends) == 2 and ends[0] == ends[1] and ends[0] > 0:
                found.append("%s: %s is %d" % (sec["section"],
                                                " ".join(n), ends[0]))
    return found, checked


def main():
    if sys.argv[1:2] == ["gen"]:
        gen(sys.argv[2], int(sys.argv[3]))
        return 0
    text = sys.stdin.read()
    doc = yaml.safe_load(text)
    found, checked = attack(doc)
    if re.search(r"\b[PVMCG]-[0-9A-HJKMNP-TV-Z]{6}\b", text):
        found.append("an ID in the report")
    for f in found:
        print(f)
    print("checked %d small counts, %d given away" % (checked, len(found)),
          file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
