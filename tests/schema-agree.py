#!/usr/bin/python3
"""Check that the schemas, the record fixtures and the example programmes agree.

Run with Debian's python3 (python3-yaml, python3-jsonschema 4.10):

    /usr/bin/python3 tests/schema-agree.py

Checks, printed as TAP:
  - every schema is a valid draft 2020-12 schema and uses only the keyword
    subset the C validator supports (local $ref, formats date/date-time/time/
    email, anchored patterns that are also POSIX extended regexes, closed
    objects, bounded strings);
  - $defs shared by several schemas are identical in each of them;
  - every valid fixture validates (format checking on) and is named <id>.yaml;
  - every invalid fixture fails, only at the field path listed in
    invalid/EXPECT;
  - examples/*/program.yaml validate against schemas/program.yaml;
  - every file is in canonical form: loading it and writing it back (keys in
    schema order, block style, two-space indent, minimal double quoting)
    gives the same bytes;
  - every pattern compiles as a POSIX extended regex (libc regcomp) and
    matches the same fixture values as Python's re.
"""

import ctypes
import ctypes.util
import datetime
import os
import re
import sys

import yaml
from jsonschema import Draft202012Validator, FormatChecker

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCHEMAS = os.path.join(ROOT, "schemas")
VALID = os.path.join(HERE, "fixtures", "records", "valid")
INVALID = os.path.join(HERE, "fixtures", "records", "invalid")
EXAMPLES = os.path.join(ROOT, "examples")
KINDS = ["participant", "volunteer", "match", "contact", "group", "program"]
ID_PREFIX = {"P": "participant", "V": "volunteer", "M": "match",
             "C": "contact", "G": "group"}


# ---------------------------------------------------------------- loading

class Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates and timestamps as strings and refuses
    duplicate keys: records are typed by the schema, not by YAML 1.1."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                       _construct_mapping)


def load_text(text):
    return yaml.load(text, Loader=Loader)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------- formats

DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
DATE_TIME_RE = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(\.[0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))$")
TIME_RE = re.compile(r"^([0-9]{2}):([0-9]{2})$")
EMAIL_LOCAL_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
EMAIL_LABEL_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def real_date(y, m, d):
    try:
        datetime.date(int(y), int(m), int(d))
        return True
    except ValueError:
        return False


format_checker = FormatChecker(formats=())


@format_checker.checks("date")
def is_date(value):
    """YYYY-MM-DD, a real calendar date (2026-02-30 is refused)."""
    if not isinstance(value, str):
        return True
    m = DATE_RE.match(value)
    return bool(m) and real_date(*m.group(1, 2, 3))


@format_checker.checks("date-time")
def is_date_time(value):
    """RFC 3339 date-time with a time-zone offset (Z or +hh:mm)."""
    if not isinstance(value, str):
        return True
    m = DATE_TIME_RE.match(value)
    if not m or not real_date(*m.group(1, 2, 3)):
        return False
    hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if hh > 23 or mm > 59 or ss > 60:
        return False
    if m.group(9) is not None:
        if int(m.group(9)) > 23 or int(m.group(10)) > 59:
            return False
    return True


@format_checker.checks("time")
def is_time(value):
    """Our subset: HH:MM, 00:00 to 23:59, no seconds, no offset."""
    if not isinstance(value, str):
        return True
    m = TIME_RE.match(value)
    return bool(m) and int(m.group(1)) <= 23 and int(m.group(2)) <= 59


@format_checker.checks("email")
def is_email(value):
    """local@domain.tld, ASCII, no spaces, lengths as RFC 5321 allows."""
    if not isinstance(value, str):
        return True
    if len(value) > 254 or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    if not EMAIL_LOCAL_RE.match(local):
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or len(domain) > 253:
        return False
    return all(EMAIL_LABEL_RE.match(label) for label in labels)


# ---------------------------------------------------------------- schema walk

def resolve(schema, root):
    """Follow local $refs ("#/$defs/NAME") until a schema without $ref."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        schema = root["$defs"][ref[len("#/$defs/"):]]
        seen += 1
        if seen > 50:
            raise ValueError("$ref loop")
    return schema


def child_schema(schema, root, key):
    schema = resolve(schema, root)
    if not isinstance(schema, dict):
        return None
    props = schema.get("properties", {})
    if key in props:
        return props[key]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def item_schema(schema, root):
    schema = resolve(schema, root)
    if isinstance(schema, dict) and isinstance(schema.get("items"), dict):
        return schema["items"]
    return None


# ---------------------------------------------------------------- canonical YAML

RESERVED_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off",
                  "null", "~"}
INDICATOR_START = set("-?:,[]{}#&*!|>'\"%@`")
DATEISH_RE = re.compile(r"^[0-9][0-9TZ:.+-]*$")
ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b",
           "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
           "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def is_control(ch):
    o = ord(ch)
    return o < 0x20 or o == 0x7f or 0x80 <= o < 0xa0 or ch in "\u2028\u2029"


def needs_quotes(s):
    if s == "" or s[0] == " " or s[-1] == " ":
        return True
    if s[0] in INDICATOR_START or s[0].isdigit() or s[0] in "+-.":
        return True
    if ": " in s or " #" in s or s.endswith(":"):
        return True
    if any(is_control(ch) for ch in s):
        return True
    return s.lower() in RESERVED_WORDS


def double_quote(s):
    out = []
    for ch in s:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif is_control(ch):
            out.append("\\x%02x" % ord(ch) if ord(ch) < 0x100
                       else "\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def scalar(value, schema, root):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if not isinstance(value, str):
        raise TypeError("cannot write %r" % (value,))
    s = resolve(schema, root) if schema is not None else None
    if (isinstance(s, dict) and s.get("format") in ("date", "date-time")
            and DATEISH_RE.match(value)):
        return value
    return double_quote(value) if needs_quotes(value) else value


def ordered_keys(mapping, schema, root):
    s = resolve(schema, root) if schema is not None else None
    props = list(s.get("properties", {})) if isinstance(s, dict) else []
    known = [k for k in props if k in mapping]
    return known + [k for k in mapping if k not in props]


def emit_key(key):
    key = str(key)
    return double_quote(key) if needs_quotes(key) else key


def emit_node(key_prefix, value, schema, root, indent, lines):
    """Append the lines for `key_prefix value` (key_prefix is "k:" or "-")."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            lines.append("%s%s {}" % (pad, key_prefix))
        else:
            lines.append("%s%s" % (pad, key_prefix))
            emit_mapping(value, schema, root, indent + 2, lines)
    elif isinstance(value, list):
        if not value:
            lines.append("%s%s []" % (pad, key_prefix))
        else:
            lines.append("%s%s" % (pad, key_prefix))
            emit_sequence(value, schema, root, indent + 2, lines)
    else:
        lines.append("%s%s %s" % (pad, key_prefix, scalar(value, schema, root)))


def emit_mapping(mapping, schema, root, indent, lines):
    for key in ordered_keys(mapping, schema, root):
        sub = child_schema(schema, root, key) if schema is not None else None
        emit_node(emit_key(key) + ":", mapping[key], sub, root, indent, lines)


def emit_sequence(seq, schema, root, indent, lines):
    pad = " " * indent
    sub = item_schema(schema, root) if schema is not None else None
    for item in seq:
        if isinstance(item, dict) and item:
            inner = []
            emit_mapping(item, sub, root, indent + 2, inner)
            inner[0] = pad + "- " + inner[0][indent + 2:]
            lines.extend(inner)
        elif isinstance(item, list) and item:
            raise TypeError("sequences of sequences are not used in records")
        else:
            emit_node("-", item, sub, root, indent, lines)


def emit(document, schema=None):
    """Canonical text of a record (keys in schema order) or of a schema
    document (schema=None: keys in the order given)."""
    lines = []
    emit_mapping(document, schema, schema, 0, lines)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- subset check

ALLOWED = {"$schema", "$id", "$defs", "$ref", "title", "description",
           "$comment", "default", "examples", "type", "properties",
           "required", "additionalProperties", "enum", "const", "pattern",
           "format", "minimum", "maximum", "exclusiveMinimum",
           "exclusiveMaximum", "minLength", "maxLength", "items", "minItems",
           "maxItems", "uniqueItems", "x-sensitive", "x-public"}
TYPES = {"string", "integer", "number", "boolean", "object", "array", "null"}
FORMATS = {"date", "date-time", "time", "email"}
REF_RE = re.compile(r"^#/\$defs/[A-Za-z0-9_]+$")
BAD_PATTERN_BITS = ["\\", "(?", "*?", "+?", "??", "}?"]


def subset_problems(schema, root, where="#"):
    problems = []
    if not isinstance(schema, dict):
        return ["%s: schema is not a mapping" % where]
    for key in schema:
        if key not in ALLOWED:
            problems.append("%s: keyword %s is not in the subset" % (where, key))
    if "$ref" in schema:
        ref = schema["$ref"]
        if not REF_RE.match(ref):
            problems.append("%s: $ref %s is not local" % (where, ref))
        elif ref[len("#/$defs/"):] not in root.get("$defs", {}):
            problems.append("%s: $ref %s has no target" % (where, ref))
        for key in schema:
            if key not in ("$ref", "description", "$comment", "title"):
                problems.append("%s: %s next to $ref" % (where, key))
    types = schema.get("type")
    if types is not None:
        tl = types if isinstance(types, list) else [types]
        for t in tl:
            if t not in TYPES:
                problems.append("%s: unknown type %r" % (where, t))
    else:
        tl = []
    if "format" in schema and schema["format"] not in FORMATS:
        problems.append("%s: format %s not in the subset" % (where, schema["format"]))
    if "pattern" in schema:
        p = schema["pattern"]
        if not (p.startswith("^") and p.endswith("$")):
            problems.append("%s: pattern %s is not anchored" % (where, p))
        for bit in BAD_PATTERN_BITS:
            if bit in p:
                problems.append("%s: pattern %s uses %r" % (where, p, bit))
    if schema.get("format") == "time" and "pattern" not in schema:
        problems.append("%s: format time without a pattern" % where)
    if "string" in tl and not ({"enum", "const", "maxLength"} & set(schema)) \
            and schema.get("format") not in ("date", "date-time"):
        problems.append("%s: string without maxLength" % where)
    if "object" in tl and "additionalProperties" not in schema:
        problems.append("%s: object without additionalProperties" % where)
    for name in schema.get("required", []):
        if name not in schema.get("properties", {}):
            problems.append("%s: required %s is not a property" % (where, name))
    for key in ("x-sensitive", "x-public"):
        if key in schema and schema[key] is not True:
            problems.append("%s: %s must be true" % (where, key))
    if "items" in schema:
        problems += subset_problems(schema["items"], root, where + "/items")
    if isinstance(schema.get("additionalProperties"), dict):
        problems += subset_problems(schema["additionalProperties"], root,
                                    where + "/additionalProperties")
    for name, sub in schema.get("properties", {}).items():
        problems += subset_problems(sub, root, "%s/properties/%s" % (where, name))
    for name, sub in schema.get("$defs", {}).items():
        problems += subset_problems(sub, root, "%s/$defs/%s" % (where, name))
    return problems


# ---------------------------------------------------------------- POSIX regex

class PosixRegex:
    REG_EXTENDED = 1
    REG_NOSUB = 8

    def __init__(self):
        self.libc = ctypes.CDLL(ctypes.util.find_library("c"))
        self.cache = {}

    def compile(self, pattern):
        if pattern not in self.cache:
            buf = ctypes.create_string_buffer(1024)
            rc = self.libc.regcomp(buf, pattern.encode(),
                                   self.REG_EXTENDED | self.REG_NOSUB)
            self.cache[pattern] = buf if rc == 0 else None
        return self.cache[pattern]

    def match(self, pattern, text):
        buf = self.compile(pattern)
        if buf is None:
            return None
        return self.libc.regexec(buf, text.encode(), 0, None, 0) == 0


def pattern_values(value, schema, root, out):
    """Collect (pattern, string) pairs of a record for the POSIX check."""
    s = resolve(schema, root)
    if not isinstance(s, dict):
        return
    if isinstance(value, str) and "pattern" in s:
        out.append((s["pattern"], value))
    elif isinstance(value, dict):
        for key, sub in value.items():
            cs = child_schema(s, root, key)
            if cs is not None:
                pattern_values(sub, cs, root, out)
    elif isinstance(value, list):
        isch = item_schema(s, root)
        if isch is not None:
            for sub in value:
                pattern_values(sub, isch, root, out)


# ---------------------------------------------------------------- TAP

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, details=()):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, name))
        if not ok:
            self.failed += 1
            for line in details:
                print("#   " + str(line))
        return ok


def error_paths(error, instance_at):
    """Field paths an error stands for: the path of the offending field, the
    missing property for `required`, the extra keys for
    `additionalProperties`."""
    base = ".".join(str(p) for p in error.absolute_path)
    join = (lambda name: base + "." + name) if base else (lambda name: name)
    if error.validator == "required":
        inst = error.instance if isinstance(error.instance, dict) else {}
        return {join(name) for name in error.validator_value if name not in inst}
    if error.validator == "additionalProperties":
        props = error.schema.get("properties", {})
        inst = error.instance if isinstance(error.instance, dict) else {}
        return {join(name) for name in inst if name not in props}
    return {base}


def main():
    tap = Tap()
    posix = PosixRegex()
    results = []

    schemas = {}
    for kind in KINDS:
        path = os.path.join(SCHEMAS, kind + ".yaml")
        try:
            text = read(path)
            schemas[kind] = load_text(text)
        except Exception as e:  # noqa: BLE001 - reported as TAP
            results.append((False, "schemas/%s.yaml loads" % kind, [e]))
            continue
        schema = schemas[kind]
        try:
            Draft202012Validator.check_schema(schema)
            results.append((True, "schemas/%s.yaml is a valid 2020-12 schema" % kind, []))
        except Exception as e:  # noqa: BLE001
            results.append((False, "schemas/%s.yaml is a valid 2020-12 schema" % kind,
                            [str(e).splitlines()[0]]))
        problems = subset_problems(schema, schema)
        want_id = "https://peer-support.example/schemas/%s.yaml" % kind
        if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            problems.append("$schema is not draft 2020-12")
        if schema.get("$id") != want_id:
            problems.append("$id is not %s" % want_id)
        for key in ("title", "description"):
            if not schema.get(key):
                problems.append("no %s" % key)
        kprop = schema.get("properties", {}).get("kind", {})
        if kprop.get("const") != kind:
            problems.append("properties.kind.const is not %s" % kind)
        results.append((not problems, "schemas/%s.yaml uses only the supported subset" % kind,
                        problems))
        out = emit(schema)
        results.append((out == text, "schemas/%s.yaml is in canonical form" % kind,
                        diff_lines(text, out)))

    defs = {}
    clashes = []
    for kind, schema in schemas.items():
        for name, sub in schema.get("$defs", {}).items():
            if name in defs and defs[name][1] != sub:
                clashes.append("$defs/%s differs between %s and %s"
                               % (name, defs[name][0], kind))
            defs.setdefault(name, (kind, sub))
    results.append((not clashes, "shared $defs are identical across schemas", clashes))

    validators = {kind: Draft202012Validator(s, format_checker=format_checker)
                  for kind, s in schemas.items()}
    pattern_pairs = []

    def check_record(path, kind_hint=None):
        text = read(path)
        doc = load_text(text)
        if not isinstance(doc, dict):
            return None, None, None, "not a mapping"
        kind = kind_hint or doc.get("kind")
        if kind not in validators:
            return doc, None, text, "unknown kind %r" % (kind,)
        return doc, kind, text, None

    valid_files = sorted(f for f in os.listdir(VALID) if f.endswith(".yaml"))
    counts = {}
    for name in valid_files:
        path = os.path.join(VALID, name)
        label = "valid/%s" % name
        try:
            doc, kind, text, problem = check_record(path)
        except Exception as e:  # noqa: BLE001
            results.append((False, label + " loads", [e]))
            continue
        if problem:
            results.append((False, label + " validates", [problem]))
            continue
        counts[kind] = counts.get(kind, 0) + 1
        errs = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.absolute_path))
        results.append((not errs, "%s validates as %s" % (label, kind),
                        ["%s: %s" % (".".join(map(str, e.absolute_path)), e.message)
                         for e in errs]))
        rid = doc.get("id", "")
        named = name == "%s.yaml" % rid and ID_PREFIX.get(rid[:1]) == kind
        results.append((named, "%s is named after its id" % label,
                        ["id %r, kind %s" % (rid, kind)]))
        out = emit(doc, schemas[kind])
        results.append((out == text, "%s is in canonical form" % label, diff_lines(text, out)))
        pattern_values(doc, schemas[kind], schemas[kind], pattern_pairs)
    for kind in KINDS[:-1]:
        results.append((counts.get(kind, 0) >= 3, "at least 3 valid %s fixtures" % kind,
                        ["found %d" % counts.get(kind, 0)]))

    expect = {}
    expect_path = os.path.join(INVALID, "EXPECT")
    for lineno, line in enumerate(read(expect_path).splitlines(), 1):
        if not line.strip():
            continue
        fname, _, field = line.partition("\t")
        expect[fname] = field
    invalid_files = sorted(f for f in os.listdir(INVALID) if f.endswith(".yaml"))
    for name in invalid_files:
        path = os.path.join(INVALID, name)
        label = "invalid/%s" % name
        kind_hint = name.split("-", 1)[0]
        try:
            doc, kind, text, problem = check_record(path, kind_hint)
        except Exception as e:  # noqa: BLE001
            results.append((False, label + " loads", [e]))
            continue
        if problem:
            results.append((False, label + " fails", [problem]))
            continue
        errs = list(validators[kind].iter_errors(doc))
        paths = set()
        for e in errs:
            paths |= error_paths(e, doc)
        want = expect.get(name)
        ok = bool(errs) and want is not None and paths == {want}
        results.append((ok, "%s fails as %s at %s" % (label, kind, want),
                        ["expected %r in EXPECT, errors at %s: %s"
                         % (want, sorted(paths), "; ".join(e.message[:120] for e in errs))]))
        out = emit(doc, schemas[kind])
        results.append((out == text, "%s is in canonical form" % label, diff_lines(text, out)))
        pattern_values(doc, schemas[kind], schemas[kind], pattern_pairs)
    missing = sorted(set(expect) - set(invalid_files))
    results.append((not missing, "every EXPECT entry names a fixture", missing))

    example_dirs = sorted(d for d in os.listdir(EXAMPLES)
                          if os.path.isfile(os.path.join(EXAMPLES, d, "program.yaml")))
    for d in example_dirs:
        label = "examples/%s/program.yaml" % d
        path = os.path.join(EXAMPLES, d, "program.yaml")
        try:
            text = read(path)
            doc = load_text(text)
        except Exception as e:  # noqa: BLE001
            results.append((False, label + " loads", [e]))
            continue
        errs = list(validators["program"].iter_errors(doc))
        results.append((not errs, label + " validates as program",
                        ["%s: %s" % (".".join(map(str, e.absolute_path)), e.message)
                         for e in errs]))
        out = emit(doc, schemas["program"])
        results.append((out == text, label + " is in canonical form", diff_lines(text, out)))
        pattern_values(doc, schemas["program"], schemas["program"], pattern_pairs)

    all_patterns = set()
    for schema in schemas.values():
        collect_patterns(schema, all_patterns)
    bad = sorted(p for p in all_patterns if posix.compile(p) is None)
    results.append((not bad, "every pattern compiles as a POSIX extended regex", bad))
    disagree = sorted({"%s on %r: python %s, posix %s" % (p, v, bool(re.search(p, v)),
                                                          posix.match(p, v))
                       for p, v in pattern_pairs
                       if posix.compile(p) is not None
                       and bool(re.search(p, v)) != posix.match(p, v)})
    results.append((not disagree,
                    "POSIX and Python regexes agree on %d fixture values" % len(pattern_pairs),
                    disagree))

    print("1..%d" % len(results))
    for ok, name, details in results:
        tap.result(ok, name, details)
    return 1 if tap.failed else 0


def collect_patterns(schema, out):
    if isinstance(schema, dict):
        if isinstance(schema.get("pattern"), str):
            out.add(schema["pattern"])
        for key, sub in schema.items():
            if key in ("properties", "$defs"):
                for s in sub.values():
                    collect_patterns(s, out)
            elif key in ("items", "additionalProperties"):
                collect_patterns(sub, out)


def diff_lines(want, got):
    a, b = want.splitlines(), got.splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<end>"
        y = b[i] if i < len(b) else "<end>"
        if x != y:
            return ["line %d: file has %r" % (i + 1, x), "line %d: canonical %r" % (i + 1, y)]
    if want != got:
        return ["final newline or trailing text differs"]
    return []


if __name__ == "__main__":
    sys.exit(main())
