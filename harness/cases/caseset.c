// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * caseset.c - the cases of a campaign: every offload's derive, in offload
 * order, and the spec overrides any request-driven offload applies.
 *
 * A campaign over a streamed corpus derives chunk by chunk
 * (ofd_cases_begin, then ofd_cases_derive_chunk per chunk): each chunk's
 * cases replace the previous chunk's in the same storage, so memory
 * follows the largest chunk, not the corpus. A chunk's cases are each
 * offload's cases of that chunk, in offload order; over a loaded corpus
 * (ofd_cases_derive, one chunk) that is every case of the first offload,
 * then the next offload's.
 */
#include <errno.h>
#include <stdbool.h>
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

int ofd_overrides_check_chunk(const struct ofd_corpus *chunk,
			      const struct ofd_spec *spec, bool *seen, char *err,
			      size_t err_len)
{
	size_t k;
	uint32_t i;

	for (k = 0; spec && k < spec->noverrides; k++) {
		const struct ofd_spec_override *o = &spec->overrides[k];

		for (i = 0; i < chunk->npkts; i++) {
			const struct ofd_corpus_pkt *pk = &chunk->pkts[i];
			const char *file = chunk->files[pk->file];
			uint32_t start, off;

			if (pk->index != o->packet || !override_matches_file(o, file))
				continue;
			seen[k] = true;
			start = (o->set & OFD_OVR_CSUM_START) ? o->vnet.csum_start : 0;
			off = (o->set & OFD_OVR_CSUM_OFFSET) ? o->vnet.csum_offset : 0;
			if ((o->set & (OFD_OVR_CSUM_START | OFD_OVR_CSUM_OFFSET)) &&
			    start + off + 2 > pk->len) {
				snprintf(err, err_len,
					 "%s:%d:%d: override of %s packet %u: checksum field at %u (csum_start %u + csum_offset %u) lies past the frame (%u bytes)",
					 spec->path, o->line, o->col, file,
					 o->packet, start + off, start, off, pk->len);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int ofd_overrides_check_seen(const struct ofd_spec *spec, const bool *seen,
			     char *err, size_t err_len)
{
	size_t k;

	for (k = 0; spec && k < spec->noverrides; k++) {
		const struct ofd_spec_override *o = &spec->overrides[k];

		if (seen[k])
			continue;
		snprintf(err, err_len, "%s:%d:%d: override names packet %u%s%s, which no corpus file has",
			 spec->path, o->line, o->col, o->packet,
			 o->file ? " of " : "", o->file ? o->file : "");
		return -EINVAL;
	}
	return 0;
}

int ofd_overrides_check(const struct ofd_corpus *corpus,
			const struct ofd_spec *spec, char *err, size_t err_len)
{
	bool *seen;
	int ret;

	if (!spec || !spec->noverrides)
		return 0;
	seen = calloc(spec->noverrides, sizeof(*seen));
	if (!seen)
		return -ENOMEM;
	ret = ofd_overrides_check_chunk(corpus, spec, seen, err, err_len);
	if (!ret)
		ret = ofd_overrides_check_seen(spec, seen, err, err_len);
	free(seen);
	return ret;
}

int ofd_caseset_prepare(struct ofd_caseset *set, size_t ncases, size_t npkts,
			size_t nbytes)
{
	/* Room only grows: a set reused chunk after chunk stops allocating
	 * once it has seen its largest chunk. Contents are not kept. */
	if (ncases > set->cap_cases) {
		free(set->cases);
		set->cases = calloc(ncases, sizeof(*set->cases));
		set->cap_cases = set->cases ? ncases : 0;
	}
	if (npkts > set->cap_pkts) {
		free(set->pkts);
		set->pkts = calloc(npkts, sizeof(*set->pkts));
		set->cap_pkts = set->pkts ? npkts : 0;
	}
	if (nbytes > set->cap_bytes) {
		free(set->bytes);
		set->bytes = malloc(nbytes);
		set->cap_bytes = set->bytes ? nbytes : 0;
	}
	set->ncases = 0;
	set->nbytes = 0;
	set->skipped = 0;
	if (ncases > set->cap_cases || npkts > set->cap_pkts || nbytes > set->cap_bytes)
		return -ENOMEM;
	return 0;
}

int ofd_caseset_frames(const struct ofd_corpus *corpus, unsigned int requests,
		       const struct ofd_spec *spec, unsigned int offload,
		       const uint8_t *rx_flags, unsigned int nflags, uint32_t pkt_flags,
		       struct ofd_caseset *set)
{
	size_t bytes = 0, used = 0;
	uint32_t i, n = 0, f;

	for (i = 0; i < corpus->npkts; i++)
		bytes += corpus->pkts[i].len;
	if (ofd_caseset_prepare(set, (size_t)corpus->npkts * nflags + 1,
				(size_t)corpus->npkts + 1, bytes + 1))
		return -ENOMEM;
	for (i = 0; i < corpus->npkts; i++) {
		const struct ofd_corpus_pkt *pk = &corpus->pkts[i];
		const char *file = corpus->files[pk->file];

		/* no request kind to vary: VNET only */
		if (pk->len < 14 || !(requests & (1u << OFD_REQ_VNET))) {
			set->skipped++;
			continue;
		}
		memcpy(set->bytes + used, pk->data, pk->len);
		set->pkts[i].data = set->bytes + used;
		set->pkts[i].len = pk->len;
		set->pkts[i].flags = pkt_flags;
		used += pk->len;
		for (f = 0; f < nflags; f++) {
			struct ofd_case *c = &set->cases[n];

			memset(c, 0, sizeof(*c));
			c->req.kind = OFD_REQ_VNET;
			ofd_overrides_apply(spec, file, pk->index, OFD_REQ_VNET, &c->req);
			c->req.rx_flags = rx_flags[f];
			c->id = n;
			c->offload = offload;
			c->npkts = 1;
			c->pkts = &set->pkts[i];
			c->src_file = file;
			c->src_index = pk->index;
			n++;
		}
	}
	set->ncases = n;
	set->nbytes = used;
	return 0;
}

/* The parts' cases, one after the other, with ids renumbered so that a
 * case's id is its index in the campaign (checkpoints count by it). */
static int concat_parts(struct ofd_caseset *set, uint64_t first_id)
{
	uint32_t p, i, n = 0;

	set->ncases = 0;
	set->skipped = 0;
	for (p = 0; p < set->nparts; p++) {
		if (set->parts[p].ncases > UINT32_MAX - n)
			return -EOVERFLOW;
		n += set->parts[p].ncases;
		set->skipped += set->parts[p].skipped;
	}
	if (n + 1 > set->cap_cases) {
		free(set->cases);
		set->cases = calloc(n + 1, sizeof(*set->cases));
		set->cap_cases = set->cases ? n + 1 : 0;
		if (!set->cases)
			return -ENOMEM;
	}
	for (p = 0; p < set->nparts; p++)
		for (i = 0; i < set->parts[p].ncases; i++) {
			set->cases[set->ncases] = set->parts[p].cases[i];
			set->cases[set->ncases].id = first_id + set->ncases;
			set->ncases++;
		}
	return 0;
}

int ofd_cases_begin(struct ofd_caseset *set, unsigned int offloads,
		    const struct ofd_spec *spec, char *err, size_t err_len)
{
	unsigned int off;

	memset(set, 0, sizeof(*set));
	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		const struct ofd_offload_ops *o = ofd_offload_get(off);

		if (!(offloads & OFD_CAP(off)))
			continue;
		if (!o->cases || !o->cases->derive) {
			snprintf(err, err_len, "%s%soffload %s (%s) has no cases yet",
				 spec ? spec->path : "", spec ? ": " : "", o->name,
				 o->ethtool);
			set->nparts = 0; /* no parts to free */
			return -EOPNOTSUPP;
		}
		set->nparts++;
	}
	set->parts = calloc(set->nparts + 1, sizeof(*set->parts));
	if (!set->parts) {
		set->nparts = 0;
		return -ENOMEM;
	}
	set->offloads = offloads;
	return 0;
}

/*
 * The frames of chunk that offload off derives from: the chunk itself, or,
 * when the spec keeps some of its files for other offloads, a view of the
 * others in set->scoped (grown once, reused chunk after chunk).
 */
static int scope_chunk(const struct ofd_corpus *chunk, const struct ofd_spec *spec,
		       unsigned int off, struct ofd_caseset *set,
		       struct ofd_corpus *view, const struct ofd_corpus **out)
{
	uint32_t i, n = 0, f;
	bool all = true;

	*out = chunk;
	for (f = 0; f < chunk->nfiles; f++)
		all &= !!(ofd_spec_file_offloads(spec, chunk->files[f]) & OFD_CAP(off));
	if (all)
		return 0;
	if (set->cap_scoped < chunk->npkts) {
		struct ofd_corpus_pkt *np = realloc(set->scoped, chunk->npkts * sizeof(*np));

		if (!np)
			return -ENOMEM;
		set->scoped = np;
		set->cap_scoped = chunk->npkts;
	}
	for (i = 0; i < chunk->npkts; i++) {
		const struct ofd_corpus_pkt *pk = &chunk->pkts[i];

		if (pk->file < chunk->nfiles &&
		    (ofd_spec_file_offloads(spec, chunk->files[pk->file]) & OFD_CAP(off)))
			set->scoped[n++] = *pk;
	}
	*view = *chunk;
	view->pkts = set->scoped;
	view->npkts = n;
	*out = view;
	return 0;
}

int ofd_cases_derive_chunk(const struct ofd_corpus *chunk, unsigned int requests,
			   const struct ofd_spec *spec, uint64_t first_id,
			   struct ofd_caseset *set, char *err, size_t err_len)
{
	unsigned int off, p = 0;
	int ret;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		const struct ofd_offload_ops *o = ofd_offload_get(off);
		struct ofd_caseset *part = &set->parts[p];

		if (!(set->offloads & OFD_CAP(off)))
			continue;
		p++;
		/* Emptied, its room kept: derive fills it again. */
		part->ncases = 0;
		part->nbytes = 0;
		part->skipped = 0;
		{
			const struct ofd_corpus *frames;
			struct ofd_corpus view;

			ret = scope_chunk(chunk, spec, off, set, &view, &frames);
			if (!ret)
				ret = o->cases->derive(frames, requests & o->cases->requests,
						       spec, part, err, err_len);
		}
		if (ret)
			return ret;
	}
	return concat_parts(set, first_id);
}

int ofd_cases_derive(const struct ofd_corpus *corpus, unsigned int offloads,
		     unsigned int requests, const struct ofd_spec *spec,
		     struct ofd_caseset *set, char *err, size_t err_len)
{
	int ret;

	ret = ofd_cases_begin(set, offloads, spec, err, err_len);
	if (!ret)
		ret = ofd_overrides_check(corpus, spec, err, err_len);
	/* The whole corpus is one chunk. */
	if (!ret)
		ret = ofd_cases_derive_chunk(corpus, requests, spec, 0, set, err, err_len);
	if (ret)
		ofd_caseset_free(set);
	return ret;
}

uint32_t ofd_cases_max_output(unsigned int offloads)
{
	uint32_t max = 0;
	unsigned int off;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		const struct ofd_offload_ops *o = ofd_offload_get(off);

		if ((offloads & OFD_CAP(off)) && o->cases &&
		    o->cases->max_output_bytes > max)
			max = o->cases->max_output_bytes;
	}
	return max;
}

void ofd_caseset_free(struct ofd_caseset *set)
{
	uint32_t p;

	for (p = 0; p < set->nparts; p++)
		ofd_caseset_free(&set->parts[p]);
	free(set->parts);
	free(set->scoped);
	free(set->cases);
	free(set->pkts);
	free(set->bytes);
	memset(set, 0, sizeof(*set));
}
