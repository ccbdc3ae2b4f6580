# An erasure to make and check (ps-apply --erase), for the suites that
# erase: a store with a canary participant all through its history, and
# the state a finished erasure must leave. Load after helpers:
#	load helpers
#	load erase
#	erase_store		# the shell in $T/s, and $P, $M, $O set
#	ps-apply --erase "$P" --yes
#	erased_check "$P" >"$T/problems"	# in the store
#	[ ! -s "$T/problems" ]

MF=$BATS_TEST_DIRNAME/../fixtures/match
EF=$BATS_TEST_DIRNAME/../fixtures/erase

# Every trace of the canary participant: the canaries, in any case (the
# email is put in lower case), and their phone numbers.
CANARY='canary-erase|999 555 019'

# A store with other people (the matching fixtures) and $P, the canary
# participant: applied, onboarded (with a note), matched with V-A00001
# ($M), a contact logged with a note, their phone changed, withdrawn
# with a reason; an annotated tag and a plain one on the way. $O is
# another participant with a match of their own, who must not change.
erase_store() {
	new_store
	mkdir -p s/participants s/volunteers s/groups
	cp "$MF"/P-B0000[2-5].yaml s/participants/
	cp "$MF"/V-*.yaml s/volunteers/
	cp "$MF"/G-*.yaml s/groups/
	git_commit_all "fixtures"
	cd s
	P=$(ps-apply "$EF/canary.yaml" | sed -n 's/^id: //p')
	ps-screen "$P" --step onboarding-call --result pass \
	    --note "CANARY-ERASE-onboarding-note" >/dev/null
	ps-match --commit >/dev/null 2>&1
	M=$(grep -l "participant: $P" matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	ps-match --accept "$M" >/dev/null
	git -c user.name=T -c user.email=t@example.org tag -a q4 -m "quarter four"
	ps-log "$M" --mode phone --minutes 30 --note "CANARY-ERASE-contact-note" >/dev/null
	git tag light
	echo 'contact: {phone: "+1 999 555 0198"}' | ps-apply --update "$P" >/dev/null
	ps-apply --withdraw "$P" --reason "CANARY-ERASE-reason" >/dev/null
	O=P-B00002
	git gc -q
	[ -n "$P" ] && [ -n "$M" ]
}

# Every object of the repository, reachable or not, in full.
all_objects() {
	git cat-file --batch-all-objects --batch
}

# The state an erasure must leave, finished: printed, one line a problem.
erased_check() {	# ID
	[ ! -e .git/ps-erase ] || echo "the erasure journal is left"
	find .git -name '*.lock' ! -name ps.lock | sed 's/^/a lock left: /'
	find .git/objects/pack -size 0 | sed 's/^/an empty pack file: /'
	git fsck --full --strict --no-dangling >/dev/null 2>&1 || echo "git fsck: $(git fsck --full --strict 2>&1 | head -2)"
	all_objects | grep -aqiE "$CANARY" && echo "their data is in an object"
	git cat-file -e "HEAD:participants/$1.yaml" 2>/dev/null && echo "their record is in HEAD"
	[ "$(git log --format=%s | grep -cx "ps-apply: erase $1")" -le 1 ] ||
	    echo "more than one commit \"ps-apply: erase $1\""
	ps-check >/dev/null 2>&1 || echo "ps-check: $(ps-check 2>&1 | tail -1)"
}
