/*
 * str: the few string helpers every module wants: NULL-safe equality, a
 * qsort/bsearch comparator for arrays of strings, freeing such an array,
 * and the test that outside text is text a record may hold.
 *
 * Nothing here allocates.
 */
#ifndef PS_STR_H
#define PS_STR_H

#include <stddef.h>

/* Are a and b the same string? NULL equals nothing. */
int	 ps_streq(const char *a, const char *b);
/* strcmp for qsort() and bsearch() over an array of char *. */
int	 ps_strcmpp(const void *, const void *);
/* Free the n strings of v, then v. */
void	 ps_strv_free(char **v, size_t n);
/*
 * Is s[0..n) text a record may hold: UTF-8 (no overlong forms, no
 * surrogates), no NUL and no control characters but tab and newline
 * (C0, DEL, and C1 but U+0085)? Returns -1 if so; else the offset of the
 * first bad byte, with *cp the control character found, or -1 for bytes
 * that are not UTF-8.
 */
long	 ps_str_check_text(const char *s, size_t n, long *cp);
/* s in lower case, in place (ASCII letters; other bytes as they are). */
void	 ps_str_lower(char *s);
/* The index of s in the NULL-terminated list, or -1 (s NULL: -1). */
int	 ps_str_index(const char *const *list, const char *s);
/* Is s one of the names of a comma-separated list ("intake,audit")? */
int	 ps_str_listed(const char *list, const char *s);

#endif
