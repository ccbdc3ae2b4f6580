# Shared set-up for the command-line tests: a private HOME with no git
# identity, the tools from cmd/, a pinned clock, and helpers that compare
# exact output.
#
# No test reads the real date: PS_NOW is the tools' clock (a test file
# may set its own before setup runs, a command its own), and plain git's
# commits are dated with GIT_AUTHOR_DATE and GIT_COMMITTER_DATE, set here
# to the same; git_commit_all dates its commit at PS_NOW as it is then.
# make check-future runs the suites with the real clock years ahead.
PS_NOW_DEFAULT=2026-11-22T15:00:00Z
setup() {
	T=$BATS_TEST_TMPDIR
	export HOME=$T/home
	mkdir -p "$HOME"
	export GIT_CONFIG_NOSYSTEM=1
	export PS_AUTHOR="Test Coordinator <coord@example.org>"
	export TZ=UTC
	export PS_NOW=${PS_NOW:-$PS_NOW_DEFAULT}
	export GIT_AUTHOR_DATE=$PS_NOW GIT_COMMITTER_DATE=$PS_NOW
	FIX=$BATS_TEST_DIRNAME/../fixtures
	cd "$T" || return 1
}

# need_strace: skip the test where there is no strace; else the tools
# it traces run without LeakSanitizer (a SANITIZE=1 build), which cannot
# run under ptrace and would fail every traced command.
need_strace() {
	command -v strace >/dev/null || skip "no strace"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
}

# run_split CMD...: run, keeping stdout and stderr apart in $out, $err.
run_split() {
	status=0
	"$@" >"$T/.out" 2>"$T/.err" || status=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# expect STATUS STDOUT STDERR: compare all three exactly.
expect() {
	if [ "$status" != "$1" ] || [ "$out" != "$2" ] || [ "$err" != "$3" ]; then
		printf 'status: got %s, want %s\n' "$status" "$1"
		diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$out") | sed 's/^/stdout /'
		diff -u <(printf '%s\n' "$3") <(printf '%s\n' "$err") | sed 's/^/stderr /'
		return 1
	fi
}

# A store with the example programme, at $T/s.
new_store() {
	ps-init "$T/s" >/dev/null
}

# git_commit_all MESSAGE [STORE]: commit every file of STORE ($T/s) with
# plain git (bypassing the hook), dated at PS_NOW as the tools' own
# commits are.
git_commit_all() {
	local s=${2:-$T/s}
	git -C "$s" add -A &&
	    GIT_AUTHOR_DATE=$PS_NOW GIT_COMMITTER_DATE=$PS_NOW \
	    git -C "$s" -c user.name=T -c user.email=t@example.org \
	    commit -q --no-verify -m "$1"
}

head_of() {
	git -C "$1" rev-parse HEAD
}

# Copy every valid fixture record into the store at its place.
fill_store() {
	local f id date
	for f in "$FIX"/records/valid/*.yaml; do
		id=$(basename "$f" .yaml)
		case $id in
		P-*) mkdir -p s/participants && cp "$f" s/participants/ ;;
		V-*) mkdir -p s/volunteers && cp "$f" s/volunteers/ ;;
		M-*) mkdir -p s/matches && cp "$f" s/matches/ ;;
		G-*) mkdir -p s/groups && cp "$f" s/groups/ ;;
		C-*) date=$(sed -n 's/^date: \([0-9-]*\)T.*/\1/p' "$f" | tr - /)
		     mkdir -p "s/contacts/$date" && cp "$f" "s/contacts/$date/" ;;
		esac
	done
	git_commit_all "fixtures"
}

# logged_store: the matching fixtures (tests/fixtures/match) in a new
# store, proposals stored, and the shell in it; $M an accepted match of
# P-B00001 with V-A00001, $CB the OneCall callback of P-B00005.
logged_store() {
	new_store
	mkdir -p s/participants s/volunteers s/groups
	cp "$FIX"/match/P-*.yaml s/participants/
	cp "$FIX"/match/V-*.yaml s/volunteers/
	cp "$FIX"/match/G-*.yaml s/groups/
	git_commit_all "fixtures"
	cd s
	ps-match --commit >/dev/null 2>&1
	M=$(grep -l 'participant: P-B00001' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	CB=$(grep -l 'participant: P-B00005' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	P2=$(grep -l 'participant: P-B00002' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	ps-match --accept "$M" >/dev/null
}
