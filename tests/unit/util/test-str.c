/* Unit tests: string helpers and the test for text (lib/util/str.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/str.h"

static void
streq_and_null(void **state)
{
	(void)state;
	assert_true(ps_streq("a", "a"));
	assert_true(ps_streq("", ""));
	assert_false(ps_streq("a", "b"));
	assert_false(ps_streq("a", "ab"));
	assert_false(ps_streq("a", NULL));
	assert_false(ps_streq(NULL, "a"));
	assert_false(ps_streq(NULL, NULL));	/* NULL equals nothing */
}

static void
strcmpp_sorts_pointers(void **state)
{
	const char *v[] = { "volunteer", "contact", "match", "contact" };
	const char *a = "a", *b = "b";

	(void)state;
	assert_true(ps_strcmpp(&a, &b) < 0);
	assert_true(ps_strcmpp(&b, &a) > 0);
	assert_int_equal(ps_strcmpp(&a, &a), 0);
	qsort(v, 4, sizeof(v[0]), ps_strcmpp);
	assert_string_equal(v[0], "contact");
	assert_string_equal(v[1], "contact");
	assert_string_equal(v[2], "match");
	assert_string_equal(v[3], "volunteer");
}

/* Frees each string and the array (memcheck sees any left); NULL and an
   empty array are fine. */
static void
strv_free_frees_all(void **state)
{
	char **v = calloc(3, sizeof(*v));

	(void)state;
	assert_non_null(v);
	v[0] = strdup("x");
	v[1] = strdup("y");
	v[2] = NULL;
	ps_strv_free(v, 3);
	ps_strv_free(NULL, 5);
	ps_strv_free(calloc(1, sizeof(char *)), 0);
}

/* s is text a record may hold. */
static void
text(const char *s, size_t n)
{
	long cp = 12345;

	if (ps_str_check_text(s, n, &cp) != -1)
		fail_msg("should be text: \"%s\" (%zu bytes)", s, n);
}

/* s is refused at byte at, with control character want (-1: not UTF-8). */
static void
refused(const char *s, size_t n, long at, long want)
{
	long cp = 12345, got;

	got = ps_str_check_text(s, n, &cp);
	if (got != at || cp != want)
		fail_msg("\"%s\": refused at %ld (U+%04lX), want %ld (%ld)", s,
		    got, (unsigned long)cp, at, want);
}

#define TEXT(s)			text(s, sizeof(s) - 1)
#define REFUSED(s, at, cp)	refused(s, sizeof(s) - 1, at, cp)

static void
text_that_passes(void **state)
{
	(void)state;
	TEXT("");
	TEXT("Ada Lovelace");
	TEXT("tab\there\nand a newline");
	TEXT(" !~");				/* the printable ends */
	TEXT("caf\xc3\xa9");			/* U+00E9 */
	TEXT("\xc2\xa0");			/* U+00A0, after C1 */
	TEXT("\xc2\x85");			/* U+0085 NEL, allowed */
	TEXT("\xe2\x82\xac");			/* U+20AC */
	TEXT("\xef\xbb\xbf");			/* U+FEFF */
	TEXT("\xed\x9f\xbf");			/* U+D7FF, before surrogates */
	TEXT("\xee\x80\x80");			/* U+E000, after them */
	TEXT("\xef\xbf\xbf");			/* U+FFFF */
	TEXT("\xf0\x90\x80\x80");		/* U+10000 */
	TEXT("\xf0\x9f\x98\x80");		/* U+1F600 */
	TEXT("\xf4\x8f\xbf\xbf");		/* U+10FFFF, the last */
	/* only n bytes are looked at */
	text("ok\x01", 2);
	text("\xc3\xa9\xff", 2);
}

static void
controls_are_named(void **state)
{
	(void)state;
	REFUSED("\0", 0, 0);			/* NUL */
	REFUSED("ab\0cd", 2, 0);
	REFUSED("\x01", 0, 1);
	REFUSED("line\r\n", 4, 0x0d);		/* CR */
	REFUSED("\x1b[31m", 0, 0x1b);		/* ESC */
	REFUSED("x\x1f", 1, 0x1f);
	REFUSED("x\x7f", 1, 0x7f);		/* DEL */
	/* C1, as UTF-8: at the first byte of the character */
	REFUSED("\xc2\x80", 0, 0x80);
	REFUSED("caf\xc3\xa9\xc2\x9b", 5, 0x9b);	/* CSI */
	REFUSED("\xc2\x9f", 0, 0x9f);
	REFUSED("\xc2\x84", 0, 0x84);
	REFUSED("\xc2\x86", 0, 0x86);
}

static void
not_utf8(void **state)
{
	(void)state;
	/* bytes that never start a character */
	REFUSED("\x80", 0, -1);
	REFUSED("ab\xbf", 2, -1);
	REFUSED("\xff\xfe", 0, -1);
	REFUSED("\xf5\x80\x80\x80", 0, -1);
	/* overlong forms */
	REFUSED("\xc0\x80", 0, -1);		/* NUL in two bytes */
	REFUSED("\xc0\xaf", 0, -1);		/* '/' in two bytes */
	REFUSED("\xc1\xbf", 0, -1);
	REFUSED("\xe0\x80\xaf", 0, -1);		/* '/' in three */
	REFUSED("\xe0\x9f\xbf", 0, -1);		/* U+07FF in three */
	REFUSED("\xf0\x80\x80\xaf", 0, -1);	/* '/' in four */
	REFUSED("\xf0\x8f\xbf\xbf", 0, -1);	/* U+FFFF in four */
	/* surrogates, each end of the range */
	REFUSED("\xed\xa0\x80", 0, -1);		/* U+D800 */
	REFUSED("x\xed\xbf\xbf", 1, -1);	/* U+DFFF */
	REFUSED("\xed\xa0\xbd\xed\xb8\x80", 0, -1);	/* CESU-8 pair */
	/* past U+10FFFF */
	REFUSED("\xf4\x90\x80\x80", 0, -1);
	/* a continuation byte missing or wrong */
	REFUSED("\xc3\x28", 0, -1);
	REFUSED("\xe2\x82\x28", 0, -1);
	REFUSED("\xf0\x9f\x98\x28", 0, -1);
	REFUSED("\xc3\xc3\xa9", 0, -1);
	/* cut short at the end */
	REFUSED("ab\xe2\x82", 2, -1);
	REFUSED("\xf0\x9f\x98", 0, -1);
	refused("\xc3\xa9", 1, 0, -1);
	refused("x\xe2\x82\xac", 3, 1, -1);
	/* the first problem is the one reported */
	REFUSED("ok \x01 \xff", 3, 1);
	REFUSED("ok \xff \x01", 3, -1);
}

/* Where a string is in a list; -1 when not, or when NULL. */
static void
index_in_list(void **state)
{
	static const char *const l[] = { "phone", "video", "text", NULL };

	(void)state;
	assert_int_equal(ps_str_index(l, "phone"), 0);
	assert_int_equal(ps_str_index(l, "text"), 2);
	assert_int_equal(ps_str_index(l, "Text"), -1);
	assert_int_equal(ps_str_index(l, NULL), -1);
}

/* A name of a comma-separated list: whole names only. */
static void
listed(void **state)
{
	(void)state;
	assert_true(ps_str_listed("intake,audit", "intake"));
	assert_true(ps_str_listed("intake,audit", "audit"));
	assert_true(ps_str_listed("waiting", "waiting"));
	assert_false(ps_str_listed("waiting_times", "waiting"));
	assert_false(ps_str_listed("awaiting,x", "waiting"));
	assert_false(ps_str_listed("", "audit"));
	assert_false(ps_str_listed(NULL, "audit"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(streq_and_null),
		cmocka_unit_test(strcmpp_sorts_pointers),
		cmocka_unit_test(strv_free_frees_all),
		cmocka_unit_test(text_that_passes),
		cmocka_unit_test(controls_are_named),
		cmocka_unit_test(not_utf8),
		cmocka_unit_test(index_in_list),
		cmocka_unit_test(listed),
	};

	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
