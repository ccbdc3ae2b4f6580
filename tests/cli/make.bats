#!/usr/bin/env bats
# The Makefile's install and uninstall, in a fresh PREFIX: uninstall
# takes away every file and every folder install made, and leaves a
# folder that was there before. They run in a copy of the built tree
# (make -o all: nothing is built again, with whatever flags), from a
# make of its own (not the make check that runs the tests).
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# a copy of what install reads, at $T/src
install_tree() {
	mkdir -p "$T/src/lib" "$T/src/examples/ms-society"
	cp -r "$TOP/Makefile" "$TOP/cmd" "$TOP/schemas" "$TOP/man" "$T/src/"
	cp "$TOP/examples/ms-society/program.yaml" "$T/src/examples/ms-society/"
}

# make ARGS... in the copy, quietly, for the caller to check
mk() {
	run_split env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s -C "$T/src" -o all -o depcheck "$@"	# the caller expects: lint: ok
}

@test "make uninstall leaves no file and no folder that make install made" {
	install_tree
	mk install PREFIX="$T/p"
	expect 0 "" ""
	[ -x "$T/p/bin/ps-apply" ]
	[ -f "$T/p/share/man/man7/peer-support.7" ]
	[ -f "$T/p/share/peer-support/schemas/participant.yaml" ]
	grep -qx "$T/p/share/man/man5" "$T/p/share/peer-support/installed-dirs"
	# installing again forgets no folder it made the first time
	mk install PREFIX="$T/p"
	expect 0 "" ""
	grep -qx "$T/p" "$T/p/share/peer-support/installed-dirs"
	mk uninstall PREFIX="$T/p"
	expect 0 "" ""
	[ ! -e "$T/p" ]
}

@test "make uninstall keeps the folders that were there, and what else is in them" {
	install_tree
	mkdir -p "$T/p/bin" "$T/p/share/man/man1"
	echo other >"$T/p/share/man/man1/other.1"
	mk install PREFIX="$T/p"
	expect 0 "" ""
	mk uninstall PREFIX="$T/p"
	expect 0 "" ""
	diff -u - <(cd "$T/p" && find . | sort) <<-EOF
	.
	./bin
	./share
	./share/man
	./share/man/man1
	./share/man/man1/other.1
	EOF
}

@test "a staged install (DESTDIR) lists no folder as its own" {
	install_tree
	mk install DESTDIR="$T/stage" PREFIX=/usr
	expect 0 "" ""
	[ -x "$T/stage/usr/bin/ps-check" ]
	[ ! -e "$T/stage/usr/share/peer-support/installed-dirs" ]
}
