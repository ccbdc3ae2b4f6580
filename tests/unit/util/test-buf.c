/* Unit tests: the growable byte buffer (lib/util/buf.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

/* More than the address space, so every allocation of it fails, but a
   size that memcheck does not take for a negative one. */
#define HUGE	(((size_t)1 << 62) - 64)

static void
appends_and_stays_terminated(void **state)
{
	struct ps_buf b = PS_BUF_INIT;

	(void)state;
	assert_null(b.s);
	assert_int_equal(ps_buf_add(&b, "ab", 2), 0);
	assert_int_equal(b.len, 2);
	assert_int_equal(b.s[2], '\0');
	assert_int_equal(ps_buf_puts(&b, "cd"), 0);
	assert_int_equal(ps_buf_putc(&b, 'e'), 0);
	assert_int_equal(ps_buf_printf(&b, "-%d-%s", 42, "x"), 0);
	assert_string_equal(b.s, "abcde-42-x");
	assert_int_equal(b.len, 10);
	assert_true(b.cap > b.len);
	ps_buf_release(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	ps_buf_release(&b);	/* twice: harmless */
}

/* Adding nothing still makes the buffer a string. */
static void
empty_add_makes_a_string(void **state)
{
	struct ps_buf b = PS_BUF_INIT;

	(void)state;
	assert_int_equal(ps_buf_add(&b, "", 0), 0);
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	ps_buf_release(&b);
	assert_int_equal(ps_buf_puts(&b, ""), 0);
	assert_string_equal(b.s, "");
	ps_buf_release(&b);
	assert_int_equal(ps_buf_printf(&b, "%s", ""), 0);
	assert_string_equal(b.s, "");
	ps_buf_release(&b);
}

/* Bytes, NUL among them, are kept as given; len counts them all. */
static void
binary_bytes(void **state)
{
	struct ps_buf b = PS_BUF_INIT;

	(void)state;
	assert_int_equal(ps_buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(ps_buf_putc(&b, 0), 0);
	assert_int_equal(ps_buf_putc(&b, 0xff), 0);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.s, "a\0b\0\xff", 6);
	ps_buf_release(&b);
}

/* A megabyte in pieces that cross every doubling: all of it, in order. */
static void
grows_across_many_appends(void **state)
{
	struct ps_buf b = PS_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++)
		assert_int_equal(ps_buf_printf(&b, "%05zu\n", i % 100000), 0);
	assert_int_equal(b.len, 600000);
	assert_int_equal(strlen(b.s), 600000);
	assert_memory_equal(b.s, "00000\n00001\n", 12);
	assert_memory_equal(b.s + 599994, "99999\n", 6);
	/* a printf larger than the room left, at once */
	ps_buf_truncate(&b, 3);
	assert_int_equal(ps_buf_printf(&b, "%0200d", 7), 0);
	assert_int_equal(b.len, 203);
	assert_int_equal(b.s[202], '7');
	assert_int_equal(b.s[203], '\0');
	ps_buf_release(&b);
}

/* After reserve(n), adding n bytes moves nothing. */
static void
reserve_then_add_copies_nothing(void **state)
{
	struct ps_buf b = PS_BUF_INIT;
	char block[5000];
	char *s;

	(void)state;
	memset(block, 'z', sizeof(block));
	assert_int_equal(ps_buf_puts(&b, "head"), 0);
	assert_int_equal(ps_buf_reserve(&b, sizeof(block)), 0);
	s = b.s;
	assert_true(b.cap >= 4 + sizeof(block) + 1);
	assert_int_equal(ps_buf_add(&b, block, sizeof(block)), 0);
	assert_ptr_equal(b.s, s);
	assert_int_equal(b.len, 4 + sizeof(block));
	assert_int_equal(b.s[b.len], '\0');
	assert_int_equal(ps_buf_reserve(&b, 0), 0);
	assert_ptr_equal(b.s, s);
	ps_buf_release(&b);
	/* reserve on an empty buffer */
	assert_int_equal(ps_buf_reserve(&b, 10), 0);
	s = b.s;
	assert_int_equal(ps_buf_add(&b, "0123456789", 10), 0);
	assert_ptr_equal(b.s, s);
	assert_string_equal(b.s, "0123456789");
	ps_buf_release(&b);
}

static void
truncate_shortens_only(void **state)
{
	struct ps_buf b = PS_BUF_INIT;

	(void)state;
	ps_buf_truncate(&b, 0);		/* empty: nothing to do */
	assert_null(b.s);
	ps_buf_puts(&b, "hello world");
	ps_buf_truncate(&b, 5);
	assert_string_equal(b.s, "hello");
	assert_int_equal(b.len, 5);
	ps_buf_truncate(&b, 50);	/* longer: unchanged */
	assert_string_equal(b.s, "hello");
	assert_int_equal(b.len, 5);
	ps_buf_truncate(&b, 0);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	ps_buf_puts(&b, "again");
	assert_string_equal(b.s, "again");
	ps_buf_release(&b);
}

/* detach hands over the storage and leaves an empty buffer behind; an
   empty buffer gives an empty string, not NULL. */
static void
detach_hands_over(void **state)
{
	struct ps_buf b = PS_BUF_INIT;
	char *s;

	(void)state;
	s = ps_buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	ps_buf_puts(&b, "mine now");
	s = ps_buf_detach(&b);
	assert_string_equal(s, "mine now");
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	ps_buf_puts(&b, "fresh");
	assert_string_equal(b.s, "fresh");
	assert_string_equal(s, "mine now");
	free(s);
	ps_buf_release(&b);
}

/*
 * An append that cannot get its memory (more than the address space,
 * or a length that would wrap around): -1, and the buffer holds what it
 * held, still NUL-terminated, and goes on working.
 */
static void
failed_append_keeps_content(void **state)
{
	struct ps_buf b = PS_BUF_INIT;
	char *s;
	size_t cap;

	(void)state;
	assert_int_equal(ps_buf_puts(&b, "kept"), 0);
	s = b.s;
	cap = b.cap;
	assert_int_equal(ps_buf_reserve(&b, HUGE), -1);
	assert_int_equal(ps_buf_add(&b, "x", HUGE), -1);
	assert_int_equal(ps_buf_reserve(&b, SIZE_MAX), -1);
	assert_int_equal(ps_buf_reserve(&b, SIZE_MAX - 4), -1);
	assert_int_equal(ps_buf_add(&b, "x", SIZE_MAX), -1);
	assert_int_equal(ps_buf_add(&b, "x", SIZE_MAX - 4), -1);
	assert_int_equal(ps_buf_add(&b, "x", SIZE_MAX - 5), -1);
	/* a format vsnprintf() cannot convert (no such character in the
	   C locale) */
	assert_int_equal(ps_buf_printf(&b, "%ls", L"\x100"), -1);
	assert_ptr_equal(b.s, s);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.s, "kept");
	assert_int_equal(ps_buf_puts(&b, "!"), 0);
	assert_string_equal(b.s, "kept!");
	ps_buf_release(&b);
	/* on an empty buffer too: still empty, still usable */
	assert_int_equal(ps_buf_reserve(&b, HUGE), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(ps_buf_puts(&b, "ok"), 0);
	assert_string_equal(b.s, "ok");
	ps_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends_and_stays_terminated),
		cmocka_unit_test(empty_add_makes_a_string),
		cmocka_unit_test(binary_bytes),
		cmocka_unit_test(grows_across_many_appends),
		cmocka_unit_test(reserve_then_add_copies_nothing),
		cmocka_unit_test(truncate_shortens_only),
		cmocka_unit_test(detach_hands_over),
		cmocka_unit_test(failed_append_keeps_content),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
