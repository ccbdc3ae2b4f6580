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

#endif
