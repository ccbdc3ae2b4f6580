/*
 * Unit tests: a report written out (lib/ops/render.c).
 *
 * One small report built by hand with rdoc.h, as ps_report_build()
 * builds one: counts with and without a change, a count that is small
 * now and one that was small before, a median of too few answers, a
 * table whose last row is the total (so that hiding one small count
 * hides another), an empty table, a table with a column worked out from
 * the counts, and a chart of two series. Each format is written with
 * small-cell suppression on and off into memory and compared whole.
 * Then the suppression that bounds give away (a total of 6 over a <5
 * and an x), and a long label in a text table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ops/rdoc.h"
#include "ops/render.h"
#include "ops/report.h"

/* The report every format is written from; ps_report_free() frees it. */
static struct ps_report *
report_new(void)
{
	struct ps_report *r = calloc(1, sizeof(*r));
	struct ps_rsection *s;
	struct ps_rtable *t;
	char **labels;
	double *a, *b;

	assert_non_null(r);
	ps_rdoc_begin();
	r->programme = ps_rdoc_strdup("Test & <programme>");
	memcpy(r->commit, "0123456789abcdef0123456789abcdef01234567", 41);
	memcpy(r->from, "2026-11-09", 11);
	memcpy(r->until, "2026-11-15", 11);
	r->threshold = 5;
	r->nsec = 2;
	s = &r->sec[0];
	s->key = "intake";
	s->title = "Intake";
	ps_rdoc_count(s, "applications", "Applications received", 12, 9);
	ps_rdoc_count(s, "withdrawn", "Withdrawn", 2, 1);
	ps_rdoc_count(s, "was_small", "Accepted", 7, 3);
	ps_rdoc_count_only(s, "waiting", "Waiting", 0);
	ps_rdoc_figure(s, "days", "Median days to first contact",
	    ps_rdoc_strdup("4.5"), NULL);
	ps_rdoc_basis(s, 3);
	t = ps_rdoc_table(s, "by_stream", "By stream", 1, PS_TOTAL_ROW, 2,
	    "stream", "people");
	ps_rdoc_row(t, ps_rdoc_strdup("extended"), ps_rdoc_strdup("3"));
	ps_rdoc_row(t, ps_rdoc_strdup("one-call, \"quick\""),
	    ps_rdoc_strdup("10"));
	ps_rdoc_row(t, ps_rdoc_strdup("short"), ps_rdoc_strdup("12"));
	ps_rdoc_row(t, ps_rdoc_strdup("Total"), ps_rdoc_strdup("25"));
	ps_rdoc_table(s, "by_mode", "By mode", 1, 0, 2, "mode", "people");
	s = &r->sec[1];
	s->key = "activity";
	s->title = "Activity";
	ps_rdoc_figure(s, "contacts", "Contacts", ps_rdoc_strdup("40"),
	    ps_rdoc_change(40, 44));
	t = ps_rdoc_table(s, "by_mode", "Contacts by mode", 1, 0, 3, "mode",
	    "people", "mean");
	t->derived = 1;
	ps_rdoc_row(t, ps_rdoc_strdup("phone"), ps_rdoc_strdup("2"),
	    ps_rdoc_strdup("3.5"));
	ps_rdoc_row(t, ps_rdoc_strdup("email"), ps_rdoc_strdup("9"),
	    ps_rdoc_strdup(""));
	assert_non_null(labels = calloc(2, sizeof(*labels)));
	assert_non_null(a = calloc(2, sizeof(*a)));
	assert_non_null(b = calloc(2, sizeof(*b)));
	labels[0] = ps_rdoc_strdup("W45");
	labels[1] = ps_rdoc_strdup("W46");
	a[0] = 2;
	a[1] = 20;
	b[0] = 10;
	b[1] = 1;
	ps_rdoc_chart(s, "trend", "New & closed", 2, labels, a, b, "new",
	    "closed");
	assert_int_equal(ps_rdoc_lost(), 0);
	return r;
}

static const char text_hidden[] =
    "Test & <programme>\n"
    "Report for 2026-11-09 to 2026-11-15 (changes are from the period before)\n"
    "Store commit 0123456789abcdef0123456789abcdef01234567\n"
    "\n"
    "Intake\n"
    "======\n"
    "  Applications received ...................................       12  (+3)\n"
    "  Withdrawn ...............................................       <5\n"
    "  Accepted ................................................        7\n"
    "  Waiting .................................................        0\n"
    "  Median days to first contact ............................      n<5\n"
    "\n"
    "  By stream\n"
    "    stream             people\n"
    "    extended               <5\n"
    "    one-call, \"quick\"       x\n"
    "    short                  12\n"
    "    Total                  25\n"
    "\n"
    "  By mode\n"
    "    (none)\n"
    "\n"
    "Activity\n"
    "========\n"
    "  Contacts ................................................       40  (-4)\n"
    "\n"
    "  Contacts by mode\n"
    "    mode   people  mean\n"
    "    phone      <5     -\n"
    "    email       9\n"
    "\n"
    "Key\n"
    "===\n"
    "  <5   a count from 1 to 4, hidden; seldom a 0, hidden with them\n"
    "  x    a count of 5 or more, hidden so that no <5 can be worked out\n"
    "  n<5  a median, mean or share of fewer than 5 answers, hidden\n"
    "  -    none, or a mean hidden with its count\n";

static const char text_shown[] =
    "Test & <programme>\n"
    "Report for 2026-11-09 to 2026-11-15 (changes are from the period before)\n"
    "Store commit 0123456789abcdef0123456789abcdef01234567\n"
    "Counts not suppressed, for the coordinator only: not to be sent on.\n"
    "\n"
    "Intake\n"
    "======\n"
    "  Applications received ...................................       12  (+3)\n"
    "  Withdrawn ...............................................        2  (+1)\n"
    "  Accepted ................................................        7  (+4)\n"
    "  Waiting .................................................        0\n"
    "  Median days to first contact ............................      4.5\n"
    "\n"
    "  By stream\n"
    "    stream             people\n"
    "    extended                3\n"
    "    one-call, \"quick\"      10\n"
    "    short                  12\n"
    "    Total                  25\n"
    "\n"
    "  By mode\n"
    "    (none)\n"
    "\n"
    "Activity\n"
    "========\n"
    "  Contacts ................................................       40  (-4)\n"
    "\n"
    "  Contacts by mode\n"
    "    mode   people  mean\n"
    "    phone       2   3.5\n"
    "    email       9\n";

static const char md_hidden[] =
    "# Test & <programme>\n"
    "\n"
    "Report for 2026-11-09 to 2026-11-15 (changes are from the period before). Store commit `0123456789abcdef0123456789abcdef01234567`.\n"
    "\n"
    "## Intake\n"
    "\n"
    "- Applications received: **12** (+3)\n"
    "- Withdrawn: **<5**\n"
    "- Accepted: **7**\n"
    "- Waiting: **0**\n"
    "- Median days to first contact: **n<5**\n"
    "\n"
    "By stream\n"
    "\n"
    "| stream | people |\n"
    "| --- | ---: |\n"
    "| extended | <5 |\n"
    "| one-call, \"quick\" | x |\n"
    "| short | 12 |\n"
    "| Total | 25 |\n"
    "\n"
    "By mode\n"
    "\n"
    "_None._\n"
    "\n"
    "## Activity\n"
    "\n"
    "- Contacts: **40** (-4)\n"
    "\n"
    "Contacts by mode\n"
    "\n"
    "| mode | people | mean |\n"
    "| --- | ---: | ---: |\n"
    "| phone | <5 | - |\n"
    "| email | 9 |  |\n"
    "\n"
    "## Key\n"
    "\n"
    "- `<5`: a count from 1 to 4, hidden; seldom a 0, hidden with them\n"
    "- `x`: a count of 5 or more, hidden so that no <5 can be worked out\n"
    "- `n<5`: a median, mean or share of fewer than 5 answers, hidden\n"
    "- `-`: none, or a mean hidden with its count\n";

static const char md_shown[] =
    "# Test & <programme>\n"
    "\n"
    "Report for 2026-11-09 to 2026-11-15 (changes are from the period before). Store commit `0123456789abcdef0123456789abcdef01234567`.\n"
    "\n"
    "**Counts not suppressed, for the coordinator only: not to be sent on.**\n"
    "\n"
    "## Intake\n"
    "\n"
    "- Applications received: **12** (+3)\n"
    "- Withdrawn: **2** (+1)\n"
    "- Accepted: **7** (+4)\n"
    "- Waiting: **0**\n"
    "- Median days to first contact: **4.5**\n"
    "\n"
    "By stream\n"
    "\n"
    "| stream | people |\n"
    "| --- | ---: |\n"
    "| extended | 3 |\n"
    "| one-call, \"quick\" | 10 |\n"
    "| short | 12 |\n"
    "| Total | 25 |\n"
    "\n"
    "By mode\n"
    "\n"
    "_None._\n"
    "\n"
    "## Activity\n"
    "\n"
    "- Contacts: **40** (-4)\n"
    "\n"
    "Contacts by mode\n"
    "\n"
    "| mode | people | mean |\n"
    "| --- | ---: | ---: |\n"
    "| phone | 2 | 3.5 |\n"
    "| email | 9 |  |\n";

static const char csv_hidden[] =
    "section,table,row,column,value\n"
    "intake,figures,applications,value,12\n"
    "intake,figures,applications,change,+3\n"
    "intake,figures,withdrawn,value,<5\n"
    "intake,figures,was_small,value,7\n"
    "intake,figures,waiting,value,0\n"
    "intake,figures,days,value,n<5\n"
    "intake,by_stream,extended,people,<5\n"
    "intake,by_stream,\"one-call, \"\"quick\"\"\",people,x\n"
    "intake,by_stream,short,people,12\n"
    "intake,by_stream,Total,people,25\n"
    "activity,figures,contacts,value,40\n"
    "activity,figures,contacts,change,-4\n"
    "activity,by_mode,phone,people,<5\n"
    "activity,by_mode,phone,mean,-\n"
    "activity,by_mode,email,people,9\n"
    "activity,by_mode,email,mean,\n"
    "report,key,<5,meaning,\"a count from 1 to 4, hidden; seldom a 0, hidden with them\"\n"
    "report,key,x,meaning,\"a count of 5 or more, hidden so that no <5 can be worked out\"\n"
    "report,key,n<5,meaning,\"a median, mean or share of fewer than 5 answers, hidden\"\n"
    "report,key,-,meaning,\"none, or a mean hidden with its count\"\n";

static const char csv_shown[] =
    "section,table,row,column,value\n"
    "report,notice,,,\"Counts not suppressed, for the coordinator only: not to be sent on.\"\n"
    "intake,figures,applications,value,12\n"
    "intake,figures,applications,change,+3\n"
    "intake,figures,withdrawn,value,2\n"
    "intake,figures,withdrawn,change,+1\n"
    "intake,figures,was_small,value,7\n"
    "intake,figures,was_small,change,+4\n"
    "intake,figures,waiting,value,0\n"
    "intake,figures,days,value,4.5\n"
    "intake,by_stream,extended,people,3\n"
    "intake,by_stream,\"one-call, \"\"quick\"\"\",people,10\n"
    "intake,by_stream,short,people,12\n"
    "intake,by_stream,Total,people,25\n"
    "activity,figures,contacts,value,40\n"
    "activity,figures,contacts,change,-4\n"
    "activity,by_mode,phone,people,2\n"
    "activity,by_mode,phone,mean,3.5\n"
    "activity,by_mode,email,people,9\n"
    "activity,by_mode,email,mean,\n";

static const char yaml_hidden[] =
    "---\n"
    "kind: report\n"
    "programme: Test & <programme>\n"
    "commit: \"0123456789abcdef0123456789abcdef01234567\"\n"
    "from: 2026-11-09\n"
    "until: 2026-11-15\n"
    "suppression_threshold: 5\n"
    "key:\n"
    "  - mark: \"<5\"\n"
    "    meaning: a count from 1 to 4, hidden; seldom a 0, hidden with them\n"
    "  - mark: x\n"
    "    meaning: a count of 5 or more, hidden so that no <5 can be worked out\n"
    "  - mark: n<5\n"
    "    meaning: a median, mean or share of fewer than 5 answers, hidden\n"
    "  - mark: \"-\"\n"
    "    meaning: none, or a mean hidden with its count\n"
    "sections:\n"
    "  - section: intake\n"
    "    title: Intake\n"
    "    figures:\n"
    "      - key: applications\n"
    "        label: Applications received\n"
    "        value: 12\n"
    "        change: \"+3\"\n"
    "      - key: withdrawn\n"
    "        label: Withdrawn\n"
    "        value: \"<5\"\n"
    "      - key: was_small\n"
    "        label: Accepted\n"
    "        value: 7\n"
    "      - key: waiting\n"
    "        label: Waiting\n"
    "        value: 0\n"
    "      - key: days\n"
    "        label: Median days to first contact\n"
    "        value: n<5\n"
    "    tables:\n"
    "      - key: by_stream\n"
    "        title: By stream\n"
    "        rows:\n"
    "          - stream: extended\n"
    "            people: \"<5\"\n"
    "          - stream: one-call, \"quick\"\n"
    "            people: x\n"
    "          - stream: short\n"
    "            people: 12\n"
    "          - stream: Total\n"
    "            people: 25\n"
    "      - key: by_mode\n"
    "        title: By mode\n"
    "        rows: []\n"
    "  - section: activity\n"
    "    title: Activity\n"
    "    figures:\n"
    "      - key: contacts\n"
    "        label: Contacts\n"
    "        value: 40\n"
    "        change: \"-4\"\n"
    "    tables:\n"
    "      - key: by_mode\n"
    "        title: Contacts by mode\n"
    "        rows:\n"
    "          - mode: phone\n"
    "            people: \"<5\"\n"
    "            mean: \"-\"\n"
    "          - mode: email\n"
    "            people: 9\n"
    "            mean: \"\"\n";

static const char yaml_shown[] =
    "---\n"
    "kind: report\n"
    "programme: Test & <programme>\n"
    "commit: \"0123456789abcdef0123456789abcdef01234567\"\n"
    "from: 2026-11-09\n"
    "until: 2026-11-15\n"
    "suppression_threshold: 0\n"
    "notice: \"Counts not suppressed, for the coordinator only: not to be sent on.\"\n"
    "sections:\n"
    "  - section: intake\n"
    "    title: Intake\n"
    "    figures:\n"
    "      - key: applications\n"
    "        label: Applications received\n"
    "        value: 12\n"
    "        change: \"+3\"\n"
    "      - key: withdrawn\n"
    "        label: Withdrawn\n"
    "        value: 2\n"
    "        change: \"+1\"\n"
    "      - key: was_small\n"
    "        label: Accepted\n"
    "        value: 7\n"
    "        change: \"+4\"\n"
    "      - key: waiting\n"
    "        label: Waiting\n"
    "        value: 0\n"
    "      - key: days\n"
    "        label: Median days to first contact\n"
    "        value: 4.5\n"
    "    tables:\n"
    "      - key: by_stream\n"
    "        title: By stream\n"
    "        rows:\n"
    "          - stream: extended\n"
    "            people: 3\n"
    "          - stream: one-call, \"quick\"\n"
    "            people: 10\n"
    "          - stream: short\n"
    "            people: 12\n"
    "          - stream: Total\n"
    "            people: 25\n"
    "      - key: by_mode\n"
    "        title: By mode\n"
    "        rows: []\n"
    "  - section: activity\n"
    "    title: Activity\n"
    "    figures:\n"
    "      - key: contacts\n"
    "        label: Contacts\n"
    "        value: 40\n"
    "        change: \"-4\"\n"
    "    tables:\n"
    "      - key: by_mode\n"
    "        title: Contacts by mode\n"
    "        rows:\n"
    "          - mode: phone\n"
    "            people: 2\n"
    "            mean: 3.5\n"
    "          - mode: email\n"
    "            people: 9\n"
    "            mean: \"\"\n";

static const char html_hidden[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>Test &amp; &lt;programme&gt; 2026-11-09 to 2026-11-15</title>\n"
    "<style>\n"
    "body{font-family:sans-serif;max-width:52em;margin:1em auto;color:#222}\n"
    "table{border-collapse:collapse;margin:.5em 0}\n"
    "td,th{border:1px solid #bbb;padding:.2em .6em}\n"
    "td.n{text-align:right}\n"
    ".a{color:#3b6ea5}.b{color:#d9822b}\n"
    "section{page-break-inside:avoid}\n"
    "</style>\n"
    "</head>\n"
    "<body>\n"
    "<h1>Test &amp; &lt;programme&gt;</h1>\n"
    "<p>Report for 2026-11-09 to 2026-11-15 (changes are from the period before). Store commit <code>0123456789abcdef0123456789abcdef01234567</code>.</p>\n"
    "<section id=\"intake\">\n"
    "<h2>Intake</h2>\n"
    "<table>\n"
    "<tr><th>Applications received</th><td class=\"n\">12</td><td>+3</td></tr>\n"
    "<tr><th>Withdrawn</th><td class=\"n\">&lt;5</td><td></td></tr>\n"
    "<tr><th>Accepted</th><td class=\"n\">7</td><td></td></tr>\n"
    "<tr><th>Waiting</th><td class=\"n\">0</td><td></td></tr>\n"
    "<tr><th>Median days to first contact</th><td class=\"n\">n&lt;5</td><td></td></tr>\n"
    "</table>\n"
    "<h3>By stream</h3>\n"
    "<table>\n"
    "<tr><th>stream</th><th>people</th></tr>\n"
    "<tr><td>extended</td><td class=\"n\">&lt;5</td></tr>\n"
    "<tr><td>one-call, &quot;quick&quot;</td><td class=\"n\">x</td></tr>\n"
    "<tr><td>short</td><td class=\"n\">12</td></tr>\n"
    "<tr><td>Total</td><td class=\"n\">25</td></tr>\n"
    "</table>\n"
    "<h3>By mode</h3>\n"
    "<p>None.</p>\n"
    "</section>\n"
    "<section id=\"activity\">\n"
    "<h2>Activity</h2>\n"
    "<table>\n"
    "<tr><th>Contacts</th><td class=\"n\">40</td><td>-4</td></tr>\n"
    "</table>\n"
    "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"176\" height=\"200\" role=\"img\" aria-label=\"New &amp; closed\">\n"
    "<line x1=\"30\" y1=\"160\" x2=\"176\" y2=\"160\" stroke=\"#444\"/>\n"
    "<rect x=\"36\" y=\"125.0\" width=\"30\" height=\"35.0\" fill=\"#3b6ea5\"/><text x=\"36\" y=\"123.0\" font-size=\"10\">&lt;5</text><rect x=\"66\" y=\"90.0\" width=\"30\" height=\"70.0\" fill=\"#d9822b\"/><text x=\"36\" y=\"174\" font-size=\"10\">W45</text>\n"
    "<rect x=\"104\" y=\"20.0\" width=\"30\" height=\"140.0\" fill=\"#3b6ea5\"/><text x=\"104\" y=\"18.0\" font-size=\"10\">20</text><rect x=\"134\" y=\"125.0\" width=\"30\" height=\"35.0\" fill=\"#d9822b\"/><text x=\"104\" y=\"174\" font-size=\"10\">W46</text>\n"
    "</svg><figcaption>New &amp; closed: <span class=\"a\">&#9632;</span> new <span class=\"b\">&#9632;</span> closed</figcaption></figure>\n"
    "<h3>Contacts by mode</h3>\n"
    "<table>\n"
    "<tr><th>mode</th><th>people</th><th>mean</th></tr>\n"
    "<tr><td>phone</td><td class=\"n\">&lt;5</td><td class=\"n\">-</td></tr>\n"
    "<tr><td>email</td><td class=\"n\">9</td><td class=\"n\"></td></tr>\n"
    "</table>\n"
    "</section>\n"
    "<section id=\"key\">\n"
    "<h2>Key</h2>\n"
    "<dl>\n"
    "<dt>&lt;5</dt><dd>a count from 1 to 4, hidden; seldom a 0, hidden with them</dd>\n"
    "<dt>x</dt><dd>a count of 5 or more, hidden so that no &lt;5 can be worked out</dd>\n"
    "<dt>n&lt;5</dt><dd>a median, mean or share of fewer than 5 answers, hidden</dd>\n"
    "<dt>-</dt><dd>none, or a mean hidden with its count</dd>\n"
    "</dl>\n"
    "</section>\n"
    "</body>\n"
    "</html>\n";

static const char html_shown[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>Test &amp; &lt;programme&gt; 2026-11-09 to 2026-11-15</title>\n"
    "<style>\n"
    "body{font-family:sans-serif;max-width:52em;margin:1em auto;color:#222}\n"
    "table{border-collapse:collapse;margin:.5em 0}\n"
    "td,th{border:1px solid #bbb;padding:.2em .6em}\n"
    "td.n{text-align:right}\n"
    ".a{color:#3b6ea5}.b{color:#d9822b}\n"
    "section{page-break-inside:avoid}\n"
    "</style>\n"
    "</head>\n"
    "<body>\n"
    "<h1>Test &amp; &lt;programme&gt;</h1>\n"
    "<p>Report for 2026-11-09 to 2026-11-15 (changes are from the period before). Store commit <code>0123456789abcdef0123456789abcdef01234567</code>.</p>\n"
    "<p><strong>Counts not suppressed, for the coordinator only: not to be sent on.</strong></p>\n"
    "<section id=\"intake\">\n"
    "<h2>Intake</h2>\n"
    "<table>\n"
    "<tr><th>Applications received</th><td class=\"n\">12</td><td>+3</td></tr>\n"
    "<tr><th>Withdrawn</th><td class=\"n\">2</td><td>+1</td></tr>\n"
    "<tr><th>Accepted</th><td class=\"n\">7</td><td>+4</td></tr>\n"
    "<tr><th>Waiting</th><td class=\"n\">0</td><td></td></tr>\n"
    "<tr><th>Median days to first contact</th><td class=\"n\">4.5</td><td></td></tr>\n"
    "</table>\n"
    "<h3>By stream</h3>\n"
    "<table>\n"
    "<tr><th>stream</th><th>people</th></tr>\n"
    "<tr><td>extended</td><td class=\"n\">3</td></tr>\n"
    "<tr><td>one-call, &quot;quick&quot;</td><td class=\"n\">10</td></tr>\n"
    "<tr><td>short</td><td class=\"n\">12</td></tr>\n"
    "<tr><td>Total</td><td class=\"n\">25</td></tr>\n"
    "</table>\n"
    "<h3>By mode</h3>\n"
    "<p>None.</p>\n"
    "</section>\n"
    "<section id=\"activity\">\n"
    "<h2>Activity</h2>\n"
    "<table>\n"
    "<tr><th>Contacts</th><td class=\"n\">40</td><td>-4</td></tr>\n"
    "</table>\n"
    "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"176\" height=\"200\" role=\"img\" aria-label=\"New &amp; closed\">\n"
    "<line x1=\"30\" y1=\"160\" x2=\"176\" y2=\"160\" stroke=\"#444\"/>\n"
    "<rect x=\"36\" y=\"146.0\" width=\"30\" height=\"14.0\" fill=\"#3b6ea5\"/><text x=\"36\" y=\"144.0\" font-size=\"10\">2</text><rect x=\"66\" y=\"90.0\" width=\"30\" height=\"70.0\" fill=\"#d9822b\"/><text x=\"36\" y=\"174\" font-size=\"10\">W45</text>\n"
    "<rect x=\"104\" y=\"20.0\" width=\"30\" height=\"140.0\" fill=\"#3b6ea5\"/><text x=\"104\" y=\"18.0\" font-size=\"10\">20</text><rect x=\"134\" y=\"153.0\" width=\"30\" height=\"7.0\" fill=\"#d9822b\"/><text x=\"104\" y=\"174\" font-size=\"10\">W46</text>\n"
    "</svg><figcaption>New &amp; closed: <span class=\"a\">&#9632;</span> new <span class=\"b\">&#9632;</span> closed</figcaption></figure>\n"
    "<h3>Contacts by mode</h3>\n"
    "<table>\n"
    "<tr><th>mode</th><th>people</th><th>mean</th></tr>\n"
    "<tr><td>phone</td><td class=\"n\">2</td><td class=\"n\">3.5</td></tr>\n"
    "<tr><td>email</td><td class=\"n\">9</td><td class=\"n\"></td></tr>\n"
    "</table>\n"
    "</section>\n"
    "</body>\n"
    "</html>\n";

/* r written in format f into memory; the caller frees it. */
static char *
render(const struct ps_report *r, enum ps_report_format f, int sup)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct ps_render_opts o = { f, sup, NULL };

	assert_non_null(fp);
	assert_int_equal(ps_render_report(r, &o, fp), 0);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(text);
	return text;
}

/* The report in format f, with and without suppression, is as expected. */
static void
both(enum ps_report_format f, const char *hidden, const char *shown)
{
	struct ps_report *r = report_new();
	char *got;

	got = render(r, f, 1);
	assert_string_equal(got, hidden);
	free(got);
	got = render(r, f, 0);
	assert_string_equal(got, shown);
	free(got);
	ps_report_free(r);
}

static void
text(void **state)
{
	(void)state;
	both(PS_FMT_TEXT, text_hidden, text_shown);
}

static void
markdown(void **state)
{
	(void)state;
	both(PS_FMT_MD, md_hidden, md_shown);
}

static void
csv(void **state)
{
	(void)state;
	both(PS_FMT_CSV, csv_hidden, csv_shown);
}

static void
yaml(void **state)
{
	(void)state;
	both(PS_FMT_YAML, yaml_hidden, yaml_shown);
}

static void
html(void **state)
{
	(void)state;
	both(PS_FMT_HTML, html_hidden, html_shown);
}

/* A report of one section, threshold 5, freed by ps_report_free(). */
static struct ps_report *
one_section(const char *key, const char *title)
{
	struct ps_report *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	ps_rdoc_begin();
	r->programme = ps_rdoc_strdup("P");
	memcpy(r->from, "2026-11-09", 11);
	memcpy(r->until, "2026-11-15", 11);
	r->threshold = 5;
	r->nsec = 1;
	r->sec[0].key = key;
	r->sec[0].title = title;
	return r;
}

/*
 * A total of 6 over 1 and 5: the 1 is hidden, so the 5 is too (x); then
 * the 5 is at least the threshold, so the total would pin the 1: the
 * total is hidden as well.
 */
static void
pinned_total(void **state)
{
	struct ps_report *r = one_section("safety", "Safety");
	struct ps_rtable *t;
	char *got;

	(void)state;
	t = ps_rdoc_table(&r->sec[0], "concerns", "Concerns", 1,
	    PS_TOTAL_ROW, 2, "kind", "n");
	ps_rdoc_row(t, ps_rdoc_strdup("a"), ps_rdoc_strdup("1"));
	ps_rdoc_row(t, ps_rdoc_strdup("b"), ps_rdoc_strdup("5"));
	ps_rdoc_row(t, ps_rdoc_strdup("Total"), ps_rdoc_strdup("6"));
	assert_int_equal(ps_rdoc_lost(), 0);
	got = render(r, PS_FMT_CSV, 1);
	assert_non_null(strstr(got, "section,table,row,column,value\n"
	    "safety,concerns,a,n,<5\n"
	    "safety,concerns,b,n,x\n"
	    "safety,concerns,Total,n,x\n"
	    "report,key,"));
	free(got);
	ps_report_free(r);
}

/*
 * The figure at the head of a section that a table's total repeats: 4
 * and 4 make 8, so the table hides the 8s; the figure of 8 is hidden
 * with them, and its change (with last week's report, it gives the 8)
 * is left out.
 */
static void
figure_of_a_table(void **state)
{
	struct ps_report *r = one_section("intake", "Intake");
	struct ps_rsection *s = &r->sec[0];
	struct ps_rtable *t;
	char *got;

	(void)state;
	ps_rdoc_count(s, "applications", "Applications", 8, 6);
	t = ps_rdoc_table(s, "by_role", "By role", 3, PS_TOTAL_ROW |
	    PS_TOTAL_COL, 4, "stream", "self", "carer", "total");
	ps_rdoc_row(t, ps_rdoc_strdup("one"), ps_rdoc_strdup("4"),
	    ps_rdoc_strdup("4"), ps_rdoc_strdup("8"));
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_strdup("4"),
	    ps_rdoc_strdup("4"), ps_rdoc_strdup("8"));
	ps_rdoc_sum(s, "by_role", "applications", NULL);
	assert_int_equal(ps_rdoc_lost(), 0);
	got = render(r, PS_FMT_CSV, 1);
	assert_non_null(strstr(got, "section,table,row,column,value\n"
	    "intake,figures,applications,value,x\n"
	    "intake,by_role,one,self,<5\n"
	    "intake,by_role,one,carer,<5\n"
	    "intake,by_role,one,total,x\n"
	    "intake,by_role,total,self,<5\n"
	    "intake,by_role,total,carer,<5\n"
	    "intake,by_role,total,total,x\n"));
	free(got);
	ps_report_free(r);
}

/* The working lists: only the lists asked for, no figures, no counts,
   and not a table of counts. */
static void
working_lists(void **state)
{
	struct ps_report *r = one_section("intake", "Intake");
	struct ps_rsection *s = &r->sec[0];
	struct ps_render_opts o = { PS_FMT_CSV, 1, "waiting" };
	struct ps_rtable *t;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	ps_rdoc_count(s, "waiting", "Waiting", 2, 1);
	t = ps_rdoc_table(s, "counts", "Counts", 1, 0, 2, "stream", "n");
	ps_rdoc_row(t, ps_rdoc_strdup("one"), ps_rdoc_strdup("2"));
	t = ps_rdoc_table(s, "waiting", "Waiting", 0, PS_LIST, 2, "person",
	    "days");
	ps_rdoc_row(t, ps_rdoc_strdup("P-AAAAAA"), ps_rdoc_strdup("3"));
	t = ps_rdoc_table(s, "ending", "Ending", 0, PS_LIST, 2, "match",
	    "day");
	ps_rdoc_row(t, ps_rdoc_strdup("M-AAAAAA"), ps_rdoc_strdup("4"));
	assert_non_null(fp = open_memstream(&text, &len));
	assert_int_equal(ps_render_report(r, &o, fp), 0);
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(text, "section,table,row,column,value\n"
	    "report,notice,,,\"Working lists, for the coordinator only: not "
	    "to be sent on.\"\n"
	    "intake,waiting,P-AAAAAA,days,3\n");
	free(text);
	/* and the board's report has no list */
	text = render(r, PS_FMT_CSV, 1);
	assert_null(strstr(text, "P-AAAAAA"));
	assert_null(strstr(text, "M-AAAAAA"));
	assert_non_null(strstr(text, "intake,counts,one,n,<5\n"));
	free(text);
	ps_report_free(r);
}

/* CSV: a cell a spreadsheet would run is made text; numbers are not. */
static void
csv_formulas(void **state)
{
	static const char *const in[] = { "=HYPERLINK(\"x\")", "@SUM(A1)",
	    "+1+2", "-2+3", "\tx", "\rx", "=", "+3", "-1", "-0.5", "80%",
	    "-", "a=b" };
	static const char *const want =
	    "intake,t,\"'=HYPERLINK(\"\"x\"\")\",n,0\n"
	    "intake,t,\"'@SUM(A1)\",n,0\n"
	    "intake,t,\"'+1+2\",n,0\n"
	    "intake,t,\"'-2+3\",n,0\n"
	    "intake,t,\"'\tx\",n,0\n"
	    "intake,t,\"'\rx\",n,0\n"
	    "intake,t,=,n,0\n"
	    "intake,t,+3,n,0\n"
	    "intake,t,-1,n,0\n"
	    "intake,t,-0.5,n,0\n"
	    "intake,t,80%,n,0\n"
	    "intake,t,-,n,0\n"
	    "intake,t,a=b,n,0\n";
	struct ps_report *r = one_section("intake", "Intake");
	struct ps_rtable *t;
	char *got;
	size_t i;

	(void)state;
	t = ps_rdoc_table(&r->sec[0], "t", "T", 1, 0, 2, "row", "n");
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ps_rdoc_row(t, ps_rdoc_strdup(in[i]), ps_rdoc_strdup("0"));
	got = render(r, PS_FMT_CSV, 1);
	assert_non_null(strstr(got, want));
	free(got);
	ps_report_free(r);
}

/* A text table of two columns too wide for 80: the number first. */
static void
long_label(void **state)
{
	struct ps_report *r = one_section("audit", "Audit");
	struct ps_rtable *t;
	char label[81], *got;

	(void)state;
	memset(label, 'L', 80);
	label[80] = '\0';
	t = ps_rdoc_table(&r->sec[0], "reasons", "Reasons", 1, 0, 2,
	    "reason", "n");
	ps_rdoc_row(t, ps_rdoc_strdup(label), ps_rdoc_strdup("12"));
	ps_rdoc_row(t, ps_rdoc_strdup("short"), ps_rdoc_strdup("3"));
	got = render(r, PS_FMT_TEXT, 1);
	assert_non_null(strstr(got, "\n  Reasons\n"
	    "     n  reason\n"
	    "    12  LLLLLLLLLL"));
	assert_non_null(strstr(got, "LLLL\n"
	    "    <5  short\n"));
	free(got);
	ps_report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text),
		cmocka_unit_test(markdown),
		cmocka_unit_test(csv),
		cmocka_unit_test(yaml),
		cmocka_unit_test(html),
		cmocka_unit_test(pinned_total),
		cmocka_unit_test(long_label),
		cmocka_unit_test(figure_of_a_table),
		cmocka_unit_test(working_lists),
		cmocka_unit_test(csv_formulas),
	};

	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
