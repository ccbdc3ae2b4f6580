/* Unit tests: the hash index over a caller's array (lib/util/map.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/map.h"
#include "util/mem.h"

/*
 * calloc() made to fail on demand, where it can be replaced: glibc's own
 * does the work (as in tests/reliability/failmalloc.c). Not under a
 * sanitizer, whose allocator would be handed glibc's blocks to free.
 */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define FAIL_CALLOC	1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#undef FAIL_CALLOC
#endif
#endif

#ifdef FAIL_CALLOC
extern void	*__libc_calloc(size_t, size_t);

static int	fail_calloc;

void *
calloc(size_t n, size_t size)
{
	if (fail_calloc) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}
#endif

/* The caller's side: an array of string keys, each with a value. */
struct item {
	char	key[16];
	int	val;
};

struct items {
	struct item	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 eqs;	/* eq() calls */
};

static int
eq(const void *arg, size_t i, const void *key)
{
	struct items *x = (struct items *)(uintptr_t)arg;

	x->eqs++;
	assert_true(i < x->n);
	return strcmp(x->v[i].key, key) == 0;
}

static uint64_t
hash(const char *key)
{
	return ps_map_hash(key, strlen(key));
}

static size_t
find(const struct ps_map *m, struct items *x, const char *key)
{
	return ps_map_find(m, hash(key), eq, x, key);
}

/* Add key with val (or set the value of the key already there). */
static void
put(struct ps_map *m, struct items *x, const char *key, int val)
{
	struct item *v;
	size_t i;

	if ((i = find(m, x, key)) != PS_MAP_NONE) {
		x->v[i].val = val;
		return;
	}
	v = ps_mem_grow(x->v, &x->cap, x->n + 1, sizeof(*v), 16);
	assert_non_null(v);
	x->v = v;
	snprintf(x->v[x->n].key, sizeof(x->v[x->n].key), "%s", key);
	x->v[x->n].val = val;
	assert_int_equal(ps_map_add(m, hash(key), x->n), 0);
	x->n++;
}

static void
hash_is_fnv1a(void **state)
{
	(void)state;
	/* FNV-1a, 64 bits: the published test vectors */
	assert_true(ps_map_hash("", 0) == 0xcbf29ce484222325ULL);
	assert_true(ps_map_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(ps_map_hash("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(ps_map_hash("a\0b", 3) != ps_map_hash("a", 1));
}

static void
empty_map(void **state)
{
	struct ps_map m = PS_MAP_INIT;
	struct items x = { NULL, 0, 0, 0 };

	(void)state;
	assert_true(find(&m, &x, "P-7K3Q2X") == PS_MAP_NONE);
	assert_int_equal(x.eqs, 0);
	ps_map_clear(&m);
	ps_map_release(&m);
	ps_map_release(&m);
	assert_null(m.v);
	assert_int_equal(m.cap, 0);
	assert_int_equal(m.n, 0);
}

static void
insert_find_replace(void **state)
{
	struct ps_map m = PS_MAP_INIT;
	struct items x = { NULL, 0, 0, 0 };

	(void)state;
	put(&m, &x, "P-7K3Q2X", 1);
	put(&m, &x, "V-4M9R2T", 2);
	put(&m, &x, "M-0A1B2C", 3);
	assert_int_equal(m.n, 3);
	assert_int_equal(find(&m, &x, "P-7K3Q2X"), 0);
	assert_int_equal(find(&m, &x, "V-4M9R2T"), 1);
	assert_int_equal(find(&m, &x, "M-0A1B2C"), 2);
	assert_true(find(&m, &x, "P-7K3Q2Y") == PS_MAP_NONE);
	assert_true(find(&m, &x, "") == PS_MAP_NONE);
	/* a key found is the caller's to change: same item, new value */
	put(&m, &x, "V-4M9R2T", 20);
	assert_int_equal(m.n, 3);
	assert_int_equal(x.n, 3);
	assert_int_equal(x.v[find(&m, &x, "V-4M9R2T")].val, 20);
	ps_map_release(&m);
	free(x.v);
}

static int
bykey(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->key,
	    ((const struct item *)b)->key);
}

/* A hundred thousand keys: from 64 slots, eleven doublings. */
static void
many_resizes(void **state)
{
	struct ps_map m = PS_MAP_INIT;
	struct items x = { NULL, 0, 0, 0 };
	struct ps_map_slot *before;
	char key[16];
	size_t i, cap;
	int k;

	(void)state;
	for (k = 0; k < 100000; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		put(&m, &x, key, k);
		assert_true(m.n * 2 <= m.cap);
		assert_int_equal(m.cap & (m.cap - 1), 0);
	}
	assert_int_equal(m.n, 100000);
	assert_int_equal(m.cap, 262144);
	x.eqs = 0;
	for (k = 0; k < 100000; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		i = find(&m, &x, key);
		assert_int_equal(i, (size_t)k);
		assert_int_equal(x.v[i].val, k);
	}
	/* the hash kept in each slot spares eq() the items of others */
	assert_true(x.eqs < 100000 + 100);
	for (k = 100000; k < 101000; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		assert_true(find(&m, &x, key) == PS_MAP_NONE);
	}

	/* sorted: cleared and added again, in the same table */
	ps_mem_sort(x.v, x.n, sizeof(*x.v), bykey);
	before = m.v;
	cap = m.cap;
	ps_map_clear(&m);
	assert_int_equal(m.n, 0);
	assert_true(find(&m, &x, "k0") == PS_MAP_NONE);
	for (i = 0; i < x.n; i++)
		assert_int_equal(ps_map_add(&m, hash(x.v[i].key), i), 0);
	assert_ptr_equal(m.v, before);
	assert_int_equal(m.cap, cap);
	for (k = 0; k < 100000; k += 7) {
		snprintf(key, sizeof(key), "k%d", k);
		i = find(&m, &x, key);
		assert_true(i != PS_MAP_NONE);
		assert_int_equal(x.v[i].val, k);
	}
	ps_map_release(&m);
	free(x.v);
}

/* The caller's hash, made to collide on purpose. */
static uint64_t	(*bad_hash)(size_t);

static uint64_t
same(size_t k)
{
	(void)k;
	return 42;
}

/* Different hashes, all in the table's last slot: the probe wraps. */
static uint64_t
last_slot(size_t k)
{
	return ((uint64_t)k << 20) | 0xfffff;
}

/* Equal in the 32 bits the map keeps: eq() tells them apart. */
static uint64_t
high_bits(size_t k)
{
	return (uint64_t)k << 32 | 7;
}

static void
collisions(void **state)
{
	static uint64_t (*const hashes[])(size_t) = { same, last_slot,
	    high_bits };
	struct ps_map m;
	struct items x;
	char key[16];
	size_t h, k, i;

	(void)state;
	for (h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++) {
		bad_hash = hashes[h];
		memset(&m, 0, sizeof(m));
		memset(&x, 0, sizeof(x));
		for (k = 0; k < 300; k++) {
			snprintf(key, sizeof(key), "c%zu", k);
			assert_true(ps_map_find(&m, bad_hash(k), eq, &x,
			    key) == PS_MAP_NONE);
			x.v = ps_mem_grow(x.v, &x.cap, k + 1, sizeof(*x.v),
			    16);
			assert_non_null(x.v);
			memcpy(x.v[k].key, key, sizeof(key));
			x.v[k].val = (int)k;
			x.n = k + 1;
			assert_int_equal(ps_map_add(&m, bad_hash(k), k), 0);
		}
		for (k = 0; k < 300; k++) {
			snprintf(key, sizeof(key), "c%zu", k);
			i = ps_map_find(&m, bad_hash(k), eq, &x, key);
			assert_int_equal(i, k);
		}
		/* a key of one hash is not found under another */
		assert_true(ps_map_find(&m, bad_hash(0) + 1, eq, &x, "c0") ==
		    PS_MAP_NONE);
		assert_true(ps_map_find(&m, bad_hash(300), eq, &x, "c300") ==
		    PS_MAP_NONE);
		ps_map_release(&m);
		free(x.v);
	}
}

/* Past PS_MAP_MAX: -1, and the map as it was. */
static void
add_too_many(void **state)
{
	struct ps_map m = PS_MAP_INIT;
	struct items x = { NULL, 0, 0, 0 };

	(void)state;
	assert_int_equal(ps_map_add(&m, 1, PS_MAP_MAX), -1);
	assert_null(m.v);
	assert_int_equal(m.n, 0);
	put(&m, &x, "f0", 0);
	assert_int_equal(ps_map_add(&m, 1, PS_MAP_MAX), -1);
	assert_int_equal(m.n, 1);
	assert_int_equal(find(&m, &x, "f0"), 0);
	ps_map_release(&m);
	free(x.v);
}

/*
 * Out of memory as the table would double: -1, and the map as it was.
 * Skipped where calloc() cannot be made to fail (a sanitizer's or
 * valgrind's allocator in place of the one above).
 */
static void
add_out_of_memory(void **state)
{
#ifdef FAIL_CALLOC
	void *(*volatile alloc)(size_t, size_t) = calloc;
	struct ps_map m = PS_MAP_INIT;
	struct items x = { NULL, 0, 0, 0 };
	struct ps_map_slot *v;
	char key[16];
	void *p;
	int k, rc;

	(void)state;
	fail_calloc = 1;
	p = alloc(1, 1);
	fail_calloc = 0;
	if (p != NULL) {
		free(p);
		skip();
	}
	for (k = 0; k < 32; k++) {	/* the table full to its half */
		snprintf(key, sizeof(key), "f%d", k);
		put(&m, &x, key, k);
	}
	assert_int_equal(m.cap, 64);
	v = m.v;
	x.v = ps_mem_grow(x.v, &x.cap, x.n + 1, sizeof(*x.v), 16);
	assert_non_null(x.v);
	fail_calloc = 1;
	rc = ps_map_add(&m, hash("f32"), x.n);
	fail_calloc = 0;
	assert_int_equal(rc, -1);
	assert_ptr_equal(m.v, v);
	assert_int_equal(m.cap, 64);
	assert_int_equal(m.n, 32);
	for (k = 0; k < 32; k++) {
		snprintf(key, sizeof(key), "f%d", k);
		assert_int_equal(find(&m, &x, key), (size_t)k);
	}
	assert_true(find(&m, &x, "f32") == PS_MAP_NONE);
	put(&m, &x, "f32", 32);	/* memory again: it doubles */
	assert_int_equal(m.cap, 128);
	assert_int_equal(find(&m, &x, "f32"), 32);
	ps_map_release(&m);
	free(x.v);
#else
	(void)state;
	skip();
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_is_fnv1a),
		cmocka_unit_test(empty_map),
		cmocka_unit_test(insert_find_replace),
		cmocka_unit_test(many_resizes),
		cmocka_unit_test(collisions),
		cmocka_unit_test(add_too_many),
		cmocka_unit_test(add_out_of_memory),
	};

	return cmocka_run_group_tests_name("map", tests, NULL, NULL);
}
