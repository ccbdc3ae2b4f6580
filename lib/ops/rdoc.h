/*
 * rdoc: a report as a document — sections of figures, tables and charts
 * (the types are report.h's), built by ps_report_build() and read by
 * render.h. Figures and cells are strings the document owns: a value
 * handed in (made with ps_rdoc_fmt() or ps_rdoc_strdup()) is taken over.
 *
 * Errors are noted, not returned: an allocation that fails leaves a
 * figure, row or cell out and sets a flag, ps_rdoc_lost(), which the
 * builder checks at the end and fails on rather than print a report short
 * of it. ps_rdoc_begin() clears it; one report is built at a time.
 */
#ifndef PS_RDOC_H
#define PS_RDOC_H

#include <stddef.h>

#include "ops/report.h"

void	 ps_rdoc_begin(void);
int	 ps_rdoc_lost(void);
/* p, or NULL noted as lost. */
void	*ps_rdoc_noted(void *p);
/* A copy of s ("" for NULL), and a printf of f, noted if NULL. */
char	*ps_rdoc_strdup(const char *s);
char	*ps_rdoc_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* A figure of a section: its key, its label, its value and its change
   from the period before (NULL: none shown), both taken over. */
void	 ps_rdoc_figure(struct ps_rsection *, const char *key,
	    const char *label, char *value, char *change);
/* The last figure added is a median or mean of n answers. */
void	 ps_rdoc_basis(struct ps_rsection *, long n);
/* "=" or the signed difference now - before. */
char	*ps_rdoc_change(long now, long before);
/* A count with its change, and a count with none (a state, not a flow);
   counts are what small-cell suppression applies to. */
void	 ps_rdoc_count(struct ps_rsection *, const char *key,
	    const char *label, long now, long before);
void	 ps_rdoc_count_only(struct ps_rsection *, const char *key,
	    const char *label, long now);
/* A new table of ncols columns named by the const char * arguments
   after ncols; at most PS_RTABLES a section (NULL past them). */
struct ps_rtable *ps_rdoc_table(struct ps_rsection *, const char *key,
	    const char *title, int counts, int totals, size_t ncols, ...);
/* A row of the table's ncols cells, each a char * taken over. */
void	 ps_rdoc_row(struct ps_rtable *, ...);
/* A chart of n bars (or pairs of bars, when b is given), labels and
   values taken over. */
void	 ps_rdoc_chart(struct ps_rsection *, const char *key,
	    const char *title, size_t n, char **labels, double *a, double *b,
	    const char *a_name, const char *b_name);
/* A table made apart, filled while reading, then given to a section with
   ps_rdoc_adopt() (which sets *t to NULL). */
struct ps_rtable *ps_rdoc_loose_table(const char *key, const char *title,
	    size_t ncols, const char *const *cols);
void	 ps_rdoc_adopt(struct ps_rsection *, struct ps_rtable **);
/* Free what a table holds (not the table itself). */
void	 ps_rdoc_table_release(struct ps_rtable *);

#endif
