// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rx_csum_kernel.c - the rx-csum model's per-layer checksum validity
 * against the running kernel's receive path: what `offdiff selfcheck -f
 * rx-csum` runs (harness/cli/selfcheck.c) and the model_rx_csum_kernel
 * suite asserts.
 *
 * The kernel engine is no rx-csum reference to diff against: through its
 * tap it reports GRO's conclusion (kernel.c: DATA_VALID when GRO verified
 * the outermost checksum), with no csum_level, no COMPLETE value, and
 * padded frames left unverified (kernel-rx.md 7.4). What the kernel can
 * decide is whether each checksum is right, in its protocol handlers: the
 * receive-side counter judge (oracles/kernel/rxjudge.c) hands it a frame
 * and reads InCsumErrors or the counter after a passed check. So for
 * every case frame:
 *  - the innermost TCP/UDP checksum: the frame up to the end of its IP
 *    datagram (the receiver trims the padding; the judge would sum it),
 *    the judge stripping the outer headers;
 *  - each outer UDP checksum of a VXLAN/GENEVE frame: the destination port
 *    moved off the tunnel's (the checksum updated incrementally, RFC 1624
 *    eqn. 3, which keeps a right checksum right and a wrong one wrong), so
 *    the judge judges that checksum as a plain datagram's.
 * The model's VALID must be accepted, BAD and ZERO_UDP6 rejected,
 * UNVERIFIABLE and ZERO (an IPv4 UDP checksum of 0: no checksum) not
 * judgeable. GRE checksums (no GRE handler in a kernel without
 * CONFIG_NET_IPGRE_DEMUX) and SCTP (no CONFIG_IP_SCTP) are not asked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_kernel.h"
#include "ofd_parse.h"
#include "ofd_rx_csum.h"

#define FCAP 65536u

struct rxc_job {
	uint8_t *buf;
	uint32_t len;
	uint8_t status;   /* the model's enum ofd_rxcsum_status */
	bool outer;
	uint64_t id;      /* the case */
};

struct rxc_batch {
	struct rxc_job job[OFD_RXJ_MANY];
	struct ofd_frame fr[OFD_RXJ_MANY];
	const struct ofd_frame *fp[OFD_RXJ_MANY];
	enum ofd_rxjudge v[OFD_RXJ_MANY];
	const char *why[OFD_RXJ_MANY];
	unsigned int n;
};

/* RFC 1624 eqn. 3: field hc after a 16-bit word changes from m to m2;
 * never 0, which is "no checksum" to UDP (-0 is the same sum). */
static uint16_t incr(uint16_t hc, uint16_t m, uint16_t m2)
{
	uint32_t s = (uint16_t)~hc + (uint32_t)(uint16_t)~m + m2;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (uint16_t)~s;
	return s ? (uint16_t)s : 0xffff;
}

static enum ofd_rxjudge want_of(uint8_t status)
{
	switch (status) {
	case OFD_RXCSUM_VALID:
		return OFD_RXJ_ACCEPTED;
	case OFD_RXCSUM_BAD:
	case OFD_RXCSUM_ZERO_UDP6:
		return OFD_RXJ_REJECTED;
	default:
		return OFD_RXJ_UNJUDGEABLE;
	}
}

static int flush(struct ofd_engine *kernel, struct rxc_batch *b, FILE *info,
		 struct ofd_rxcsum_kcheck *r)
{
	unsigned int i;
	int err;

	if (!b->n)
		return 0;
	for (i = 0; i < b->n; i++) {
		b->fr[i].base = b->job[i].buf;
		b->fr[i].len = b->job[i].len;
		b->fr[i].npatches = 0;
		b->fr[i].tail = NULL;
		b->fr[i].tail_len = 0;
		b->fp[i] = &b->fr[i];
	}
	err = ofd_kernel_rx_judge_many(kernel, b->fp, b->n, b->v, b->why);
	if (err)
		return err;
	for (i = 0; i < b->n; i++) {
		const struct rxc_job *j = &b->job[i];

		r->n++;
		r->outer += j->outer;
		r->accepted += b->v[i] == OFD_RXJ_ACCEPTED;
		r->rejected += b->v[i] == OFD_RXJ_REJECTED;
		r->unjudgeable += b->v[i] == OFD_RXJ_UNJUDGEABLE;
		if (b->v[i] == want_of(j->status)) {
			r->agree++;
			continue;
		}
		if (info && r->n - r->agree <= 20)
			fprintf(info, "rx-csum: case %llu, %s checksum: model %s, kernel %s%s%s\n",
				(unsigned long long)j->id, j->outer ? "outer UDP" : "innermost",
				ofd_rx_csum_status_name((enum ofd_rxcsum_status)j->status),
				ofd_rxjudge_name(b->v[i]), b->why[i] ? ": " : "",
				b->why[i] ? b->why[i] : "");
	}
	b->n = 0;
	return 0;
}

/* Queue frame f[0, len) as a job (room checked by the caller). */
static struct rxc_job *queue(struct rxc_batch *b, const uint8_t *f, uint32_t len,
			     uint8_t status, bool outer, uint64_t id)
{
	struct rxc_job *j = &b->job[b->n++];

	memcpy(j->buf, f, len);
	j->len = len;
	j->status = status;
	j->outer = outer;
	j->id = id;
	return j;
}

int ofd_rx_csum_kernel_check(struct ofd_engine *kernel, const struct ofd_case *cases,
			     uint32_t ncases, FILE *info, struct ofd_rxcsum_kcheck *r)
{
	struct rxc_batch *b;
	uint32_t c;
	unsigned int i, k;
	int err = 0;

	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (i = 0; i < OFD_RXJ_MANY; i++) {
		b->job[i].buf = malloc(FCAP);
		if (!b->job[i].buf) {
			err = -ENOMEM;
			goto out;
		}
	}
	for (c = 0; c < ncases && !err; c++) {
		const uint8_t *f;
		struct ofd_rxcsum a;
		struct ofd_parsed p;
		int inner = -1;

		if (cases[c].npkts != 1 || !cases[c].pkts || !cases[c].pkts[0].data)
			continue;
		f = cases[c].pkts[0].data;
		ofd_rx_csum_analyse(f, cases[c].pkts[0].len, &a);
		if (a.l3_end > FCAP)
			continue;
		/* room for the innermost and every outer layer */
		if (b->n + a.n + 1 > OFD_RXJ_MANY && (err = flush(kernel, b, info, r)))
			break;
		/* The judge strips to the innermost IP and judges its L4: ask
		 * only when that is this TCP/UDP layer (not SCTP or ICMP
		 * inside a tunnel whose outer UDP is the last layer here). */
		ofd_parse(f, cases[c].pkts[0].len, 0, &p);
		if (a.n && p.l4 >= 0 && a.layer[a.n - 1].off == p.layer[p.l4].off &&
		    (a.layer[a.n - 1].proto == OFD_P_TCP || a.layer[a.n - 1].proto == OFD_P_UDP))
			inner = (int)a.n - 1;
		if (inner >= 0)
			queue(b, f, a.l3_end, a.layer[inner].status, false, cases[c].id);
		for (k = 0; k + 1 < a.n; k++) {
			const struct ofd_rxcsum_layer *l = &a.layer[k];
			struct rxc_job *j;
			uint16_t dport, ck;

			if (l->proto != OFD_P_UDP || l->depth || l->off + 8 > a.l3_end)
				continue;
			j = queue(b, f, a.l3_end, l->status, true, cases[c].id);
			dport = (uint16_t)(j->buf[l->off + 2] << 8 | j->buf[l->off + 3]);
			ck = (uint16_t)(j->buf[l->off + 6] << 8 | j->buf[l->off + 7]);
			/* port 9 (discard): no tunnel socket behind it */
			j->buf[l->off + 2] = 0;
			j->buf[l->off + 3] = 9;
			if (ck) {
				ck = incr(ck, dport, 9);
				j->buf[l->off + 6] = (uint8_t)(ck >> 8);
				j->buf[l->off + 7] = (uint8_t)ck;
			}
		}
	}
	if (!err)
		err = flush(kernel, b, info, r);
out:
	for (i = 0; i < OFD_RXJ_MANY; i++)
		free(b->job[i].buf);
	free(b);
	return err;
}
