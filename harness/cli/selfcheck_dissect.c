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

int ofd_selfcheck_dissect(struct ofd_engine *ref, const struct ofd_corpus *corpus, FILE *info)
{
	struct ofd_sd_item *it;
	struct ofd_bpfimg *bpf = NULL;
	struct sd_reasons und = { 0 }, skip = { 0 };
	uint64_t cnt[OFD_SD__N] = { 0 }, by_bpf = 0;
	char bwhy[256], kb[512], path[256], known[256] = "";
	size_t kn = 0;
	const char *why = NULL;
	unsigned int i;
	int err;

	if (ref->ops != &ofd_engine_kernel) {
		ofd_cli_err("selfcheck: dissect is checked against the kernel's rx hash: use --reference kernel");
		return OFD_EXIT_USAGE;
	}
	it = calloc(corpus->npkts ? corpus->npkts : 1, sizeof(*it));
	if (!it)
		return OFD_EXIT_UNAVAILABLE;
	for (i = 0; i < corpus->npkts; i++) {
		it[i].frame = corpus->pkts[i].data;
		it[i].len = corpus->pkts[i].len;
	}
	/* the fallback's program; without it, no-probe frames stay undecided */
	if (ofd_bpfimg__open(NULL, &bpf, bwhy, sizeof(bwhy)))
		fprintf(info, "selfcheck dissect: no BPF fallback: %s\n", bwhy);
	fprintf(info, "offdiff selfcheck dissect: the model (%s) vs the kernel's built-in flow "
		"dissector, through the rx hash; %u frames from %u files\n",
		ref->info.version, corpus->npkts, corpus->nfiles);
	err = ofd_sd_judge(ref, it, corpus->npkts, bpf, &why);
	ofd_bpfimg__free(bpf);
	if (err) {
		ofd_cli_err("selfcheck: dissect: %s: %s", why ? why : "?", strerror(-err));
		free(it);
		return OFD_EXIT_UNAVAILABLE;
	}
	for (i = 0; i < corpus->npkts; i++) {
		const struct ofd_corpus_pkt *p = &corpus->pkts[i];
		struct ofd_sd_item *t = &it[i];
		struct ofd_parsed ps;

		cnt[t->verdict]++;
		if (t->verdict == OFD_SD_AGREE && t->method == OFD_SD_BPF)
			by_bpf++;
		if (t->verdict == OFD_SD_SKIPPED)
			sd_count(&skip, t->why, NULL);
		if (t->verdict == OFD_SD_UNDECIDED)
			sd_count(&und, t->why, t->field);
		if (t->verdict == OFD_SD_KNOWN && cnt[OFD_SD_KNOWN] <= 4)
			kn += (size_t)snprintf(known + kn, sizeof(known) - kn, "%s%s #%u",
					       kn ? ", " : "", base(corpus->files[p->file]),
					       p->index);
		if (t->verdict != OFD_SD_DISAGREE)
			continue;
		ofd_parse(t->frame, t->len, 0, &ps);
		ofd_parse_path(&ps, path, sizeof(path));
		sd_keys(&t->k, kb, sizeof(kb));
		fprintf(info, "  disagree %s #%u (%s, %u bytes, by %s): model %s: kernel differs in %s\n",
			base(corpus->files[p->file]), p->index, path[0] ? path : "(none)",
			t->len, t->method == OFD_SD_PROBE ? "probe" : "bpf", kb,
			t->field ? t->field : "?");
	}
	if (cnt[OFD_SD_KNOWN])
		fprintf(info, "  known difference %llu (%s%s): a length in the ethertype field: the kernel's n_proto is "
			"eth_type_trans's 0x0004 or 0x0001, the model's the raw value (its skb-less start)\n",
			(unsigned long long)cnt[OFD_SD_KNOWN], known,
			cnt[OFD_SD_KNOWN] > 4 ? ", ..." : "");
	for (i = 0; i < SD_REASONS && und.why[i]; i++)
		fprintf(info, "  undecided %llu: %s%s%s\n", (unsigned long long)und.n[i],
			und.why[i], und.also[i][0] ? "; fallback: " : "", und.also[i]);
	for (i = 0; i < SD_REASONS && skip.why[i]; i++)
		fprintf(info, "  skipped %llu: %s\n", (unsigned long long)skip.n[i], skip.why[i]);
	fprintf(info, "selfcheck dissect: %u frames, %llu compared (%llu by the BPF fallback): "
		"%llu agree, %llu %s%s, %llu by a known cause, %llu undecided, %llu skipped\n",
		corpus->npkts,
		(unsigned long long)(cnt[OFD_SD_AGREE] + cnt[OFD_SD_DISAGREE] + cnt[OFD_SD_KNOWN]),
		(unsigned long long)by_bpf, (unsigned long long)cnt[OFD_SD_AGREE],
		(unsigned long long)cnt[OFD_SD_DISAGREE], ofd_cli_verdict("disagreement"),
		cnt[OFD_SD_DISAGREE] == 1 ? "" : "s", (unsigned long long)cnt[OFD_SD_KNOWN],
		(unsigned long long)cnt[OFD_SD_UNDECIDED],
		(unsigned long long)cnt[OFD_SD_SKIPPED]);
	free(it);
	if (cnt[OFD_SD_DISAGREE])
		return OFD_EXIT_DISCREPANCY;
	if (!cnt[OFD_SD_AGREE])
		return ofd_cli_nothing_compared(corpus->npkts, "", "no frame compared");
	return OFD_EXIT_EQUAL;
}
