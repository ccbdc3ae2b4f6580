#!/bin/sh
# Build and test dependencies: check them, install them, or say how.
#   deps.sh build     libraries to build (libyaml, libgit2, pkg-config)
#   deps.sh test      what make check needs too
#   deps.sh install   install everything (make deps)
# On Debian/Ubuntu it runs apt-get (through sudo when not root); where it
# cannot install, it prints the one command to run and fails.
set -u
mode=${1:-install}

build_debs="build-essential pkg-config libyaml-dev libgit2-dev zlib1g-dev libssl-dev git"
# yq is the jq wrapper for YAML that examples/pipelines.md uses (Debian's
# yq, Homebrew's python-yq, pip's yq); Fedora's yq is another program, so
# there it comes from pip (pip install yq).
test_debs="libcmocka-dev bats mandoc python3 python3-yaml python3-jsonschema python3-scipy yq strace valgrind faketime"
dnf_pkgs="gcc make pkgconf-pkg-config libyaml-devel libgit2-devel zlib-devel openssl-devel git libcmocka-devel bats mandoc python3-pyyaml python3-jsonschema python3-scipy jq strace valgrind libfaketime"
brew_pkgs="pkg-config libyaml libgit2 cmocka bats-core mandoc python-yq libfaketime"

missing_debs() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || printf '%s ' "$p"
	done
}

case $mode in
build) want=$build_debs ;;
*) want="$build_debs $test_debs" ;;
esac

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null; then
	# shellcheck disable=SC2086
	need=$(missing_debs $want)
	[ -z "$need" ] && exit 0
	cmd="apt-get install -y --no-install-recommends $need"
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing $need" >&2
		DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		    DEBIAN_FRONTEND=noninteractive $cmd >/dev/null && exit 0
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		echo "deps: installing $need (sudo)" >&2
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		    sudo -n env DEBIAN_FRONTEND=noninteractive $cmd >/dev/null &&
		    exit 0
	fi
	echo "deps: missing packages; run:  sudo apt-get update && sudo $cmd" >&2
	exit 1
elif command -v dnf >/dev/null 2>&1; then
	pkg-config --exists yaml-0.1 libgit2 zlib libcrypto && [ "$mode" = build ] && exit 0
	echo "deps: run:  sudo dnf install -y $dnf_pkgs" >&2
	[ "$(id -u)" = 0 ] && dnf install -y $dnf_pkgs && exit 0
	exit 1
elif command -v brew >/dev/null 2>&1; then
	pkg-config --exists yaml-0.1 libgit2 zlib libcrypto && [ "$mode" = build ] && exit 0
	brew install $brew_pkgs && exit 0
	exit 1
fi
pkg-config --exists yaml-0.1 libgit2 zlib libcrypto 2>/dev/null && [ "$mode" = build ] && exit 0
echo "deps: install libyaml, libgit2, cmocka, bats, mandoc, python3-yaml, python3-jsonschema, python3-scipy, yq (the jq wrapper), strace, valgrind and libfaketime with your package manager" >&2
exit 1
