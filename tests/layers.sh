#!/bin/sh
# tests/layers.sh [DIR]: the library's layers, checked in the tree DIR
# (the repository's by default; make check runs it).
#
#   util <- model <- store <- rules <- ops <- cmd, and cli <- cmd
#
# lib/ holds one folder for each layer; a module is lib/LAYER/NAME.c and
# its header lib/LAYER/NAME.h, and every include of the project's own
# names its layer ("store/txn.h"). Refused, each with its file and line:
#   - an include that goes up a layer (cli is a layer of its own, above
#     util, for cmd/ only), or names no layer, or a header that is not
#     there;
#   - in cmd/, an include of anything but ops/ and cli/;
#   - two modules of one name, in two layers;
#   - a circle: modules that include each other, directly or through
#     others (each circle printed once, as the modules in order);
#   - a function of the library's (ps_*, defined at the start of a line,
#     not static) whose name does not begin with ps_NAME, NAME its module's
#     (ps_diags_ and ps_schemas_ are of diag and schema: the name may go
#     on after NAME), or that its module's header does not declare;
#   - a source file of over MAX_LINES lines (1,200);
#   - a module with no unit test of its own: tests/unit/LAYER/test-NAME.c
#     (the unit tests mirror the tree; cli/, which only parses a tool's
#     command line, is tested through the tools).
# tests/layers.known lists the problems the library still has, as printed
# but without line numbers, while the move into layers goes on: they are
# reported and let pass; one that is gone must leave the list too.
# Exit status 0 when all is well, 1 when anything was refused.
set -u
top=${1:-$(dirname "$0")/..}
cd "$top" || exit 3
MAX_LINES=${MAX_LINES:-1200}
layers="util model store rules ops cli"

# one line per fact, for awk: "layer L RANK", "have LAYER/NAME.h", "file PATH", "inc PATH LINE
# HEADER", "def PATH LINE FUNCTION", "decl PATH FUNCTION", "lines PATH N"
facts() {
	r=0
	for l in $layers; do
		echo "layer $l $r"
		r=$((r + 1))
		for h in lib/$l/*.h; do [ -f "$h" ] && echo "have ${h#lib/}"; done
		for t in tests/unit/$l/test-*.c; do [ -f "$t" ] && echo "test $t"; done
	done
	for f in lib/*/*.[ch] cmd/*.c; do
		[ -f "$f" ] || continue
		echo "file $f"
		case $f in
		lib/cli/*) ;;
		lib/*.c) t=tests/unit/${f#lib/}; t=${t%/*}/test-${f##*/}
			[ -f "$t" ] || echo "untested $f $t" ;;
		esac
		echo "lines $f $(wc -l <"$f")"
		grep -n '^#include "' "$f" |
		    sed 's/^\([0-9]*\):#include "\([^"]*\)".*/\1 \2/' |
		    while read -r n h; do echo "inc $f $n $h"; done
		case $f in
		*.c)	grep -n '^ps_[a-z0-9_]*(' "$f" | sed 's/(.*//' |
			    while IFS=: read -r n fn; do echo "def $f $n $fn"; done ;;
		*.h)	grep -o '\bps_[a-z0-9_]*(' "$f" | tr -d '(' | sort -u |
			    while read -r fn; do echo "decl $f $fn"; done ;;
		esac
	done
}

problems=$(facts | awk -v max="$MAX_LINES" '
function layer_of(path,   a) { split(path, a, "/"); return a[1] == "lib" ? a[2] : a[1] }
function mod_of(path,   a, n, m) {
	n = split(path, a, "/"); m = a[n]; sub(/\.[ch]$/, "", m)
	if (m ~ /^yaml_(read|write)$/) m = "yaml"	# yaml.h, in two files
	return m
}
function bad(msg) { print msg }
$1 == "layer" { rank[$2] = $3; next }
$1 == "test"  { testfile[$2] = 1; next }
$1 == "have"  { have[$2] = 1; next }
$1 == "file" {
	if ($2 ~ /^lib\//) {
		m = mod_of($2); l = layer_of($2)
		if ((m in modlayer) && modlayer[m] != l)
			bad($2 ": module " m " is in " modlayer[m] "/ too")
		modlayer[m] = l
	}
	next
}
$1 == "lines" {
	if ($2 ~ /\.c$/ && $3 > max)
		bad($2 ": " $3 " lines, over " max)
	next
}
$1 == "inc" {
	f = $2; n = $3; h = $4
	split(h, hp, "/")
	if (!(h in have)) {
		bad(f ":" n ": #include \"" h "\": " \
		    (h ~ /\// ? "no such header in lib/" : "an include names its layer (lib/LAYER/NAME.h)"))
		next
	}
	hl = hp[1]
	if (f ~ /^cmd\//) {
		if (hl != "ops" && hl != "cli")
			bad(f ":" n ": #include \"" h "\": cmd/ includes ops/ and cli/ only")
		next
	}
	fl = layer_of(f)
	if (fl == "cli" && hl != "util" && hl != "cli")
		bad(f ":" n ": #include \"" h "\": cli/ uses util/ only")
	else if (fl != "cli" && (hl == "cli" || rank[hl] > rank[fl]))
		bad(f ":" n ": #include \"" h "\": " fl "/ may not include " hl "/, a layer above it")
	a = mod_of(f); b = mod_of(h)
	if (a != b && !((a SUBSEP b) in edge)) {
		edge[a, b] = 1; out[a] = out[a] " " b
	}
	next
}
$1 == "def" {
	f = $2; m = mod_of(f)
	if (index($4, "ps_" m) != 1)
		bad(f ":" $3 ": " $4 ": a function of " m " is named ps_" m "...")
	defs[f, $4] = $3; deff[++ndef] = f SUBSEP $4
	next
}
$1 == "untested" { untested[mod_of($2)] = layer_of($2); next }
$1 == "decl" { decl[mod_of($2), $3] = 1; next }
# circles: a depth-first search from each module; a back edge to a module
# on the path closes a circle, printed from its smallest module once
function dfs(v,   i, k, w, nb, j, c, lo) {
	state[v] = 1; path[++depth] = v
	k = split(out[v], nb, " ")
	for (i = 1; i <= k; i++) {
		w = nb[i]
		if (state[w] == 1) {
			for (j = depth; path[j] != w; j--) ;
			c = ""; lo = j
			for (; j <= depth; j++) if (path[j] < path[lo]) lo = j
			for (j = lo; j <= depth; j++) c = c path[j] " -> "
			for (j = depth; path[j] != w; j--) ;
			for (; j < lo; j++) c = c path[j] " -> "
			c = c path[lo]
			if (!(c in seen)) { seen[c] = 1; bad("a circle: " c) }
		} else if (!state[w])
			dfs(w)
	}
	depth--; state[v] = 2
}
END {
	for (i = 1; i <= ndef; i++) {
		split(deff[i], p, SUBSEP); m = mod_of(p[1])
		if (!((m, p[2]) in decl))
			bad(p[1] ":" defs[p[1], p[2]] ": " p[2] ": not declared in " m ".h")
	}
	for (v in untested)	# yaml: yaml_read.c and yaml_write.c, test-yaml.c
		if (!(("tests/unit/" untested[v] "/test-" v ".c") in testfile))
			bad("lib/" untested[v] "/" v ".c: no unit test (tests/unit/" untested[v] "/test-" v ".c)")
	for (v in modlayer) if (!state[v]) dfs(v)
}')
known=tests/layers.known
[ -f "$known" ] || known=/dev/null
strip() { sed -E 's/^([^: ]+):[0-9]+:/\1:/; s/: [0-9]+ lines, over/: lines, over/'; }
new=$(printf '%s\n' "$problems" | sed '/^$/d' | strip | grep -vxF -f "$known")
gone=$(printf '%s\n' "$problems" | strip | grep -vxF -f - "$known")
nknown=$(printf '%s\n' "$problems" | sed '/^$/d' | strip | grep -cxF -f "$known")
nknown=${nknown:-0}
if [ -n "$new" ]; then
	printf '%s\n' "$problems" | while IFS= read -r p; do
		q=$(printf '%s\n' "$p" | strip)
		printf '%s\n' "$new" | grep -qxF -- "$q" && echo "layers: $p"
	done
fi
[ -z "$gone" ] || printf 'layers: no longer so, take it out of %s: %s\n' \
    "$known" "$gone"
if [ -n "$new$gone" ]; then
	echo "layers: refused ($nknown known problems left)"
	exit 1
fi
echo "layers: ok ($nknown known problems left, in $known)"
