// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * selfcheck_dissect.c - `offdiff selfcheck -f dissect`: every corpus frame
 * judged by oracles/model/dissect_kernel.c (the model's keys against the
 * kernel's built-in flow dissector, through the rx hash), the
 * disagreements listed with their layer path, the model's keys and the
 * hashed field the probes name; the undecided and skipped counted by
 * reason. Deterministic: frames in corpus order, reasons in first-seen
 * order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_cli.h"
#include "ofd_dissect_kernel.h"
#include "ofd_images.h"
#include "ofd_kernel.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"

/* K's hashed fields, the ones that are not zero, as "name=value ...". */
static void sd_keys(const struct ofd_flow_keys *k, char *buf, size_t len)
{
	size_t o = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 4; i < ofd_flow_keys_nfields && o + 2 < len; i++) {
		char v[64];

		ofd_flow_keys_fields[i].print(k, v, sizeof(v));
		/* zero fields say nothing past n_proto and ip_proto */
		if (i > 5 && strspn(v, "0x.:-") == strlen(v))
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s=%s", o ? " " : "",
				      ofd_flow_keys_fields[i].name, v);
	}
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Reasons in first-seen order, counted: output stays deterministic. */
#define SD_REASONS 16
struct sd_reasons {
	const char *why[SD_REASONS], *also[SD_REASONS];
	uint64_t n[SD_REASONS];
};

static void sd_count(struct sd_reasons *r, const char *why, const char *also)
{
	unsigned int i;

	also = also ? also : "";
	for (i = 0; i < SD_REASONS && r->why[i]; i++)
		if (!strcmp(r->why[i], why) && !strcmp(r->also[i], also))
			break;
	if (i == SD_REASONS)
		i--;
	r->why[i] = why;
	r->also[i] = also;
	r->n[i]++;
}

/* What the frames came to, over the corpus and the random chunks. */
struct sd_tally {
	uint64_t cnt[OFD_SD__N], by_bpf, frames;
	struct sd_reasons und, skip;
	char known[256];
	size_t kn;
};

/* Count item @t (from @file, frame @index) and print it if it
 * disagrees. */
static void sd_account(struct sd_tally *y, const struct ofd_sd_item *t, const char *file,
		       uint64_t index, FILE *info)
{
	struct ofd_parsed ps;
	char kb[512], path[256];

	y->frames++;
	y->cnt[t->verdict]++;
	if (t->verdict == OFD_SD_AGREE && t->method == OFD_SD_BPF)
		y->by_bpf++;
	if (t->verdict == OFD_SD_SKIPPED)
		sd_count(&y->skip, t->why, NULL);
	if (t->verdict == OFD_SD_UNDECIDED)
		sd_count(&y->und, t->why, t->field);
	if (t->verdict == OFD_SD_KNOWN && y->cnt[OFD_SD_KNOWN] <= 4 && y->kn < sizeof(y->known))
		y->kn += (size_t)snprintf(y->known + y->kn, sizeof(y->known) - y->kn,
					  "%s%s #%llu", y->kn ? ", " : "", file,
					  (unsigned long long)index);
	if (t->verdict != OFD_SD_DISAGREE)
		return;
	ofd_parse(t->frame, t->len, 0, &ps);
	ofd_parse_path(&ps, path, sizeof(path));
	/* offdiff's parser knows fewer headers than the dissector (PPPoE,
	 * MPLS, HSR...): then the ethertype says where the walk began */
	if (!path[0] && t->len >= 14)
		snprintf(path, sizeof(path), "ethertype 0x%04x",
			 (unsigned int)(t->frame[12] << 8 | t->frame[13]));
	sd_keys(&t->k, kb, sizeof(kb));
	fprintf(info, "  disagree %s #%llu (%s, %u bytes, by %s): model %s: kernel differs in %s\n",
		file, (unsigned long long)index, path, t->len,
		t->method == OFD_SD_PROBE ? "probe" : "bpf", kb, t->field ? t->field : "?");
}

static int sd_print(const struct sd_tally *y, FILE *info)
{
	const uint64_t *cnt = y->cnt;
	unsigned int i;

	if (cnt[OFD_SD_KNOWN])
		fprintf(info, "  known difference %llu (%s%s): a length in the ethertype field (or the outer tag's): "
			"the kernel's n_proto is eth_type_trans's (vlan_set_encap_proto's) 0x0004 or 0x0001, "
			"the model's the raw value (its skb-less start)\n",
			(unsigned long long)cnt[OFD_SD_KNOWN], y->known,
			cnt[OFD_SD_KNOWN] > 4 ? ", ..." : "");
	for (i = 0; i < SD_REASONS && y->und.why[i]; i++)
		fprintf(info, "  undecided %llu: %s%s%s\n", (unsigned long long)y->und.n[i],
			y->und.why[i], y->und.also[i][0] ? "; fallback: " : "", y->und.also[i]);
	for (i = 0; i < SD_REASONS && y->skip.why[i]; i++)
		fprintf(info, "  skipped %llu: %s\n", (unsigned long long)y->skip.n[i],
			y->skip.why[i]);
	fprintf(info, "selfcheck dissect: %llu frames, %llu compared (%llu by the BPF fallback): "
		"%llu agree, %llu %s%s, %llu by a known cause, %llu undecided, %llu skipped\n",
		(unsigned long long)y->frames,
		(unsigned long long)(cnt[OFD_SD_AGREE] + cnt[OFD_SD_DISAGREE] + cnt[OFD_SD_KNOWN]),
		(unsigned long long)y->by_bpf, (unsigned long long)cnt[OFD_SD_AGREE],
		(unsigned long long)cnt[OFD_SD_DISAGREE], ofd_cli_verdict("disagreement"),
		cnt[OFD_SD_DISAGREE] == 1 ? "" : "s", (unsigned long long)cnt[OFD_SD_KNOWN],
		(unsigned long long)cnt[OFD_SD_UNDECIDED], (unsigned long long)cnt[OFD_SD_SKIPPED]);
	if (cnt[OFD_SD_DISAGREE])
		return OFD_EXIT_DISCREPANCY;
	if (!cnt[OFD_SD_AGREE])
		return ofd_cli_nothing_compared(y->frames, "", "no frame compared");
	return OFD_EXIT_EQUAL;
}

/* random frames a chunk: their bytes and items at once */
#define SD_CHUNK 4096
#define SD_RAND_CAP 2048

int ofd_selfcheck_dissect(struct ofd_engine *ref, const struct ofd_corpus *corpus,
			  const struct ofd_offload_ops *oo, uint64_t nrand, uint64_t seed,
			  FILE *info)
{
	struct ofd_sd_item *it;
	struct ofd_bpfimg *bpf = NULL;
	struct sd_tally y;
	struct ofd_pkt pkt;
	struct ofd_case c;
	uint8_t *buf = NULL;
	char bwhy[256];
	const char *why = NULL;
	unsigned int i, n;
	uint64_t k;
	int err = 0;

	if (ref->ops != &ofd_engine_kernel) {
		ofd_cli_err("selfcheck: dissect is checked against the kernel's rx hash: use --reference kernel");
		return OFD_EXIT_USAGE;
	}
	memset(&y, 0, sizeof(y));
	it = calloc(corpus->npkts > SD_CHUNK ? corpus->npkts : SD_CHUNK, sizeof(*it));
	if (nrand)
		buf = malloc((size_t)SD_CHUNK * SD_RAND_CAP);
	if (!it || (nrand && !buf)) {
		free(it);
		free(buf);
		return OFD_EXIT_UNAVAILABLE;
	}
	/* the fallback's program; without it, no-probe frames stay undecided */
	if (ofd_bpfimg__open(NULL, &bpf, bwhy, sizeof(bwhy)))
		fprintf(info, "selfcheck dissect: no BPF fallback: %s\n", bwhy);
	fprintf(info, "offdiff selfcheck dissect: the model (%s) vs the kernel's built-in flow "
		"dissector, through the rx hash; %u frames from %u files, %llu random (seed %llu)\n",
		ref->info.version, corpus->npkts, corpus->nfiles, (unsigned long long)nrand,
		(unsigned long long)seed);
	for (i = 0; i < corpus->npkts; i++) {
		it[i].frame = corpus->pkts[i].data;
		it[i].len = corpus->pkts[i].len;
	}
	err = ofd_sd_judge(ref, it, corpus->npkts, bpf, &why);
	for (i = 0; !err && i < corpus->npkts; i++)
		sd_account(&y, &it[i], base(corpus->files[corpus->pkts[i].file]),
			   corpus->pkts[i].index, info);
	/* random frames (the dissect offload's generator: dissector frames,
	 * cut, a byte flipped), a chunk at a time */
	for (k = 0; !err && k < nrand; k += n) {
		n = nrand - k < SD_CHUNK ? (unsigned int)(nrand - k) : SD_CHUNK;
		memset(it, 0, (size_t)n * sizeof(*it));
		for (i = 0; i < n && !err; i++) {
			err = oo->cases->random(seed, k + i, buf + (size_t)i * SD_RAND_CAP,
						SD_RAND_CAP, &pkt, 1, &c);
			it[i].frame = pkt.data;
			it[i].len = pkt.len;
		}
		if (err) {
			why = "a random frame";
			break;
		}
		err = ofd_sd_judge(ref, it, n, bpf, &why);
		for (i = 0; !err && i < n; i++)
			sd_account(&y, &it[i], "random", k + i, info);
	}
	ofd_bpfimg__free(bpf);
	free(it);
	free(buf);
	if (err) {
		ofd_cli_err("selfcheck: dissect: %s: %s", why ? why : "?", strerror(-err));
		return OFD_EXIT_UNAVAILABLE;
	}
	return sd_print(&y, info);
}
