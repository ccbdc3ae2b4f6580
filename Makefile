# Peer Support Toolkit — plain GNU make.
#   make            build the library and every tool in cmd/
#   make check      all tests (unit, command line, schemas, man pages), and
#                   the library's layers (tests/layers.sh)
#   make check-future  the command-line tests with the clock a year ahead
#   make demo       a guided run in a new store under $TMPDIR or /tmp, kept
#   make bench      benchmarks (not part of check)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (clang; not in check)
#   make valgrind   unit and command-line tests under valgrind's memcheck
#   make deps       install build and test dependencies
#   make install    PREFIX=/usr/local DESTDIR= ; make uninstall
#   SANITIZE=1      build with AddressSanitizer and UBSan
#   WERROR=1        warnings are errors (CI and developer builds)
#   V=1             show the compiler command lines

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/peer-support
PKG_CONFIG ?= pkg-config

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wwrite-strings \
            -Wno-unused-parameter -Wvla -Wundef -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN     += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

# pkg-config is asked once, when make reads this file: before depcheck has
# installed anything on a fresh machine. So every target that compiles
# (all, check, check-future, bench, fuzz, valgrind) runs depcheck, then a make of its
# own, which reads this file again with the libraries in place.
PKGS      = yaml-0.1 libgit2 zlib libcrypto
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
             -Ilib -include lib/util/banned.h \
             -DPS_VERSION='"$(VERSION)"' -DPS_SCHEMADIR='"$(DATADIR)/schemas"'

# The flags of the last build: a build with others (SANITIZE=1, WERROR=1)
# rebuilds everything rather than link objects of both kinds together.
FLAGS     = lib/.flags
FLAGS_NOW = $(strip $(ALL_CFLAGS) $(LDFLAGS))
ifneq ($(FLAGS_NOW),$(strip $(file <$(FLAGS))))
$(file >$(FLAGS),$(FLAGS_NOW))
endif

# lib/ is in layers, each a folder using only those before it (tests/layers.sh)
LAYERS    = util model store rules ops cli
LIB_SRC  := $(foreach l,$(LAYERS),$(wildcard lib/$(l)/*.c))
LIB_H    := $(foreach l,$(LAYERS),$(wildcard lib/$(l)/*.h))
LIB_OBJ  := $(LIB_SRC:.c=.o)
LIB       = lib/libps.a
CMD_SRC  := $(wildcard cmd/ps-*.c)
TOOLS    := $(CMD_SRC:.c=)
# unit tests mirror lib/: tests/unit/LAYER/test-MODULE.c
UNIT_SRC := $(foreach l,$(LAYERS),$(wildcard tests/unit/$(l)/test-*.c))
UNITS    := $(UNIT_SRC:.c=)
# and what a layer's tests share (tests/unit/store/fixture.h)
UNIT_H   := $(foreach l,$(LAYERS),$(wildcard tests/unit/$(l)/*.h))
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH    := $(BENCH_SRC:.c=)
MAN      := $(wildcard man/*.[157])

# a make of the build's own, quiet about targets that are up to date
SUBMAKE = $(MAKE) --no-print-directory $(if $(filter 1,$(V)),,-s)

all: depcheck
	@$(SUBMAKE) tools

tools: $(TOOLS)

ifneq ($(V),1)
Q = @
say = @printf '  %-5s %s\n' $(1) $(2);
endif

lib/%.o: lib/%.c $(LIB_H) Makefile $(FLAGS)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(call say,AR,$@)$(AR) rcs $@ $(LIB_OBJ)

cmd/ps-%: cmd/ps-%.c $(LIB) $(LIB_H)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(PKG_LIBS)

$(UNITS): %: %.c $(LIB) $(LIB_H) $(UNIT_H)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(PKG_LIBS) -lcmocka

tests/bench/%: tests/bench/%.c $(LIB) $(LIB_H)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(PKG_LIBS)

# libyaml alone, as the floor ps-check is measured against
tests/bench/yaml-floor: tests/bench/yaml-floor.c $(FLAGS)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS) $(PKG_LIBS)

# LEMON's network simplex, the peer of lib/rules/assign.c (bench part c);
# built only where LEMON's headers are (Debian: liblemon-dev), else that
# row is skipped.
LEMON_H  ?= /usr/include/lemon/network_simplex.h
CXX      ?= c++
CXXFLAGS ?= -O2 -g
CXXWARN   = -Wall -Wextra -Wpedantic -Wshadow
ifeq ($(WERROR),1)
CXXWARN  += -Werror
endif
ifneq ($(wildcard $(LEMON_H)),)
BENCH    += tests/bench/lemon-peer
endif

tests/bench/lemon-peer: tests/bench/lemon-peer.cc
	$(call say,LD,$@)$(CXX) -std=c++11 $(CXXWARN) $(CXXFLAGS) -o $@ $< \
	    $(LDFLAGS)

# Missing build or test dependencies: install them, or say how.
depcheck:
	@$(PKG_CONFIG) --exists $(PKGS) 2>/dev/null || tests/deps.sh build

# what the tests need, installed and built: check's and check-future's
define TEST_BUILD
@tests/deps.sh test
@$(SUBMAKE) $(TOOLS) $(UNITS) $(FUZZ_REPLAY) $(FAILMALLOC)
endef

check: depcheck
	@tests/lint-tests.sh
	@tests/layers.sh
	$(TEST_BUILD)
	@tests/run.sh

# No test may read the real date: the suites in FUTURE_TESTS again, under
# libfaketime with the clock FUTURE ahead (+1826d: five years).
FUTURE       ?= +365d
FUTURE_TESTS ?= cli
check-future: depcheck
	$(TEST_BUILD)
	@echo "check-future: the clock $(FUTURE) ahead: $$(faketime -f '$(FUTURE)' date -u +%F)"
	@TESTS="$(FUTURE_TESTS)" faketime -f '$(FUTURE)' tests/run.sh

# The reliability tests' failing-malloc shim (tests/reliability/alloc.sh).
FAILMALLOC = tests/reliability/failmalloc.so
$(FAILMALLOC): tests/reliability/failmalloc.c $(FLAGS)
	$(call say,CC,$@)$(CC) -shared -fPIC $(CFLAGS) $(WARN) -o $@ $< -ldl

# Fuzzing and memcheck. make check replays the fuzz corpus and regression
# cases (tests/fuzz/) through replay-* built with $(CC); make fuzz builds
# the libFuzzer targets with clang, ASan and UBSan into tests/fuzz/build
# (the library too, apart from lib/*.o) and runs each FUZZ_SECONDS.
FUZZ_TARGETS = yaml schema roundtrip csv ids stdin
FUZZ_REPLAY  = $(FUZZ_TARGETS:%=tests/fuzz/replay-%)
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   = tests/fuzz/build
FUZZ_CFLAGS  = $(filter-out -Werror -fsanitize=%,$(ALL_CFLAGS)) -g -O1 \
               -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined

tests/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c \
    tests/fuzz/fuzz-common.c tests/fuzz/fuzz.h $(LIB) $(LIB_H)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< \
	    tests/fuzz/replay.c tests/fuzz/fuzz-common.c $(LIB) $(LDFLAGS) \
	    $(PKG_LIBS)

$(FUZZ_BUILD)/lib/%.o: lib/%.c $(LIB_H) Makefile
	@mkdir -p $(@D)
	$(call say,CC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) \
	    -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz-common.c \
    tests/fuzz/fuzz.h $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
	$(call say,LD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	    -o $@ $< tests/fuzz/fuzz-common.c \
	    $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o) $(PKG_LIBS)

.SECONDARY: $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)

fuzz: depcheck
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz needs $(FUZZ_CC) \
	    with libFuzzer: apt-get install clang libclang-rt-dev" >&2; exit 1; }
	@$(SUBMAKE) $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

valgrind: depcheck
	@command -v valgrind >/dev/null || { echo "make valgrind needs \
	    valgrind: apt-get install valgrind" >&2; exit 1; }
	@$(SUBMAKE) $(TOOLS) $(UNITS) $(FUZZ_REPLAY)
	@VALGRIND=1 tests/run.sh

demo: all
	@examples/demo.sh

bench: depcheck
	@$(SUBMAKE) $(TOOLS) $(BENCH)
	@tests/bench/bench.sh

deps:
	@tests/deps.sh install

# The folders install makes (those that were not there) are noted in
# $(DATADIR)/installed-dirs, so that uninstall removes them again when
# they are empty, and no folder that was there before. A staged install
# (DESTDIR=, for a package) notes none: the package manager owns them.
INSTALL_DIRS = $(BINDIR) $(MANDIR)/man1 $(MANDIR)/man5 $(MANDIR)/man7 \
               $(DATADIR)/schemas $(DATADIR)/examples/ms-society
DIRS_MADE    = $(DATADIR)/installed-dirs

install: all
	@made=$$(for d in $(INSTALL_DIRS); do \
	    while [ -n "$$d" ] && [ ! -d "$(DESTDIR)$$d" ]; do \
	        echo "$$d"; u=$${d%/*}; [ "$$u" != "$$d" ] || break; d=$$u; \
	    done; done); \
	install -d $(addprefix $(DESTDIR),$(INSTALL_DIRS)) || exit 1; \
	if [ -z "$(DESTDIR)" ]; then \
	    { cat "$(DIRS_MADE)" 2>/dev/null; echo "$$made"; } | \
	    sed '/^$$/d' | sort -u >"$(DIRS_MADE).new" && \
	    mv "$(DIRS_MADE).new" "$(DIRS_MADE)"; fi
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)
	install -m 644 schemas/*.yaml $(DESTDIR)$(DATADIR)/schemas
	install -m 644 examples/ms-society/program.yaml \
	    $(DESTDIR)$(DATADIR)/examples/ms-society
	for m in $(MAN); do s=$${m##*.}; \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done

uninstall:
	for t in $(notdir $(TOOLS)); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	for m in $(notdir $(MAN)); do s=$${m##*.}; \
	    rm -f $(DESTDIR)$(MANDIR)/man$$s/$$m; done
	@made=$$(sort -r "$(DESTDIR)$(DIRS_MADE)" 2>/dev/null); \
	rm -rf $(DESTDIR)$(DATADIR); \
	for d in $$made; do rmdir "$(DESTDIR)$$d" 2>/dev/null || :; done

clean:
	rm -f $(LIB_OBJ) $(LIB) $(TOOLS) $(UNITS) $(BENCH) $(FUZZ_REPLAY) \
	    $(FAILMALLOC) tests/bench/lemon-peer
	rm -rf tests/tmp $(FUZZ_BUILD) $(FLAGS)

.PHONY: all tools check check-future demo bench deps install uninstall \
	clean depcheck fuzz valgrind
