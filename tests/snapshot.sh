#!/bin/bash
# tests/snapshot.sh [OUT]: what the tools print on fixed stores, in one
# file (OUT, or stdout), to compare byte for byte before and after a
# change that must not change behaviour (a move, a split, a rename):
#
#	tests/snapshot.sh /tmp/before; ...; tests/snapshot.sh /tmp/after
#	cmp /tmp/before /tmp/after
#
# The stores: one from tests/bench/ps-gen (fixed seed, a history of
# commits, people waiting to be matched) and the three examples' stores
# after their run.sh. Every clock is pinned. It runs each read of every
# tool, every report format and section, and each write with -n (a dry
# run), on the ps-gen store, then each write for real in a copy; then the
# demo. Each block is headed by its command line, its exit status after.
# The tools and ps-gen must be built (make tools tests/bench/ps-gen).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$top/cmd:$PATH" PS_SCHEMA_DIR="$top/schemas" LC_ALL=C.UTF-8
unset PS_STORE PS_AUTHOR
export PS_NOW=2026-11-24T12:00:00Z
export GIT_AUTHOR_DATE=$PS_NOW GIT_COMMITTER_DATE=$PS_NOW
export GIT_AUTHOR_NAME=Snapshot GIT_AUTHOR_EMAIL=snap@example.org
export GIT_COMMITTER_NAME=Snapshot GIT_COMMITTER_EMAIL=snap@example.org
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-snapshot.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM

# Commits carry the time they were made (libgit2 takes the clock, not
# GIT_COMMITTER_DATE): each commit ID becomes C1, C2, ... in the order
# first seen, quoted or not (YAML quotes a hash that reads as a number).
# The trees, which hold the content, are kept: trees shows
# a commit's (second field) as its first 20 digits, which hashes leaves.
# New IDs are random too: an ID that is not in the block "==> ids" (the
# generated store's records) becomes N1, N2, ... in the order first seen.
hashes() {
	perl -pe 's/"?\b([0-9a-f]{40})\b"?/$n{$1} \/\/= "C" . ++$k/ge;
	    $in = /^==> ids/ ? 1 : /^==>/ ? 0 : $in;
	    if ($in) { $id{$1} = $1 while /\b([A-Z]-[0-9A-Z]{6})\b/g }
	    else { s/\b([A-Z]-[0-9A-Z]{6})\b/$id{$1} \/\/= "N" . ++$j/ge }'
}
trees() { awk '{ $2 = "tree:" substr($2, 1, 20) } 1'; }

# t CMD...: the command's output, its stderr, its status; $tmp as TMP
t() {
	local st
	printf '==> %s\n' "$*" | sed "s|$tmp|TMP|g; s|$top|TOP|g"
	"$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	sed "s|$tmp|TMP|g" "$tmp/out"
	[ -s "$tmp/err" ] && { echo '--- stderr'; sed "s|$tmp|TMP|g" "$tmp/err"; }
	printf '<== %s\n' "$st"
}

snapshot() {
s=$tmp/gen
ps-init "$s" >/dev/null
"$top/tests/bench/ps-gen" --seed 7 --participants 300 --volunteers 60 \
    --matches 200 --contacts 1500 --weeks 8 --commits 6 --waiting 25 \
    --active 15 --as-of 2026-11-23 "$s" >/dev/null 2>&1 || exit 3
printf '==> the generated store\n'
git -C "$s" log --format='%H %T %s' | trees
cd "$s" || exit 3
echo "==> ids"
git ls-files | sed -n 's|.*/\([A-Z]-[0-9A-Z]*\)\.yaml$|\1|p'
ids() { ls "$1" | sed -n "${2}p" | sed 's/\.yaml$//'; }
p1=$(ids participants 1) p2=$(ids participants 7)
v1=$(ids volunteers 1) v2=$(ids volunteers 5)
m1=$(ids matches 1) m2=$(ids matches 9)

t ps-check
t ps-check --cached
t ps-check "participants/$p1.yaml" "volunteers/$v1.yaml"
for f in text md csv yaml html; do
	t ps-report --week 2026-W47 --format $f
	t ps-report --since 2026-10-01 --until 2026-11-22 --format $f
	t ps-report --week 2026-W46 --format $f --no-suppress
done
for sec in $(sed -n 's/^\.Ss \([a-z-]*\) .*/\1/p' "$top/man/ps-report.1"); do
	t ps-report --week 2026-W47 --section "$sec"
done
t ps-report --as-of HEAD~2 --week 2026-W45
t ps-report --history "$p1"
t ps-report --history "$m1"
t ps-report --retention
t ps-report --retention --yaml
t ps-report --retention --table
for fmt in '' --yaml --table; do
	t ps-apply --list $fmt
	t ps-log --list --since 2026-11-01 $fmt
	t ps-match --overdue $fmt
	t ps-screen --pending $fmt
	t ps-screen --overdue $fmt
	t ps-screen --expiring 120 $fmt
	t ps-screen --cohorts $fmt
done
t ps-apply --list --kind volunteer --status active
t ps-log --list --flagged --table
t ps-log --list --match "$m1"
t ps-log --list --volunteer "$v1" --yaml
t ps-match -n --stream extended
t ps-match -n --stream extended --yaml
t ps-match -n --stream onecall
t ps-match --gaps
t ps-match --gaps --stream extended
t ps-match --candidates 5 "$p2"
t ps-match --brief "$m1"
t ps-match --brief "$m2"
t ps-match -n --end "$m1" --reason completed
t ps-match -n --extend "$m2" --by 3m
t ps-log -n "$m2" --mode phone --minutes 30 --note 'hello'
t ps-log -n --volunteer "$v1" --activity training --hours 2
t ps-screen -n --step reference --result pass --referee 1 "$v2"
t ps-apply -n --withdraw "$p2" --reason moved
t ps-apply -n --erase "$p2" --yes

# the writes, for real, on a copy of the store
w=$tmp/write
cp -a "$s" "$w"
cd "$w" || exit 3
t ps-match --stream extended --commit
t ps-log "$m2" --mode phone --minutes 30 --note hello
t ps-apply --withdraw "$p2" --reason moved
t ps-apply --erase "$p1" --yes
t ps-check
t ps-report --week 2026-W48
git log --format='%H %an %s' | head -8
git status --porcelain
}

# the examples' runs and the demo, comparable as examples-run.bats makes
# them (IDs, hashes and directories masked, tables in a stable order)
examples() {
for ex in ms-society mental-health caregiver; do
	t "$top/examples/$ex/run.sh" "$tmp/ex-$ex"
done
TMPDIR=$tmp t "$top/examples/demo.sh"
}

[ $# -eq 0 ] || exec >"$1"
snapshot | hashes
examples | LC_ALL=C awk -v tmp="$tmp" -f "$top/tests/cli/examples-run.awk"
