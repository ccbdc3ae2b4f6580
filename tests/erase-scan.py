#!/usr/bin/python3
"""Scan a store for strings, everywhere git and the store folder can hold
them: the independent check of an erasure (ps-apply --erase).

    tests/erase-scan.py [-C DIR] [-f FILE] [STRING...]
    tests/erase-scan.py --self-test

Each STRING (and each non-empty line of FILE) is looked for case-folded
and with its accents taken off (Unicode NFKD, combining marks dropped),
in the same folding of the text scanned: "NGO" finds "Ngô".

Where it looks, in the store DIR (default: the current folder):
  - every object git can read, reachable or not, in full
    (git cat-file --batch-all-objects --batch), and the names in every
    tree object;
  - every loose object under .git/objects, inflated, and every object and
    delta in every pack file, inflated, read from the pack itself (a pack
    whose index is gone is read too);
  - ref names (branches, tags, notes, remote-tracking refs, any other),
    annotated tag messages, the notes of every refs/notes/* ref;
  - every file under .git, by name and by content (packed-refs, the
    reflogs under .git/logs, the index, the configuration, the ps-*
    files and folders, ...), and inflated when it is zlib data;
  - every file of the work tree, tracked, untracked or ignored, by name
    and by content.

It prints one line for each place a string was found: the kind of
place, where (a path or an object ID), and which string by its number
in the list (1 for the first), never the string itself nor the text
around it, so that its output holds no personal data. Exit status: 0 if
nothing was found, 1 if anything was, 2 for a usage error or a store it
cannot read.
"""
import os
import subprocess
import sys
import tempfile
import unicodedata
import zlib

_combining = None


def fold(s):
    """The text s, case-folded and with accents taken off."""
    global _combining
    if s.isascii():
        return s.lower()
    s = unicodedata.normalize("NFKD", s)
    if _combining is None:
        _combining = {c: None for c in range(0x110000)
                      if unicodedata.combining(chr(c))}
    return s.translate(_combining).casefold()


def fold_bytes(b):
    return fold(bytes(b).decode("utf-8", errors="replace"))


class Scan:
    def __init__(self, top, needles):
        self.top = os.path.abspath(top)
        self.needles = [fold(n) for n in needles]
        self.found = []
        self.seen = set()

    # one place: kind, where, and the text (str or bytes) held there
    def look(self, kind, where, data):
        text = fold(data) if isinstance(data, str) else fold_bytes(data)
        for i, n in enumerate(self.needles):
            if n and n in text:
                key = (kind, where, i)
                if key not in self.seen:
                    self.seen.add(key)
                    self.found.append(key)

    # git's answer; one it cannot give (a damaged store) is warned of,
    # and the files under .git are still read one by one (gitfiles)
    def git(self, *args, check=False):
        p = subprocess.run(["git", "-C", self.top] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            msg = "git %s: %s" % (args[0], p.stderr.decode(
                errors="replace").strip().split("\n")[0])
            if check:
                raise RuntimeError(msg)
            print("erase-scan: warning: " + msg, file=sys.stderr)
            return b""
        return p.stdout

    def run(self):
        self.gitdir = os.path.abspath(os.path.join(self.top, self.git(
            "rev-parse", "--git-dir", check=True).decode().strip()))
        self.common = os.path.abspath(os.path.join(self.top, self.git(
            "rev-parse", "--git-common-dir", check=True).decode().strip()))
        self.objects()
        self.refs()
        self.notes()
        dirs = [self.gitdir] + ([self.common] if self.common != self.gitdir
                                else [])
        for d in dirs:
            self.gitfiles(d)
        self.worktree()
        return self.found

    # every object git can read, and the names in every tree
    def objects(self):
        out = self.git("cat-file", "--batch-all-objects", "--batch",
                       "--unordered")
        pos = 0
        while pos < len(out):
            nl = out.index(b"\n", pos)
            oid, typ, size = out[pos:nl].decode().split()
            size = int(size)
            body = out[nl + 1:nl + 1 + size]
            pos = nl + 1 + size + 1
            self.look("object " + typ, oid, body)
            if typ == "tree":
                self.tree_names(oid, body)

    def tree_names(self, oid, body):
        pos = 0
        while pos < len(body):
            sp = body.index(b" ", pos)
            nul = body.index(b"\0", sp)
            self.look("tree entry name", oid, body[sp + 1:nul])
            pos = nul + 21

    def refs(self):
        out = self.git("for-each-ref", "--format=%(refname)%00%(objecttype)")
        for line in out.splitlines():
            name, typ = line.split(b"\0")
            name = name.decode("utf-8", errors="replace")
            if name.startswith("refs/heads/"):
                kind = "branch name"
            elif name.startswith("refs/tags/"):
                kind = "tag name"
            elif name.startswith("refs/remotes/"):
                kind = "remote-tracking ref name"
            elif name.startswith("refs/notes/"):
                kind = "notes ref name"
            else:
                kind = "ref name"
            self.look(kind, name, name)
            if typ == b"tag":
                self.look("tag message", name, self.git(
                    "for-each-ref", "--format=%(contents)", name))

    def notes(self):
        out = self.git("for-each-ref", "--format=%(refname)", "refs/notes/")
        for ref in out.decode().split():
            # every version of the notes, not only the newest
            for c in self.git("rev-list", ref).decode().split():
                tree = self.git("ls-tree", "-r", c).decode()
                for line in tree.splitlines():
                    meta, path = line.split("\t", 1)
                    blob = meta.split()[2]
                    self.look("note (%s)" % ref, "on " +
                              path.replace("/", ""),
                              self.git("cat-file", "blob", blob))

    def gitfiles(self, d):
        for root, dirs, files in os.walk(d):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(root, f)
                rel = os.path.relpath(p, self.top)
                inside = os.path.relpath(p, d)
                self.look("git file name", rel, inside)
                try:
                    with open(p, "rb") as fh:
                        data = fh.read()
                except OSError as e:
                    print("erase-scan: %s: %s" % (rel, e.strerror),
                          file=sys.stderr)
                    continue
                kind = self.gitkind(inside)
                self.look(kind, rel, data)
                parts = inside.split(os.sep)
                if (parts[0] == "objects" and len(parts) == 3 and
                        len(parts[1]) == 2):
                    self.look("loose object", parts[1] + parts[2],
                              self.inflate(data))
                elif inside.endswith(".pack"):
                    self.pack(rel, data)
                elif data[:1] == b"\x78":
                    self.look(kind + " (inflated)", rel, self.inflate(data))

    @staticmethod
    def gitkind(inside):
        if inside == "index" or inside.startswith("sharedindex."):
            return "index"
        if inside.startswith("logs" + os.sep):
            return "reflog"
        if inside == "packed-refs":
            return "packed-refs"
        if inside.startswith("refs" + os.sep):
            return "ref file"
        if inside.startswith("ps-"):
            return "store file"
        if inside.startswith("objects" + os.sep):
            return "object file (raw)"
        return "git file"

    @staticmethod
    def inflate(data):
        d = zlib.decompressobj()
        try:
            return d.decompress(data)
        except zlib.error:
            return b""

    # every object and delta of a pack, inflated, from the pack alone
    def pack(self, rel, data):
        mv = memoryview(data)
        if data[:4] != b"PACK" or len(data) < 12:
            return
        count = int.from_bytes(data[8:12], "big")
        pos = 12
        for _ in range(count):
            start = pos
            try:
                c = data[pos]
                pos += 1
                typ = (c >> 4) & 7
                while c & 0x80:
                    c = data[pos]
                    pos += 1
                if typ == 6:
                    c = data[pos]
                    pos += 1
                    while c & 0x80:
                        c = data[pos]
                        pos += 1
                elif typ == 7:
                    pos += 20
                d = zlib.decompressobj()
                out = []
                chunk = 4096
                while not d.eof:
                    if pos >= len(data):
                        raise ValueError("truncated")
                    piece = mv[pos:pos + chunk]
                    out.append(d.decompress(piece))
                    pos += len(piece) - len(d.unused_data)
                    chunk *= 2
            except (IndexError, ValueError, zlib.error):
                print("erase-scan: %s: cannot read past offset %d" %
                      (rel, start), file=sys.stderr)
                return
            self.look("pack " + ("delta" if typ in (6, 7) else "object"),
                      "%s@%d" % (rel, start), b"".join(out))

    def worktree(self):
        gitdirs = {self.gitdir, self.common}
        for root, dirs, files in os.walk(self.top):
            dirs[:] = sorted(x for x in dirs if os.path.abspath(
                os.path.join(root, x)) not in gitdirs)
            for x in dirs:
                rel = os.path.relpath(os.path.join(root, x), self.top)
                self.look("work tree folder name", rel, rel)
            for f in sorted(files):
                p = os.path.join(root, f)
                rel = os.path.relpath(p, self.top)
                if rel == ".git":
                    continue
                self.look("work tree file name", rel, rel)
                if os.path.islink(p):
                    self.look("work tree link", rel, os.readlink(p))
                    continue
                try:
                    with open(p, "rb") as fh:
                        self.look("work tree file", rel, fh.read())
                except OSError as e:
                    print("erase-scan: %s: %s" % (rel, e.strerror),
                          file=sys.stderr)


def scan(top, needles, quiet=False):
    if not quiet:
        return Scan(top, needles).run()
    # git's warnings of what it cannot read, not shown
    saved, sys.stderr = sys.stderr, open(os.devnull, "w")
    try:
        return Scan(top, needles).run()
    finally:
        sys.stderr.close()
        sys.stderr = saved


def report(found):
    for kind, where, i in found:
        print("%s\t%s\tstring %d" % (kind, where, i + 1))


def self_test():
    """Plant a string in each kind of place, and find each one there."""
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="T",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.org",
               GIT_AUTHOR_DATE="2026-11-22T15:00:00Z",
               GIT_COMMITTER_DATE="2026-11-22T15:00:00Z")
    fails = 0
    with tempfile.TemporaryDirectory() as t:
        env["HOME"] = t
        s = os.path.join(t, "s")

        def g(*args, inp=None):
            return subprocess.run(["git", "-C", s] + list(args), env=env,
                                  input=inp, check=True,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL).stdout

        def write(name, text):
            with open(os.path.join(s, name), "w", encoding="utf-8") as f:
                f.write(text)

        subprocess.run(["git", "init", "-q", s], env=env, check=True)
        write("a.yaml", "first: Plantpacked\n")
        write(".gitignore", "*.tmp\n")
        g("add", "-A")
        g("commit", "-qm", "one")
        g("tag", "-a", "q4", "-m", "about Planttagmsg")
        # in a pack only, and not reachable: the blob is rewritten away
        write("a.yaml", "first: other\n")
        g("commit", "-qam", "two")
        g("notes", "add", "-m", "phone of Plantnote", "HEAD")
        g("branch", "keep-Plantref")
        g("gc", "-q")
        g("reflog", "expire", "--expire=now", "--all")
        g("gc", "-q", "--prune=now")
        # a loose blob no ref reaches
        g("hash-object", "-w", "--stdin", inp=b"x: Plantloose\n")
        write("x.tmp", "kept by hand: Plantignored\n")
        write("Plantname.txt", "untracked\n")
        want = {
            "Plantpacked": "pack object",
            "Plantloose": "loose object",
            "Plantnote": "note (refs/notes/commits)",
            "Plantref": "branch name",
            "Planttagmsg": "tag message",
            "Plantignored": "work tree file",
            "Plantname": "work tree file name",
            "PLANTNOTE": "note (refs/notes/commits)",
        }
        for needle, kind in want.items():
            found = scan(s, [needle])
            if not any(k == kind for k, _, _ in found):
                print("not ok - %s: not found as %s; found: %s" %
                      (needle, kind, found))
                fails += 1
            else:
                print("ok - %s found as %s" % (needle, kind))
        # accents and case: the scan folds both sides
        write("b.txt", "Ng\u00f4 Th\u00e9r\u00e8se\n")
        found = scan(s, ["NGO", "therese", "Ngô"])
        hit = {i for k, w, i in found if w == "b.txt"}
        if hit != {0, 1, 2}:
            print("not ok - folded spellings: found %s" % sorted(hit))
            fails += 1
        else:
            print("ok - folded spellings found")
        # the pack is read from itself: its index gone, still found
        packdir = os.path.join(s, ".git", "objects", "pack")
        for f in os.listdir(packdir):
            if f.endswith(".idx"):
                os.rename(os.path.join(packdir, f), os.path.join(t, f))
        found = scan(s, ["Plantpacked"], quiet=True)
        if not any(k == "pack object" for k, _, _ in found):
            print("not ok - a pack with no index: not read")
            fails += 1
        else:
            print("ok - a pack with no index is read")
        for f in os.listdir(t):
            if f.endswith(".idx"):
                os.rename(os.path.join(t, f), os.path.join(packdir, f))
        # nothing planted, nothing found
        found = scan(s, ["Absentstring"])
        if found:
            print("not ok - a string never planted was found: %s" % found)
            fails += 1
        else:
            print("ok - a string never planted is not found")
    print("%d failed" % fails)
    return 1 if fails else 0


def main(argv):
    top = "."
    needles = []
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--self-test":
            return self_test()
        if a == "-C" and args:
            top = args.pop(0)
        elif a == "-f" and args:
            with open(args.pop(0), encoding="utf-8") as f:
                needles += [x.strip() for x in f if x.strip()]
        elif a == "--":
            needles += args
            break
        elif a.startswith("-"):
            print(__doc__.split("\n\n")[1], file=sys.stderr)
            return 2
        else:
            needles.append(a)
    if not needles:
        print("erase-scan: no string to look for", file=sys.stderr)
        return 2
    try:
        found = scan(top, needles)
    except (RuntimeError, OSError) as e:
        print("erase-scan: %s" % e, file=sys.stderr)
        return 2
    report(found)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
