/*
 * render: a report as text for an 80-column mail, Markdown, CSV (one
 * tidy table: section, table, row, column, value), YAML (every figure
 * machine-readable) or one self-contained HTML page with inline SVG
 * charts; small counts suppressed on the way out.
 */
#ifndef PS_RENDER_H
#define PS_RENDER_H

#include <stdio.h>

#include "ops/rdoc.h"

enum ps_report_format {
	PS_FMT_TEXT, PS_FMT_MD, PS_FMT_CSV, PS_FMT_YAML, PS_FMT_HTML
};

/* Write the report r built by ps_report_build() to out in format f,
   small counts suppressed unless suppress is 0. 0, or non-zero when the
   YAML writer failed. */
int	ps_render_report(const struct ps_report *r, enum ps_report_format f,
	    int suppress, FILE *out);

#endif
