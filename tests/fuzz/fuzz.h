/*
 * fuzz: what the libFuzzer targets in tests/fuzz/ share. Each target
 * defines LLVMFuzzerTestOneInput(); `make fuzz` links it with libFuzzer
 * (clang, ASan, UBSan), `make check` with replay.c, which feeds it the
 * seed corpus and the regression cases. A target aborts on a broken
 * invariant, so that both see it as a crash.
 */
#ifndef PS_FUZZ_H
#define PS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A file descriptor reading the input (a memfd); -1 on failure. */
int	fuzz_fd(const uint8_t *, size_t);

#endif
