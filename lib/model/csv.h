/*
 * csv: reading CSV exports of web forms (RFC 4180): a header row, fields
 * separated by commas, quoted fields with commas, doubled quotes and line
 * breaks, CRLF or LF line ends, UTF-8 with or without a byte-order mark.
 * Rows are read one at a time, so memory follows the longest row, not the
 * file; a field over PS_CSV_FIELD bytes or a row of over PS_CSV_FIELDS
 * fields is refused.
 *
 * Calling sequence:
 *	ps_csv_open(&c, fd, "apps.csv", &d);
 *	while ((rc = ps_csv_next(c, &row, &d)) == 0 && row) ...
 *	ps_csv_free(c);
 * A row (struct ps_csv_row) is owned by the reader and valid until the
 * next call. Errors: PS_REFUSED with the row and column (1-based; the
 * header is row 1), PS_STORE for a read error. A field that is not UTF-8
 * text, or holds NUL or a control character but tab and line breaks, is
 * refused too.
 */
#ifndef PS_CSV_H
#define PS_CSV_H

#include <stddef.h>

#include "util/diag.h"

#define PS_CSV_FIELD	(64 * 1024)
#define PS_CSV_FIELDS	1000

struct ps_csv;

struct ps_csv_row {
	char		**f;		/* NUL-terminated fields */
	size_t		 n;
	unsigned long	 row;		/* 1-based line of the record */
};

int	ps_csv_open(struct ps_csv **, int fd, const char *name,
	    struct ps_diags *);
/* The next row in *row, or *row = NULL at the end. */
int	ps_csv_next(struct ps_csv *, struct ps_csv_row **row,
	    struct ps_diags *);
void	ps_csv_free(struct ps_csv *);

#endif
