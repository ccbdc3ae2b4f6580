/* program: program.yaml; see program.h. */
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/str.h"
#include "model/program.h"
#include "model/record.h"
#include "model/yaml.h"

static const char *const weekdays[] = { "mon", "tue", "wed", "thu", "fri",
    "sat", "sun", NULL };

int
ps_program_load(struct ps_node **out, const struct ps_schemas *set,
    const char *path, const char *name, struct ps_diags *d)
{
	struct ps_node *p = NULL;
	int rc;

	*out = NULL;
	if ((rc = ps_yaml_load_file(&p, path, name, 0, d)) != 0)
		return rc;
	/* both, so that every problem is reported at once */
	if (ps_schema_validate(ps_schemas_get(set, "program"), p, name, d) +
	    ps_program_check(p, name, d) > 0) {
		ps_node_free(p);
		return PS_REFUSED;
	}
	*out = p;
	return 0;
}

static int
has_step(const struct ps_node *steps, const char *name)
{
	size_t i;

	for (i = 0; steps && i < steps->n; i++)
		if (strcmp(ps_node_get_str(steps->vals[i], "step") ?
		    ps_node_get_str(steps->vals[i], "step") : "", name) == 0)
			return 1;
	return 0;
}

/* Every "requires" names a step listed before it. */
static size_t
check_steps(const struct ps_node *steps, const char *name, const char *path,
    struct ps_diags *d)
{
	const struct ps_node *req;
	size_t i, j, bad = 0;
	char where[128];

	for (i = 0; steps && steps->type == PS_NODE_SEQ && i < steps->n; i++) {
		struct ps_node before = *steps;

		before.n = i;
		req = ps_node_map_get(steps->vals[i], "requires");
		if (req == NULL || req->type != PS_NODE_SEQ)
			continue;
		for (j = 0; j < req->n; j++) {
			if (req->vals[j]->type != PS_NODE_SCALAR ||
			    has_step(&before, req->vals[j]->str))
				continue;
			snprintf(where, sizeof(where), "%s.%zu.requires.%zu",
			    path, i, j);
			ps_diag_add(d, PS_REFUSED, name, req->vals[j]->line,
			    req->vals[j]->col, where, "names no earlier step");
			bad++;
		}
	}
	return bad;
}

size_t
ps_program_check(const struct ps_node *p, const char *name,
    struct ps_diags *d)
{
	const struct ps_node *hol = ps_node_map_get(p, "holidays");
	size_t bad = 0, i;

	bad += ps_record_check_timezone(p, name, d);
	for (i = 1; hol && i < hol->n; i++)
		if (strcmp(hol->vals[i - 1]->str, hol->vals[i]->str) >= 0) {
			ps_diag_add(d, PS_REFUSED, name, hol->vals[i]->line,
			    hol->vals[i]->col, "holidays",
			    "must be in date order without repeats");
			bad++;
			break;
		}
	bad += check_steps(ps_node_get(p, "volunteers.screening"), name,
	    "volunteers.screening", d);
	bad += check_steps(ps_node_get(p, "participants.onboarding"), name,
	    "participants.onboarding", d);
	return bad;
}

const struct ps_node *
ps_program_stream(const struct ps_node *p, const char *name)
{
	return ps_node_map_get(ps_node_map_get(p, "streams"), name);
}

unsigned
ps_program_business_days(const struct ps_node *p)
{
	const struct ps_node *bd = ps_node_map_get(p, "business_days");
	unsigned mask = 0;
	size_t i, w;

	for (i = 0; bd && i < bd->n; i++)
		for (w = 0; weekdays[w]; w++)
			if (strcmp(bd->vals[i]->str, weekdays[w]) == 0)
				mask |= 1u << w;
	return mask ? mask : 0x1f;
}

long
ps_program_add_business(const struct ps_node *p, long start, int n)
{
	const struct ps_node *hol = ps_node_map_get(p, "holidays");
	long *days = NULL, day = -1;
	size_t i, k = 0;
	struct ps_date dt;

	if (hol && hol->n && (days = calloc(hol->n, sizeof(*days))) != NULL)
		for (i = 0; i < hol->n; i++)
			if (ps_date_parse(hol->vals[i]->str, &dt) == 0)
				days[k++] = ps_date_days(&dt);
	if (hol && hol->n && days == NULL)
		return -1;
	day = ps_date_add_business(start, n, ps_program_business_days(p),
	    days, k);
	free(days);
	return day;
}

int
ps_program_single_call(const struct ps_node *stream)
{
	return ps_streq(ps_node_get_str(stream, "type"), "single-call");
}
