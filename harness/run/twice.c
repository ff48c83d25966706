// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * twice.c - run cases through one engine twice and compare: a reference
 * must answer the same way every time (gro on the kernel engine: NAPI
 * batches made by scheduling, no sleeps and no retries, issue 19), and
 * `selfcheck --offload gro` shows the kernel engine's own outcomes with
 * it while the model has no gro.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_run.h"

#define TWICE_BATCH 32u

/* Same status, reason and frames, byte for byte with their metadata. */
static bool same_result(const struct ofd_result *a, const struct ofd_result *b)
{
	uint32_t k;

	if (a->status != b->status || a->reason != b->reason || a->nframes != b->nframes)
		return false;
	for (k = 0; k < a->nframes; k++) {
		const struct ofd_frame *x = &a->frame[k], *y = &b->frame[k];

		/* The diff's meta comparison, and hdr_len too, which the diff
		 * leaves out as a hint but a second run must repeat. */
		if (!ofd_frame_equal(x, y) || x->meta.has != y->meta.has ||
		    !ofd_meta_equal(&x->meta, &y->meta) ||
		    x->meta.vnet.hdr_len != y->meta.vnet.hdr_len)
			return false;
	}
	return true;
}

int ofd_run_twice(struct ofd_engine *e, const struct ofd_case *cases,
		  unsigned int n, uint32_t arena_cap, uint32_t *counts,
		  struct ofd_twice *t, char *err, size_t err_len)
{
	struct ofd_result *ra[TWICE_BATCH] = { 0 }, *rb[TWICE_BATCH] = { 0 };
	unsigned int i, j, m;
	double t0, spent = 0;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	t->first_diff = UINT32_MAX;
	for (j = 0; j < TWICE_BATCH; j++) {
		ret = ofd_result__new(arena_cap, &ra[j]);
		if (!ret)
			ret = ofd_result__new(arena_cap, &rb[j]);
		if (ret) {
			snprintf(err, err_len, "result slots: %s", strerror(-ret));
			goto out;
		}
	}
	for (i = 0; i < n; i += m) {
		m = n - i < TWICE_BATCH ? n - i : TWICE_BATCH;
		for (j = 0; j < m; j++) {
			ofd_result_reset(ra[j]);
			ofd_result_reset(rb[j]);
		}
		t0 = ofd_now();
		ret = e->ops->run(e->priv, cases + i, ra, m);
		spent += ofd_now() - t0;
		if (!ret)
			ret = e->ops->run(e->priv, cases + i, rb, m);
		if (ret) {
			snprintf(err, err_len, "case %u: the engine failed: %s", i, strerror(-ret));
			goto out;
		}
		for (j = 0; j < m; j++) {
			const struct ofd_result *a = ra[j];
			uint32_t k;

			t->cases++;
			t->frames_in += cases[i + j].npkts;
			if (counts)
				counts[i + j] = a->status == OFD_RES_OK ? a->nframes : UINT32_MAX;
			if (!same_result(a, rb[j])) {
				t->differ++;
				if (t->first_diff == UINT32_MAX)
					t->first_diff = i + j;
			}
			switch (a->status) {
			case OFD_RES_OK:
				t->ok++;
				t->frames_out += a->nframes;
				if (a->nframes < cases[i + j].npkts)
					t->merged++;
				for (k = 0; k < a->nframes; k++)
					t->bytes_out += a->frame[k].len;
				break;
			case OFD_RES_REJECTED:
				t->rejected++;
				break;
			default:
				t->unsupported++;
				if (!t->why && a->detail)
					t->why = a->detail;
				break;
			}
		}
		for (j = 0; j < m; j++) {
			ofd_result_trim(ra[j]);
			ofd_result_trim(rb[j]);
		}
	}
	t->seconds = spent;
out:
	for (j = 0; j < TWICE_BATCH; j++) {
		ofd_result__free(ra[j]);
		ofd_result__free(rb[j]);
	}
	return ret;
}
