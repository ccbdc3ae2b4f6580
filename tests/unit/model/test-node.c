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

/* A mapping's keys, a sequence's items, one line; cut short at len. */
static void
names(void **state)
{
	struct ps_node *m = ps_node_new_map(), *q = ps_node_new_seq();
	char out[16];

	(void)state;
	ps_node_names(m, out, sizeof(out));
	assert_string_equal(out, "");
	ps_node_names(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	ps_node_set_str(m, "short", "x");
	ps_node_set_str(m, "ongoing", "y");
	ps_node_names(m, out, sizeof(out));
	assert_string_equal(out, "short, ongoing");
	ps_node_set_str(m, "group", "z");
	ps_node_names(m, out, sizeof(out));
	assert_string_equal(out, "short, ongoing,");
	ps_node_seq_append(q, ps_node_new_str("en"));
	ps_node_seq_append(q, ps_node_new_str("fr"));
	ps_node_names(q, out, sizeof(out));
	assert_string_equal(out, "en, fr");
	ps_node_names(q->vals[0], out, sizeof(out));
	assert_string_equal(out, "");
	ps_node_free(m);
	ps_node_free(q);
}

/* White space off both ends of a scalar, in place; others left. */
static void
trim(void **state)
{
	struct ps_node *s = ps_node_new_str(" \t Ada Lovelace \r\n");
	struct ps_node *blank = ps_node_new_str(" \t "), *m = ps_node_new_map();

	(void)state;
	ps_node_trim(s);
	assert_string_equal(s->str, "Ada Lovelace");
	assert_int_equal(s->len, 12);
	ps_node_trim(s);
	assert_string_equal(s->str, "Ada Lovelace");
	ps_node_trim(blank);
	assert_string_equal(blank->str, "");
	assert_int_equal(blank->len, 0);
	ps_node_set_str(m, "a", " b ");
	ps_node_trim(m);
	assert_string_equal(ps_node_get_str(m, "a"), " b ");
	ps_node_trim(NULL);
	ps_node_free(s);
	ps_node_free(blank);
	ps_node_free(m);
}

/* A number at a path: what it begins with, or the default if none. */
static void
get_long(void **state)
{
	struct ps_node *r = ps_node_new_map();

	(void)state;
	assert_int_equal(ps_node_set_plain(r, "a.n", "42"), 0);
	assert_int_equal(ps_node_set_plain(r, "a.neg", "-7"), 0);
	assert_int_equal(ps_node_set_plain(r, "a.text", "x"), 0);
	assert_int_equal(ps_node_get_long(r, "a.n", 5), 42);
	assert_int_equal(ps_node_get_long(r, "a.neg", 5), -7);
	assert_int_equal(ps_node_get_long(r, "a.text", 5), 0);
	assert_int_equal(ps_node_get_long(r, "a.none", 5), 5);
	assert_int_equal(ps_node_get_long(NULL, "a.n", 9), 9);
	ps_node_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_and_get_by_path),
		cmocka_unit_test(get_long),
		cmocka_unit_test(dup_and_equal),
		cmocka_unit_test(names),
		cmocka_unit_test(trim),
	};

	return cmocka_run_group_tests_name("node", tests, NULL, NULL);
}
