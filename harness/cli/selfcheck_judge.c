// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * selfcheck_judge.c - `offdiff selfcheck`'s receive-side judge: agreement
 * is not enough, since the kernel only finishes a checksum over the seed
 * offdiff derived (kernel-tx.md 1), so a wrong seed makes model and
 * kernel agree and both be wrong. Every reference frame whose checksum
 * the kernel finished over offdiff's own derivation is handed to the live
 * kernel's receive path (ofd_kernel_rx_judge); a rejected one is a
 * derivation bug with a reproducer under <report>/rxjudge/. tso segments
 * are judged in batches, and their lengths checked on the way.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "ofd_cli.h"
#include "ofd_csum.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "selfcheck_internal.h"


/*
 * Did the kernel finish, over offdiff's own seed, the innermost L4 checksum
 * of this case? True when the request is NEEDS_CSUM at that checksum field
 * and the field holds what derivation writes: ofd_txcsum_request for TCP
 * and UDP; for ICMPv6 the same pseudo-header (RFC 4443 2.3), for ICMP 0
 * (random cases request those too). Anything else (bad seeds, bad offsets,
 * untouched frames) is not a derivation to judge.
 */
static bool judge_derived(struct judge *j, const struct ofd_case *c)
{
	const struct ofd_pkt *pk = &c->pkts[0];
	const struct ofd_vnet_hdr *v = &c->req.vnet;
	struct ofd_request dr;
	struct ofd_parsed p;
	uint32_t pos, sum;
	uint16_t seed;

	if ((c->offload != OFD_OFFLOAD_TX_CSUM && c->offload != OFD_OFFLOAD_TSO) ||
	    c->npkts != 1 || !pk->data ||
	    c->req.csum_type != OFD_CSUM_INET || !(v->flags & OFD_VNET_F_NEEDS_CSUM) ||
	    pk->len > 65536 + 1024)
		return false;
	pos = (uint32_t)v->csum_start + v->csum_offset;
	if (pos + 2 > pk->len)
		return false;
	if (!ofd_txcsum_request(pk->data, pk->len, c->req.kind, &dr, NULL)) {
		if (dr.vnet.csum_start != v->csum_start ||
		    dr.vnet.csum_offset != v->csum_offset || dr.csum_type != OFD_CSUM_INET)
			return false;
		memcpy(j->scratch, pk->data, pk->len);
		ofd_txcsum_request(pk->data, pk->len, c->req.kind, &dr, j->scratch);
		return !memcmp(j->scratch + pos, pk->data + pos, 2);
	}
	ofd_parse(pk->data, pk->len, 0, &p);
	if (p.l4 < 0 || p.layer[p.l4].off != v->csum_start || v->csum_offset != 2)
		return false;
	if (p.layer[p.l4].proto == OFD_P_ICMP)
		seed = 0;
	else if (p.layer[p.l4].proto == OFD_P_ICMPV6 &&
		 !ofd_parse_pseudo(pk->data, pk->len, &p, p.l4, pk->len - v->csum_start, 0, &sum))
		seed = ofd_fold16(sum);
	else
		return false;
	return (uint16_t)(pk->data[pos] << 8 | pk->data[pos + 1]) == seed;
}

static int judge_pcap(const char *dir, const char *name, const uint8_t *data,
		      uint32_t len)
{
	struct ofd_pcap_writer *w;
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	err = ofd_pcap_writer__open(path, &w);
	if (err)
		return err;
	ofd_pcap_writer__write(w, data, len, 0);
	return ofd_pcap_writer__close(w);
}

static void count_why(const char **whys, uint64_t *n, const char *why)
{
	size_t i;

	for (i = 0; i < JUDGE_MAX_WHY && whys[i]; i++)
		if (whys[i] == why || !strcmp(whys[i], why))
			break;
	if (i == JUDGE_MAX_WHY)
		i--; /* the last slot collects the rest */
	if (!whys[i])
		whys[i] = why;
	n[i]++;
}

static void judge_count_why(struct judge *j, const char *why)
{
	count_why(j->why, j->why_n, why);
}

/*
 * A segment's lengths as its receiver reads them: every IPv4 total length
 * and IPv6 payload length up to the frame's end (the kernel writes them
 * per segment, kernel-tx.md 5.3, 5.4, 7.1), every IPv4 header checksum
 * valid, every UDP length up to the end unless the UDP header is a
 * fragment's (UFO: it covers the datagram). NULL, or what disagrees.
 */
static const char *seg_lengths(const uint8_t *f, uint32_t len)
{
	struct ofd_parsed p;
	bool frag = false;
	uint32_t i;

	ofd_parse(f, len, 0, &p);
	for (i = 0; i < p.nlayers; i++) {
		const struct ofd_layer *l = &p.layer[i];
		const uint8_t *h = f + l->off;

		switch (l->proto) {
		case OFD_P_IPV4:
			if (((uint32_t)h[2] << 8 | h[3]) != len - l->off)
				return "an IPv4 total length that is not the segment's";
			if (ofd_inet_csum(h, (h[0] & 0x0f) * 4u))
				return "an IPv4 header checksum that is not valid";
			if ((h[6] & 0x3f) || h[7])
				frag = true;
			break;
		case OFD_P_IPV6:
			if (((uint32_t)h[4] << 8 | h[5]) != len - l->off - 40)
				return "an IPv6 payload length that is not the segment's";
			break;
		case OFD_P_FRAG:
			frag = true;
			break;
		case OFD_P_UDP:
			if (!frag && ((uint32_t)h[4] << 8 | h[5]) != len - l->off)
				return "a UDP length that is not the segment's";
			break;
		default:
			break;
		}
	}
	return NULL;
}

/* A segment whose lengths disagree: <report>/lengths/<n>/. */
static void seg_repro(struct judge *j, const struct ofd_case *c,
		      const struct ofd_frame *f, unsigned int k, unsigned int n,
		      const char *why)
{
	char dir[512], path[600];
	FILE *fp;

	if (!j->dir || j->len_repro >= JUDGE_MAX_REPRO)
		return;
	snprintf(dir, sizeof(dir), "%s/lengths", j->dir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/lengths/%llu", j->dir, (unsigned long long)j->len_repro++);
	if (mkdir(dir, 0755))
		return;
	ofd_frame_materialize(f, j->seg);
	judge_pcap(dir, "input.pcap", c->pkts[0].data, c->pkts[0].len);
	judge_pcap(dir, "kernel-segment.pcap", j->seg, f->len);
	snprintf(path, sizeof(path), "%s/description.txt", dir);
	fp = fopen(path, "w");
	if (fp) {
		fprintf(fp, "segment %u/%u of ", k + 1, n);
		if (c->src_file)
			fprintf(fp, "%s packet %u", c->src_file, c->src_index);
		else
			fprintf(fp, "random case --seed %llu index %u", j->seed, c->src_index);
		fprintf(fp, ": %s\n", why);
		fclose(fp);
	}
}

/* A rejected frame: a derivation bug. <report>/rxjudge/<n>/ holds the
 * case's input (input.pcap: the frame with offdiff's seed, what a replay
 * sends), the kernel's output and one line saying what happened. */
static void judge_repro(struct judge *j, const struct ofd_case *c,
			const struct ofd_frame *f)
{
	char dir[512], path[600], lpath[96];
	struct ofd_parsed p;
	uint8_t *out;
	FILE *fp;

	if (!j->dir || j->repro >= JUDGE_MAX_REPRO)
		return;
	snprintf(dir, sizeof(dir), "%s/rxjudge", j->dir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/rxjudge/%llu", j->dir, (unsigned long long)j->repro++);
	if (mkdir(dir, 0755))
		return;
	out = malloc(f->len ? f->len : 1);
	if (!out)
		return;
	ofd_frame_materialize(f, out);
	judge_pcap(dir, "input.pcap", c->pkts[0].data, c->pkts[0].len);
	judge_pcap(dir, "kernel-output.pcap", out, f->len);
	ofd_parse(out, f->len, 0, &p);
	ofd_parse_path(&p, lpath, sizeof(lpath));
	snprintf(path, sizeof(path), "%s/description.txt", dir);
	fp = fopen(path, "w");
	if (fp) {
		if (c->src_file)
			fprintf(fp, "derivation bug: the kernel's receive path rejects the %s checksum the kernel finished over offdiff's seed (csum_start %u, csum_offset %u); %s packet %u\n",
				lpath, c->req.vnet.csum_start, c->req.vnet.csum_offset,
				c->src_file, c->src_index);
		else
			fprintf(fp, "derivation bug: the kernel's receive path rejects the %s checksum the kernel finished over offdiff's seed (csum_start %u, csum_offset %u); random case --seed %llu index %u\n",
				lpath, c->req.vnet.csum_start, c->req.vnet.csum_offset,
				j->seed, c->src_index);
		fclose(fp);
	}
	free(out);
}

/* The pending segments through the judge in one go. */
static int judge_flush(struct judge *j)
{
	unsigned int i, n = j->npend;
	int err;

	j->npend = 0;
	if (!n || j->err)
		return 0;
	err = ofd_kernel_rx_judge_many(j->ref, j->pf, n, j->pv, j->pw);
	if (err) {
		j->err = err;
		j->err_why = j->pw[0];
		return 0;
	}
	for (i = 0; i < n; i++) {
		j->frames++;
		if (j->pv[i] == OFD_RXJ_ACCEPTED) {
			j->accepted++;
		} else if (j->pv[i] == OFD_RXJ_REJECTED) {
			j->rejected++;
			judge_repro(j, j->pc[i], j->pf[i]);
		} else {
			j->unjudgeable++;
			judge_count_why(j, j->pw[i] ? j->pw[i] : "no reason given");
		}
	}
	return 0;
}

/* tso: every segment's lengths, and every segment of a derived request
 * to the judge, many at a time. */
static void judge_tso(struct judge *j, const struct ofd_case *c,
		      const struct ofd_result *r)
{
	const char *why;
	unsigned int k;
	bool derived = judge_derived(j, c);

	for (k = 0; k < r->nframes; k++) {
		const struct ofd_frame *f = &r->frame[k];

		if (r->nframes > 1 && f->len <= 65536 + 1024) {
			j->segs++;
			if (f->npatches || f->tail_len) {
				ofd_frame_materialize(f, j->seg);
				why = seg_lengths(j->seg, f->len);
			} else {
				why = seg_lengths(f->base, f->len);
			}
			if (why) {
				j->segs_bad++;
				count_why(j->len_why, j->len_why_n, why);
				seg_repro(j, c, f, k, r->nframes, why);
			}
		}
		if (!derived)
			continue;
		j->pf[j->npend] = f;
		j->pc[j->npend++] = c;
		if (j->npend == OFD_RXJ_MANY)
			judge_flush(j);
	}
}

int ofdint_judge_run(void *priv, const struct ofd_case *cases,
		     struct ofd_result *const *results, unsigned int n)
{
	struct judge *j = priv;
	unsigned int i, k;
	int err;

	err = j->ref->ops->run(j->ref->priv, cases, results, n);
	if (err || j->err)
		return err;
	if (j->tso) {
		/* Judged while the cases' inputs are still in memory. */
		for (i = 0; i < n; i++)
			if (results[i]->status == OFD_RES_OK)
				judge_tso(j, &cases[i], results[i]);
		return judge_flush(j);
	}
	for (i = 0; i < n; i++) {
		const struct ofd_result *r = results[i];

		if (r->status != OFD_RES_OK || !judge_derived(j, &cases[i]))
			continue;
		for (k = 0; k < r->nframes; k++) {
			enum ofd_rxjudge v;
			const char *why;

			err = ofd_kernel_rx_judge(j->ref, &r->frame[k], &v, &why);
			if (err) {
				/* The judge is an extra: report, keep going. */
				j->err = err;
				j->err_why = why;
				return 0;
			}
			j->frames++;
			if (v == OFD_RXJ_ACCEPTED) {
				j->accepted++;
			} else if (v == OFD_RXJ_REJECTED) {
				j->rejected++;
				judge_repro(j, &cases[i], &r->frame[k]);
			} else {
				j->unjudgeable++;
				judge_count_why(j, why ? why : "no reason given");
			}
		}
	}
	return 0;
}

void ofdint_judge_print(const struct judge *j, FILE *f)
{
	size_t i;

	if (j->err) {
		fprintf(f, "rx judge: unavailable: %s%s%s\n", j->err_why ? j->err_why : "",
			j->err_why ? ": " : "", strerror(-j->err));
		return;
	}
	fprintf(f, "rx judge: %llu of %llu judgeable %s accepted by the kernel's receive path, %llu rejected",
		(unsigned long long)j->accepted,
		(unsigned long long)(j->accepted + j->rejected),
		j->tso ? "segments of requests with offdiff's seed" :
			 "checksummed reference frames",
		(unsigned long long)j->rejected);
	fprintf(f, "; %llu %s in all, %llu not judgeable\n",
		(unsigned long long)j->frames,
		j->tso ? "such segments" : "checksummed frames",
		(unsigned long long)j->unjudgeable);
	for (i = 0; i < JUDGE_MAX_WHY && j->why[i]; i++)
		fprintf(f, "  not judgeable: %llu x %s\n", (unsigned long long)j->why_n[i], j->why[i]);
	if (j->rejected)
		fprintf(f, "rx judge: %llu derivation bug%s; reproducers in %s/rxjudge/\n",
			(unsigned long long)j->rejected, j->rejected == 1 ? "" : "s",
			j->dir ? j->dir : "(no report)");
	if (!j->tso)
		return;
	fprintf(f, "segment lengths: %llu of %llu segments consistent (IP lengths, IPv4 header checksum, UDP length)\n",
		(unsigned long long)(j->segs - j->segs_bad), (unsigned long long)j->segs);
	for (i = 0; i < JUDGE_MAX_WHY && j->len_why[i]; i++)
		fprintf(f, "  inconsistent: %llu x %s\n", (unsigned long long)j->len_why_n[i],
			j->len_why[i]);
	if (j->segs_bad)
		fprintf(f, "segment lengths: reproducers in %s/lengths/\n",
			j->dir ? j->dir : "(no report)");
}
