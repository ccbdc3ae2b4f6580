#!/usr/bin/env bats
# tests/layers.sh, which make check runs: lib/ in layers, each using only
# those below it; cmd/ using ops/ and cli/; no circle; a function's name
# naming its module, declared in its module's header; no file too long;
# a unit test for each module, in tests/unit/ as in lib/.
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# tree FILE TEXT ...: a tree of the given files under $T/tree
tree() {
	while [ $# -gt 1 ]; do
		mkdir -p "$T/tree/$(dirname "$1")"
		printf '%s\n' "$2" >"$T/tree/$1"
		shift 2
	done
}

@test "layers: the repository's library keeps its layers" {
	run_split "$TOP/tests/layers.sh"
	expect 0 "layers: ok ($(grep -c . "$TOP/tests/layers.known") known problems left, in tests/layers.known)" ''
}

@test "layers: an include up a layer, with no layer, or from cmd/ below ops/ is refused by file and line" {
	tree lib/util/a.h '#include "ops/x.h"' \
	    lib/ops/x.h '/* x */' \
	    lib/store/s.c '#include "util/a.h"
#include "cli/c.h"' \
	    lib/cli/c.h '#include "store/s.h"' \
	    lib/store/s.h '/* s */' \
	    tests/unit/store/test-s.c '/* a test */' \
	    cmd/ps-a.c '#include "x.h"
#include "store/s.h"
#include "ops/x.h"'
	run_split "$TOP/tests/layers.sh" "$T/tree"
	expect 1 'layers: lib/cli/c.h:1: #include "store/s.h": cli/ uses util/ only
layers: lib/store/s.c:2: #include "cli/c.h": store/ may not include cli/, a layer above it
layers: lib/util/a.h:1: #include "ops/x.h": util/ may not include ops/, a layer above it
layers: cmd/ps-a.c:1: #include "x.h": an include names its layer (lib/LAYER/NAME.h)
layers: cmd/ps-a.c:2: #include "store/s.h": cmd/ includes ops/ and cli/ only
layers: a circle: c -> s -> c
layers: refused (0 known problems left)' ''
}

@test "layers: a circle, a misnamed or undeclared function, a long file, a module in two layers, one untested" {
	tree lib/store/s.h '#include "store/t.h"' \
	    lib/store/t.h '#include "store/u.h"' \
	    lib/store/u.h '#include "store/s.h"
int ps_u_one(void);' \
	    lib/store/u.c '#include "store/u.h"
int
ps_u_one(void)
{ return 1; }
int
ps_u_two(void)
{ return 2; }
int
ps_other(void)
{ return 3; }' \
	    lib/rules/t.c '/* t */' \
	    tests/unit/rules/test-t.c '/* a test */'
	seq 1201 >>"$T/tree/lib/store/u.c"
	run_split "$TOP/tests/layers.sh" "$T/tree"
	expect 1 'layers: lib/store/t.h: module t is in rules/ too
layers: lib/store/u.c: 1211 lines, over 1200
layers: lib/store/u.c:9: ps_other: a function of u is named ps_u...
layers: lib/store/u.c:6: ps_u_two: not declared in u.h
layers: lib/store/u.c:9: ps_other: not declared in u.h
layers: lib/store/u.c: no unit test (tests/unit/store/test-u.c)
layers: a circle: s -> t -> u -> s
layers: refused (0 known problems left)' ''
}
