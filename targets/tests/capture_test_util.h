/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * capture_test_util.h - what check_capture.c builds captures with: foreign
 * frames, a pcap writer over frame lists, opening and running the capture
 * target, and the end-to-end comparison with the emulator (cap_e2e).
 */
#ifndef CAPTURE_TEST_UTIL_H
#define CAPTURE_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_test.h"

/* An ARP request (RFC 826) for 10.0.0.2, broadcast. */
static const uint8_t cap_arp[42] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
	0, 1, 0x08, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
};

/* An ICMPv6 neighbour solicitation (RFC 4861 4.3) for 2001:db8::2 to its
 * solicited-node group. */
static const uint8_t cap_ns[86] = {
	0x33, 0x33, 0xff, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd,
	0x60, 0, 0, 0, 0, 32, 58, 255,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2,
	135, 0, 0x12, 0x34, 0, 0, 0, 0,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	1, 1, 2, 0, 0, 0, 0, 1,
};

static inline void cap_write(const char *path, const uint8_t *const *fr,
			     const uint32_t *fl, uint32_t n)
{
	struct ofd_pcap_writer *w;
	uint32_t i;

	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(ofd_pcap_writer__write(w, fr[i], fl[i], i), 0);
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
}

static inline struct ofd_engine *cap_open(const char *dir, const char *file,
					  unsigned int caps)
{
	struct ofd_engine_param prm = { "file", file };
	struct ofd_engine_opts o = { .caps = caps, .params = &prm, .nparams = 1,
				     .base_dir = dir };
	struct ofd_engine *e = NULL;
	char msg[512] = "";

	ck_assert_msg(!ofd_engine__open("capture", &o, &e, msg, sizeof(msg)), "%s", msg);
	return e;
}

static inline void cap_run(struct ofd_engine *e, const struct ofd_case *c,
			   struct ofd_result **r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ofd_result_reset(r[i]);
	ck_assert_int_eq(e->ops->run(e->priv, c, (struct ofd_result *const *)r, n), 0);
}

static inline void cap_rmdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static inline uint64_t cap_rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The emulator's frames per case, materialized. */
struct cap_out {
	uint8_t *bytes;
	size_t nbytes, cap;
	uint32_t *first, *count; /* per case, into off/len */
	size_t *off;
	uint32_t *len;
	uint32_t n, capf;
};

static inline void cap_out_add(struct cap_out *o, const struct ofd_frame *f)
{
	if (o->nbytes + f->len > o->cap) {
		while (o->nbytes + f->len > o->cap)
			o->cap = o->cap ? o->cap * 2 : 1 << 20;
		o->bytes = realloc(o->bytes, o->cap);
		ck_assert_ptr_nonnull(o->bytes);
	}
	if (o->n == o->capf) {
		o->capf = o->capf ? o->capf * 2 : 4096;
		o->off = realloc(o->off, o->capf * sizeof(*o->off));
		o->len = realloc(o->len, o->capf * sizeof(*o->len));
		ck_assert(o->off && o->len);
	}
	ofd_frame_materialize(f, o->bytes + o->nbytes);
	o->off[o->n] = o->nbytes;
	o->len[o->n++] = f->len;
	o->nbytes += f->len;
}

/* Keep the first max frames of each file of corpus c (0: all). */
static inline void cap_first_frames(struct ofd_corpus *c, uint32_t max)
{
	uint32_t i, k = 0, seen = 0, file = 0;

	for (i = 0; max && i < c->npkts; i++) {
		if (c->pkts[i].file != file) {
			file = c->pkts[i].file;
			seen = 0;
		}
		if (seen++ < max)
			c->pkts[k++] = c->pkts[i];
	}
	if (max)
		c->npkts = k;
}

#define CAP_BATCH 64

/*
 * Run the model and emu:profile over the cases of offload off from files
 * (the first max frames of each), write what the emulator put on the wire
 * for every case the kernel neither refuses at send nor drops before the
 * device, interleaved across
 * cases at random (each case's frames in their order, as queues reorder
 * flows, not a flow) with ARP and ND frames among them; then run the
 * capture target on that pcap and require every case's verdict against
 * the model to be the emulator's, and the frames of every case the
 * emulator got right. keep: also write the capture there.
 */
static inline void cap_e2e(const char *profile, enum ofd_offload off,
			   const char *const *files, unsigned int nfiles, uint32_t max,
			   const char *keep)
{
	struct ofd_engine_opts eo = { .profile = profile, .profile_dir = "specs/profiles",
				      .caps = OFD_CAP(off) };
	struct ofd_result *ref[CAP_BATCH], *tgt[CAP_BATCH];
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set = { 0 };
	struct ofd_engine *model, *emu, *cap;
	struct cap_out out = { 0 };
	uint64_t counts[OFD_V__MAX] = { 0 }, rng = 17;
	const uint8_t **fr;
	uint32_t *fl, *next, nw = 0, left, i, k, j;
	uint8_t *verdict, *hit = malloc(OFD_MAX_FRAMES);
	char err[512], dir[64], path[128];
	unsigned int b;

	for (i = 0; i < nfiles; i++)
		ck_assert_msg(!ofd_corpus_load(&corpus, files[i], err, sizeof(err)), "%s", err);
	cap_first_frames(&corpus, max);
	ck_assert_msg(!ofd_cases_derive(&corpus, OFD_CAP(off), 3, NULL, &set, err, sizeof(err)),
		      "%s", err);
	ck_assert_msg(!ofd_engine__open("model", &eo, &model, err, sizeof(err)), "%s", err);
	ck_assert_msg(!ofd_engine__open("emu", &eo, &emu, err, sizeof(err)), "%s", err);
	for (b = 0; b < CAP_BATCH; b++) {
		ck_assert_int_eq(ofd_result__new(ofd_cases_max_output(OFD_CAP(off)), &ref[b]), 0);
		ck_assert_int_eq(ofd_result__new(ofd_cases_max_output(OFD_CAP(off)), &tgt[b]), 0);
	}
	verdict = calloc(set.ncases + 1, 1);
	out.first = calloc(set.ncases + 1, sizeof(*out.first));
	out.count = calloc(set.ncases + 1, sizeof(*out.count));
	ck_assert(verdict && out.first && out.count);

	for (k = 0; k < set.ncases; k += CAP_BATCH) {
		unsigned int n = set.ncases - k < CAP_BATCH ? set.ncases - k : CAP_BATCH;

		cap_run(model, &set.cases[k], ref, n);
		cap_run(emu, &set.cases[k], tgt, n);
		for (b = 0; b < n; b++) {
			verdict[k + b] = (uint8_t)ofd_diff_case(&set.cases[k + b], ref[b], tgt[b],
								emu->ops->flags);
			counts[verdict[k + b]]++;
			out.first[k + b] = out.n;
			if (ref[b]->status == OFD_RES_REJECTED || tgt[b]->status != OFD_RES_OK)
				continue;
			for (j = 0; j < tgt[b]->nframes; j++)
				cap_out_add(&out, &tgt[b]->frame[j]);
			out.count[k + b] = tgt[b]->nframes;
		}
	}

	/* Interleave: a random case with frames left gives its next one;
	 * every fifth frame a foreign one. */
	fr = calloc(out.n + out.n / 4 + 2, sizeof(*fr));
	fl = calloc(out.n + out.n / 4 + 2, sizeof(*fl));
	next = calloc(set.ncases + 1, sizeof(*next));
	ck_assert(fr && fl && next);
	for (left = out.n; left; ) {
		uint32_t c = (uint32_t)(cap_rng(&rng) % set.ncases);

		/* The next case with frames left from a random start. */
		while (next[c] == out.count[c])
			c = (c + 1) % set.ncases;
		i = out.first[c] + next[c]++;
		fr[nw] = out.bytes + out.off[i];
		fl[nw++] = out.len[i];
		left--;
		if (nw % 5 == 4) {
			fr[nw] = nw % 2 ? cap_arp : cap_ns;
			fl[nw] = nw % 2 ? sizeof(cap_arp) : sizeof(cap_ns);
			nw++;
		}
	}
	ofd_test_mkdtemp(dir, sizeof(dir), "capture-e2e");
	snprintf(path, sizeof(path), "%s/cap.pcap", dir);
	cap_write(path, fr, fl, nw);
	if (keep)
		cap_write(keep, fr, fl, nw);
	cap = cap_open(dir, "cap.pcap", OFD_CAP(off));

	for (k = 0; k < set.ncases; k += CAP_BATCH) {
		unsigned int n = set.ncases - k < CAP_BATCH ? set.ncases - k : CAP_BATCH;

		cap_run(model, &set.cases[k], ref, n);
		cap_run(cap, &set.cases[k], tgt, n);
		for (b = 0; b < n; b++) {
			const struct ofd_case *c = &set.cases[k + b];
			enum ofd_verdict v = ofd_diff_case(c, ref[b], tgt[b], cap->ops->flags);

			ck_assert_msg(v == verdict[k + b], "%s: case %u (%s packet %u): verdict %s, emu %s (%u frames, emu %u)",
				      profile, k + b, c->src_file, c->src_index, ofd_verdict_name(v),
				      ofd_verdict_name(verdict[k + b]), tgt[b]->nframes, out.count[k + b]);
			if (!out.count[k + b])
				continue;
			ck_assert_int_eq(tgt[b]->status, OFD_RES_OK);
			ck_assert_uint_eq(tgt[b]->nframes, out.count[k + b]);
			/* A device's wrong frame may resemble another case's
			 * expected frame more than its own case's (a last IPv4
			 * fragment whose length field is wrong vs a middle
			 * fragment of the same bytes in another case): only the
			 * verdict is required of those. */
			if (verdict[k + b] != OFD_V_EQUAL)
				continue;
			/* The emulator's frames, each once. Their order is the
			 * capture's, which for a case holding copies of frames
			 * other cases emit too (one flow's segments in two
			 * super-packets) need not be the emulator's. */
			memset(hit, 0, out.count[k + b]);
			for (j = 0; j < out.count[k + b]; j++) {
				const struct ofd_frame *f = &tgt[b]->frame[j];
				uint32_t z;

				for (z = 0; z < out.count[k + b]; z++) {
					i = out.first[k + b] + z;
					if (!hit[z] && f->len == out.len[i] &&
					    !memcmp(f->base, out.bytes + out.off[i], f->len))
						break;
				}
				ck_assert_msg(z < out.count[k + b], "%s: case %u: frame %u is none of the emulator's",
					      profile, k + b, j);
				hit[z] = 1;
			}
		}
	}
	/* Meaningful: some cases ran, and a bug profile shows its bug. */
	ck_assert_uint_gt(counts[OFD_V_EQUAL], 0);
	if (strcmp(profile, "conformant"))
		ck_assert_uint_gt(counts[OFD_V_DISCREPANCY], 0);
	else
		ck_assert_uint_eq(counts[OFD_V_DISCREPANCY], 0);

	ofd_engine__close(cap);
	cap_rmdir(dir);
	for (b = 0; b < CAP_BATCH; b++) {
		ofd_result__free(ref[b]);
		ofd_result__free(tgt[b]);
	}
	ofd_engine__close(emu);
	ofd_engine__close(model);
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
	free(out.bytes);
	free(out.first);
	free(out.count);
	free(out.off);
	free(out.len);
	free(fr);
	free(fl);
	free(next);
	free(verdict);
	free(hit);
}

#endif
