/*
 * Unit tests: contact details in the prose of a public profile
 * (lib/util/contactinfo.c). Each kind is found in the forms people write
 * it in, and ordinary prose — years, dates, ages, counts, times,
 * abbreviations, the example applications' own profiles — passes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/contactinfo.h"

#define PHONE	"a phone number"
#define EMAIL	"an email address"
#define WEB	"a web address"
#define HANDLE	"a social media handle"

struct example {
	const char	*text;
	const char	*kind;		/* NULL: none */
};

static void
expect_all(const struct example *ex)
{
	const char *got;

	for (; ex->text; ex++) {
		got = ps_contactinfo_find(ex->text);
		if (got == NULL && ex->kind == NULL)
			continue;
		if (got == NULL || ex->kind == NULL || strcmp(got, ex->kind))
			fail_msg("\"%s\": found %s, want %s", ex->text,
			    got ? got : "nothing", ex->kind ? ex->kind :
			    "nothing");
	}
}

static void
phone_numbers(void **state)
{
	static const struct example ex[] = {
		{ "Call me on +1 999 555 0145", PHONE },
		{ "613-555-0145", PHONE },
		{ "my cell: (613) 555-0145, evenings", PHONE },
		{ "(613)555-0145", PHONE },
		{ "613.555.0145", PHONE },
		{ "613 555 0145", PHONE },
		{ "1-800-555-0199 any time", PHONE },
		{ "ring 555-0145 after work", PHONE },
		{ "555 - 0145", PHONE },
		{ "6135550145", PHONE },
		{ "+44 20 7946 0958", PHONE },
		{ "+33 6 12 34 56 78", PHONE },
		{ "06 12 34 56 78", PHONE },
		{ "text 613 555 0145.", PHONE },
		{ "Since 2015 my number is 613-555-0145", PHONE },
		{ NULL, NULL }
	};

	(void)state;
	expect_all(ex);
}

static void
email_addresses(void **state)
{
	static const struct example ex[] = {
		{ "or someone@example.org", EMAIL },
		{ "Write to ada.lovelace+peer@mail.example.co.uk.", EMAIL },
		{ "EMAIL: ADA@EXAMPLE.ORG", EMAIL },
		{ "ada [at] example [dot] org", EMAIL },
		{ "ada(at)example.org", EMAIL },
		{ "ada at example dot org", EMAIL },
		{ "Call me on +1 999 555 0145 or someone@example.org", PHONE },
		{ "someone@example.org or +1 999 555 0145", EMAIL },
		{ NULL, NULL }
	};

	(void)state;
	expect_all(ex);
}

static void
web_addresses(void **state)
{
	static const struct example ex[] = {
		{ "see http://example.org", WEB },
		{ "HTTPS://EXAMPLE.ORG/me", WEB },
		{ "my blog www.example.net", WEB },
		{ "facebook.com/ada.l", WEB },
		{ "my site: ada-writes.ca", WEB },
		{ "read example.org.", WEB },
		{ "blog.example.info, mostly gardening", WEB },
		{ "EXAMPLE.COM", WEB },
		{ "example.blog/about", WEB },
		{ "linktr.ee/ada", WEB },
		{ "ada-writes dot com", WEB },
		{ NULL, NULL }
	};

	(void)state;
	expect_all(ex);
}

static void
handles(void **state)
{
	static const struct example ex[] = {
		{ "@ada_writes on Instagram", HANDLE },
		{ "find me (@adal) on most apps", HANDLE },
		{ "Instagram:@ada", HANDLE },
		{ NULL, NULL }
	};

	(void)state;
	expect_all(ex);
}

/* Prose a profile may hold: none of it is contact details. */
static void
ordinary_prose(void **state)
{
	static const struct example ex[] = {
		{ "", NULL },
		{ "Living with MS since 2009; kept working part-time and "
		    "raised two kids.", NULL },
		{ "Diagnosed in 2019, 5 years ago, at 34.", NULL },
		{ "I volunteered from 2015-2019 and again 2021 - 2024.",
		    NULL },
		{ "Caregiver 2001 2010 2019", NULL },
		{ "(2015-2019)", NULL },
		{ "Diagnosed on 2019-05-04, retired 04/05/2021.", NULL },
		{ "Married 12 05 2001.", NULL },
		{ "Free after 7pm, or 7:30 on Saturdays.", NULL },
		{ "Available 9.30-12.30 most days.", NULL },
		{ "Open 10.30-12.30 14.30-16.30 and 10 30 11 30 14.", NULL },
		{ "Counting 1 2 3 4 5 6 7 8 9 10.", NULL },
		{ "We raised $1,000,000 for research; 10,000 steps a day.",
		    NULL },
		{ "Retired in 2015. 2 children, 5 grandchildren.", NULL },
		{ "Born 1975. 12 years with MS.", NULL },
		{ "My father lived with MS for thirty years; I helped care "
		    "for him from my teens.", NULL },
		{ "Father of a 24-year-old son, e.g. school, i.e. the "
		    "waiting lists.", NULL },
		{ "Ph.D. in history, a.m. or p.m., St. John's, the U.S.",
		    NULL },
		{ "I'm 5'8\", 1 in 100, 3-2-1 and 50/50.", NULL },
		{ "and/or 24/7 km/h", NULL },
		{ "I did it.Me too.", NULL },
		{ "Version 2.0 of the guide, section 3.1.4.", NULL },
		{ "Let me know @ the meeting, or email the programme.", NULL },
		{ "We meet at the hall, dot on time.", NULL },
		{ "A year of 1234567 steps.", NULL },
		{ "report.pdf, notes.txt", NULL },
		{ "Cared for my husband through twelve years of Parkinson's "
		    "disease, the last three of them at home with help from "
		    "home care.", NULL },
		{ "Teacher in Saint-Boniface. Happy to take the quick "
		    "questions.", NULL },
		{ "CANARY-12-public_profile.bio", NULL },
		{ NULL, NULL }
	};

	(void)state;
	expect_all(ex);
}

/* Long runs are read in one pass: 64 KiB of digits and spaces. */
static void
long_text_is_quick(void **state)
{
	static char text[65537];
	size_t i;

	(void)state;
	for (i = 0; i + 1 < sizeof(text); i++)
		text[i] = i % 2 ? ' ' : '1';
	text[i] = '\0';
	assert_null(ps_contactinfo_find(text + 60000));
	for (i = 0; i + 1 < sizeof(text); i++)
		text[i] = 'a';
	assert_null(ps_contactinfo_find(text));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phone_numbers),
		cmocka_unit_test(email_addresses),
		cmocka_unit_test(web_addresses),
		cmocka_unit_test(handles),
		cmocka_unit_test(ordinary_prose),
		cmocka_unit_test(long_text_is_quick),
	};

	return cmocka_run_group_tests_name("contactinfo", tests, NULL, NULL);
}
