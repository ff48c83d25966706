// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * caseset.c - the cases of a campaign: every offload's derive, in offload
 * order, and the spec overrides any request-driven offload applies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_offload.h"

/* Does override o name corpus file `file`? By exact path or base name. */
static bool override_matches_file(const struct ofd_spec_override *o,
				  const char *file)
{
	const char *b1, *b2;

	if (!o->file)
		return true;
	if (!strcmp(o->file, file))
		return true;
	b1 = strrchr(o->file, '/');
	b2 = strrchr(file, '/');
	return !strcmp(b1 ? b1 + 1 : o->file, b2 ? b2 + 1 : file);
}

static void apply_override(const struct ofd_spec_override *o,
			   struct ofd_request *r)
{
	if (o->set & OFD_OVR_CSUM_START)
		r->vnet.csum_start = o->vnet.csum_start;
	if (o->set & OFD_OVR_CSUM_OFFSET)
		r->vnet.csum_offset = o->vnet.csum_offset;
	if (o->set & OFD_OVR_FLAGS)
		r->vnet.flags = o->vnet.flags;
	if (o->set & OFD_OVR_GSO_TYPE)
		r->vnet.gso_type = o->vnet.gso_type;
	if (o->set & OFD_OVR_GSO_SIZE)
		r->vnet.gso_size = o->vnet.gso_size;
	if (o->set & OFD_OVR_HDR_LEN)
		r->vnet.hdr_len = o->vnet.hdr_len;
}

bool ofd_overrides_apply(const struct ofd_spec *spec, const char *file,
			 uint32_t index, int kind, struct ofd_request *r)
{
	bool applied = false;
	size_t k;

	for (k = 0; spec && k < spec->noverrides; k++) {
		const struct ofd_spec_override *o = &spec->overrides[k];

		if (o->packet == index && override_matches_file(o, file) &&
		    (o->kind < 0 || o->kind == kind)) {
			apply_override(o, r);
			applied = true;
		}
	}
	return applied;
}

int ofd_overrides_check(const struct ofd_corpus *corpus,
			const struct ofd_spec *spec, char *err, size_t err_len)
{
	size_t k;
	uint32_t f, i;

	for (k = 0; spec && k < spec->noverrides; k++) {
		const struct ofd_spec_override *o = &spec->overrides[k];
		bool found = false;

		for (f = 0; f < corpus->nfiles; f++) {
			if (!override_matches_file(o, corpus->files[f]))
				continue;
			for (i = 0; i < corpus->npkts; i++) {
				const struct ofd_corpus_pkt *pk = &corpus->pkts[i];
				uint32_t start, off;

				if (pk->file != f || pk->index != o->packet)
					continue;
				found = true;
				start = (o->set & OFD_OVR_CSUM_START) ? o->vnet.csum_start : 0;
				off = (o->set & OFD_OVR_CSUM_OFFSET) ? o->vnet.csum_offset : 0;
				if ((o->set & (OFD_OVR_CSUM_START | OFD_OVR_CSUM_OFFSET)) &&
				    start + off + 2 > pk->len) {
					snprintf(err, err_len,
						 "%s:%d:%d: override of %s packet %u: checksum field at %u (csum_start %u + csum_offset %u) lies past the frame (%u bytes)",
						 spec->path, o->line, o->col, corpus->files[f],
						 o->packet, start + off, start, off, pk->len);
					return -EINVAL;
				}
			}
		}
		if (!found) {
			snprintf(err, err_len, "%s:%d:%d: override names packet %u%s%s, which no corpus file has",
				 spec->path, o->line, o->col, o->packet,
				 o->file ? " of " : "", o->file ? o->file : "");
			return -EINVAL;
		}
	}
	return 0;
}

/* The parts' cases, one after the other, with ids renumbered so that a
 * case's id is its index in the campaign (checkpoints count by it). */
static int concat_parts(struct ofd_caseset *set)
{
	uint32_t p, i, n = 0;

	for (p = 0; p < set->nparts; p++) {
		if (set->parts[p].ncases > UINT32_MAX - n)
			return -EOVERFLOW;
		n += set->parts[p].ncases;
		set->skipped += set->parts[p].skipped;
	}
	set->cases = calloc(n ? n : 1, sizeof(*set->cases));
	if (!set->cases)
		return -ENOMEM;
	for (p = 0; p < set->nparts; p++)
		for (i = 0; i < set->parts[p].ncases; i++) {
			set->cases[set->ncases] = set->parts[p].cases[i];
			set->cases[set->ncases].id = set->ncases;
			set->ncases++;
		}
	return 0;
}

int ofd_cases_derive(const struct ofd_corpus *corpus, unsigned int offloads,
		     unsigned int requests, const struct ofd_spec *spec,
		     struct ofd_caseset *set, char *err, size_t err_len)
{
	unsigned int off;
	int ret;

	memset(set, 0, sizeof(*set));
	set->parts = calloc(OFD_OFFLOAD__MAX, sizeof(*set->parts));
	if (!set->parts)
		return -ENOMEM;
	ret = ofd_overrides_check(corpus, spec, err, err_len);
	if (ret)
		goto fail;
	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		const struct ofd_offload_ops *o = ofd_offload_get(off);
		struct ofd_caseset *part = &set->parts[set->nparts];

		if (!(offloads & OFD_CAP(off)))
			continue;
		if (!o->cases || !o->cases->derive) {
			snprintf(err, err_len, "%s%soffload %s (%s) has no cases yet",
				 spec ? spec->path : "", spec ? ": " : "", o->name,
				 o->ethtool);
			ret = -EOPNOTSUPP;
			goto fail;
		}
		ret = o->cases->derive(corpus, requests & o->cases->requests, spec,
				       part, err, err_len);
		set->nparts++;
		if (ret)
			goto fail;
	}
	ret = concat_parts(set);
	if (ret)
		goto fail;
	return 0;
fail:
	ofd_caseset_free(set);
	return ret;
}

void ofd_caseset_free(struct ofd_caseset *set)
{
	uint32_t p;

	for (p = 0; p < set->nparts; p++)
		ofd_caseset_free(&set->parts[p]);
	free(set->parts);
	free(set->cases);
	free(set->pkts);
	free(set->bytes);
	memset(set, 0, sizeof(*set));
}
