/*
 * contactinfo: does a piece of prose carry contact details? A volunteer's
 * public profile is shown to participants, who must reach a volunteer
 * only through the programme, so the schema refuses x-public text in
 * which this finds a telephone number, an email address, a web address
 * or a social-media handle (model/schema.c).
 *
 * The test is a heuristic, made to pass ordinary prose: years and year
 * ranges (2019, 2015-2019), dates, ages, counts ("5 years", "1,000"),
 * times ("7pm", "7:30") and abbreviations ("e.g.", "Ph.D.") are not
 * contact details. What it finds:
 *	a phone number	seven digits or more in groups joined by spaces,
 *			hyphens, dots or parentheses (613-555-0145,
 *			(613) 555 0145, 555-0145), or ten in one run, or
 *			any after a "+"; not when every group is a year,
 *			nor a date (2019-05-04, 04 05 2019)
 *	an email	name@domain.tld, and spelt out: name [at] domain,
 *	address		name at domain dot org
 *	a web address	http:// or https://, www., domain.tld/... and a
 *			domain under a common top-level domain
 *			(example.org, site.ca), and domain dot com
 *	a social-media	@name
 *	handle
 * Numbers spelt in words, and addresses written around the rules, get
 * through: a coordinator still reads what a volunteer writes.
 *
 * Calling sequence: kind = ps_contactinfo_find(text); NULL, or the kind
 * found first in the text, in words for a message ("a phone number").
 * Nothing allocates; the string returned is static.
 */
#ifndef PS_CONTACTINFO_H
#define PS_CONTACTINFO_H

const char	*ps_contactinfo_find(const char *s);

#endif
