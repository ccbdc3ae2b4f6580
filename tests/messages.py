#!/usr/bin/python3
"""Entries broken in every way, each by a value found nowhere else.

    /usr/bin/python3 tests/messages.py [--json] [--per N] VALUES START OUTDIR \\
        < ENTRIES
    /usr/bin/python3 tests/messages.py --csv VALUES START OUTDIR < CSV

ENTRIES is a YAML stream of good entries or records, one of each kind a
tool takes on its standard input. For each, the tool's input gets
variants that put a canary in the place of a value:

  - every value at once (text canaries: the entry is wrong everywhere);
  - each value alone, the rest kept good, as text (CANARY-<n>-<path>)
    and, where the good value has a shape (a record ID, a goal ID, a
    day, a time, a number, a slug), as a value of that shape found
    nowhere else (M-Z0003K, g970003, 2090-01-04, 900003, canary-3), so
    that a rule past the schema's (no such record, in the future, more
    than the limit) meets it;
  - each value alone with the other fields of its mapping left out, so
    that a rule about a missing field meets the canary (a flag of type
    CANARY with no referral);
  - each mapping and list as a canary instead, and with a canary key
    holding a canary, and each list with a canary item more.

Each canary goes on a line of VALUES (appended); the canaries are
numbered from START, so that several runs never repeat one. A test then
runs the tool and fails if any line of VALUES, or the word "canary" in
any case, reaches the standard error or output.

The variants go to OUTDIR/1.yaml, 2.yaml, ..., N to a file (25 unless
--per says), as YAML streams, or with --json as JSON arrays: a tool stops
reading after so many problems, and --per 1 serves a tool that stops at
the first bad record.

--csv does the same for the rows of a CSV file whose first row is its
header and second a good row, into OUTDIR/1.csv: a row with every cell a
canary, a row per cell, and a column more.
"""

import copy
import csv
import datetime
import io
import json
import os
import re
import sys

import yaml

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# libyaml's, where PyYAML has it: many times faster
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Loader(SafeLoader):
    """YAML as the toolkit reads it: dates and times stay text."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class Dumper(SafeDumper):
    """Text that would read as something else is quoted."""


Dumper.yaml_implicit_resolvers = Loader.yaml_implicit_resolvers


class Canaries:
    def __init__(self, start):
        self.n = start
        self.values = []

    def _next(self):
        self.n += 1
        return self.n

    def text(self, path):
        v = "CANARY-%d-%s" % (self._next(), path or "entry")
        self.values.append(v)
        return v

    def shaped(self, good):
        """A value of the good value's shape, found nowhere else; None
        when it has no shape but text."""
        n = self._next()
        day = datetime.date(2090, 1, 1) + datetime.timedelta(days=n)
        if isinstance(good, bool):
            return None
        if isinstance(good, int):
            v = 900000 + n
            self.values.append(str(v))
            return v
        if isinstance(good, float):
            v = 900000 + n + 0.5
            self.values.append(str(v))
            return v
        if not isinstance(good, str):
            return None
        if re.match(r"^[A-Z]-[0-9A-HJKMNP-TV-Z]{6}$", good):
            tail = ""
            k = n
            for _ in range(5):
                tail = CROCKFORD[k % 32] + tail
                k //= 32
            v = good[0] + "-Z" + tail
        elif re.match(r"^g[0-9]+$", good):
            v = "g97%04d" % n
        elif re.match(r"^\d{4}-\d\d-\d\dT", good):
            v = day.isoformat() + good[10:]
            self.values.append(day.isoformat())
            return v
        elif re.match(r"^\d{4}-\d\d-\d\d$", good):
            v = day.isoformat()
        elif re.match(r"^-?\d+(\.\d+)?$", good):
            v = str(900000 + n)
        elif re.match(r"^[+(]?[0-9][0-9 ().x-]{5,30}$", good):
            v = "+1 999 %03d %04d" % (n // 10000 % 1000, n % 10000)
        elif re.match(r"^[^@\s]+@[^@\s]+$", good):
            v = "canary-%d@example.org" % n
        elif re.match(r"^[a-z][a-z0-9-]*$", good):
            v = "canary-%d" % n
        else:
            return None
        self.values.append(v)
        return v


def leaves(node, path=()):
    """The paths of the scalars of a node, in order."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, path + (i,))
    else:
        yield path


def containers(node, path=()):
    if isinstance(node, (dict, list)):
        yield path
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            yield from containers(v, path + (k,))


def get(node, path):
    for p in path:
        node = node[p]
    return node


def put(node, path, value):
    get(node, path[:-1])[path[-1]] = value


def name(path):
    return ".".join(str(p) for p in path)


def variants(entry, c):
    out = []
    every = copy.deepcopy(entry)
    for path in leaves(entry):
        if path:
            put(every, path, c.text(name(path)))
    out.append(every)
    for path in leaves(entry):
        if not path:
            continue
        good = get(entry, path)
        e = copy.deepcopy(entry)
        put(e, path, c.text(name(path)))
        out.append(e)
        shaped = c.shaped(good)
        if shaped is not None:
            e = copy.deepcopy(entry)
            put(e, path, shaped)
            out.append(e)
        parent = get(entry, path[:-1])
        if isinstance(parent, dict) and len(parent) > 1:
            alone = {path[-1]: c.text(name(path))}
            if len(path) == 1:
                e = alone
            else:
                e = copy.deepcopy(entry)
                put(e, path[:-1], alone)
            out.append(e)
    for path in containers(entry):
        if path:
            e = copy.deepcopy(entry)
            put(e, path, c.text(name(path)))
            out.append(e)
        e = copy.deepcopy(entry)
        node = get(e, path)
        if isinstance(node, dict):
            node[c.text(name(path + ("key",)))] = c.text(name(path))
        else:
            node.append(c.text(name(path + ("item",))))
        out.append(e)
    return out


def csv_variants(text, c):
    rows = list(csv.reader(io.StringIO(text)))
    head, good = rows[0], rows[1]
    out = [head + [c.text("column")]]
    out.append([c.text("cell%d" % i) for i in range(len(head) + 1)])
    for i in range(len(head)):
        row = good + [""]
        row[i] = c.text("cell%d" % i)
        out.append(row)
    out.append(good + [c.text("extra")])
    f = io.StringIO()
    csv.writer(f, lineterminator="\n").writerows(out)
    return f.getvalue()


def write(outdir, ext, chunks):
    for i, text in enumerate(chunks, 1):
        with open(os.path.join(outdir, "%d.%s" % (i, ext)), "w",
                  encoding="utf-8") as f:
            f.write(text)


def main(argv):
    args = argv[1:]
    mode, per = "yaml", 25
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt in ("--json", "--csv"):
            mode = opt[2:]
        elif opt == "--per":
            per = int(args.pop(0))
        else:
            sys.exit("messages.py: unknown option " + opt)
    if len(args) != 3:
        sys.exit(__doc__)
    c = Canaries(int(args[1]))
    outdir = args[2]
    os.makedirs(outdir, exist_ok=True)
    if mode == "csv":
        write(outdir, "csv", [csv_variants(sys.stdin.read(), c)])
    else:
        out = []
        for entry in yaml.load_all(sys.stdin, Loader=Loader):
            out.extend(variants(entry, c))
        chunks = [out[i:i + per] for i in range(0, len(out), per)]
        if mode == "json":
            write(outdir, "json", [json.dumps(ch, indent=1) + "\n"
                                   for ch in chunks])
        else:
            write(outdir, "yaml", [
                yaml.dump_all(ch, Dumper=Dumper, sort_keys=False,
                              explicit_start=True, allow_unicode=True,
                              width=1000) for ch in chunks])
    with open(args[0], "a", encoding="utf-8") as f:
        for v in c.values:
            f.write(v + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
