/*
 * ixfile: git's index file format (gitformat-index(5)), versions 2
 * to 4, as far as the tools read and write it themselves: the file
 * mapped and walked entry by entry (format 4's names taken apart), its
 * extensions found, the EWAH bitmaps of a split index's link
 * extension, the tree cache (TREE) copied with the trees a change runs
 * through made unknown, and entries written in format 2 or 3.
 * store/splitindex builds on it; libgit2 reads and writes whole
 * indexes.
 *
 * Calling sequence: ps_ixfile_map, ps_ixfile_walk (which notes where
 * the extensions start), ps_ixfile_ext as often as needed,
 * ps_ixfile_unmap.
 *
 * Errors: 0, or -1 for a file that is not well formed (or no memory).
 * Nothing here reports a message: the caller says what it was doing.
 * Arrays returned (the bitmaps' positions) are the caller's to free.
 */
#ifndef PS_IXFILE_H
#define PS_IXFILE_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "util/buf.h"

/* An index file, mapped. */
struct ps_ixfile {
	const unsigned char	*m;
	size_t			 size;
	uint32_t		 ver, n;
	size_t			 ext;	/* where the extensions start */
	uint32_t		*off;	/* each entry's offset (ix_walk) */
};

/* An entry of the part that differs: its on-disk fields, and the name
   (NULL for one that replaces the shared entry at pos). */
struct ps_ixfile_ent {
	unsigned char	 raw[62];	/* times, ..., mode, ..., ID, flags */
	uint16_t	 xflags;
	char		*name;
	uint32_t	 pos;
};

/* A big-endian 32-bit number at p. */
uint32_t ps_ixfile_be32(const unsigned char *p);
/* Append v, big-endian. */
int	 ps_ixfile_add32(struct ps_buf *, uint32_t v);
/* Map the index file at path and check its header. */
int	 ps_ixfile_map(struct ps_ixfile *, const char *path);
void	 ps_ixfile_unmap(struct ps_ixfile *);
/*
 * Walk the entries: each one's offset into f->off (formats 2 and 3)
 * and, with fn, each one given with its whole name; sets f->ext. 0, -1
 * when the file is not well formed, or what fn returned when not 0.
 */
int	 ps_ixfile_walk(struct ps_ixfile *, int (*fn)(void *,
	    const unsigned char *entry, uint16_t xflags, const char *name,
	    size_t len), void *arg);
/* The extension sig (4 bytes): its data and length; 0, or -1 if none. */
int	 ps_ixfile_ext(const struct ps_ixfile *, const char *sig,
	    const unsigned char **data, size_t *len);
/* Does the file carry an extension git requires understood (lower
   case) other than a split index's link? */
int	 ps_ixfile_strange(const struct ps_ixfile *);
/* One EWAH bitmap at *p (moved past it): its set positions, ascending. */
int	 ps_ixfile_ewah_read(const unsigned char **p, const unsigned char *end,
	    uint32_t **v, size_t *n);
/* Ascending positions as an EWAH bitmap. */
int	 ps_ixfile_ewah_write(struct ps_buf *, const uint32_t *v, size_t n);
/*
 * Copy the tree cache node at *p (and those under it) to out, each
 * node a path of paths (n, relative to the node; root: the top node)
 * runs through made unknown (count -1, no ID), as git does when it
 * changes an entry.
 */
int	 ps_ixfile_tree_copy(const unsigned char **p, const unsigned char *end,
	    struct ps_buf *out, const char **paths, size_t n, int root);
/* e as the file holds it, its name namelen bytes long. */
void	 ps_ixfile_ent_from(struct ps_ixfile_ent *, const git_index_entry *e,
	    size_t namelen);
/* x into libgit2's form, at path (borrowed). */
void	 ps_ixfile_ent_to(git_index_entry *, const struct ps_ixfile_ent *x,
	    const char *path);
/* Write one entry in format ver (2, or 3 with its extended flags). */
int	 ps_ixfile_ent_write(struct ps_buf *, const struct ps_ixfile_ent *, int ver);

#endif
