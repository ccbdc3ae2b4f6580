/*
 * id: record IDs — a kind letter, a dash and six Crockford base32
 * characters (P-7K3Q2X): short enough to read over the phone, random so
 * that clones never need to coordinate. 30 random bits; the store detects
 * a collision on write and the caller draws again.
 *
 * Nothing here allocates; ps_id_new() returns -1 only when the kernel has
 * no randomness to give.
 */
#ifndef PS_ID_H
#define PS_ID_H

#define PS_ID_LEN	8	/* without the NUL */

/* kind: "participant", "volunteer", "match", "contact", "group". */
int		 ps_id_new(char out[PS_ID_LEN + 1], const char *kind);
/* An ID that follows from seed alone (FNV-1a), for output that must be
   the same on every run; the caller checks it is free. */
int		 ps_id_from(char out[PS_ID_LEN + 1], const char *kind,
		    const char *seed);
/* Is s a well-formed ID (any kind)? */
int		 ps_id_valid(const char *s);
/* The kind an ID names, or NULL. */
const char	*ps_id_kind(const char *id);
/* The store folder of a kind ("participants"), or NULL. */
const char	*ps_id_kind_dir(const char *kind);

#endif
