#!/bin/bash
# Concurrent writers.
#   - 8 processes x 200 writes (60 in a sanitizer build, which is some
#     five times slower; RELIABILITY_FULL=1: 2,000) into one store,
#     ps-log mixed with ps-apply and ps-screen: exactly one commit and one
#     new record (or, for ps-screen, one more step) per write, a linear
#     history, git fsck clean, no process failing on the lock it could have
#     waited for; reports run during the writes each equal the report of
#     the commit they name, made afterwards.
#   - two processes deciding on one record at once (two ps-match accepts,
#     an accept and a decline): one wins, the other is told the record
#     changed since it read it and exits 3; nothing silently overwritten.
. "$(dirname "$0")/lib.sh"
unset PS_THREADS	# as the tools run for real

P=8
N=200
[ "$SANITIZED" = 1 ] && N=60
[ "$FULL" = 1 ] && N=2000

# One writer: N writes, each a contact (most), an application, or a
# screening step; prints one line per write: "kind status".
writer() {	# id
	local i st kind
	for i in $(seq 1 "$N"); do
		case $((i % 10)) in
		3) kind=apply
		   printf '{"kind": "participant", "stream": "extended", "role": "caregiver", "name": {"first": "W%s", "last": "N%s"}, "contact": {"email": "w%s.%s@example.org"}, "languages": ["en"], "consents": [{"type": "privacy", "version": "2026-01", "date": "2026-11-20", "given": true}]}\n' "$1" "$i" "$1" "$i" |
		       ps-apply -C "$S" --allow-duplicate >/dev/null 2>>"$R/err.$1" ;;
		7) kind=screen
		   ps-screen -C "$S" "$VAPP" --step application --result pending \
		       >/dev/null 2>>"$R/err.$1" ;;
		*) kind=log
		   ps-log -C "$S" "$M" --mode phone --minutes "$i" \
		       --note "writer $1 write $i" >/dev/null 2>>"$R/err.$1" ;;
		esac
		st=$?
		echo "$kind $st"
	done
}

t0=$(now)
make_store "$R/base" || { not_ok "a store"; done_testing; exit 1; }
. "$R/base/ids"
S=$R/base/s
old=$(git -C "$S" rev-parse HEAD)
records() {
	(cd "$S" && find participants volunteers matches contacts groups \
	    -name '*.yaml' 2>/dev/null | wc -l)
}
steps() {
	grep -c '^    - step:' "$S/volunteers/$VAPP.yaml"
}
r0=$(records)
s0=$(steps)

# reports while the writers write
(
	i=0
	while [ ! -e "$R/stop" ]; do
		i=$((i + 1))
		ps-report -C "$S" --format yaml >"$R/report.$i" 2>"$R/report.$i.err" ||
		    echo "report $i: exit $?" >>"$R/report.fail"
		sleep 0.3
	done
) &
reporter=$!
pids=
for p in $(seq 1 $P); do
	writer "$p" >"$R/w.$p" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
touch "$R/stop"
wait "$reporter"
took=$(since "$t0")

writes=$((P * N))
cat "$R"/w.[0-9]* >"$R/all"
failed=$(awk '$2 != 0' "$R/all" | wc -l)
logs=$(awk '$1 == "log" && $2 == 0' "$R/all" | wc -l)
apps=$(awk '$1 == "apply" && $2 == 0' "$R/all" | wc -l)
screens=$(awk '$1 == "screen" && $2 == 0' "$R/all" | wc -l)
bad=
[ "$(wc -l <"$R/all")" = "$writes" ] || bad="$(wc -l <"$R/all") writes done of $writes"
[ "$failed" = 0 ] || bad="$bad
$failed writes failed: $(cat "$R"/err.* | sort | uniq -c | head -5)"
tap "$P processes x $N writes ($logs ps-log, $apps ps-apply, $screens ps-screen) into one store in $took s: none failed on the lock" "$bad"

bad=
commits=$(git -C "$S" rev-list --count "$old..HEAD")
[ "$commits" = "$writes" ] || bad="$commits commits for $writes writes"
[ "$(git -C "$S" rev-list --count --merges "$old..HEAD")" = 0 ] || bad="$bad
merge commits"
[ "$(git -C "$S" rev-list --count --first-parent "$old..HEAD")" = "$commits" ] ||
    bad="$bad
the history is not a line"
new=$(($(records) - r0))
[ "$new" = $((logs + apps)) ] || bad="$bad
$new new records for $((logs + apps)) contacts and applications"
[ $(($(steps) - s0)) = "$screens" ] || bad="$bad
$(($(steps) - s0)) screening steps added for $screens ps-screen runs"
out=$(git -C "$S" fsck --full --strict 2>&1) || bad="$bad
git fsck: $out"
[ -z "$(clean_check "$S")" ] || bad="$bad
$(clean_check "$S")"
for p in $(seq 1 $P); do
	n=$(grep -l "writer $p write " "$S"/contacts/*/*/*/*.yaml | wc -l)
	[ "$n" = "$(awk '$1 == "log" && $2 == 0' "$R/w.$p" | wc -l)" ] ||
	    bad="$bad
writer $p: $n contacts stored"
done
tap "exactly $new new records ($writes commits, one per write), $screens steps added, a linear history, git fsck clean, nothing left behind" "$bad"

# every report made during the writes is the report of the commit it names
bad=
nrep=0
for f in "$R"/report.[0-9]*; do
	case $f in *.err) continue ;; esac
	c=$(sed -n 's/^commit: "\{0,1\}\([0-9a-f]*\)"\{0,1\}$/\1/p' "$f")
	[ -n "$c" ] || { bad="$bad
$f: no commit named"; continue; }
	nrep=$((nrep + 1))
	ps-report -C "$S" --as-of "$c" --format yaml >"$R/again" 2>&1
	cmp -s "$f" "$R/again" || bad="$bad
$(basename "$f") (commit $c) differs from the report of that commit: $(diff "$f" "$R/again" | head -4)"
done
[ -e "$R/report.fail" ] && bad="$bad
$(cat "$R/report.fail")"
[ "$nrep" -gt 0 ] || bad="no report made during the writes"
tap "$nrep reports made during the writes each equal the report of the commit they name" "$bad"

# --- two decisions on one record at once
decide() {	# label cmd-a cmd-b
	local label=$1 a=$2 b=$3 h sa sb bad=
	rm -rf "$R/d"
	cp -a "$R/dtmpl" "$R/d"
	h=$(git -C "$R/d/s" rev-parse HEAD)
	# both read the store, then wait on its lock, held here for a moment
	flock "$R/d/s/.git/ps.lock" sleep 0.8 &
	sleep 0.2
	# shellcheck disable=SC2086
	(cd "$R/d" && $a >"$R/a.out" 2>"$R/a.err"; echo $? >"$R/a.st") &
	# shellcheck disable=SC2086
	(cd "$R/d" && $b >"$R/b.out" 2>"$R/b.err"; echo $? >"$R/b.st") &
	wait
	sa=$(cat "$R/a.st") sb=$(cat "$R/b.st")
	case $sa.$sb in
	0.3) loser=b ;;
	3.0) loser=a ;;
	*) bad="exit $sa and $sb, not 0 and 3: $(cat "$R/a.err" "$R/b.err")" ;;
	esac
	[ -n "$bad" ] || grep -q "changed since this command read it" "$R/$loser.err" ||
	    bad="the loser was not told why: $(cat "$R/$loser.err")"
	[ "$(git -C "$R/d/s" rev-list --count "$h..HEAD")" = 1 ] || bad="$bad
not one commit"
	git -C "$R/d/s" fsck --full --strict >/dev/null 2>&1 || bad="$bad
git fsck"
	[ -z "$(clean_check "$R/d/s")" ] || bad="$bad
$(clean_check "$R/d/s")"
	tap "$label at once: one wins, the other is told the record changed since it read it and exits 3" "$bad"
}
make_store "$R/dbase" >/dev/null 2>&1
. "$R/dbase/ids"
cp -a "$R/dbase" "$R/dtmpl"
decide "two ps-match --accept $M2 (one participant)" \
    "ps-match -C s --accept $M2" "ps-match -C s --accept $M2"
decide "ps-match --accept and --decline of $M2" \
    "ps-match -C s --accept $M2" \
    "ps-match -C s --decline $M2 --by volunteer --reason busy"
echo "# in $(since "$t0") s"
done_testing
