/*
 * buf: a growable byte buffer for text of outside length.
 *
 * Calling sequence: embed a struct ps_buf initialised with PS_BUF_INIT,
 * append with ps_buf_add()/ps_buf_puts()/ps_buf_printf(), read b.s/b.len
 * (always NUL-terminated once anything was added), then ps_buf_release().
 * ps_buf_detach() hands the storage to the caller, who frees it.
 *
 * Errors: the append functions return 0, or -1 when memory ran out (the
 * buffer keeps what it held before the call).
 *
 * Also here, the few string helpers every module wants: NULL-safe
 * equality, a qsort/bsearch comparator for arrays of strings, freeing
 * such an array, and the test that outside text is text.
 */
#ifndef PS_BUF_H
#define PS_BUF_H

#include <stddef.h>

struct ps_buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

#define PS_BUF_INIT { NULL, 0, 0 }

int	 ps_buf_add(struct ps_buf *, const void *, size_t);
/* Room for n more bytes, so that adding them copies nothing; 0 or -1. */
int	 ps_buf_reserve(struct ps_buf *, size_t n);
int	 ps_buf_puts(struct ps_buf *, const char *);
int	 ps_buf_putc(struct ps_buf *, int);
int	 ps_buf_printf(struct ps_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 ps_buf_truncate(struct ps_buf *, size_t);
char	*ps_buf_detach(struct ps_buf *);
void	 ps_buf_release(struct ps_buf *);

/* Are a and b the same string? NULL equals nothing. */
int	 ps_streq(const char *a, const char *b);
/* strcmp for qsort() and bsearch() over an array of char *. */
int	 ps_strcmpp(const void *, const void *);
/* qsort() and bsearch() that take an empty array (base may be NULL then,
   which the C library's may not be given). */
void	 ps_qsort(void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *));
void	*ps_bsearch(const void *key, const void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *));
/*
 * An array v of items of size, with room for cap, grown to hold need
 * (doubling, from first): v itself, a larger copy (cap updated), or NULL
 * when out of memory (v still valid, cap as it was). need must be > 0.
 */
void	*ps_grow(void *v, size_t *cap, size_t need, size_t size, size_t first);
/* Free the n strings of v, then v. */
void	 ps_strv_free(char **v, size_t n);

/*
 * Is s[0..n) text a record may hold: UTF-8 (no overlong forms, no
 * surrogates), no NUL and no control characters but tab and newline
 * (C0, DEL, and C1 but U+0085)? Returns -1 if so; else the offset of the
 * first bad byte, with *cp the control character found, or -1 for bytes
 * that are not UTF-8.
 */
long	 ps_text_check(const char *s, size_t n, long *cp);

#endif
