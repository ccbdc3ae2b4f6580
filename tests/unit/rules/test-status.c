/* Unit tests: what a record's status means for its work (lib/rules/status.c). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/node.h"
#include "rules/status.h"

static void
open_matches(void **state)
{
	(void)state;
	assert_true(ps_status_match_open("proposed"));
	assert_true(ps_status_match_open("active"));
	assert_true(ps_status_match_open("callback-open"));
	assert_false(ps_status_match_open("callback-done"));
	assert_false(ps_status_match_open("declined"));
	assert_false(ps_status_match_open("ended"));
	assert_false(ps_status_match_open("Active"));
	assert_false(ps_status_match_open(""));
	assert_false(ps_status_match_open(NULL));
}

/* program.yaml's volunteers.default_capacity, as a tree */
static struct ps_node *
prog_with(const char *cap)
{
	struct ps_node *p = ps_node_new_map(), *v = ps_node_new_map();

	assert_non_null(p);
	assert_non_null(v);
	if (cap)
		assert_int_equal(ps_node_map_set(v, "default_capacity",
		    ps_node_new_scalar(cap, strlen(cap))), 0);
	assert_int_equal(ps_node_map_set(p, "volunteers", v), 0);
	return p;
}

static void
capacity(void **state)
{
	struct ps_node *p3 = prog_with("3"), *none = prog_with(NULL);

	(void)state;
	assert_int_equal(ps_status_capacity("2", p3), 2);
	assert_int_equal(ps_status_capacity("0", p3), 0);	/* paused */
	assert_int_equal(ps_status_capacity(NULL, p3), 3);
	assert_int_equal(ps_status_capacity(NULL, none), 1);
	assert_int_equal(ps_status_capacity(NULL, NULL), 1);
	assert_int_equal(ps_status_capacity("4", NULL), 4);
	ps_node_free(p3);
	ps_node_free(none);
}

static void
free_volunteer(void **state)
{
	(void)state;
	/* active, no expiry, room left */
	assert_true(ps_status_volunteer_free("active", LONG_MAX, 100, 2, 1));
	/* full, or over */
	assert_false(ps_status_volunteer_free("active", LONG_MAX, 100, 2, 2));
	assert_false(ps_status_volunteer_free("active", LONG_MAX, 100, 1, 3));
	assert_false(ps_status_volunteer_free("active", LONG_MAX, 100, 0, 0));
	/* a check that expires today still holds; yesterday's does not */
	assert_true(ps_status_volunteer_free("active", 100, 100, 1, 0));
	assert_false(ps_status_volunteer_free("active", 99, 100, 1, 0));
	/* not active */
	assert_false(ps_status_volunteer_free("on-leave", LONG_MAX, 100, 2, 0));
	assert_false(ps_status_volunteer_free("screening", LONG_MAX, 100, 2, 0));
	assert_false(ps_status_volunteer_free(NULL, LONG_MAX, 100, 2, 0));
}

static void
waiting_participant(void **state)
{
	(void)state;
	assert_true(ps_status_participant_waiting("applied"));
	assert_true(ps_status_participant_waiting("onboarding"));
	assert_true(ps_status_participant_waiting("waiting"));
	assert_false(ps_status_participant_waiting("matched"));
	assert_false(ps_status_participant_waiting("closed"));
	assert_false(ps_status_participant_waiting("withdrawn"));
	assert_false(ps_status_participant_waiting(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_matches),
		cmocka_unit_test(capacity),
		cmocka_unit_test(free_volunteer),
		cmocka_unit_test(waiting_participant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
