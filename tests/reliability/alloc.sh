#!/bin/bash
# Allocation failure at every allocation point of one representative run
# of each tool (failmalloc.so, an LD_PRELOAD shim): first a single failure
# (that call fails, later ones work), then a persistent one (that call and
# every one after it fail). Every time: an exit status 0 to 3, never a
# crash; a message when not 0; nothing half-written (git fsck clean, HEAD
# the old commit or, with status 0, the new one, no partial file, and the
# next run works and leaves nothing behind); with status 0 the very same
# commit and output as a run without failures (IDs aside): a failure is
# never swallowed into a wrong record. A sample of the single failures
# runs under valgrind: no definite leak.
#
# An allocation point is a place in the code that allocates, told apart by
# the call stack above it (1 frame), as met in a run: the shim lists the
# first call from each.
# valgrind runs one point of each tool. RELIABILITY_FULL=1: 3 frames
# throughout, valgrind on 12 points of each tool and on every single
# failure of ps-log.
. "$(dirname "$0")/lib.sh"

if [ "$SANITIZED" = 1 ]; then
	skip "allocation failures" "a sanitizer build (its allocator, not the shim's)"
	done_testing
	exit
fi

SHIM=$top/tests/reliability/failmalloc.so
if [ ! -f "$SHIM" ]; then
	SHIM=$R/failmalloc.so
	cc -shared -fPIC -O2 -o "$SHIM" "$top/tests/reliability/failmalloc.c" -ldl ||
	    { not_ok "build failmalloc.so"; done_testing; exit 1; }
fi
export SHIM

norm() {
	sed -E 's/\b[PVMCG]-[0-9A-HJKMNP-TV-Z]{6}\b/X-ID/g'
}

op_of() {	# tool: the run, from the dir holding s/
	case $1 in
	ps-check)  echo "ps-check -C s" ;;
	ps-report) echo "ps-report -C s --format yaml" ;;
	*)         op_cmd "$1" ;;
	esac
}

# The store's files (names, types, sizes, modes, times) and folders, but
# the tools' caches (lib.sh), and the time of a folder (a cache made in
# .git changes that of .git).
fingerprint() {	# dir
	(cd "$1" && find s new \( -false "${CACHES[@]}" \) -prune -o \
	    -type d -printf '%p\t%y\n' -o \
	    -printf '%p\t%y\t%s\t%m\t%T@\n' 2>/dev/null | sort)
}

# One run: fail allocation n (mode single or persist); print "n result".
one() {	# tool mode n
	local tool=$1 mode=$2 n=$3 w=$R/w.$1.$2.$3 st old problems= next head
	local persist=
	[ "$mode" = persist ] && persist=1
	cp -a "$R/tmpl.$tool" "$w"
	cd "$w" || return
	. ./ids
	old=$(git -C s rev-parse HEAD 2>/dev/null)
	# shellcheck disable=SC2046
	LD_PRELOAD=$SHIM FAILMALLOC_N=$n FAILMALLOC_PERSIST=$persist \
	    $(op_of "$tool") >out 2>err
	st=$?
	case $st in
	[0-3]) ;;
	*) echo "$n FAIL exit $st (a crash): $(head -c 300 err | tr '\n' ' ')"
	   cd "$R" && rm -rf "$w"; return ;;
	esac
	if [ "$st" != 0 ] && [ ! -s err ]; then
		problems="exit $st without a message"
	elif [ "$(fingerprint "$w")" = "$(cat "$R/fp.$tool")" ]; then
		case $tool in
		ps-check|ps-report)
			[ "$st" = 0 ] && ! cmp -s out "$R/ref.$tool.out" &&
			    problems="exit 0, output not as without a failure" ;;
		*)	[ "$st" = 0 ] && problems="exit 0, nothing written" ;;
		esac
	elif [ "$tool" = ps-init ]; then
		problems=$(init_after "$w" "$st")
	else
		problems=$(state_check "$w/s" "$old" "$tool")
		head=$(git -C s rev-parse HEAD)
		if [ "$st" != 0 ] && [ "$head" != "$old" ]; then
			problems="$problems
exit $st but a commit was made"
		elif [ "$st" = 0 ] && [ "$head" = "$old" ]; then
			problems="$problems
exit 0 but no commit"
		elif [ "$st" = 0 ]; then
			git -C s diff "$old" HEAD | grep -v '^index ' | norm >diff
			git -C s log -1 --format=%B | norm >msg
			cmp -s diff "$R/ref.$tool.diff" ||
			    problems="$problems
commit not as without a failure: $(diff "$R/ref.$tool.diff" diff | head -5)"
			cmp -s msg "$R/ref.$tool.msg" ||
			    problems="$problems
commit message not as without a failure"
			# the output is lost only when libgit2 ran out of
			# memory after the commit (and said so)
			grep -q 'the write is saved' err || norm <out |
			    cmp -s - "$R/ref.$tool.out" ||
			    problems="$problems
exit 0, output not as without a failure"
		fi
		if [ -z "$problems" ]; then
			if [ "$head" = "$old" ]; then
				next=$(op_cmd "$tool")
			else
				next="ps-log -C s $M --mode phone --minutes 5"
			fi
			# shellcheck disable=SC2086
			if ! $next >next.out 2>next.err; then
				problems="next run failed: $next: $(cat next.err)"
			else
				problems=$(clean_check "$w/s")
			fi
		fi
	fi
	if [ -n "$problems" ]; then
		echo "$n FAIL (exit $st: $(head -c 200 err | tr '\n' ' ')): $(printf '%s' "$problems" | tr '\n' ' ' | cut -c1-500)"
	else
		echo "$n ok $st"
	fi
	cd "$R" && rm -rf "$w"
}

# ps-init after a failure: no store (and nothing left), or a whole one.
init_after() {	# dir status
	local w=$1 st=$2
	if [ -f "$w/new/program.yaml" ]; then
		[ "$st" = 0 ] || echo "exit $st but the store was made"
		git -C "$w/new" fsck --full --strict >/dev/null 2>&1 || echo "git fsck"
		clean_check "$w/new"
	else
		# what a failure left (.ps-init) the next ps-init clears
		[ "$st" != 0 ] || echo "exit 0 but no store"
		ps-init new >/dev/null 2>next.err || echo "next ps-init failed: $(cat next.err)"
		ls -A "$w/new" | grep -vx -e .git -e program.yaml |
		    sed 's/^/left in new\/: /'
	fi
}

# valgrind on run n: no definite leak, no invalid access.
leak() {	# tool n
	local tool=$1 n=$2 w=$R/v.$1.$2
	cp -a "$R/tmpl.$tool" "$w"
	cd "$w" || return
	. ./ids
	# shellcheck disable=SC2046
	# the shim in the tool, not in valgrind's launcher (env, traced);
	# nouserintercepts: valgrind would replace the shim's malloc too
	valgrind -q --trace-children=yes --leak-check=full \
	    --errors-for-leak-kinds=definite --error-exitcode=99 \
	    --soname-synonyms=somalloc=nouserintercepts --log-file=vg \
	    env LD_PRELOAD="$SHIM" FAILMALLOC_N="$n" $(op_of "$tool") \
	    >/dev/null 2>&1
	# a block libgit2 itself lost on its error path is not ours: the
	# first frame past the allocators names who allocated it
	ours=$(awk '
	    /definitely lost|Invalid (read|write)|uninitialised/ { rec = 1; who = ""; text = "" }
	    rec { text = text $0 " " }
	    rec && /(at|by) 0x/ && who == "" &&
		!/vgpreload|libc\.so|: (malloc|calloc|realloc|strn?dup) |: git_(malloc|calloc|strn?dup|substrdup|realloc|reallocarray|mallocarray) \(git\.c/ {
		who = $0
	    }
	    rec && /^==[0-9]+== *$/ {
		if (who !~ /libgit2/ || text ~ /Invalid|uninitialised/) print text
		rec = 0
	    }' vg | head -1)
	if [ -n "$ours" ]; then
		echo "$n FAIL $(printf '%s' "$ours" | cut -c1-700)"
	else
		echo "$n ok $(grep -c 'definitely lost' vg)"
	fi
	cd "$R" && rm -rf "$w"
}

case ${1:-} in
--one)	# --one TOOL MODE n [n ...]
	tool=$2 mode=$3
	shift 3
	for n; do (one "$tool" "$mode" "$n"); done
	exit 0 ;;
--leak) leak "$2" "$3"; exit 0 ;;
esac

t0=$(now)
make_store "$R/base" || { not_ok "a store"; done_testing; exit 1; }
. "$R/base/ids"
tools=${ALLOC_TOOLS:-ps-log ps-apply ps-screen ps-match ps-init ps-check ps-report}
for tool in $tools; do
	mkdir "$R/tmpl.$tool"
	cp "$R/base/ids" "$R/tmpl.$tool/"
	[ $tool = ps-init ] || cp -a "$R/base/s" "$R/tmpl.$tool/s"
	fingerprint "$R/tmpl.$tool" >"$R/fp.$tool"
	# the reference: a run without failures
	cp -a "$R/tmpl.$tool" "$R/ref"
	(cd "$R/ref" && $(op_of $tool) >out 2>/dev/null &&
	    if [ -d s ] && [ "$(git -C s rev-parse HEAD)" != "$(git -C "$R/base/s" rev-parse HEAD)" ]; then
		git -C s diff "$(git -C "$R/base/s" rev-parse HEAD)" HEAD | grep -v '^index ' | norm >"$R/ref.$tool.diff"
		git -C s log -1 --format=%B | norm >"$R/ref.$tool.msg"
	    fi
	    case $tool in ps-check|ps-report) cp out "$R/ref.$tool.out" ;;
	    *) norm <out >"$R/ref.$tool.out" ;; esac)
	rm -rf "$R/ref"
done

# one frame (two for ps-log's single failures took make check past its
# ten minutes); three with RELIABILITY_FULL=1
points=0 runs=0
for tool in $tools; do
	for mode in single persist; do
		t1=$(now)
		depth=1
		[ "$FULL" = 1 ] && depth=3
		cp -a "$R/tmpl.$tool" "$R/count"
		# shellcheck disable=SC2046
		(cd "$R/count" && LD_PRELOAD=$SHIM FAILMALLOC_DEPTH=$depth \
		    FAILMALLOC_SITES="$R/sites" FAILMALLOC_COUNT="$R/calls" \
		    $(op_of $tool) >/dev/null 2>&1)
		rm -rf "$R/count"
		n=$(wc -l <"$R/sites")
		read -r calls _ <"$R/calls"
		xargs -P "$JOBS" -n 12 "$0" --one $tool $mode <"$R/sites" \
		    >"$R/results"
		points=$((points + n))
		runs=$((runs + n))
		fails=$(grep ' FAIL ' "$R/results" | sort -n)
		[ "$(wc -l <"$R/results")" = "$n" ] || fails="$fails
$(wc -l <"$R/results") results for $n runs"
		st=$(awk '$2 == "ok" { c[$3]++ } END { for (s in c) printf "%s%d exit %s", n++ ? ", " : "", c[s], s }' "$R/results")
		what="a single failure at"
		[ $mode = persist ] && what="failure from"
		tap "$tool: $what each of its $n allocation points ($depth frames; $calls calls): $st; in $(since "$t1") s" "$fails"
		if [ $mode = single ] && command -v valgrind >/dev/null; then
			t1=$(now)
			k=1
			[ "$FULL" = 1 ] && k=12
			[ "$FULL" = 1 ] && [ $tool = ps-log ] && k=$n
			# k points spread over the run, from its middle
			awk -v n="$n" -v k="$k" 'BEGIN { for (i = 0; i < k; i++)
			    want[int(n * (i + 0.5) / k) + 1] = 1 } want[NR]' \
			    "$R/sites" >"$R/sample"
			xargs -P "$JOBS" -I{} "$0" --leak $tool {} <"$R/sample" >"$R/results"
			runs=$((runs + $(wc -l <"$R/sample")))
			tap "$tool: no leak under valgrind after a single failure at $(wc -l <"$R/sample") of those points in $(since "$t1") s" \
			    "$(grep ' FAIL ' "$R/results")"
		fi
	done
done
echo "# $runs runs with an allocation failing, in $(since "$t0") s"
done_testing
