// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_rx_csum_kernel.c - the rx-csum model's per-layer validity
 * against the running kernel's receive path, on the whole bundled rx-csum
 * corpus.
 *
 * The kernel engine cannot be rx-csum's reference: through its tap it
 * reports GRO's conclusion (DATA_VALID when GRO verified the outermost
 * checksum, kernel.c), with no csum_level and no COMPLETE value, and GRO
 * leaves padded frames unverified (kernel-rx.md 7.4). What the kernel can
 * say is whether each checksum is right, as its protocol handler decides:
 * the receive-side counter judge (oracles/kernel/rxjudge.c,
 * ofd_kernel_rx_judge) writes a frame into a tap of the engine's
 * namespace where every address is local and reads InCsumErrors or the
 * counter after a passed check. So for every corpus frame:
 *  - the innermost TCP/UDP checksum: the frame with its padding removed
 *    (the receiver's IP trims it anyway, and the judge would otherwise
 *    count it) goes to the judge, which strips the outer headers;
 *  - each outer UDP checksum of a VXLAN/GENEVE frame: the same frame with
 *    the tunnel's destination port moved off 4789/6081 (the checksum
 *    updated incrementally, RFC 1624 eqn. 3, which keeps a right checksum
 *    right and a wrong one wrong by the same amount), so the judge sees a
 *    plain UDP datagram and judges that checksum.
 * The model's VALID must be ACCEPTED, BAD and ZERO_UDP6 (an IPv6 UDP
 * checksum of 0, which udpv6 counts as a checksum error without a socket
 * that opted in) REJECTED, UNVERIFIABLE (fragments) unjudgeable. An IPv4
 * UDP checksum of 0 (ZERO) is no checksum: the judge says so (not
 * judgeable); that the stack accepts it and consumes a csum_level for it
 * (zero_okay) is kernel-rx.md 4's, asserted in model_rx_csum. GRE checksums have no handler in
 * the test kernel (CONFIG_NET_IPGRE_DEMUX off) and SCTP none at all: not
 * asked. Without root, or when the kernel engine cannot run here, the test
 * says why and passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_kernel.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_rx_csum.h"
#include "ofd_test.h"

extern const struct ofd_engine_ops ofd_engine_kernel;

#define MAXJ 1024
#define FCAP 4096

struct job {
	uint8_t buf[FCAP];
	uint32_t len;
	uint8_t status;      /* the model's enum ofd_rxcsum_status */
	char name[96];
};

static struct ofd_engine *open_kernel(void)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	struct ofd_engine *e = NULL;
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "model_rx_csum_kernel: not run: %s\n", why);
		return NULL;
	}
	ck_assert_int_eq(ofd_engine__open("kernel", &o, &e, why, sizeof(why)), 0);
	return e;
}

/* RFC 1624 eqn. 3: field HC after a 16-bit word changes from m to m'. */
static uint16_t incr(uint16_t hc, uint16_t m, uint16_t m2)
{
	uint32_t s = (uint16_t)~hc + (uint32_t)(uint16_t)~m + m2;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (uint16_t)~s;
	/* 0 is "no checksum" to UDP: -0 is the same sum */
	return s ? (uint16_t)s : 0xffff;
}

static bool add_job(struct job *jobs, unsigned int *n, const uint8_t *f, uint32_t len,
		    uint8_t status, const char *src, uint32_t idx, const char *what)
{
	struct job *j;

	if (*n >= MAXJ || len > FCAP)
		return false;
	j = &jobs[(*n)++];
	memcpy(j->buf, f, len);
	j->len = len;
	j->status = status;
	snprintf(j->name, sizeof(j->name), "%s #%u %s", src, idx, what);
	return true;
}

START_TEST(model_rx_csum_kernel_corpus)
{
	static const char *const files[] = {
		OFD_TEST_ROOT "/corpus/rx-csum/plain.pcap",
		OFD_TEST_ROOT "/corpus/rx-csum/tunnels.pcap",
	};
	struct ofd_engine *e = open_kernel();
	struct job *jobs;
	const struct ofd_frame **fp;
	struct ofd_frame *fr;
	enum ofd_rxjudge *v;
	const char **why;
	unsigned int n = 0, i, k, agree = 0, acc = 0, rej = 0, unj = 0, outer = 0;
	char err[256];

	if (!e)
		return;
	jobs = calloc(MAXJ, sizeof(*jobs));
	fp = calloc(MAXJ, sizeof(*fp));
	fr = calloc(MAXJ, sizeof(*fr));
	v = calloc(MAXJ, sizeof(*v));
	why = calloc(MAXJ, sizeof(*why));
	ck_assert(jobs && fp && fr && v && why);
	for (i = 0; i < OFD_ARRAY_SIZE(files); i++) {
		struct ofd_corpus c = { 0 };
		uint32_t p;

		ck_assert_msg(!ofd_corpus_load(&c, files[i], err, sizeof(err)), "%s", err);
		for (p = 0; p < c.npkts; p++) {
			const uint8_t *f = c.pkts[p].data;
			struct ofd_rxcsum a;
			int inner = -1;

			ofd_rx_csum_analyse(f, c.pkts[p].len, &a);
			for (k = 0; k < a.n; k++)
				if (a.layer[k].proto == OFD_P_TCP || a.layer[k].proto == OFD_P_UDP)
					inner = (int)k;
			/* the innermost TCP/UDP checksum */
			if (inner >= 0)
				ck_assert(add_job(jobs, &n, f, a.l3_end, a.layer[inner].status,
						  files[i], p, "innermost"));
			/* outer UDP tunnel checksums, judged as plain UDP */
			for (k = 0; k + 1 < a.n; k++) {
				const struct ofd_rxcsum_layer *l = &a.layer[k];
				struct job *j;
				uint16_t dport, ck;

				if (l->proto != OFD_P_UDP || l->depth ||
				    !add_job(jobs, &n, f, a.l3_end, l->status, files[i], p,
					     "outer udp"))
					continue;
				j = &jobs[n - 1];
				dport = (uint16_t)(j->buf[l->off + 2] << 8 | j->buf[l->off + 3]);
				ck = (uint16_t)(j->buf[l->off + 6] << 8 | j->buf[l->off + 7]);
				j->buf[l->off + 2] = 0x00;
				j->buf[l->off + 3] = 0x09; /* discard: no tunnel there */
				if (ck) {
					ck = incr(ck, dport, 9);
					j->buf[l->off + 6] = (uint8_t)(ck >> 8);
					j->buf[l->off + 7] = (uint8_t)ck;
				}
				outer++;
			}
		}
		ofd_corpus_free(&c);
	}
	for (i = 0; i < n; i++) {
		fr[i].base = jobs[i].buf;
		fr[i].len = jobs[i].len;
		fp[i] = &fr[i];
	}
	ck_assert_int_eq(ofd_kernel_rx_judge_many(e, fp, n, v, why), 0);
	for (i = 0; i < n; i++) {
		enum ofd_rxjudge want;

		switch (jobs[i].status) {
		case OFD_RXCSUM_VALID:
			want = OFD_RXJ_ACCEPTED;
			break;
		case OFD_RXCSUM_BAD:
		case OFD_RXCSUM_ZERO_UDP6:
			want = OFD_RXJ_REJECTED;
			break;
		default:
			want = OFD_RXJ_UNJUDGEABLE;
			break;
		}
		acc += v[i] == OFD_RXJ_ACCEPTED;
		rej += v[i] == OFD_RXJ_REJECTED;
		unj += v[i] == OFD_RXJ_UNJUDGEABLE;
		if (v[i] == want)
			agree++;
		else
			fprintf(stderr, "model_rx_csum_kernel: %s: model %s, kernel %s%s%s\n",
				jobs[i].name,
				ofd_rx_csum_status_name((enum ofd_rxcsum_status)jobs[i].status),
				ofd_rxjudge_name(v[i]), why[i] ? ": " : "", why[i] ? why[i] : "");
	}
	fprintf(stderr, "model_rx_csum_kernel: %u checksums (%u outer UDP), %u agree: "
		"kernel accepted %u, rejected %u, unjudgeable %u\n", n, outer, agree, acc,
		rej, unj);
	/* Both verdicts occur, so agreement is not vacuous. */
	ck_assert_uint_gt(acc, 100);
	ck_assert_uint_gt(rej, 50);
	ck_assert_uint_gt(outer, 20);
	ck_assert_uint_eq(agree, n);
	free(jobs);
	free(fp);
	free(fr);
	free(v);
	free(why);
	ofd_engine__close(e);
}
END_TEST

static Suite *model_rx_csum_kernel_suite(void)
{
	Suite *s = suite_create("model_rx_csum_kernel");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, model_rx_csum_kernel_corpus);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_rx_csum_kernel_suite)
