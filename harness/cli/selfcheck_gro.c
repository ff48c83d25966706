// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * selfcheck_gro.c - the receive offloads' part of `offdiff selfcheck`:
 * before the model is compared with it, the reference runs every corpus
 * train twice on its own (ofd_run_twice), which shows what the kernel did
 * with each train (merged or kept apart, frames out) and proves it
 * deterministic: NAPI batches are made by scheduling, with no sleeps and
 * no retries (kernel_rx.c), so two runs must agree byte for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ofd_cli.h"
#include "ofd_offload.h"
#include "ofd_run.h"

int ofd_selfcheck_twice(struct ofd_engine *ref, const struct ofd_caseset *set,
			unsigned int off, bool list, FILE *info, bool *nondet)
{
	uint32_t *counts = NULL;
	struct ofd_twice t;
	char err[256] = "";
	unsigned int i;
	int ret;

	*nondet = false;
	if (!set->ncases)
		return 0;
	counts = calloc(set->ncases, sizeof(*counts));
	if (!counts)
		return -ENOMEM;
	ret = ofd_run_twice(ref, set->cases, set->ncases,
			    ofd_cases_max_output(OFD_CAP(off)), counts, &t, err,
			    sizeof(err));
	if (ret) {
		ofd_cli_err("selfcheck: %s alone: %s", ref->ops->name, err);
		goto out;
	}
	for (i = 0; list && i < set->ncases; i++) {
		const struct ofd_case *c = &set->cases[i];

		if (counts[i] == UINT32_MAX)
			fprintf(info, "  %s packet %u: %u frame%s in, not run\n",
				c->src_file ? c->src_file : "random", c->src_index,
				c->npkts, c->npkts == 1 ? "" : "s");
		else
			fprintf(info, "  %s packet %u: %u frame%s in, %u out (%s)\n",
				c->src_file ? c->src_file : "random", c->src_index,
				c->npkts, c->npkts == 1 ? "" : "s", counts[i],
				counts[i] < c->npkts ? "merged" : "apart");
	}
	fprintf(info, "%s alone: %llu trains of %llu frames -> %llu frames; %llu merged, %llu kept apart, %llu rejected, %llu not run%s%s%s\n",
		ref->ops->name, (unsigned long long)t.cases,
		(unsigned long long)t.frames_in, (unsigned long long)t.frames_out,
		(unsigned long long)t.merged, (unsigned long long)(t.ok - t.merged),
		(unsigned long long)t.rejected, (unsigned long long)t.unsupported,
		t.why ? " (" : "", t.why ? t.why : "", t.why ? ")" : "");
	fprintf(info, "%s alone: %llu of %llu trains identical on a second run, %.0f trains/s\n",
		ref->ops->name, (unsigned long long)(t.cases - t.differ),
		(unsigned long long)t.cases, t.seconds > 0 ? (double)t.cases / t.seconds : 0.0);
	if (t.differ) {
		const struct ofd_case *c = &set->cases[t.first_diff];

		*nondet = true;
		fprintf(info, "%s alone: not deterministic: %llu trains differ between two runs, the first %s packet %u\n",
			ref->ops->name, (unsigned long long)t.differ,
			c->src_file ? c->src_file : "random", c->src_index);
	}
out:
	free(counts);
	return ret;
}
