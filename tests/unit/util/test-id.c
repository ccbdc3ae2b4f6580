/* Unit tests: record IDs (lib/util/id.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/id.h"

static void
new_ids_are_valid_and_differ(void **state)
{
	char a[PS_ID_LEN + 1], b[PS_ID_LEN + 1];

	(void)state;
	assert_int_equal(ps_id_new(a, "participant"), 0);
	assert_int_equal(ps_id_new(b, "participant"), 0);
	assert_true(ps_id_valid(a));
	assert_int_equal(a[0], 'P');
	assert_string_not_equal(a, b);
	assert_int_equal(ps_id_new(a, "contact"), 0);
	assert_string_equal(ps_id_kind(a), "contact");
	assert_int_equal(ps_id_new(a, "nonsense"), -1);
}

static void
validity(void **state)
{
	(void)state;
	assert_true(ps_id_valid("P-7K3Q2X"));
	assert_true(ps_id_valid("M-8D1Q4R"));
	assert_false(ps_id_valid("P-7K3Q2"));	/* short */
	assert_false(ps_id_valid("P-7K3Q2XX"));	/* long */
	assert_false(ps_id_valid("P-7K3Q2I"));	/* I is not Crockford */
	assert_false(ps_id_valid("p-7K3Q2X"));
	assert_false(ps_id_valid("X-7K3Q2X"));
	assert_false(ps_id_valid("../../x"));
	assert_string_equal(ps_id_kind_dir("volunteer"), "volunteers");
	assert_null(ps_id_kind_dir("program"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_ids_are_valid_and_differ),
		cmocka_unit_test(validity),
	};

	return cmocka_run_group_tests_name("id", tests, NULL, NULL);
}
