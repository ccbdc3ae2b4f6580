/*
 * Unit tests: the table from object IDs to object IDs and a state
 * (lib/store/oidmap.c): added, found, replaced in place, kept in the
 * order put, many keys whose first bytes collide, and released.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/oidmap.h"

/* An object ID from n: its first 8 bytes (the hash) from n / spread,
   the rest from n, so that keys of one n / spread share a hash. */
static git_oid
oid_of(unsigned n, unsigned spread)
{
	git_oid o;
	unsigned h = n / spread;

	memset(&o, 0, sizeof(o));
	memcpy(o.id, &h, sizeof(h));
	memcpy(o.id + 12, &n, sizeof(n));
	return o;
}

static void
test_put_get(void **state)
{
	struct ps_oidmap m = PS_OIDMAP_INIT;
	struct ps_oidmap_slot *sl;
	git_oid a = oid_of(1, 1), b = oid_of(2, 1), c = oid_of(3, 1);

	(void)state;
	assert_null(ps_oidmap_get(&m, &a));
	assert_int_equal(ps_oidmap_put(&m, &a, &b, 1), 0);
	assert_int_equal(ps_oidmap_put(&m, &b, &b, 2), 0);
	assert_non_null(sl = ps_oidmap_get(&m, &a));
	assert_true(git_oid_equal(&sl->key, &a));
	assert_true(git_oid_equal(&sl->val, &b));
	assert_int_equal(sl->state, 1);
	assert_null(ps_oidmap_get(&m, &c));
	/* replaced in its slot: no new one */
	assert_int_equal(ps_oidmap_put(&m, &a, &c, 3), 0);
	assert_int_equal(m.n, 2);
	assert_ptr_equal(ps_oidmap_get(&m, &a), &m.v[0]);
	assert_true(git_oid_equal(&m.v[0].val, &c));
	assert_int_equal(m.v[0].state, 3);
	assert_true(git_oid_equal(&m.v[1].key, &b));
	ps_oidmap_release(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.v);
	assert_null(ps_oidmap_get(&m, &a));
	ps_oidmap_release(&m);	/* twice: a no-op */
}

/* Many keys, four to a hash: every one found, with its own value. */
static void
test_many(void **state)
{
	struct ps_oidmap m;
	struct ps_oidmap_slot *sl;
	git_oid k, v;
	unsigned i;

	(void)state;
	memset(&m, 0, sizeof(m));	/* zeroed memory is an empty map */
	for (i = 0; i < 5000; i++) {
		k = oid_of(i, 4);
		v = oid_of(i + 100000, 1);
		assert_int_equal(ps_oidmap_put(&m, &k, &v, (int)(i % 3)), 0);
	}
	assert_int_equal(m.n, 5000);
	for (i = 0; i < 5000; i++) {
		k = oid_of(i, 4);
		v = oid_of(i + 100000, 1);
		assert_non_null(sl = ps_oidmap_get(&m, &k));
		assert_ptr_equal(sl, &m.v[i]);
		assert_true(git_oid_equal(&sl->val, &v));
		assert_int_equal(sl->state, (int)(i % 3));
	}
	k = oid_of(5000, 4);
	assert_null(ps_oidmap_get(&m, &k));
	ps_oidmap_release(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
