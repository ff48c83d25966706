// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_bigtcp.c - BIG TCP frames through both references (issue 13 item 5).
 *
 * Expected values are the live kernel's (probed on 6.18.44, ofd_kpath in
 * ofd.h): a tap's MTU is at most 65521; packet_snd refuses non-GSO frames
 * over MTU + 14 (+ 4 for 802.1Q only) with EMSGSIZE; a legacy TCP request
 * gets through as a too-small-for-GSO TCPV4 request up to csum_start + 20 +
 * 65534 bytes; longer frames cannot reach the kernel through a tap.
 *
 * Cases:
 *  - engines: each row runs on the model, and on the kernel engine when it
 *    can run here (root; otherwise the kernel half says why and passes):
 *    status, reason, stage, the UNSUPPORTED reason text, and for accepted
 *    rows a TCP checksum that verifies under a naive RFC 1071 sum with the
 *    32-bit length in the pseudo-header (RFC 2675 4); model and kernel
 *    outputs are byte-equal;
 *  - e2e: a capture of BIG TCP frames (IPv4 tot_len 0, IPv6 jumbo, VXLAN
 *    around IPv6 jumbo, 65535..100000 bytes) written with libpcap, run as
 *    `offdiff run SPEC --reference kernel --target model` and as
 *    `offdiff selfcheck --corpus`: no discrepancy, no one-sided rejection,
 *    the unsupported count as the rows predict, and the reason in the
 *    debug log (OFD_LOG_LEVEL=debug).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_pktbuild.h"
#include "ofd_run.h"
#include "ofd_test.h"

#define CAP (140 * 1024)
#define ARENA (80 * 1024)

enum tag { T_NONE, T_8021Q, T_QINQ };

static const struct row {
	const char *name;
	enum ofd_test_big shape;
	enum tag tag;
	uint32_t len;
	uint8_t kind;   /* enum ofd_req_kind */
	uint8_t status; /* enum ofd_res_status */
	uint8_t reason; /* for REJECTED (always at submit, EMSGSIZE) */
} rows[] = {
	/* the largest non-GSO frame a 65521-MTU tap takes */
	{ "v4 65535 vnet", OFD_TEST_BIG_V4, T_NONE, 65535, OFD_REQ_VNET, OFD_RES_OK, 0 },
	{ "v4 65535 legacy", OFD_TEST_BIG_V4, T_NONE, 65535, OFD_REQ_LEGACY, OFD_RES_OK, 0 },
	/* a VNET request is userspace input: the kernel's own MTU rule */
	{ "v4 65536 vnet", OFD_TEST_BIG_V4, T_NONE, 65536, OFD_REQ_VNET,
	  OFD_RES_REJECTED, OFD_REASON_FRAME_TOO_LONG },
	{ "v4 70054 vnet", OFD_TEST_BIG_V4, T_NONE, 70054, OFD_REQ_VNET,
	  OFD_RES_REJECTED, OFD_REASON_FRAME_TOO_LONG },
	/* 802.1Q gets 4 more bytes, 802.1ad does not */
	{ "8021q 65539 vnet", OFD_TEST_BIG_V4, T_8021Q, 65539, OFD_REQ_VNET, OFD_RES_OK, 0 },
	{ "8021q 65540 vnet", OFD_TEST_BIG_V4, T_8021Q, 65540, OFD_REQ_VNET,
	  OFD_RES_REJECTED, OFD_REASON_FRAME_TOO_LONG },
	{ "qinq 65539 vnet", OFD_TEST_BIG_V4, T_QINQ, 65539, OFD_REQ_VNET,
	  OFD_RES_REJECTED, OFD_REASON_FRAME_TOO_LONG },
	/* legacy TCP up to csum_start + 65554: IPv4 BIG TCP, tot_len 0 */
	{ "v4 65588 legacy", OFD_TEST_BIG_V4, T_NONE, 65588, OFD_REQ_LEGACY, OFD_RES_OK, 0 },
	{ "v4 65589 legacy", OFD_TEST_BIG_V4, T_NONE, 65589, OFD_REQ_LEGACY,
	  OFD_RES_UNSUPPORTED, 0 },
	/* IPv6 jumbogram: csum_start 62 */
	{ "v6 65616 legacy", OFD_TEST_BIG_V6, T_NONE, 65616, OFD_REQ_LEGACY, OFD_RES_OK, 0 },
	{ "v6 65617 legacy", OFD_TEST_BIG_V6, T_NONE, 65617, OFD_REQ_LEGACY,
	  OFD_RES_UNSUPPORTED, 0 },
	/* VXLAN/IPv4 around an IPv6 jumbogram: csum_start 112 */
	{ "vxlan 65666 legacy", OFD_TEST_BIG_VXLAN, T_NONE, 65666, OFD_REQ_LEGACY, OFD_RES_OK, 0 },
	{ "vxlan 65667 legacy", OFD_TEST_BIG_VXLAN, T_NONE, 65667, OFD_REQ_LEGACY,
	  OFD_RES_UNSUPPORTED, 0 },
	{ "v4 70054 legacy", OFD_TEST_BIG_V4, T_NONE, 70054, OFD_REQ_LEGACY,
	  OFD_RES_UNSUPPORTED, 0 },
	{ "v6 100000 legacy", OFD_TEST_BIG_V6, T_NONE, 100000, OFD_REQ_LEGACY,
	  OFD_RES_UNSUPPORTED, 0 },
};

/* A tagged IPv4/TCP frame of len bytes (tot_len fits: len <= 65539). */
static void tagged(uint8_t *f, enum tag tag, uint32_t len)
{
	uint32_t hdrs = 14 + (tag == T_QINQ ? 8 : 4) + 20 + 20;
	struct ofd_pktb b;

	ofd_pktb_init(&b, f, CAP);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (tag == T_QINQ)
		ofd_pktb_qinq(&b, 100, 0);
	ofd_pktb_vlan(&b, 5, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	ofd_pktb_payload(&b, len - hdrs);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
}

/* Frame + derived request, as a tx-csum corpus case is made. */
static void make_case(const struct row *r, uint8_t *f, struct ofd_pkt *pkt,
		      struct ofd_case *c)
{
	uint8_t *orig = malloc(CAP);

	ck_assert_ptr_nonnull(orig);
	if (r->tag == T_NONE)
		ck_assert_int_eq(ofd_test_bigtcp(r->shape, r->len, orig, CAP), 0);
	else
		tagged(orig, r->tag, r->len);
	memcpy(f, orig, r->len);
	memset(c, 0, sizeof(*c));
	ck_assert_int_eq(ofd_txcsum_request(orig, r->len, r->kind, &c->req, f), 0);
	free(orig);
	pkt->data = f;
	pkt->len = r->len;
	pkt->flags = 0;
	c->offload = OFD_OFFLOAD_TX_CSUM;
	c->npkts = 1;
	c->pkts = pkt;
}

static uint32_t naive(const uint8_t *p, uint32_t n, uint32_t acc)
{
	uint32_t k;

	for (k = 0; k < n; k += 32768)
		acc = ofd_test_fold(ofd_test_sum(p + k, n - k < 32768 ? n - k : 32768,
						 acc));
	return acc;
}

/* The TCP checksum verifies: RFC 8200 8.1 / RFC 793 pseudo-header with the
 * 32-bit L4 length (both halves, RFC 2675 4), summed naively. */
static void assert_tcp_valid(const uint8_t *f, uint32_t len)
{
	struct ofd_parsed p;
	const struct ofd_layer *t, *ip;
	uint32_t L, acc;

	ofd_parse(f, len, 0, &p);
	ck_assert_int_ge(p.l4, 0);
	t = &p.layer[p.l4];
	ip = &p.layer[p.l3];
	L = len - t->off;
	if (ip->proto == OFD_P_IPV4)
		acc = naive(f + ip->off + 12, 8, 0);
	else
		acc = naive(f + ip->off + 8, 32, 0);
	acc = ofd_test_fold(acc + 6 + (L >> 16) + (L & 0xffff));
	ck_assert_uint_eq(ofd_test_fold(naive(f + t->off, L, acc)), 0xffff);
}

static bool kernel_here(void)
{
	const struct ofd_engine_ops *k = ofd_engine_find("kernel");
	char why[256];

	if (k && k->probe && k->probe(why, sizeof(why)) == 0)
		return true;
	fprintf(stderr, "bigtcp: kernel half not run: %s\n", k ? why : "no kernel engine");
	return false;
}

static void run_one(const char *engine, const struct ofd_case *c,
		    struct ofd_result *res)
{
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	struct ofd_result *const rs[1] = { res };
	struct ofd_engine *e;
	char msg[256];

	ck_assert_msg(ofd_engine__open(engine, &eo, &e, msg, sizeof(msg)) == 0,
		      "%s: %s", engine, msg);
	ofd_result_reset(res);
	ck_assert_int_eq(e->ops->run(e->priv, c, rs, 1), 0);
	ofd_engine__close(e);
}

static void check_result(const struct row *r, const char *who,
			 const struct ofd_result *res)
{
	uint8_t *out;

	ck_assert_msg(res->status == r->status, "%s on %s: status %u, detail %s",
		      who, r->name, res->status, res->detail ? res->detail : "");
	switch (r->status) {
	case OFD_RES_OK:
		ck_assert_uint_eq(res->nframes, 1);
		ck_assert_uint_eq(res->frame[0].len, r->len);
		out = malloc(r->len);
		ck_assert_ptr_nonnull(out);
		ofd_frame_materialize(&res->frame[0], out);
		assert_tcp_valid(out, r->len);
		free(out);
		break;
	case OFD_RES_REJECTED:
		ck_assert_uint_eq(res->reason, r->reason);
		ck_assert_uint_eq(res->stage, OFD_STAGE_SUBMIT);
		ck_assert_int_eq(res->err, EMSGSIZE);
		break;
	case OFD_RES_UNSUPPORTED:
		ck_assert_ptr_nonnull(res->detail);
		ck_assert_str_eq(res->detail, OFD_KPATH_WHY);
		ck_assert(strstr(res->detail, "BIG TCP"));
		break;
	}
}

START_TEST(engines_agree)
{
	const struct row *r = &rows[_i];
	uint8_t *f = malloc(CAP);
	struct ofd_result *m, *k;
	struct ofd_pkt pkt;
	struct ofd_case c;

	ck_assert_ptr_nonnull(f);
	make_case(r, f, &pkt, &c);
	ck_assert_int_eq(ofd_result__new(ARENA, &m), 0);
	ck_assert_int_eq(ofd_result__new(ARENA, &k), 0);
	run_one("model", &c, m);
	check_result(r, "model", m);
	if (kernel_here()) {
		run_one("kernel", &c, k);
		check_result(r, "kernel", k);
		ck_assert_uint_eq(ofd_diff_quick(k, m, OFD_F_REFERENCE),
				  r->status == OFD_RES_OK ? OFD_V_EQUAL :
				  r->status == OFD_RES_REJECTED ? OFD_V_BOTH_REJECTED :
				  OFD_V_UNSUPPORTED);
	}
	ofd_result__free(m);
	ofd_result__free(k);
	free(f);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The CLI on a BIG TCP capture                                        */
/* ------------------------------------------------------------------ */

static char dir[64];

static void setup(void)
{
	ofd_test_mkdtemp(dir, sizeof(dir), "bigtcp");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The untagged rows as a capture; *unsup gets how many legacy cases the
 * rows say are unsupported, *rejected how many cases both reject. */
static void write_capture(const char *path, unsigned int *unsup,
			  unsigned int *rejected, unsigned int *frames)
{
	struct ofd_pcap_writer *w;
	uint8_t *f = malloc(CAP);
	unsigned int i;

	ck_assert_ptr_nonnull(f);
	*unsup = *rejected = *frames = 0;
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	for (i = 0; i < OFD_ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];

		/* One frame per length; the spec asks for both kinds. */
		if (r->tag != T_NONE || r->kind != OFD_REQ_LEGACY)
			continue;
		ck_assert_int_eq(ofd_test_bigtcp(r->shape, r->len, f, CAP), 0);
		ck_assert_int_eq(ofd_pcap_writer__write(w, f, r->len, i), 0);
		(*frames)++;
		*unsup += r->status == OFD_RES_UNSUPPORTED;
		/* the VNET request of every frame over 65535 bytes */
		*rejected += r->len > 65535;
	}
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	free(f);
}

START_TEST(cli_kernel_vs_model)
{
	char pcap[128], spec[128], want[128], *text;
	unsigned int unsup, rej, frames;
	FILE *sf;
	int rc;

	snprintf(pcap, sizeof(pcap), "%s/bigtcp.pcap", dir);
	snprintf(spec, sizeof(spec), "%s/bigtcp.yaml", dir);
	write_capture(pcap, &unsup, &rej, &frames);
	sf = fopen(spec, "w");
	ck_assert_ptr_nonnull(sf);
	fprintf(sf, "name: bigtcp\nreference: kernel\noffloads: [tx-csum]\n"
		    "requests: [vnet, legacy]\ncorpus:\n  - %s\n"
		    "targets:\n  - engine: model\n", pcap);
	fclose(sf);

	rc = ofd_test_run(&text, true,
			  "OFD_LOG_LEVEL=debug %s run %s --reference kernel --target model --out %s",
			  ofd_test_offdiff(), spec, dir);
	if (rc == 3) {
		fprintf(stderr, "bigtcp e2e: kernel unavailable, skipped: %s", text);
		free(text);
		return;
	}
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	/* target, cases, equal, discrep, rej/rej, one-rej, skipped */
	snprintf(want, sizeof(want), "model %u %u 0 %u 0 %u", 2 * frames,
		 2 * frames - rej - unsup, rej, unsup);
	{
		char *line = strstr(text, "\nmodel "), got[128];
		unsigned int v[6];

		ck_assert_msg(line != NULL, "%s", text);
		ck_assert_int_eq(sscanf(line + 7, "%u %u %u %u %u %u", &v[0], &v[1],
					&v[2], &v[3], &v[4], &v[5]), 6);
		snprintf(got, sizeof(got), "model %u %u %u %u %u %u", v[0], v[1],
			 v[2], v[3], v[4], v[5]);
		ck_assert_msg(!strcmp(got, want), "want %s, got %s: %s", want, got, text);
	}
	ck_assert_msg(strstr(text, "unsupported: " OFD_KPATH_WHY), "%s", text);
	free(text);

	rc = ofd_test_run(&text, true, "%s selfcheck --corpus %s --out %s",
			  ofd_test_offdiff(), pcap, dir);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_msg(strstr(text, ", 0 disagreements"), "%s", text);
	snprintf(want, sizeof(want), "%u skipped", unsup);
	ck_assert_msg(strstr(text, want), "%s", text);
	free(text);
}
END_TEST

static Suite *bigtcp_suite(void)
{
	Suite *s = suite_create("bigtcp");
	TCase *tc = tcase_create("engines");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, engines_agree, 0, OFD_ARRAY_SIZE(rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("e2e");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cli_kernel_vs_model);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(bigtcp_suite)
