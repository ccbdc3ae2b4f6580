#!/usr/bin/python3
"""Fill every x-sensitive text field of records with a canary.

    /usr/bin/python3 tests/canary.py [--cover] [--flat] [--start N] \\
        MANIFEST OUTDIR RECORD.yaml ...

Each record is walked together with its schema (schemas/<kind>.yaml,
$ref followed): every property the schema marks x-sensitive whose type is
text gets a value found nowhere else, CANARY-<n>-<field path>, as long as
its maxLength allows. An email is CANARY-<n>-<path>@example.org; a phone,
whose pattern allows digits only, +1 999 000 <n>, a North American number
in the form ps-apply writes, so that it is stored as given. Where a record
lacks the mapping that holds such a field, the mapping is made when the
schema marks it sensitive and needs nothing else in it (name, address,
condition); other mappings (contact, flag, feedback...) and the items of
lists (status_history, screening steps, goals...) are filled where the
record has them.

The records go to OUTDIR at their place in a store
(participants/<ID>.yaml, contacts/YYYY/MM/DD/<ID>.yaml...), or with
--flat as OUTDIR/<file name>; MANIFEST gets a line for each canary:
value, record ID, kind, field path (list items as []), and "public" or
"private" (x-public: what a participant choosing a mentor may see).

--cover fails, naming them, when a sensitive text field of a schema got
no canary in any record of its kind given: the fixtures then need a
record that holds it, so that a field added to a schema is never left
out of the privacy test.
"""

import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(os.path.dirname(HERE), "schemas")
DIRS = {"participant": "participants", "volunteer": "volunteers",
        "match": "matches", "group": "groups"}


class Loader(yaml.SafeLoader):
    """YAML as the toolkit reads it: dates and times stay text."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class Dumper(yaml.SafeDumper):
    """Block style; text that would read as something else is quoted."""


Dumper.yaml_implicit_resolvers = Loader.yaml_implicit_resolvers


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


class Filler:
    def __init__(self, start):
        self.n = start
        self.schemas = {}
        self.filled = set()     # (kind, path)
        self.lines = []

    def schema(self, kind):
        if kind not in self.schemas:
            self.schemas[kind] = load(os.path.join(SCHEMAS, kind + ".yaml"))
        return self.schemas[kind]

    def resolve(self, root, s):
        while isinstance(s, dict) and "$ref" in s:
            ref = s["$ref"]
            assert ref.startswith("#/$defs/"), ref
            more = {k: v for k, v in s.items() if k != "$ref"}
            s = dict(root["$defs"][ref[len("#/$defs/"):]], **more)
        return s

    def makeable(self, root, s):
        """A sensitive mapping whose required fields are sensitive text."""
        if not s.get("x-sensitive"):
            return False
        for key in s.get("required", []):
            r = self.resolve(root, s["properties"][key])
            if r.get("type") != "string" or not r.get("x-sensitive"):
                return False
        return True

    def canary(self, s, path):
        self.n += 1
        tag = ".".join(p for p in path if p != "[]")
        if s.get("format") == "email":
            v = "CANARY-%d-%s@example.org" % (self.n, tag)
        elif "pattern" in s:
            v = "+1 999 %03d %04d" % (self.n // 10000 % 1000, self.n % 10000)
            assert re.match(s["pattern"], v), (path, v)
        else:
            v = "CANARY-%d-%s" % (self.n, tag)
            v = v[:s.get("maxLength", len(v))]
        return v

    def walk(self, root, kind, rid, node, s, path, public):
        s = self.resolve(root, s)
        for key, sub in s.get("properties", {}).items():
            r = self.resolve(root, sub)
            p = path + [key]
            pub = public or bool(r.get("x-public"))
            if r.get("type") == "string" and r.get("x-sensitive"):
                v = self.canary(r, p)
                node[key] = v
                self.filled.add((kind, ".".join(p)))
                self.lines.append("\t".join((v, rid, kind, ".".join(p),
                                             "public" if r.get("x-public")
                                             else "private")))
            elif r.get("type") == "object":
                if key not in node and self.makeable(root, r):
                    node[key] = {}
                if isinstance(node.get(key), dict):
                    self.walk(root, kind, rid, node[key], r, p, pub)
            elif r.get("type") == "array":
                items = self.resolve(root, r.get("items", {}))
                if items.get("type") != "object":
                    continue
                for item in node.get(key) or []:
                    self.walk(root, kind, rid, item, items, p + ["[]"], pub)

    def sensitive_paths(self, kind):
        root = self.schema(kind)
        out = set()

        def go(s, path, depth):
            s = self.resolve(root, s)
            if depth > 8:
                return
            for key, sub in s.get("properties", {}).items():
                r = self.resolve(root, sub)
                p = path + [key]
                if r.get("type") == "string" and r.get("x-sensitive"):
                    out.add(".".join(p))
                elif r.get("type") == "object":
                    go(r, p, depth + 1)
                elif r.get("type") == "array":
                    go(r.get("items", {}), p + ["[]"], depth + 1)
        go(root, [], 0)
        return out


def place(rec):
    kind, rid = rec["kind"], rec["id"]
    if kind == "contact":
        return os.path.join("contacts", rec["date"][:4], rec["date"][5:7],
                            rec["date"][8:10], rid + ".yaml")
    return os.path.join(DIRS[kind], rid + ".yaml")


def main(argv):
    cover = flat = False
    start = 0
    args = argv[1:]
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--cover":
            cover = True
        elif opt == "--flat":
            flat = True
        elif opt == "--start":
            start = int(args.pop(0))
        else:
            sys.exit("canary.py: unknown option " + opt)
    if len(args) < 3:
        sys.exit(__doc__)
    manifest, outdir, files = args[0], args[1], args[2:]
    f = Filler(start)
    kinds = set()
    for path in files:
        rec = load(path)
        kind = rec["kind"]
        kinds.add(kind)
        root = f.schema(kind)
        f.walk(root, kind, rec.get("id", os.path.basename(path)), rec,
               root, [], False)
        out = os.path.join(outdir, os.path.basename(path) if flat
                           else place(rec))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as o:
            yaml.dump(rec, o, Dumper=Dumper, sort_keys=False,
                      default_flow_style=False, allow_unicode=True,
                      width=1000)
    with open(manifest, "a", encoding="utf-8") as m:
        for line in f.lines:
            m.write(line + "\n")
    if cover:
        missing = sorted("%s: %s" % (k, p) for k in kinds
                         for p in f.sensitive_paths(k)
                         if (k, p) not in f.filled)
        if missing:
            sys.exit("canary.py: sensitive fields that no record holds:\n  "
                     + "\n  ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
