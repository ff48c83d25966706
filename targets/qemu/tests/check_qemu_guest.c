// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_qemu_guest.c - the qemu target's guest mode: one boot of the
 * Debian guest, tx-csum cases through its Linux e1000e driver and QEMU's
 * device.
 *
 * What is asserted is the kernel's, not QEMU's: a TCP or UDP checksum
 * request over IPv4 leaves with a checksum that verifies by RFC 1071 and
 * nothing else changed (QEMU 7.2 gets these right, docs/qemu-findings.md);
 * a frame without a request leaves byte for byte; a request whose
 * csum_start + csum_offset + 2 lies past the frame is refused at send()
 * with EINVAL (virtio_net_hdr_to_skb, include/linux/virtio_net.h); the
 * cases are not mixed up (each frame carries its case's payload); the
 * engine names the guest kernel and the mode.
 *
 * Needs root, qemu-system-x86_64 and the guest image (make
 * qemu-guest-image; CI builds it before make check). Without them the
 * suite prints why and passes: Check has no skip, and make check must not
 * download a kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_internal.h"
#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "qemu_guest_test_util.h"

#define ETH 14
#define NCASES 60

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ethernet / IPv4 10.0.0.1 -> 10.0.0.2 / TCP or UDP, `payload` bytes of
 * (i * 7 + tag), the L4 checksum field holding the pseudo-header seed the
 * stack leaves for CHECKSUM_PARTIAL. */
static uint32_t build4(uint8_t *b, uint8_t proto, uint32_t payload, uint8_t tag)
{
	uint32_t l4 = proto == 6 ? 20 : 8, len = ETH + 20 + l4 + payload, i;

	memset(b, 0, len);
	memcpy(b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", ETH);
	b[ETH] = 0x45;
	put16(b + ETH + 2, (uint16_t)(20 + l4 + payload));
	b[ETH + 8] = 64;
	b[ETH + 9] = proto;
	memcpy(b + ETH + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	put16(b + ETH + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(b + ETH, 20, 0)));
	put16(b + ETH + 20, 1000);
	put16(b + ETH + 22, 2000);
	if (proto == 6) {
		b[ETH + 32] = 0x50;
		b[ETH + 33] = 0x18;
		put16(b + ETH + 34, 0xffff);
	} else {
		put16(b + ETH + 24, (uint16_t)(8 + payload));
	}
	for (i = 0; i < payload; i++)
		b[ETH + 20 + l4 + i] = (uint8_t)(i * 7 + tag);
	put16(b + ETH + 20 + (proto == 6 ? 16 : 6),
	      ofd_test_fold(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + proto + l4 + payload));
	return len;
}

static bool l4_valid(const uint8_t *f, uint32_t len)
{
	uint32_t l4len = len - ETH - 20;
	uint32_t s = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + f[ETH + 9] + l4len;

	return ofd_test_fold(ofd_test_sum(f + ETH + 20, l4len, s)) == 0xffff;
}

static uint8_t frames[NCASES][200];
static struct ofd_pkt pkts[NCASES];
static struct ofd_case cases[NCASES];
static struct ofd_result *res[NCASES];

START_TEST(guest_txcsum)
{
	struct ofd_engine_opts o = { 0 };
	struct ofd_engine_info info;
	const char *why = qemu_guest_unavailable();
	char tally[400];
	void *priv;
	unsigned int i;

	if (why) {
		fprintf(stderr, "qemu_guest suite: not run: %s\n", why);
		return;
	}
	ck_assert_int_eq(ofd_qemu_guest_ops.open(&o, &priv), 0);
	ck_assert(qemu_guest_owns(priv));
	memset(&info, 0, sizeof(info));
	ofd_qemu_guest_ops.info(priv, &info);
	ck_assert_ptr_nonnull(strstr(info.version, "QEMU "));
	ck_assert_ptr_nonnull(strstr(info.version, "e1000e, guest mode, Linux "));
	/* the whole identity fits: nothing cut at the end */
	ck_assert_uint_lt(strlen(info.version), sizeof(info.version) - 1);
	for (i = 0; i < NCASES; i++) {
		uint8_t proto = i % 3 == 1 ? 17 : 6;

		pkts[i].len = build4(frames[i], proto, 40 + i, (uint8_t)i);
		pkts[i].data = frames[i];
		memset(&cases[i], 0, sizeof(cases[i]));
		cases[i].id = 1000 + i;
		cases[i].offload = OFD_OFFLOAD_TX_CSUM;
		cases[i].npkts = 1;
		cases[i].pkts = &pkts[i];
		if (i % 3 != 2) {
			cases[i].req.kind = OFD_REQ_VNET;
			cases[i].req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
			cases[i].req.vnet.csum_start = ETH + 20;
			cases[i].req.vnet.csum_offset = proto == 6 ? 16 : 6;
		}
		ck_assert_int_eq(ofd_result__new(1 << 20, &res[i]), 0);
		ofd_result_reset(res[i]);
	}
	/* The last case (a plain frame: 59 % 3 == 2) becomes a request whose
	 * checksum field ends past the frame. */
	cases[NCASES - 1].req.kind = OFD_REQ_VNET;
	cases[NCASES - 1].req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	cases[NCASES - 1].req.vnet.csum_start = (uint16_t)(pkts[NCASES - 1].len - 4);
	cases[NCASES - 1].req.vnet.csum_offset = 16;
	/* Two runs: the second streams into the same guest. */
	ck_assert_int_eq(ofd_qemu_guest_ops.run(priv, cases, res, NCASES / 2), 0);
	ck_assert_int_eq(ofd_qemu_guest_ops.run(priv, cases + NCASES / 2, res + NCASES / 2,
						NCASES / 2), 0);
	for (i = 0; i < NCASES - 1; i++) {
		const struct ofd_frame *f = &res[i]->frame[0];
		uint32_t csum_at = ETH + 20 + (i % 3 == 1 ? 6 : 16);
		uint8_t out[200];

		ck_assert_msg(res[i]->status == OFD_RES_OK, "case %u: status %u (%s)", i,
			      res[i]->status, res[i]->detail ? res[i]->detail : "");
		ck_assert_uint_eq(res[i]->nframes, 1);
		/* frames shorter than 60 bytes are padded by the device
		 * (TCTL.PSP): the case's bytes come first */
		ck_assert_uint_ge(f->len, pkts[i].len);
		ofd_frame_materialize(f, out);
		ck_assert_uint_eq(out[pkts[i].len - 1], pkts[i].data[pkts[i].len - 1]);
		if (i % 3 == 2) {
			ck_assert_mem_eq(out, pkts[i].data, pkts[i].len);
		} else {
			ck_assert_msg(l4_valid(out, pkts[i].len), "case %u: checksum 0x%02x%02x", i,
				      out[csum_at], out[csum_at + 1]);
			ck_assert_mem_eq(out, pkts[i].data, csum_at);
			ck_assert_mem_eq(out + csum_at + 2, pkts[i].data + csum_at + 2,
					 pkts[i].len - csum_at - 2);
		}
	}
	ck_assert_uint_eq(res[NCASES - 1]->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res[NCASES - 1]->stage, OFD_STAGE_SUBMIT);
	ck_assert_uint_eq(res[NCASES - 1]->reason, OFD_REASON_SEND_EINVAL);
	ck_assert_int_eq(res[NCASES - 1]->err, 22);
	ofd_qemu_guest_ops.tally(priv, tally, sizeof(tally));
	fprintf(stderr, "qemu_guest: %s\n", tally);
	ck_assert_ptr_nonnull(strstr(tally, "60 cases streamed"));
	ck_assert_ptr_nonnull(strstr(tally, " 0 foreign, 0 markers out of order, 1 refused"));
	for (i = 0; i < NCASES; i++)
		ofd_result__free(res[i]);
	ofd_qemu_guest_ops.close(priv);
}
END_TEST

/* ------------------------------------------------------------------ */
/* qemu_guest_agree: qtest mode against guest mode, case by case        */
/* ------------------------------------------------------------------ */

/*
 * The sample of specs/qemu-guest.yaml through both modes of the qemu
 * target, outputs compared byte for byte: where both ran a case they must
 * give the same frames (or both none). Needs the qtest mode (the qemu
 * engine, targets/qemu/qemu.c) besides what guest_txcsum needs, and takes
 * a minute: it runs when OFD_QEMU_GUEST_AGREE=1.
 */
static const struct {
	const char *file;
	enum ofd_offload off;
} sample[] = {
	{ "corpus/tx-csum/base.pcap", OFD_OFFLOAD_TX_CSUM },
	{ "corpus/tx-csum/ipv6-ext.pcap", OFD_OFFLOAD_TX_CSUM },
	{ "corpus/tx-csum/edge.pcap", OFD_OFFLOAD_TX_CSUM },
	{ "corpus/tx-csum/tunnels.pcap", OFD_OFFLOAD_TX_CSUM },
	{ "corpus/tx-csum/srh-final.pcap", OFD_OFFLOAD_TX_CSUM },
	{ "corpus/tso/base.pcap", OFD_OFFLOAD_TSO },
	{ "corpus/tso/ipv6-ext.pcap", OFD_OFFLOAD_TSO },
	{ "corpus/tso/edge.pcap", OFD_OFFLOAD_TSO },
};

#define AGREE_CHUNK 128

struct tallies {
	unsigned int cases, both, agree, only_qtest, only_guest, neither;
	unsigned int differ_frames, differ_status;
	unsigned int differ_tiny_mss; /* of those: TSO with gso_size < 8 */
	unsigned int differ_udp_gso;  /* and UDP GSO the guest kernel drops */
	unsigned int udp_gso_einval;  /* of those: refused by send() */
};

/*
 * Where the two modes differ, and why: TCP GSO with gso_size below 8.
 * The guest's kernel (Debian 6.1.0-56, 6.1.192) never hands a driver an
 * MSS below 8: with offloads off it makes 125 segments of 8 payload bytes
 * of a 1000-byte payload at gso_size 1, where the host's 6.18 (and the
 * model) make 1000 of 1 byte; with offloads on, QEMU 7.2's IP
 * "fragments" (docs/qemu-findings.md, class 5) come out 8 bytes long (128
 * for 1020 bytes of IP payload), so the driver was handed MSS 8. The
 * qtest mode writes the MSS of the request (1), which QEMU rounds down to
 * a fragment size of 0 and sends one frame. A payload of 2 bytes at
 * gso_size 1 is dropped by the guest kernel outright (in both offload
 * settings). Kernel versions differ here, not the descriptors: the qtest
 * mode is what a 6.18 driver would be handed.
 */
static bool tiny_mss(const struct ofd_case *c)
{
	return c->offload == OFD_OFFLOAD_TSO && c->req.vnet.gso_type != OFD_VNET_GSO_NONE &&
	       c->req.vnet.gso_size < 8;
}

/*
 * The other difference (igb only: e1000e has no UDP segmentation, the
 * qtest mode skips it there): UDP GSO (GSO_UDP_L4) requests the guest's
 * 6.1 kernel refuses at send() or drops before any driver, so the device
 * gets nothing; the host's 6.18 takes them (behind IPv6 extension headers,
 * and the edge corpus' gso_size 8948 or 65534 on one frame). The same
 * requests vanish with the guest's offloads off.
 */
static bool udp_gso_dropped(const struct ofd_case *c, const struct ofd_result *guest)
{
	return c->req.vnet.gso_type == OFD_VNET_GSO_UDP_L4 && guest->status == OFD_RES_REJECTED;
}

static bool same_output(const struct ofd_result *a, const struct ofd_result *b)
{
	uint32_t i;

	if (a->status != b->status)
		return false;
	if (a->status == OFD_RES_REJECTED)
		return true;
	if (a->nframes != b->nframes)
		return false;
	for (i = 0; i < a->nframes; i++)
		if (!ofd_frame_equal(&a->frame[i], &b->frame[i]))
			return false;
	return true;
}

static void compare_chunk(const struct ofd_case *c, struct ofd_result **rq, struct ofd_result **rg,
			  unsigned int n, struct tallies *t)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		bool q = rq[i]->status != OFD_RES_UNSUPPORTED, g = rg[i]->status != OFD_RES_UNSUPPORTED;

		t->cases++;
		if (!q || !g) {
			t->only_qtest += q && !g;
			t->only_guest += g && !q;
			t->neither += !q && !g;
			continue;
		}
		t->both++;
		if (same_output(rq[i], rg[i])) {
			t->agree++;
			continue;
		}
		if (rq[i]->status != rg[i]->status)
			t->differ_status++;
		else
			t->differ_frames++;
		if (tiny_mss(&c[i])) {
			t->differ_tiny_mss++;
			continue;
		}
		if (udp_gso_dropped(&c[i], rg[i])) {
			t->differ_udp_gso++;
			t->udp_gso_einval += rg[i]->stage == OFD_STAGE_SUBMIT && rg[i]->err == EINVAL;
			continue;
		}
		fprintf(stderr, "qemu_guest_agree: %s packet %u (%s, %s, gso %u/%u): qtest %u (%u frames), "
			"guest %u (%u frames%s%s)\n", c[i].src_file ? c[i].src_file : "?", c[i].src_index,
			ofd_offload_name(c[i].offload), c[i].req.kind == OFD_REQ_VNET ? "vnet" : "legacy",
			c[i].req.vnet.gso_type, c[i].req.vnet.gso_size, rq[i]->status, rq[i]->nframes,
			rg[i]->status, rg[i]->nframes, rg[i]->detail ? ": " : "",
			rg[i]->detail ? rg[i]->detail : "");
	}
}

START_TEST(modes_agree)
{
	const char *why = qemu_guest_unavailable(), *env = getenv("OFD_QEMU_GUEST_AGREE");
	/* OFD_QEMU_GUEST_DEVICE=igb and OFD_QEMU_GUEST_QEMU=PATH (a QEMU 8
	 * or later) compare the two modes on igb. */
	const char *dev = getenv("OFD_QEMU_GUEST_DEVICE"), *bin = getenv("OFD_QEMU_GUEST_QEMU");
	struct ofd_engine_param prm[2];
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO),
				     .params = prm };
	struct ofd_result *rq[AGREE_CHUNK], *rg[AGREE_CHUNK];
	struct tallies t = { 0 };
	struct ofd_engine *qt;
	uint32_t cap = ofd_cases_max_output(o.caps);
	char err[512];
	unsigned int f, i, k, n;
	void *g;

	if (!why && !ofd_engine_find("qemu"))
		why = "no qtest mode in this build (the qemu engine, targets/qemu/qemu.c)";
	if (!why && (!env || strcmp(env, "1")))
		why = "a minute of TCG: set OFD_QEMU_GUEST_AGREE=1";
	if (why) {
		fprintf(stderr, "qemu_guest_agree suite: not run: %s\n", why);
		return;
	}
	if (dev && *dev)
		prm[o.nparams++] = (struct ofd_engine_param){ "device", dev };
	if (bin && *bin)
		prm[o.nparams++] = (struct ofd_engine_param){ "qemu", bin };
	ck_assert_msg(ofd_engine__open("qemu", &o, &qt, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(ofd_qemu_guest_ops.open(&o, &g), 0);
	for (i = 0; i < AGREE_CHUNK; i++) {
		ck_assert_int_eq(ofd_result__new(cap, &rq[i]), 0);
		ck_assert_int_eq(ofd_result__new(cap, &rg[i]), 0);
	}
	for (f = 0; f < OFD_ARRAY_SIZE(sample); f++) {
		struct ofd_corpus corpus = { 0 };
		struct ofd_caseset set = { 0 };

		ck_assert_msg(ofd_corpus_load(&corpus, sample[f].file, err, sizeof(err)) == 0, "%s", err);
		ck_assert_msg(ofd_cases_derive(&corpus, OFD_CAP(sample[f].off), 3, NULL, &set, err,
					       sizeof(err)) == 0, "%s", err);
		for (k = 0; k < set.ncases; k += n) {
			n = set.ncases - k < AGREE_CHUNK ? set.ncases - k : AGREE_CHUNK;
			for (i = 0; i < n; i++) {
				ofd_result_reset(rq[i]);
				ofd_result_reset(rg[i]);
			}
			ck_assert_int_eq(qt->ops->run(qt->priv, set.cases + k, rq, n), 0);
			ck_assert_int_eq(ofd_qemu_guest_ops.run(g, set.cases + k, rg, n), 0);
			compare_chunk(set.cases + k, rq, rg, n, &t);
		}
		ofd_caseset_free(&set);
		ofd_corpus_free(&corpus);
	}
	fprintf(stderr, "qemu_guest_agree: %s: %u cases: %u run by both, %u agree, %u differ in frames, "
		"%u in verdict (%u of them TSO with gso_size < 8, %u UDP GSO the guest kernel drops, "
		"%u of those refused by send() with EINVAL); "
		"%u qtest only, %u guest only, %u neither\n", qt->info.version, t.cases, t.both, t.agree,
		t.differ_frames, t.differ_status, t.differ_tiny_mss, t.differ_udp_gso, t.udp_gso_einval, t.only_qtest,
		t.only_guest, t.neither);
	for (i = 0; i < AGREE_CHUNK; i++) {
		ofd_result__free(rq[i]);
		ofd_result__free(rg[i]);
	}
	ofd_qemu_guest_ops.close(g);
	ofd_engine__close(qt);
	ck_assert_uint_gt(t.both, 0);
	/* Every difference is one explained at tiny_mss() or udp_gso_dropped(). */
	ck_assert_uint_eq(t.agree + t.differ_tiny_mss + t.differ_udp_gso, t.both);
}
END_TEST

static Suite *qemu_guest_suite(void)
{
	Suite *s = suite_create("qemu_guest");
	TCase *tc = tcase_create("guest");

	/* One boot under TCG on a shared host: minutes, not seconds. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, guest_txcsum);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *qemu_guest_agree_suite(void)
{
	Suite *s = suite_create("qemu_guest_agree");
	TCase *tc = tcase_create("agree");

	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, modes_agree);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(qemu_guest_suite)
OFD_TEST_SUITE(qemu_guest_agree_suite)
