#!/bin/bash
# A power cut at points of one write of ps-log (a contact; and with git's
# index kept split, ps-log-split), ps-apply (an application) and
# ps-apply --erase: the store on a small ext4 file
# system in a loop device, and the image file copied while the tool is
# stopped at the point. The copy is what a disk would hold after a cut:
# what the tool synced, and not what it only wrote. On the copy, after
# e2fsck -fp (the journal replayed, as at boot) and a mount: git fsck
# --full --strict is clean, HEAD is the old commit or the new one, no
# partial file; then ps-check recovers, the next write works, and git
# status is clean. A write that exited 0 before the copy is on it. An
# erasure is finished, or ps-check reports it unfinished; run again, it
# finishes, and no object holds the person's data.
#
# Why the copy drops what was not synced: the file system is mounted
# with commit=600, so its journal commits only when a tool syncs (fsync,
# syncfs, ...); the kernel's flusher writes data back only once it is
# older than vm.dirty_expire_centisecs (30 s by default), and a run takes
# well under a second from a fresh copy of the image (a setting under
# 10 s skips the test); and with noauto_da_alloc, so that a rename over
# a file does not start its new data's write-back on its own. With that
# heuristic on (ext4's default), a file renamed into place unsynced and
# committed by a later sync of something else is on the copy or not by
# a race between that write-back and the commit, as after a real cut
# (seen here: 3 of 40 copies held a packed-refs of 258 NUL bytes); with
# it off, never, and every run of the test sees the same. The image file
# holds what the loop device was sent, never the file system's page
# cache. A control run first: every sync made a no-op (strace -e
# inject=...:retval=0), a write that exited 0 must be lost on the copy,
# or the rig is not cutting power.
#
# How: strace --seccomp-bpf -e inject=NAME:signal=STOP:when=C stops the
# tool just after the C-th NAME call (counted as crash.sh does), the
# image is copied, and the tool killed. Points: between two syncs nothing
# should reach the device, so by default each sync call and the
# file-changing call just before it, about 20 more file-changing calls
# spread over the run (to see that nothing else reaches it), and the end
# (the write run to the end, exit 0, then copied); RELIABILITY_FULL=1
# stops at every file-changing call (MUTATING, as crash.sh's).
#
# Skipped, with the reason, when not root or without loop devices,
# mkfs.ext4, e2fsck or strace (CI runs this as root).
. "$(dirname "$0")/lib.sh"

MUTATING=" openat open creat write pwrite64 writev pwritev fsync fdatasync syncfs sync_file_range rename renameat renameat2 link linkat symlink symlinkat unlink unlinkat mkdir mkdirat rmdir chmod fchmod fchmodat ftruncate truncate utimensat fallocate close "
SYNCS=" fsync fdatasync syncfs sync sync_file_range msync "
EF=$top/tests/fixtures/erase
# every trace of the erasure's canary participant (tests/cli/ps-erase.bats)
CANARY='canary-erase|999 555 019'
SPREAD=20

# attach IMAGE DIR [OPTIONS]: IMAGE on a new loop device, mounted at DIR.
attach() {
	local dev
	mkdir -p "$2"
	dev=$(losetup -f --show "$1") || return 1
	mount -t ext4 -o "${3:-commit=600,noauto_da_alloc}" "$dev" "$2" ||
	    { losetup -d "$dev"; return 1; }
}

# detach DIR: unmount DIR, and detach its loop device.
detach() {
	local dev
	dev=$(findmnt -n -o SOURCE --mountpoint "$1") || return 1
	umount "$1" && losetup -d "$dev"
}

# On exit, even on failure: the sweep's runs and every tool still
# stopped killed (the process groups in $R/pgids), every mount under $R
# unmounted, every loop device on an image of $R detached (its file
# deleted or not).
cleanup() {
	local m dev img pg
	cd / || return
	if [ -f "$R/pgids" ]; then
		while read -r pg; do
			kill -KILL -- "-$pg" 2>/dev/null
		done <"$R/pgids"
	fi
	findmnt -rn -o TARGET | grep "^$R/" | sort -r | while read -r m; do
		for _ in $(seq 20); do	# until the killed let go of it
			umount "$m" 2>/dev/null && break
			sleep 0.1
		done
		! mountpoint -q "$m" || umount -l "$m"
	done
	losetup -n -l -O NAME,BACK-FILE | while read -r dev img; do
		case $img in "$R"/*) losetup -d "$dev" ;; esac
	done
}

# Is process PID running (not gone, not a zombie)?
running() {	# pid
	local s
	s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${s%% *}" != Z ]
}

op() {	# tool
	case $1 in
	ps-erase) echo "ps-apply -C e --erase $P --yes" ;;
	*) op_cmd "$1" ;;
	esac
}

# make_erase_store DIR: at DIR/e, the erasure's store of ps-erase.bats:
# other people, and the canary participant $P applied, onboarded with a
# note, matched, a contact logged with a note, their phone changed,
# withdrawn; an annotated tag and a plain one; packed. P= to DIR/ids.
make_erase_store() {
	local d=$1
	ps-init "$d/e" >/dev/null || return 1
	mkdir -p "$d/e/participants" "$d/e/volunteers" "$d/e/groups"
	cp "$MF"/P-B0000[2-5].yaml "$d/e/participants/"
	cp "$MF"/V-*.yaml "$d/e/volunteers/"
	cp "$MF"/G-*.yaml "$d/e/groups/"
	(
		cd "$d/e" || exit 1
		git add -A && git commit -q --no-verify -m fixtures || exit 1
		p=$(ps-apply "$EF/canary.yaml" | sed -n 's/^id: //p')
		[ -n "$p" ] || exit 1
		ps-screen "$p" --step onboarding-call --result pass \
		    --note "CANARY-ERASE-onboarding-note" >/dev/null || exit 1
		ps-match --commit >/dev/null 2>&1 || exit 1
		m=$(grep -l "participant: $p" matches/*.yaml | xargs basename | sed 's/\.yaml$//')
		ps-match --accept "$m" >/dev/null &&
		    git tag -a q4 -m "quarter four" &&
		    ps-log "$m" --mode phone --minutes 30 \
		    --note "CANARY-ERASE-contact-note" >/dev/null &&
		    git tag light &&
		    echo 'contact: {phone: "+1 999 555 0198"}' |
		    ps-apply --update "$p" >/dev/null &&
		    ps-apply --withdraw "$p" --reason "CANARY-ERASE-reason" >/dev/null &&
		    git gc -q || exit 1
		echo "P=$p"
	) >>"$d/ids"
}

# The store checked after a cut of a write of ps-log or ps-apply, whose
# run ended st (cut, exited); its result, old or new, to $w/res (one's
# w). Prints problems.
write_check() {	# tool old st
	local tool=$1 old=$2 st=$3 res=new problems next
	problems=$(state_check "$PWD/s" "$old" "$tool")
	[ "$(git -C s rev-parse -q --verify HEAD)" = "$old" ] && res=old
	echo "$res" >"$w/res"
	if [ "$st" = exited ] && [ "$res" = old ]; then
		echo "the write exited 0, but the copy holds the old commit: lost"
	fi
	[ -z "$problems" ] || { printf '%s\n' "$problems"; return; }
	ps-check -C s >check.out 2>&1 ||
	    { echo "ps-check (recovery): $(cat check.out)"; return; }
	if [ "$res" = old ]; then
		next=$(op "$tool")
	else
		next="ps-log -C s $M --mode phone --minutes 5"
	fi
	# shellcheck disable=SC2086
	$next >next.out 2>next.err ||
	    { echo "next run failed: $next: $(cat next.err)"; return; }
	clean_check "$PWD/s"
}

# What an erasure of $P must leave, finished: one line a problem.
erased_check() {
	[ ! -e e/.git/ps-erase ] || echo "the erasure journal is left"
	find e/.git -name '*.lock' ! -name ps.lock | sed 's/^/a lock left: /'
	find e/.git/objects/pack -size 0 | sed 's/^/an empty pack file: /'
	git -C e fsck --full --strict --no-dangling >/dev/null 2>&1 ||
	    echo "git fsck: $(git -C e fsck --full --strict 2>&1 | head -2)"
	git -C e cat-file --batch-all-objects --batch | grep -aqiE "$CANARY" &&
	    echo "their data is in an object"
	git -C e cat-file -e "HEAD:participants/$P.yaml" 2>/dev/null &&
	    echo "their record is in HEAD"
	ps-check -C e >/dev/null 2>&1 || echo "ps-check: $(ps-check -C e 2>&1 | tail -1)"
}

# The store checked after a cut of an erasure whose run ended st: it is
# untouched (old), finished (new), or unfinished and ps-check says so
# (to $w/res); run again, the erasure is finished. Prints problems.
erase_check() {	# old st
	local old=$1 st=$2 res out
	out=$(git -C e fsck --full --strict --no-progress 2>&1 | grep -v '^dangling ')
	[ -z "$out" ] || printf 'git fsck:\n%s\n' "$out"
	if [ -e e/.git/ps-erase ]; then
		res=unfinished
		out=$(ps-check -C e 2>&1) &&
		    echo "ps-check passed an unfinished erasure"
		[[ "$out" == *"the erasure of $P is not finished"* ]] ||
		    echo "ps-check said: $out"
	elif [ "$(git -C e rev-parse -q --verify HEAD)" = "$old" ]; then
		res=old
	elif [ "$(git -C e log -1 --format=%s)" = "ps-apply: erase $P" ]; then
		res=new
		[ "$st" = exited ] && erased_check | sed 's/^/exited 0, after the cut: /'
	else
		res=neither
		echo "HEAD is neither the old commit nor the erasure's, and no journal: $(git -C e log -1 --format=%s)"
	fi
	echo "$res" >"$w/res"
	if [ "$st" = exited ] && [ "$res" != new ]; then
		echo "the erasure exited 0, but the copy holds it $res"
	fi
	out=$(ps-apply -C e --erase "$P" --yes 2>&1) ||
	    echo "the erasure run again: $out"
	erased_check
	clean_check "$PWD/e"
}

# stop SID: kill every process of session SID but its leader (a shell
# that waits for strace): strace and the tool. Then nothing of the run
# holds the file system (a zombie holds nothing; init reaps it).
stop() {	# sid
	local p
	for p in $(ps -o pid= -s "$1"); do
		[ "$p" = "$1" ] || kill -KILL "$p" 2>/dev/null
	done
	wait "$1"
	for _ in $(seq 500); do
		# shellcheck disable=SC2009
		ps -o stat= -s "$1" | grep -qv '^Z' || return 0
		sleep 0.01
	done
	return 1
}

# One point: stop tool just after call k (the c-th NAME call; "end": run
# it to the end), copy the image, kill the tool, check the copy. Prints
# "k how result" (how: cut, exited; result: old, new, unfinished) or
# "k FAIL ...".
one() {	# tool k name c
	local tool=$1 k=$2 name=$3 c=$4 w=$R/w.$1.$2 sp rc st=cut old
	local problems='' inject=()
	add() { problems="${problems:+$problems
}$*"; }
	mkdir "$w" && cd "$w" || return
	cp --sparse=always "$R/tmpl.img" run.img
	if ! attach run.img m; then
		echo "$k FAIL $name#$c: cannot attach and mount the image"
		return
	fi
	cd m || return
	old=$(git -C "$(store_of "$tool")" rev-parse HEAD)
	[ "$name" = end ] || inject=(-e "inject=$name:signal=STOP:when=$c")
	# in a session of its own, to find and kill the tool with its
	# tracer; a shell waits for them (bash would say "Killed")
	# shellcheck disable=SC2016,SC2046
	setsid sh -c '"$@"; exit $?' sh strace -f -qq -o "$w/trace" \
	    --seccomp-bpf "${inject[@]}" -- $(op "$tool") >"$w/out" 2>"$w/err" &
	sp=$!
	echo "$sp" >>"$R/pgids"
	for _ in $(seq 3000); do	# a minute
		grep -q -- '--- stopped by SIGSTOP' "$w/trace" 2>/dev/null && break
		running "$sp" || break
		sleep 0.02
	done
	if grep -q -- '--- stopped by SIGSTOP' "$w/trace" 2>/dev/null; then
		# the power cut: the device's content, nothing synced first
		cp --sparse=always "$w/run.img" "$w/cut.img"
		stop "$sp" || add "the tool stopped at the point does not die"
	elif running "$sp"; then
		stop "$sp"
		add "neither stopped at the point nor ended in a minute"
	else
		wait "$sp"
		rc=$?
		# it ended (the end, or the point was not reached): a cut now
		cp --sparse=always "$w/run.img" "$w/cut.img"
		st=exited
		[ "$rc" = 0 ] || add "exit $rc: $(head -3 "$w/err")"
	fi
	cd "$w" || return
	detach m || add "cannot unmount the running image"
	rc=0
	[ -f cut.img ] && { e2fsck -fp cut.img >fsck.out 2>&1; rc=$?; }
	if [ ! -f cut.img ]; then
		:
	elif [ "$rc" -ge 4 ]; then
		add "e2fsck exit $rc: $(tail -5 fsck.out)"
	elif ! attach cut.img c defaults; then
		add "cannot mount the copy"
	else
		cd c || return
		if [ "$tool" = ps-erase ]; then
			add "$(erase_check "$old" "$st")"
		else
			add "$(write_check "$tool" "$old" "$st")"
		fi
		cd "$w" || return
		detach c || add "cannot unmount the copy"
	fi
	problems=$(printf '%s\n' "$problems" | sed '/^$/d')
	if [ -n "$problems" ]; then
		echo "$k FAIL $name#$c ($st): $(printf '%s' "$problems" | tr '\n' ' ' | cut -c1-600)"
	else
		echo "$k $st $(cat res 2>/dev/null)"
	fi
	cd "$R" || return
	findmnt -rn -o TARGET | grep -q "^$w/" || rm -rf "$w"
}

store_of() {	# tool
	if [ "$1" = ps-erase ]; then echo e; else echo s; fi
}

if [ "${1:-}" = --one ]; then	# --one TOOL k name c [k name c ...]
	# shellcheck source=/dev/null
	. "$R/ids"
	shift
	each_point "$@"
	exit 0
fi

why=
if [ "$(id -u)" != 0 ]; then
	why="not root: cannot attach a loop device or mount (CI runs this as root)"
else
	for c in strace losetup mkfs.ext4 e2fsck findmnt setsid; do
		command -v $c >/dev/null || { why="no $c"; break; }
	done
fi
[ -n "$why" ] || [ -e /dev/loop-control ] || why="no /dev/loop-control"
expire=$(cat /proc/sys/vm/dirty_expire_centisecs 2>/dev/null || echo 0)
[ -n "$why" ] || [ "$expire" -ge 1000 ] ||
    why="vm.dirty_expire_centisecs is $expire: the kernel may write back unsynced data during a run"
[ -n "$why" ] || trap 'cleanup; rm -rf "$R"' EXIT
if [ -z "$why" ]; then
	# the template: a 64 MiB ext4 (sparse), every inode table and the
	# journal written now (no lazy init writing in the background), the
	# two stores on it, synced, unmounted
	truncate -s 64M "$R/tmpl.img" &&
	    mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 \
	    "$R/tmpl.img" >/dev/null 2>&1 || why="mkfs.ext4 failed"
fi
[ -n "$why" ] || attach "$R/tmpl.img" "$R/tmpl" ||
    why="cannot attach a loop device and mount it"
if [ -n "$why" ]; then
	skip "a power cut at points of a write" "$why"
	done_testing
	exit
fi

t0=$(now)
if ! make_store "$R/base" || ! make_erase_store "$R/base"; then
	not_ok "the stores to cut power under"
	done_testing
	exit 1
fi
cp "$R/base/ids" "$R/ids"
# shellcheck source=/dev/null
. "$R/ids"
if ! cp -a "$R/base/s" "$R/base/e" "$R/tmpl/" || ! sync -f "$R/tmpl/s" ||
    ! detach "$R/tmpl"; then
	not_ok "the template image"
	done_testing
	exit 1
fi

# The control: every sync a no-op, a write that exits 0 is lost on the
# copy; the same write with its syncs is on it (each sweep's end point).
(
	cd "$R" && mkdir ctl && cp --sparse=always tmpl.img ctl/run.img &&
	    attach ctl/run.img ctl/m || exit 1
	old=$(git -C ctl/m/s rev-parse HEAD)
	# shellcheck disable=SC2046
	(cd ctl/m && strace -f -qq -o /dev/null --seccomp-bpf \
	    -e inject=fsync,fdatasync,syncfs,sync,sync_file_range:retval=0 \
	    -- $(op ps-log) >/dev/null 2>&1) || { echo "the write failed"; exit 1; }
	cp --sparse=always ctl/run.img ctl/cut.img
	detach ctl/m
	e2fsck -fp ctl/cut.img >/dev/null 2>&1
	[ $? -lt 4 ] && attach ctl/cut.img ctl/c defaults || exit 1
	head=$(git -C ctl/c/s rev-parse -q --verify HEAD)
	detach ctl/c
	[ "$head" = "$old" ] ||
	    echo "its syncs made no-ops, a write exited 0 and is still on the copy: the copy does not drop what was not synced"
) >"$R/control" 2>&1
tap "control: with its syncs made no-ops, a write that exited 0 is lost on the copy" \
    "$(cat "$R/control")"

points=0 olds=0 news=0 unfinished=0 failures=0
for tool in ${POWERCUT_TOOLS:-ps-log ps-log-split ps-apply ps-erase}; do
	t1=$(now)
	# the calls of one whole run, in order, on a copy: "k name c"
	mkdir "$R/count"
	cp --sparse=always "$R/tmpl.img" "$R/count/run.img"
	attach "$R/count/run.img" "$R/count/m" || { not_ok "$tool: a copy to count on"; continue; }
	# shellcheck disable=SC2046
	(cd "$R/count/m" && strace -f -qq -o "$R/count.trace" \
	    -- $(op "$tool") >/dev/null 2>&1)
	st=$?
	detach "$R/count/m"
	rm -rf "$R/count"
	if [ "$st" != 0 ]; then
		not_ok "$tool: the run to cut works untraced" "exit $st"
		continue
	fi
	# each file-changing call (FULL); or each sync call, the file-
	# changing call before it, and about SPREAD spread over all
	awk -v only="$MUTATING" -v syncs="$SYNCS" -v full="$FULL" \
	    -v spread="$SPREAD" -v counts="$R/counts" '
	    / resumed>/ || $2 ~ /^(\+\+\+|---)/ { next }
	    { name = $2; sub(/\(.*/, "", name); c = ++seen[name]; k++ }
	    !index(only, " " name " ") { next }
	    { call[++n] = k " " name " " c }
	    index(syncs, " " name " ") { s++; pick[n] = 1; pick[n - 1] = 1 }
	    END {
		for (i = 1; i <= n; i++)
			if (full || pick[i] ||
			    int((i - 1) * spread / n) != int((i - 2) * spread / n))
				print call[i]
		print k, n, s >counts
	    }' "$R/count.trace" >"$R/calls.$tool"
	read -r total mutating syncs <"$R/counts"
	rm -f "$R/count.trace" "$R/counts"
	echo "end end 0" >>"$R/calls.$tool"
	# in a process group of its own, for cleanup to end it
	setsid xargs -P "$JOBS" -n 6 "$0" --one "$tool" <"$R/calls.$tool" \
	    >"$R/results.$tool" &
	echo $! >>"$R/pgids"
	wait $!
	n=$(wc -l <"$R/calls.$tool")
	o=$(grep -c ' old$' "$R/results.$tool")
	nw=$(grep -c ' new$' "$R/results.$tool")
	u=$(grep -c ' unfinished$' "$R/results.$tool")
	fails=$(grep ' FAIL ' "$R/results.$tool" | sort -n)
	[ "$(wc -l <"$R/results.$tool")" = "$n" ] || fails="$fails
$(wc -l <"$R/results.$tool") results for $n points"
	fails=$(printf '%s\n' "$fails" | sed '/^$/d')
	f=$(printf '%s' "$fails" | grep -c .)
	points=$((points + n)) olds=$((olds + o)) news=$((news + nw))
	unfinished=$((unfinished + u)) failures=$((failures + f))
	if [ "$tool" = ps-erase ]; then
		what="$o old, $nw erased, $u unfinished, $f failures, in $(since "$t1") s: e2fsck, fsck clean, untouched, erased or reported unfinished, an erasure that exited 0 kept, run again it finishes and no object holds their data"
	else
		what="$o old, $nw new, $f failures, in $(since "$t1") s: e2fsck, fsck clean, HEAD old or new, no partial file, a write that exited 0 kept, recovery and the next write work"
	fi
	tap "$tool: a power cut at $n points ($((n - 1)) of its $mutating file-changing calls, $syncs syncs, $total calls; and the end): $what" "$fails"
done
echo "# $points points: $olds held the old commit, $news the new, $unfinished an unfinished erasure; $failures failures; $(since "$t0") s"
done_testing
