/* id: record IDs; see id.h. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "util/id.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static const struct {
	const char	*kind;
	char		 letter;
	const char	*dir;
} kinds[] = {
	{ "participant", 'P', "participants" },
	{ "volunteer", 'V', "volunteers" },
	{ "match", 'M', "matches" },
	{ "contact", 'C', "contacts" },
	{ "group", 'G', "groups" },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The kind's letter and dash, then six digits from the low bits of r. */
static int
encode(char out[PS_ID_LEN + 1], const char *kind, const unsigned char r[6])
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			break;
	if (i == NKINDS)
		return -1;
	out[0] = kinds[i].letter;
	out[1] = '-';
	for (i = 0; i < 6; i++)
		out[2 + i] = crockford[r[i] & 31];
	out[PS_ID_LEN] = '\0';
	return 0;
}

int
ps_id_new(char out[PS_ID_LEN + 1], const char *kind)
{
	unsigned char r[6];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(r)) {
		n = getrandom(r + got, sizeof(r) - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return encode(out, kind, r);
}

int
ps_id_from(char out[PS_ID_LEN + 1], const char *kind, const char *seed)
{
	unsigned long long h = 1469598103934665603ULL;	/* FNV-1a */
	unsigned char r[6];
	size_t i;

	for (; *seed; seed++)
		h = (h ^ (unsigned char)*seed) * 1099511628211ULL;
	for (i = 0; i < 6; i++, h >>= 5)
		r[i] = (unsigned char)(h & 31);
	return encode(out, kind, r);
}

int
ps_id_valid(const char *s)
{
	size_t i;

	if (strlen(s) != PS_ID_LEN || s[1] != '-' || ps_id_kind(s) == NULL)
		return 0;
	for (i = 2; i < PS_ID_LEN; i++)
		if (strchr(crockford, s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

const char *
ps_id_kind(const char *id)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (id[0] == kinds[i].letter && id[1] == '-')
			return kinds[i].kind;
	return NULL;
}

const char *
ps_id_kind_dir(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < NKINDS; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].dir;
	return NULL;
}
