/*
 * Unit tests: SHA-1 (lib/util/sha1.c), against FIPS 180's examples and
 * against sha1sum on inputs cut at every length around a block's end,
 * fed whole and byte by byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/sha1.h"

static void
hexof(const unsigned char *sum, char out[41])
{
	int i;

	for (i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", sum[i]);
}

static void
sum_of(const void *data, size_t n, size_t step, char out[41])
{
	struct ps_sha1 c;
	unsigned char sum[20];
	size_t i;

	ps_sha1_init(&c);
	for (i = 0; i < n; i += step)
		ps_sha1_update(&c, (const char *)data + i, n - i < step ?
		    n - i : step);
	ps_sha1_final(&c, sum);
	hexof(sum, out);
}

static void
fips_examples(void **state)
{
	char h[41], *a;

	(void)state;
	sum_of("", 0, 1, h);
	assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	sum_of("abc", 3, 3, h);
	assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sum_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    56, h);
	assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	assert_non_null(a = malloc(1000000));
	memset(a, 'a', 1000000);
	sum_of(a, 1000000, 1000000, h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	sum_of(a, 1000000, 4099, h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
}

/* Lengths 50 to 140 (either side of the padding's edge at 56 and 64),
   whole and byte by byte, against sha1sum. */
static void
against_sha1sum(void **state)
{
	char text[141], h[41], h1[41], want[64], cmd[200];
	FILE *fp;
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(text) - 1; n++)
		text[n] = (char)('A' + n % 53);
	for (n = 50; n <= 140; n++) {
		snprintf(cmd, sizeof(cmd), "printf '%%s' '%.*s' | sha1sum",
		    (int)n, text);
		assert_non_null(fp = popen(cmd, "r"));
		assert_non_null(fgets(want, sizeof(want), fp));
		pclose(fp);
		want[40] = '\0';
		sum_of(text, n, n, h);
		sum_of(text, n, 1, h1);
		assert_string_equal(h, want);
		assert_string_equal(h1, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fips_examples),
		cmocka_unit_test(against_sha1sum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
