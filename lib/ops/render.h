/*
 * render: a report as text for an 80-column mail, Markdown, CSV (one
 * tidy table: section, table, row, column, value), YAML (every figure
 * machine-readable) or one self-contained HTML page with inline SVG
 * charts.
 *
 * Two kinds, for two readers: the board's report, counts only (the
 * working lists, tables marked PS_LIST, left out), small counts
 * suppressed on the way out over each section as a whole (suppress.h:
 * its tables' rows, columns and totals, and the figures its totals
 * repeat, ps_rdoc_sum()), with a key to the marks; or the coordinator's
 * working lists named, and nothing else, headed as not to be sent on.
 * CSV cells that a spreadsheet would run are made text.
 */
#ifndef PS_RENDER_H
#define PS_RENDER_H

#include <stdio.h>

#include "ops/rdoc.h"

enum ps_report_format {
	PS_FMT_TEXT, PS_FMT_MD, PS_FMT_CSV, PS_FMT_YAML, PS_FMT_HTML
};

struct ps_render_opts {
	enum ps_report_format	 format;
	int			 suppress;	/* small counts hidden */
	const char		*lists;		/* NULL: the board's report,
						   counts only; else the
						   working lists named (table
						   keys, comma-separated, or
						   "all"), and nothing else */
};
/* Write the report r built by ps_report_build() to out as o says. 0, or
   -1 out of memory. */
int	ps_render_report(const struct ps_report *r,
	    const struct ps_render_opts *o, FILE *out);
#endif
