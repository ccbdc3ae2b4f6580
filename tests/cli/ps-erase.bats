#!/usr/bin/env bats
# ps-apply --erase: a person out of the store and out of its whole history.
load helpers
load erase

export PS_NOW=2026-11-22T15:00:00Z

# What must not change when the erasure is refused.
snapshot() {
	{
		git for-each-ref --format='%(refname) %(objectname)'
		git cat-file --batch-all-objects --batch-check
		find .git/objects .git/logs -type f | sort
		git status --porcelain
	} >"$T/$1"
}

@test "the canary participant is all through the history before" {
	erase_store
	[ "$(git log --all -S CANARY-ERASE --oneline | wc -l)" -ge 4 ]
	all_objects | grep -aqiE "$CANARY"
}

@test "ps-apply --erase takes the person out of every commit and object, and says what to do elsewhere" {
	erase_store
	ps-report >/dev/null	# its cache holds their ID, statuses, dates
	grep -aq "$P" .git/ps-cache/report
	n=$(git rev-list --all --count)
	git log --format='%H %an <%ae> %ad %cn <%ce> %cd %s' >"$T/log.before"
	git log --all --format='%s%n%an %ad' -p -- "participants/$O.yaml" \
	    "matches/$(grep -l "participant: $O" matches/*.yaml | xargs basename)" \
	    >"$T/other.before"
	# their record is in it: a log of no such path is empty, and two
	# empty logs compare equal
	grep -qx "+id: $O" "$T/other.before"
	git log --all --topo-order --format=%B >"$T/bodies.before"
	[ -s .git/ps-dupkeys ]
	run_split ps-apply --erase "$P" --yes
	[ "$status" = 0 ]
	[ -z "$err" ]
	# ps-apply's hashed person keys go too (rebuilt by the next run)
	[ ! -e .git/ps-dupkeys ]
	diff -u - <(printf '%s\n' "$out") <<EOF
erased $P from the store and from its whole history:
  removed   participants/$P.yaml, 5 versions
  redacted  1 record that names them: $(ls contacts/2026/11/22 | sed 's/\.yaml$//')
  rewrote   7 of 9 commits, on refs/heads/master, refs/tags/light, refs/tags/q4
  committed erasures/$P.yaml: ps-apply: erase $P
  pruned    the reflogs, and every object no ref reaches (47 objects kept, in one pack)

Their personal data is gone from this store only. Every clone and backup
still holds it, and a pull, push or merge from one brings it back. Now:

  - Each other clone: delete it and clone this store again. Or, in it,
    once its own work is here (commits made there since must be made
    again on the new history), where origin is this store:
        git fetch origin
        git reset --hard origin/master
        git tag -l | xargs -r git tag -d; git fetch --tags origin
        git reflog expire --expire=now --all
        git gc --prune=now
    and delete its other branches, or rebuild them on the new history.

  - Backups and copies made before now: delete them, or keep them unused
    until they expire. A store restored from one must be erased again
    (ps-apply --erase $P); erasures/ lists whom.

  - Reports, exports and mail sent before now are not reached by this.
EOF
	# nothing of theirs anywhere: history, objects, work tree, .git
	[ -z "$(git log --all -S CANARY-ERASE --oneline)" ]
	[ -z "$(git log --all -p | grep -aiE "$CANARY")" ]
	! all_objects | grep -aqiE "$CANARY" || false
	! grep -rqiE "$CANARY" . || false
	[ ! -e .git/ps-cache ]
	[ ! -e "participants/$P.yaml" ]
	[ -z "$(git log --all --format=%H -- "participants/$P.yaml")" ]
	# a clean, checked store, one commit more, nothing left dangling
	[ -z "$(git fsck --full --strict 2>&1)" ]
	run_split ps-check
	expect 0 "14 records checked, 0 problems" ""
	[ -z "$(git status --porcelain)" ]
	[ "$(git rev-list --all --count)" = $((n + 1)) ]
	[ -z "$(git reflog)" ]
	[ "$(find .git/objects -type f -name '*.pack' | wc -l)" = 1 ]
	# the audit stays: every commit, author, date and message, every ID
	[ "$(git log -1 --format=%s)" = "ps-apply: erase $P" ]
	[ "$(git log -1 --format=%b)" = "add erasures/$P.yaml

Ps-Tool: ps-apply
Ps-Version: 0.1.0" ]
	git log --skip=1 --format='%an <%ae> %ad %cn <%ce> %cd %s' >"$T/log.after"
	diff -u <(cut -d' ' -f2- "$T/log.before") "$T/log.after"
	diff -u "$T/bodies.before" <(git log --all --topo-order --format=%B | sed '1,7d')
	grep -qx "participant: $P" "matches/$M.yaml"
	grep -qx "participant: $P" contacts/2026/11/22/*.yaml
	grep -qx "status: ended" "matches/$M.yaml"
	grep -qx "mode: phone" contacts/2026/11/22/*.yaml
	! grep -q '^note:' contacts/2026/11/22/*.yaml || false
	# someone else's records and their history: the same blobs
	git log --all --format='%s%n%an %ad' -p -- "participants/$O.yaml" \
	    "matches/$(grep -l "participant: $O" matches/*.yaml | xargs basename)" |
	    diff -u "$T/other.before" -
	grep -q CANARY-Ada-surname volunteers/V-A00001.yaml
	# the note says who, when and what, with no personal data
	diff -u - "erasures/$P.yaml" <<EOF
# An erasure (ps-apply --erase): the record of this person, and the
# personal data other records held about them, were removed from the
# whole history of the store. No personal data here.
id: $P
kind: participant
erased: 2026-11-22T10:00:00-05:00
by: Test Coordinator
commits_rewritten: 7
records_redacted:
  - $(ls contacts/2026/11/22 | sed 's/\.yaml$//')
EOF
	# tags stay tags: the annotated one keeps its tagger and message
	[ "$(git cat-file -t q4)" = tag ]
	[ "$(git tag -l --format='%(taggername) %(contents:subject)' q4)" = "T quarter four" ]
	[ "$(git log -1 --format=%s q4)" = "ps-match: accept $M ($P with V-A00001)" ]
	# the tools go on working
	run_split ps-match --accept "$(grep -l "participant: $O" matches/*.yaml | xargs basename | sed 's/\.yaml$//')"
	[ "$status" = 0 ]
	run_split ps-check
	expect 0 "14 records checked, 0 problems" ""
}

@test "ps-apply --erase again finishes an erasure: only what is left unreachable goes" {
	erase_store
	mkdir "$T/old"
	cp .git/objects/pack/pack-* "$T/old/"
	ps-apply --erase "$P" --yes >/dev/null
	h=$(head_of .)
	# as if a first run was killed before it pruned: the old pack is back
	cp "$T"/old/pack-* .git/objects/pack/
	all_objects | grep -aqiE "$CANARY"
	run_split ps-apply -n --erase "$P"
	expect 0 "$P: erased before; would prune what no ref reaches" ""
	all_objects | grep -aqiE "$CANARY"
	run_split ps-apply --erase "$P" --yes
	expect 0 "$P: erased before; pruned what no ref reaches" ""
	[ "$(head_of .)" = "$h" ]
	! all_objects | grep -aqiE "$CANARY" || false
	[ -z "$(git fsck --full --strict 2>&1)" ]
}

@test "a git gc beside the erasure keeps their data in its pack: found, and run again it is finished" {
	erase_store
	# what a git gc run while the erasure rewrites leaves: the old
	# history packed again, in a pack written after the erasure began
	pack=$(git rev-list --objects --all | git pack-objects -q .git/objects/pack/pack)
	touch -d '+1 hour' ".git/objects/pack/pack-$pack.pack" ".git/objects/pack/pack-$pack.idx"
	run_split ps-apply --erase "$P" --yes
	[ "$status" = 3 ]
	[[ "$err" == *"ps-apply: "*" objects that hold data of $P are still in the store, written while the erasure ran (a git gc or git repack beside it?)"* ]]
	[[ "$err" == *"ps-apply: the erasure of $P is not finished: run ps-apply --erase $P again"* ]]
	[ -e .git/ps-erase ]
	run_split ps-check
	[ "$status" = 3 ]
	[[ "$err" == *"the erasure of $P is not finished"* ]]
	# that gc long done, the erasure run again begins after its pack
	touch -d '-1 hour' ".git/objects/pack/pack-$pack.pack" ".git/objects/pack/pack-$pack.idx"
	run_split ps-apply --erase "$P" --yes
	[ "$status" = 0 ]
	erased_check "$P" >"$T/problems"
	diff -u /dev/null "$T/problems"
}

@test "an erasure killed, then edits by hand: they are committed, and run again it finishes" {
	command -v strace >/dev/null || skip "no strace"
	erase_store
	# killed just after it noted its start (.git/ps-erase)
	strace -f -qq -o /dev/null -e inject=syncfs:signal=KILL:when=1 \
	    ps-apply --erase "$P" --yes >/dev/null 2>&1 || true
	[ -e .git/ps-erase ]
	echo "# by hand" >>"participants/$O.yaml"
	echo "# by hand" >>"participants/$P.yaml"
	run_split ps-apply --erase "$P" --yes
	[ "$status" = 1 ]
	[[ "$err" == *"changes not committed: commit or undo them first (git status), then erase"* ]]
	# as the message says: the hook lets the commit through, and says
	# the erasure takes it in
	run_split git -c user.name=Hand -c user.email=hand@example.org \
	    commit -qam "by hand"
	[ "$status" = 0 ]
	[[ "$err" == *"ps-check: warning: the erasure of $P is not finished: run ps-apply --erase $P to finish it; it erases from this commit too"* ]]
	run_split ps-apply --erase "$P" --yes
	[ "$status" = 0 ]
	erased_check "$P" >"$T/problems"
	diff -u /dev/null "$T/problems"
	[ "$(git show "HEAD:participants/$O.yaml" | tail -1)" = "# by hand" ]
	[ -z "$(git status --porcelain)" ]
}

@test "an erasure leaves no resolve-undo entry, nor a shared index, naming what it pruned" {
	for split in "" 0; do
		export PS_INDEX_SPLIT=$split
		erase_store
		# a merge of two edits of their record, its conflict resolved:
		# git keeps the three versions' IDs in the index (resolve-undo)
		git config user.name Hand
		git config user.email hand@example.org
		branch=$(git symbolic-ref --short HEAD)
		git checkout -q -b side
		echo "# side" >>"participants/$P.yaml"
		git commit -qam side
		git checkout -q "$branch"
		echo "# here" >>"participants/$P.yaml"
		git commit -qam here
		! git merge -q side >/dev/null 2>&1 || false
		git checkout -q --theirs "participants/$P.yaml"
		git add "participants/$P.yaml"
		git commit -q --no-edit
		git branch -q -D side
		[ -n "$(git ls-files --resolve-undo)" ]
		run_split ps-apply --erase "$P" --yes
		[ "$status" = 0 ]
		[ -z "$(git ls-files --resolve-undo)" ]
		[ -z "$(find .git -maxdepth 1 -name 'sharedindex.*')" ]
		erased_check "$P" >"$T/problems"
		diff -u /dev/null "$T/problems"
		unset PS_INDEX_SPLIT
		cd "$T" && rm -rf s
	done
}

@test "ps-apply -n --erase says what would change and changes nothing" {
	erase_store
	snapshot before
	run_split ps-apply -n --erase "$P"
	expect 0 "would erase $P from the store and from its whole history:
  remove    participants/$P.yaml, 5 versions
  redact    1 record that names them: $(ls contacts/2026/11/22 | sed 's/\.yaml$//')
  rewrite   7 of 9 commits, on refs/heads/master, refs/tags/light, refs/tags/q4
  commit    erasures/$P.yaml: ps-apply: erase $P
  prune     the reflogs, and every object no ref reaches" ""
	snapshot after
	diff -u "$T/before" "$T/after"
	all_objects | grep -aqiE "$CANARY"
}

@test "ps-apply --erase refuses, changing nothing: no --yes, an unknown ID, another kind, changes not committed, an open match" {
	erase_store
	snapshot before
	run_split ps-apply --erase "$P" </dev/null
	expect 2 "" "ps-apply: --erase $P removes their record, and the personal data other records hold about them, from the store and from its whole history, for good: add --yes to do it, or -n to see what it would change"
	run_split ps-apply --erase P-0000AA --yes
	expect 1 "" "ps-apply: P-0000AA: no such record, in the store or in its history"
	run_split ps-apply --erase "$M" --yes
	expect 2 "" "ps-apply: --erase: not the ID of a participant or a volunteer (like P-7K3Q2X)"
	run_split ps-apply --erase nobody --yes
	expect 1 "" "ps-apply: nobody: not a record ID (like P-7K3Q2X)"
	run_split ps-apply --erase "$P" --yes --withdraw "$P" --reason x
	[ "$status" = 2 ]
	[[ "$err" == "ps-apply: --csv, --update, --withdraw, --erase and --list go one at a time"* ]]
	run_split ps-apply --yes
	[ "$status" = 2 ]
	[[ "$err" == "ps-apply: --yes goes with --erase"* ]]
	snapshot after
	diff -u "$T/before" "$T/after"
	echo "more: text" >>"participants/$O.yaml"
	run_split ps-apply --erase "$P" --yes
	expect 1 "" "ps-apply: participants/$O.yaml: changes not committed: commit or undo them first (git status), then erase"
	git checkout -q -- "participants/$O.yaml"
	echo "kind: note" >notes.yaml
	run_split ps-apply --erase "$P" --yes
	expect 1 "" "ps-apply: notes.yaml: changes not committed: commit or undo them first (git status), then erase"
	rm notes.yaml
	snapshot after
	diff -u "$T/before" "$T/after"
	# someone with a match still open is withdrawn first
	om=$(grep -l "participant: $O" matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	run_split ps-apply --erase "$O" --yes
	expect 1 "" "ps-apply: $O: has open matches ($om): withdraw them first (ps-apply --withdraw $O --reason ...), then erase"
	snapshot after
	diff -u "$T/before" "$T/after"
}

@test "ps-apply --erase refuses a history whose messages hold their data, or with a stash" {
	erase_store
	echo "# fixed the phone of Ms CANARY-ERASE-last" >>program.yaml
	git -c user.name=T -c user.email=t@example.org commit -qam "phone of canary-erase-first fixed"
	c=$(git rev-parse --short=7 HEAD)
	snapshot before
	run_split ps-apply --erase "$P" --yes
	expect 1 "" "ps-apply: commit $c: its message holds a value of the record of $P: reword it first (git rebase -i), then erase"
	snapshot after
	diff -u "$T/before" "$T/after"
	git -c user.name=T -c user.email=t@example.org commit -q --amend -m "program note"
	echo "x: y" >>"participants/$O.yaml"
	git -c user.name=T -c user.email=t@example.org stash -q
	run_split ps-apply --erase "$P" --yes
	expect 1 "" "ps-apply: the store has stashed changes: apply and commit them, or drop them (git stash list), then erase"
	git stash drop -q
	# a value of theirs copied into a file by hand is kept, and named
	run_split ps-apply --erase "$P" --yes
	[ "$status" = 0 ]
	[ "$err" = "ps-apply: warning: program.yaml: holds a value of the record of $P in some commit, and was kept as it was: check it" ]
}

@test "ps-apply --erase of a volunteer: their record goes, their matches and contacts lose what is sensitive" {
	erase_store
	ps-apply --erase "$P" --yes >/dev/null
	V=V-A00001
	ps-apply --withdraw "$V" --reason "moving" >/dev/null
	grep -q CANARY-Ada-surname "volunteers/$V.yaml"
	run_split ps-apply --erase "$V" --yes
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ ! -e "volunteers/$V.yaml" ]
	! all_objects | grep -aq CANARY-Ada || false
	! all_objects | grep -aq moving || false
	grep -qx "volunteer: $V" "matches/$M.yaml"
	run_split ps-check
	expect 0 "13 records checked, 0 problems" ""
	[ -z "$(git fsck --full --strict 2>&1)" ]
	# the participant erased before stays erased; both notes are there
	ls erasures >"$T/notes"
	[ "$(cat "$T/notes")" = "$P.yaml
$V.yaml" ]
	! all_objects | grep -aqiE "$CANARY" || false
}

@test "a clone follows the instructions and holds nothing of theirs" {
	erase_store
	git clone -q "$T/s" "$T/c"
	git -C "$T/c" log --all -S CANARY-ERASE --oneline | grep -q .
	ps-apply --erase "$P" --yes >/dev/null
	cd "$T/c"
	git fetch -q origin
	git reset -q --hard origin/master
	git tag -l | xargs -r git tag -d >/dev/null; git fetch -q --tags origin
	git reflog expire --expire=now --all
	git gc -q --prune=now
	[ -z "$(git log --all -S CANARY-ERASE --oneline)" ]
	! all_objects | grep -aqiE "$CANARY" || false
	# each rev-parse on its own line: one that fails stops the test,
	# where two that failed in [ ] would compare equal
	h=$(git -C "$T/s" rev-parse HEAD)
	[ "$(git rev-parse HEAD)" = "$h" ]
}

@test "ps-check accepts the IDs of people erased, and finds one brought back" {
	erase_store
	cp "participants/$P.yaml" "$T/kept.yaml"
	ps-apply --erase "$P" --yes >/dev/null
	run_split ps-check
	expect 0 "14 records checked, 0 problems" ""
	cp "$T/kept.yaml" "participants/$P.yaml"
	run_split ps-check
	expect 1 "15 records checked, 1 problem" "ps-check: participants/$P.yaml: id: $P was erased (erasures/$P.yaml), and a copy made before brought this record back: erase it again (ps-apply --erase $P)"
	rm "participants/$P.yaml"
	echo "id: $M" >"erasures/$M.yaml"
	run_split ps-check
	expect 1 "14 records checked, 1 problem" "ps-check: erasures/$M.yaml: not an erasure note (the id and kind of a participant or volunteer erased, named as the file)"
}

@test "ps-apply --erase on a terminal asks for the ID to be typed back" {
	command -v script >/dev/null || skip "no script(1)"
	erase_store
	h=$(head_of .)
	printf 'P-0000AA\n' | script -qec "ps-apply --erase $P" /dev/null >"$T/tty" || true
	grep -q "Type the ID to confirm" "$T/tty"
	grep -q "not confirmed: nothing was changed" "$T/tty"
	[ "$(head_of .)" = "$h" ]
	printf '%s\n' "$P" | script -qec "ps-apply --erase $P" /dev/null >"$T/tty"
	grep -q "erased $P from the store" "$T/tty"
	[ "$(git log -1 --format=%s)" = "ps-apply: erase $P" ]
}

# erase_sweep INJECT: the erasure of $P hit at each point that may change
# a file (with RELIABILITY_FULL=1; else about 25 spread over them all),
# by strace's -e inject=NAME:INJECT:when=COUNT. After each: a write left
# unfinished refuses other writes and makes ps-check fail; the erasure
# run again finishes it (erased_check). Prints the problems, one a line.
erase_sweep() {
	local inject=$1 n step name c tried=0 out
	need_strace
	erase_store
	cd "$T"
	rm -rf tmpl && mv s tmpl
	cp -a tmpl count
	(cd count && strace -f -qq -o "$T/trace" ps-apply --erase "$P" --yes >/dev/null)
	rm -rf count
	awk '/ resumed>/ { next }
	    { name = $2; sub(/\(.*/, "", name); c = ++seen[name] }
	    name ~ /^(write|pwrite64|writev)$/ && $2 ~ /\((1|2),/ { next }
	    name ~ /^(write|pwrite64|writev|fsync|fdatasync|syncfs|rename|renameat|renameat2|link|linkat|unlink|unlinkat|rmdir|mkdir|mkdirat|ftruncate)$/ ||
	    (name ~ /^(openat|open|creat)$/ && /O_CREAT/) { print name, c }' "$T/trace" >"$T/points"
	n=$(wc -l <"$T/points")
	step=$(( ${RELIABILITY_FULL:-0} == 1 ? 1 : (n + 24) / 25 ))
	journaled=0
	while read -r name c; do
		tried=$((tried + 1))
		[ $(( (tried - 1) % step )) = 0 ] || continue
		rm -rf "$T/s" && cp -a "$T/tmpl" "$T/s" && cd "$T/s"
		(strace -f -qq -o /dev/null --seccomp-bpf \
		    -e "inject=$name:$inject:when=$c" \
		    ps-apply --erase "$P" --yes >/dev/null 2>"$T/err"; exit $?) 2>/dev/null || true
		if [ -e .git/ps-erase ]; then
			journaled=$((journaled + 1))
			case $inject in
			error=*) grep -q "the erasure of $P is not finished: run ps-apply --erase $P again" "$T/err" ||
				echo "$name#$c: the failure did not say to run it again: $(head -2 "$T/err")" ;;
			esac
			out=$(ps-apply --withdraw "$O" --reason moved 2>&1) &&
			    echo "$name#$c: a withdrawal was written during an unfinished erasure"
			[[ "$out" == *"the erasure of $P is not finished: run ps-apply --erase $P to finish it"* ]] ||
			    echo "$name#$c: the withdrawal said: $out"
			ps-check >/dev/null 2>&1 && echo "$name#$c: ps-check passed an unfinished erasure"
		fi
		out=$(ps-apply --erase "$P" --yes 2>&1) ||
		    echo "$name#$c: the erasure run again: $out"
		erased_check "$P" | sed "s/^/$name#$c: /"
		cd "$T"
	done <"$T/points"
	echo "# $n points, $(( (n + step - 1) / step )) tried, $journaled left unfinished" >&3
}

@test "an erasure killed at any point is refused by other writes and finished by running it again" {
	need_strace
	erase_sweep signal=KILL >"$T/fails"
	head -40 "$T/fails"
	[ ! -s "$T/fails" ]
	[ "$journaled" -gt 0 ]
}

@test "an erasure that fails on a full disk at any point says to run it again, which finishes it" {
	need_strace
	erase_sweep error=ENOSPC >"$T/fails"
	head -40 "$T/fails"
	[ ! -s "$T/fails" ]
	[ "$journaled" -gt 0 ]
}
