# A man page read against its tool: the SYNOPSIS is the usage, every
# option is described, and the EXAMPLES run as the page shows them. Load
# after helpers:
#	load helpers
#	load man-page
#	synopsis_is_usage ps-tool
#	options_are_described ps-tool
#	run_man_examples "$TOP/man/ps-tool.1" 10
#
# The page of a tool is man/TOOL.1. Every tool takes the common options of
# peer-support(7) (-C, --author, -n, --yaml, --table, -h, --version); its
# usage shows those that matter to it, and -h, --help and --version only
# in the page's last SYNOPSIS line.

# man_page TOOL: the path of TOOL(1).
man_page() {
	printf '%s\n' "$BATS_TEST_DIRNAME/../../man/$1.1"
}

# man_synopsis PAGE [MANDOC-OPTION...]: the SYNOPSIS of PAGE as mandoc
# renders it, overstrikes removed.
man_synopsis() {
	local page=$1
	shift
	mandoc -Tascii "$@" "$page" | sed 's/.\x08//g' |
	    sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' | sed '1d;$d'
}

# squeeze: the standard input on one line, runs of blanks made one space.
squeeze() {
	tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

# long_options: the long options named in the standard input, one a line.
long_options() {
	grep -oE -- '--[a-z][a-z-]*' | sort -u
}

# synopsis_is_usage TOOL: TOOL -h and --help print the usage on stdout
# and exit 0; the SYNOPSIS of TOOL(1) is that usage, word for word,
# followed by "TOOL -h | --help | --version". Says every difference.
synopsis_is_usage() {
	local tool=$1 page help usage syn last missing= o fail=0
	page=$(man_page "$tool")
	run_split "$tool" --help
	help=$out
	if [ "$status" != 0 ] || [ -n "$err" ] ||
	    [[ $help != "usage: $tool "* ]]; then
		printf '%s --help: status %s, stderr "%s", stdout:\n%s\n' \
		    "$tool" "$status" "$err" "$help"
		fail=1
	fi
	run_split "$tool" -h
	if [ "$status" != 0 ] || [ -n "$err" ] || [ "$out" != "$help" ]; then
		echo "$tool -h: not what --help prints"
		diff -u <(printf '%s\n' "$help") <(printf '%s\n' "$out") || true
		fail=1
	fi
	usage=$(printf '%s\n' "$help" | sed 's/^usage: //' | squeeze)
	syn=$(man_synopsis "$page" -O width=200)
	last=$(printf '%s\n' "$syn" | sed -n '$p' | squeeze)
	if [ "$last" != "$tool -h | --help | --version" ]; then
		echo "SYNOPSIS: the last line is not \"$tool -h | --help | --version\": $last"
		fail=1
	fi
	syn=$(printf '%s\n' "$syn" | sed '$d' | squeeze)
	if [ "$syn" != "$usage" ]; then
		echo "SYNOPSIS and usage differ, a word a line:"
		diff -u --label usage --label "$tool(1)" \
		    <(tr ' ' '\n' <<<"$usage") <(tr ' ' '\n' <<<"$syn") || true
		fail=1
	fi
	# and, as the page is read at a terminal's width, every long option
	# of the usage is in the SYNOPSIS
	syn=$(man_synopsis "$page")
	for o in $(printf '%s\n' "$help" | long_options); do
		grep -qE -- "(^|[[ ])$o([] ]|\$)" <<<"$syn" ||
		    missing="$missing $o"
	done
	if [ -n "$missing" ]; then
		echo "not in the SYNOPSIS:$missing"
		fail=1
	fi
	return "$fail"
}

# options_are_described TOOL: each option of the usage of TOOL, and -h,
# --help and --version, has an item in OPTIONS of TOOL(1); a common
# option's item names it as peer-support(7) does (-n with --dry-run, -h
# with --help, -C with DIR). -C, which every tool takes, is described or
# the page says it does not apply. OPTIONS describes no long option that
# is neither in the usage nor common. Says every option amiss.
options_are_described() {
	local tool=$1 page help items shorts o missing= extra=
	local -A common=([C]='Fl C Ar DIR' [n]='Fl n , Fl Fl dry-run'
	    [h]='Fl h , Fl Fl help')
	page=$(man_page "$tool")
	help=$("$tool" -h)
	[ -n "$help" ] || return 1
	items=$(sed -n '/^\.Sh OPTIONS$/,/^\.Sh /p' "$page" | grep '^\.It ')
	for o in $(printf '%s\n' "$help" | long_options) --help --version; do
		grep -qE "^\.It .*Fl Fl ${o#--}( |\$)" <<<"$items" ||
		    missing="$missing $o"
	done
	shorts=$( (printf '%s\n' "$help" |
	    grep -oE -- '(^|[[ ])-[A-Za-z]\b' | tr -d '[ '; echo -h) | sort -u)
	for o in $shorts; do
		o=${o#-}
		if [ -n "${common[$o]+set}" ]; then
			grep -qxF ".It ${common[$o]}" <<<"$items"
		else
			grep -qE "^\.It Fl $o( |\$)" <<<"$items"
		fi || missing="$missing -$o"
	done
	grep -qx -- -C <<<"$shorts" ||
	    grep -qxF ".It ${common[C]}" <<<"$items" ||
	    awk 'p == ".Fl C" && /^does not apply/ { f = 1 } { p = $0 }
		END { exit !f }' "$page" ||
	    missing="$missing -C"
	for o in $(grep -oE 'Fl Fl [a-z][a-z-]*' <<<"$items" |
	    sed 's/^Fl Fl /--/' | sort -u); do
		case $o in
		--author|--dry-run|--yaml|--table|--help|--version) ;;
		*) printf '%s\n' "$help" | grep -qE -- "$o([^a-z-]|\$)" ||
		    extra="$extra $o" ;;
		esac
	done
	if [ -n "$missing$extra" ]; then
		[ -z "$missing" ] || echo "not in OPTIONS:$missing"
		[ -z "$extra" ] || echo "in OPTIONS, not in the usage:$extra"
		return 1
	fi
}

# The EXAMPLES. In a literal display, a line "$ cmd" is a command, which
# goes on after a line ending in \ or |; the lines after it, up to the
# next command or the end of the display, are its output, stdout and
# stderr together. Displays without a command are not run. Commands run
# in the test's own shell, so cd and export last; $HOME in the output
# reads /home/acarey, and $? in a command is the status of the one before.
#
# IDs are random: the page's IDs stand for the ones a run makes. The first
# time a page's ID is shown, it is paired with the one in the same place
# of the real output; after that, commands use the real one, and output
# must show the same pairs.

# man_examples PAGE: each literal display of the EXAMPLES, after a line
# "@@", with mdoc's escapes undone.
man_examples() {
	awk '
	/^\.Sh / { in_ex = ($0 == ".Sh EXAMPLES") }
	in_ex && /^\.Bd -literal/ { in_bd = 1; print "@@"; next }
	in_bd && /^\.Ed/ { in_bd = 0; next }
	in_bd { print }
	' "$1" | sed -e 's/\\(dq/"/g' -e 's/\\&//g' -e 's/\\e/\\/g'
}

declare -gA real_id

man_ids() {
	grep -oE '\b[PVMCG]-[0-9A-HJKMNP-TV-Z]{6}\b' <<<"$1" || true
}

# man_example CMD WANT: run CMD and compare its output with WANT.
man_example() {
	local cmd=$1 want=$2 got k i rc=0
	local -a w g
	for k in "${!real_id[@]}"; do
		cmd=${cmd//$k/${real_id[$k]}}
	done
	cmd=${cmd//\$\?/$last_status}
	eval "$cmd" >"$T/.ex" 2>&1 || rc=$?
	last_status=$rc
	got=$(sed "s|$HOME|/home/acarey|g" "$T/.ex")
	mapfile -t w < <(man_ids "$want")
	mapfile -t g < <(man_ids "$got")
	if [ "${#w[@]}" = "${#g[@]}" ]; then
		for ((i = 0; i < ${#w[@]}; i++)); do
			[ -n "${real_id[${w[i]}]+set}" ] ||
			    real_id[${w[i]}]=${g[i]}
		done
	fi
	for k in "${!real_id[@]}"; do
		got=${got//${real_id[$k]}/$k}
	done
	if [ "$got" != "$want" ]; then
		printf '$ %s\n' "$1"
		diff -u <(printf '%s\n' "$want") <(printf '%s\n' "$got") || true
		return 1
	fi
}

# run_man_examples PAGE MIN: run every command of PAGE's EXAMPLES, in
# order, from the current directory; fail if one prints what the page
# does not show, or if fewer than MIN commands ran.
run_man_examples() {
	local -a lines
	local line cmd= want= n=0 i=0 fail=0
	last_status=0
	mapfile -t lines < <(man_examples "$1")
	[ "${#lines[@]}" -gt 0 ] || return 1
	lines+=("@@")
	while [ "$i" -lt "${#lines[@]}" ]; do
		line=${lines[i]}
		i=$((i + 1))
		if [ "$line" = "@@" ] || [[ $line == '$ '* ]]; then
			if [ -n "$cmd" ]; then
				man_example "$cmd" "$want" || fail=1
				n=$((n + 1))
			fi
			cmd= want=
			[[ $line == '$ '* ]] || continue
			cmd=${line#'$ '}
			while [[ $cmd == *'\' || $cmd == *'|' ]] &&
			    [ "$i" -lt "${#lines[@]}" ]; do
				cmd=${cmd%'\'}
				line=${lines[i]}
				i=$((i + 1))
				cmd="$cmd ${line#"${line%%[! ]*}"}"
			done
			continue
		fi
		[ -n "$cmd" ] || continue
		want=${want:+$want$'\n'}$line
	done
	echo "$n commands run"
	[ "$n" -ge "$2" ] && [ "$fail" = 0 ]
}
