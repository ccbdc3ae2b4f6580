/* Unit tests: the record model (lib/model/node.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/node.h"

static void
set_and_get_by_path(void **state)
{
	struct ps_node *r = ps_node_new_map();

	(void)state;
	assert_int_equal(ps_node_set_str(r, "name.first", "Ada"), 0);
	assert_string_equal(ps_node_get_str(r, "name.first"), "Ada");
	assert_int_equal(ps_node_map_set(r, "refs", ps_node_new_seq()), 0);
	assert_int_equal(ps_node_set(r, "refs.0", ps_node_new_map()), 0);
	assert_int_equal(ps_node_set_str(r, "refs.0.outcome", "pass"), 0);
	assert_string_equal(ps_node_get_str(r, "refs.0.outcome"), "pass");
	/* index past the end + 1 is refused; a path through a scalar too */
	assert_int_equal(ps_node_set(r, "refs.5", ps_node_new_map()), -1);
	assert_int_equal(ps_node_set_str(r, "name.first.x", "y"), -1);
	assert_null(ps_node_get(r, "refs.1"));
	assert_null(ps_node_get(r, "nope.deeper"));
	/* replacing keeps the order; deleting removes */
	assert_int_equal(ps_node_set_str(r, "name.first", "Grace"), 0);
	assert_string_equal(r->keys[0]->str, "name");
	assert_int_equal(ps_node_map_del(r, "name"), 1);
	assert_int_equal(ps_node_map_del(r, "name"), 0);
	assert_string_equal(r->keys[0]->str, "refs");
	ps_node_free(r);
	ps_node_free(NULL);
}

static void
dup_and_equal(void **state)
{
	struct ps_node *a = ps_node_new_map(), *b;

	(void)state;
	ps_node_set_str(a, "x.y", "1");
	ps_node_set_plain(a, "z", "true");
	b = ps_node_dup(a);
	assert_non_null(b);
	assert_true(ps_node_equal(a, b));
	ps_node_set_str(b, "x.y", "2");
	assert_false(ps_node_equal(a, b));
	ps_node_free(a);
	ps_node_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_and_get_by_path),
		cmocka_unit_test(dup_and_equal),
	};

	return cmocka_run_group_tests_name("node", tests, NULL, NULL);
}
