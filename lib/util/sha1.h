/*
 * sha1: SHA-1 of a byte string, for the checksum git puts at the end of
 * an index file (store/splitindex). Not for object IDs, which libgit2
 * computes, nor for anything that must resist a chosen collision.
 *
 * Calling sequence: ps_sha1_init, ps_sha1_update as often as needed,
 * ps_sha1_final. Nothing allocates; nothing fails.
 */
#ifndef PS_SHA1_H
#define PS_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct ps_sha1 {
	uint32_t	 h[5];
	uint64_t	 len;		/* bytes so far */
	unsigned char	 buf[64];
};

void	 ps_sha1_init(struct ps_sha1 *);
void	 ps_sha1_update(struct ps_sha1 *, const void *, size_t);
void	 ps_sha1_final(struct ps_sha1 *, unsigned char out[20]);

#endif
