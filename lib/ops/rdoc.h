/*
 * rdoc: a report as a document — sections of figures, tables and charts
 * — as ps_report_build() (report.h) makes it and render.h writes it
 * out. Figures and cells are strings the document owns: a value handed
 * in (made with ps_rdoc_fmt() or ps_rdoc_strdup()) is taken over.
 *
 * Errors are noted, not returned: an allocation that fails leaves a
 * figure, row or cell out and sets a flag, ps_rdoc_lost(), which the
 * builder checks at the end and fails on rather than print a report short
 * of it. ps_rdoc_begin() clears it; one report is built at a time.
 */
#ifndef PS_RDOC_H
#define PS_RDOC_H

#include <stddef.h>

struct ps_rfigure {
	char	*key;		/* machine name: applications */
	char	*label;		/* "Applications received" */
	char	*value;
	char	*change;	/* "+3", or NULL */
	int	 count;		/* a count of people or contacts: small ones
				   are suppressed, and changes that tell */
	long	 basis;		/* a median or mean: of how many (a small
				   number hides it); 0 if not one */
};

struct ps_rtable {
	char	*key;
	char	*title;
	size_t	 ncols, nrows;
	char	**cols;
	char	**cells;	/* nrows * ncols */
	int	 counts;	/* columns 1..counts hold counts of people
				   or contacts, suppressed when small */
	int	 totals;	/* PS_TOTAL_ROW | PS_TOTAL_COL | PS_LIST */
	int	 derived;	/* the columns after the counts are worked
				   out from them (means): hidden with them */
};

#define PS_TOTAL_ROW	1	/* the last row is the total of the others */
#define PS_TOTAL_COL	2	/* the last count column is their total */
#define PS_LIST		4	/* a working list of IDs, for the coordinator:
				   never in the board's report */
#define PS_RTABLES	8	/* tables in a section, at most */

struct ps_rchart {
	char	*key;
	char	*title;
	size_t	 n;
	char	**labels;
	double	*a, *b;		/* b: a second series, or NULL */
	char	*a_name, *b_name;
	int	 counts;	/* values are counts: small ones suppressed */
	size_t	 table;		/* the bars are the first count column of
				   the table of this index + 1, shown as its
				   cells are; 0: none */
};

/* A table's grand total (its last row's last count) is the sum of some
   count figures of its section, or another table's grand total:
   suppression keeps them together. */
struct ps_rlink {
	size_t	 table;
	size_t	 fig[3];
	size_t	 nfig;
	size_t	 other;		/* the other table's index + 1; 0: none */
};
#define PS_RLINKS	4	/* links in a section, at most */
struct ps_rsection {
	const char		*key;
	const char		*title;
	struct ps_rfigure	*fig;
	size_t			 nfig;
	struct ps_rtable	*tab;
	size_t			 ntab;
	struct ps_rchart	*chart;
	size_t			 nchart;
	struct ps_rlink		 link[PS_RLINKS];
	size_t			 nlink;
};

#define PS_REPORT_SECTIONS	9

struct ps_report {
	char			*programme;
	char			 commit[41];
	char			 from[11], until[11];
	long			 threshold;	/* small-cell suppression */
	struct ps_rsection	 sec[PS_REPORT_SECTIONS];
	size_t			 nsec;
};

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
/* The grand total of the section's table tkey is the sum of the count
   figures named after it (one to three, NULL-terminated), added last. */
void	 ps_rdoc_sum(struct ps_rsection *, const char *tkey, ...);
/* The grand totals of the section's tables tkey and okey are one count
   (say so rather than tie both to the same figures: the bounds that
   suppress.h reads would not see they are equal). */
void	 ps_rdoc_same(struct ps_rsection *, const char *tkey,
	    const char *okey);
/* The last chart added draws the first count column of table tkey. */
void	 ps_rdoc_chart_of(struct ps_rsection *, const char *tkey);
/* A working list (PS_LIST) made apart, filled while reading, then
   given to a section with ps_rdoc_adopt() (which sets *t to NULL). */
struct ps_rtable *ps_rdoc_loose_table(const char *key, const char *title,
	    size_t ncols, const char *const *cols);
void	 ps_rdoc_adopt(struct ps_rsection *, struct ps_rtable **);
/* Free what a table holds (not the table itself). */
void	 ps_rdoc_table_release(struct ps_rtable *);

#endif
