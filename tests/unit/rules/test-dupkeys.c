/*
 * Unit tests: probable duplicates by key (lib/rules/dupkeys.c): the keys
 * of a record, this run's index, and the store's, kept in .git/ps-dupkeys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/yaml.h"
#include "rules/dupkeys.h"
#include "../ops/store-ops.h"

static struct ps_node *
parse(const char *text)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;

	assert_int_equal(ps_yaml_load_mem(&n, text, strlen(text), "t", &d), 0);
	ps_diags_release(&d);
	return n;
}

static void
keys_of(void **state)
{
	struct ps_node *p = parse("kind: participant\nid: P-B00009\n"
	    "contact:\n  email: Eve@Example.ORG\n  phone: \"+1 613 555 0201\"\n"
	    "name:\n  first: Eve\n  last: Smith\nbirth_year: 1980\n");
	struct ps_node *v = parse("kind: volunteer\nid: V-B00009\n"
	    "contact:\n  email: eve@example.org\n");
	struct ps_node *none = parse("kind: participant\nid: P-B00008\n");
	char keys[3][600];

	(void)state;
	assert_int_equal(ps_dupkeys_of(p, keys), 3);
	assert_string_equal(keys[0], "p email eve@example.org");
	assert_string_equal(keys[1], "P phone +1 613 555 0201");
	assert_string_equal(keys[2], "p name eve\x1fsmith\x1f" "1980");
	/* the email and the name in lower case, the kind's letter too; a
	   volunteer's keys are apart from a participant's */
	assert_int_equal(ps_dupkeys_of(v, keys), 1);
	assert_string_equal(keys[0], "v email eve@example.org");
	assert_int_equal(ps_dupkeys_of(none, keys), 0);
	ps_node_free(p);
	ps_node_free(v);
	ps_node_free(none);
}

/* This run's keys: the first ID a key was added with. */
static void
this_run(void **state)
{
	struct ps_dupkeys x;

	(void)state;
	ps_dupkeys_init(&x, NULL, 1);
	assert_null(ps_dupkeys_find(&x, "P email a@example.org", NULL));
	assert_int_equal(ps_dupkeys_add_run(&x, "P email a@example.org",
	    "P-B00011"), 0);
	assert_int_equal(ps_dupkeys_add_run(&x, "P email a@example.org",
	    "P-B00012"), 0);
	assert_string_equal(ps_dupkeys_find(&x, "P email a@example.org",
	    NULL), "P-B00011");
	assert_null(ps_dupkeys_find(&x, "V email a@example.org", NULL));
	ps_dupkeys_release(&x);
}

/* The store's open people: found, confirmed against the record, not
   oneself nor someone closed; the keys kept in .git/ps-dupkeys. */
static void
the_store(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_dupkeys x;
	struct ps_node *self = NULL;
	struct ps_buf p = PS_BUF_INIT;
	char *text, *w;

	(void)state;
	{
		struct fix f;

		ops_new(&f, 1);
		ps_dupkeys_init(&x, f.s, 0);
		assert_int_equal(ps_dupkeys_load(&x, &d), 0);
		assert_string_equal(ps_dupkeys_find(&x,
		    "p email eve@example.org", NULL), "P-B00001");
		assert_string_equal(ps_dupkeys_find(&x,
		    "P phone +1 613 555 0201", NULL), "P-B00001");
		/* a key no record has, though a hash might */
		assert_null(ps_dupkeys_find(&x, "p email nobody@example.org",
		    NULL));
		/* not a duplicate of itself (an update) */
		assert_int_equal(ps_store_get(f.s, "P-B00001", &self, &d), 0);
		assert_null(ps_dupkeys_find(&x, "p email eve@example.org",
		    self));
		ps_dupkeys_release(&x);
		/* the keys were kept: hashes and IDs, no value */
		text = fix_read(&f, ".git/ps-dupkeys");
		assert_non_null(text);
		assert_memory_equal(text, "psdupk1\n", 8);
		free(text);
		ps_repo_gitpath(f.s, &p, "ps-dupkeys");
		assert_int_equal(access(p.s, F_OK), 0);
		/* withdrawn: no longer a duplicate of anyone */
		text = fix_read(&f, "participants/P-B00001.yaml");
		assert_non_null(w = strstr(text, "status: waiting"));
		memcpy(w, "status: closed\n", 15);
		memmove(w + 14, w + 15, strlen(w + 15) + 1);
		ops_put(&f, "participants/P-B00001.yaml", text);
		free(text);
		fix_reopen(&f);
		ps_dupkeys_init(&x, f.s, 0);
		assert_int_equal(ps_dupkeys_load(&x, &d), 0);
		assert_null(ps_dupkeys_find(&x, "p email eve@example.org",
		    NULL));
		ps_dupkeys_release(&x);
		ps_node_free(self);
		fix_free(&f);
	}
	ps_buf_release(&p);
	fix_diags_done(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_of),
		cmocka_unit_test(this_run),
		cmocka_unit_test(the_store),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
