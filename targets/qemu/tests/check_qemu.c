// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_qemu.c - the qemu target.
 *
 * qemu_plan (runs everywhere): the descriptors e1000e_plan.c writes are
 * the Linux e1000e driver's, field by field: struct e1000_context_desc
 * (drivers/net/ethernet/intel/e1000e/hw.h; 82574 datasheet 7.2.10.1) as
 * e1000_tx_csum and e1000_tso fill it, the command bits of hw.h
 * (E1000_TXD_CMD_DEXT 0x20000000, _TSE 0x04000000, _TCP 0x01000000, _IP
 * 0x02000000, E1000_TXD_DTYP_D 0x00100000, POPTS IXSM 1, TXSM 2), the
 * header bytes e1000_tso rewrites, and the requests the kernel never hands
 * the driver.
 *
 * qemu (needs qemu-system-x86_64 and root): a real QEMU e1000e in qtest
 * mode finishes TCP and UDP checksums that verify by RFC 1071, leaves a
 * frame without a request untouched, keeps 300 cases (more than one ring)
 * apart, and names itself. When QEMU is not installed or we are not root
 * the suite prints why and passes (Check has no skip; CI installs QEMU).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_test.h"
#include "qemu_internal.h"

#define ETH 14
#define SRC4 0x0a000001u /* 10.0.0.1 */
#define DST4 0x0a000002u /* 10.0.0.2 */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ethernet / IPv4 / TCP (proto 6) or UDP (17) with `payload` bytes of
 * (i * 7 + tag) & 0xff, the L4 checksum field holding the pseudo-header
 * seed as the stack leaves it for CHECKSUM_PARTIAL (kernel-tx.md 1). */
static uint32_t build4(uint8_t *b, uint8_t proto, uint32_t payload, uint8_t tag)
{
	uint32_t l4 = proto == 6 ? 20 : 8, len = ETH + 20 + l4 + payload, i;

	memset(b, 0, len);
	memcpy(b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", ETH);
	b[ETH] = 0x45;
	put16(b + ETH + 2, (uint16_t)(20 + l4 + payload));
	put16(b + ETH + 4, 0x1234);
	b[ETH + 8] = 64;
	b[ETH + 9] = proto;
	put32(b + ETH + 12, SRC4);
	put32(b + ETH + 16, DST4);
	put16(b + ETH + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(b + ETH, 20, 0)));
	put16(b + ETH + 20, 1000);
	put16(b + ETH + 22, 2000);
	if (proto == 6) {
		put32(b + ETH + 24, 100000);
		b[ETH + 32] = 0x50;
		b[ETH + 33] = 0x18;
		put16(b + ETH + 34, 0xffff);
	} else {
		put16(b + ETH + 24, (uint16_t)(8 + payload));
	}
	for (i = 0; i < payload; i++)
		b[ETH + 20 + l4 + i] = (uint8_t)(i * 7 + tag);
	/* seed: fold(saddr + daddr + proto + L4 length) */
	put16(b + ETH + 20 + (proto == 6 ? 16 : 6),
	      ofd_test_fold(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + proto + l4 + payload));
	return len;
}

static void csum_req(struct ofd_case *c, uint8_t proto)
{
	memset(&c->req, 0, sizeof(c->req));
	c->req.kind = OFD_REQ_VNET;
	c->req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	c->req.vnet.csum_start = ETH + 20;
	c->req.vnet.csum_offset = proto == 6 ? 16 : 6;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ------------------------------------------------------------------ */
/* qemu_plan                                                           */
/* ------------------------------------------------------------------ */

static uint8_t fb[70000];
static struct ofd_pkt pkt;
static struct ofd_case cs;

static void one(uint32_t len, uint32_t offload)
{
	memset(&cs, 0, sizeof(cs));
	pkt.data = fb;
	pkt.len = len;
	cs.pkts = &pkt;
	cs.npkts = 1;
	cs.offload = offload;
}

START_TEST(csum_tcp4)
{
	struct qe_plan p;
	const char *why;

	one(build4(fb, 6, 100, 0), OFD_OFFLOAD_TX_CSUM);
	csum_req(&cs, 6);
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	ck_assert(p.has_ctx);
	/* e1000_tx_csum: ip_config 0; TUCSS = csum_start, TUCSO = csum_start
	 * + csum_offset, TUCSE 0; tcp_seg_setup 0; DEXT | TCP. */
	ck_assert_uint_eq(le32(p.ctx), 0);
	ck_assert_uint_eq(p.ctx[4], 34);
	ck_assert_uint_eq(p.ctx[5], 50);
	ck_assert_uint_eq(p.ctx[6] | p.ctx[7], 0);
	ck_assert_uint_eq(le32(p.ctx + 8), 0x21000000);
	ck_assert_uint_eq(le32(p.ctx + 12), 0);
	/* e1000_tx_queue with E1000_TX_FLAGS_CSUM: IFCS (0x02000000) |
	 * DEXT | DTYP_D, TXSM. */
	ck_assert_uint_eq(p.dcmd, 0x22100000);
	ck_assert_uint_eq(p.popts, 0x200);
	ck_assert_uint_eq(p.nfix, 0);
}
END_TEST

START_TEST(csum_udp_no_tcp_bit)
{
	struct qe_plan p;
	const char *why;

	one(build4(fb, 17, 31, 0), OFD_OFFLOAD_TX_CSUM);
	csum_req(&cs, 17);
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	ck_assert_uint_eq(p.ctx[4], 34);
	ck_assert_uint_eq(p.ctx[5], 40);
	/* not TCP: DEXT alone */
	ck_assert_uint_eq(le32(p.ctx + 8), 0x20000000);
}
END_TEST

START_TEST(no_request_legacy_desc)
{
	struct qe_plan p;
	const char *why;

	one(build4(fb, 6, 10, 0), OFD_OFFLOAD_TX_CSUM);
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	/* No CHECKSUM_PARTIAL: no context, legacy data descriptors. */
	ck_assert(!p.has_ctx);
	ck_assert_uint_eq(p.dcmd, 0x02000000); /* IFCS alone */
	ck_assert_uint_eq(p.popts, 0);
}
END_TEST

START_TEST(tso_tcp4)
{
	struct qe_plan p;
	const char *why;
	uint32_t len = build4(fb, 6, 3000, 0);

	one(len, OFD_OFFLOAD_TSO);
	csum_req(&cs, 6);
	cs.req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	cs.req.vnet.gso_size = 1448;
	cs.req.vnet.hdr_len = 54;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	/* e1000_tso: IPCSS network offset 14, IPCSO &iph->check 24, IPCSE
	 * transport offset - 1 = 33; TUCSS 34, TUCSO 50, TUCSE 0. */
	ck_assert_uint_eq(p.ctx[0], 14);
	ck_assert_uint_eq(p.ctx[1], 24);
	ck_assert_uint_eq(p.ctx[2] | p.ctx[3] << 8, 33);
	ck_assert_uint_eq(p.ctx[4], 34);
	ck_assert_uint_eq(p.ctx[5], 50);
	ck_assert_uint_eq(p.ctx[6] | p.ctx[7] << 8, 0);
	/* DEXT | TSE | TCP | IP | (skb->len - hdr_len) */
	ck_assert_uint_eq(le32(p.ctx + 8), 0x27000000u | 3000u);
	ck_assert_uint_eq(p.ctx[13], 54);
	ck_assert_uint_eq(p.ctx[14] | p.ctx[15] << 8, 1448);
	/* IFCS | TSE data descriptors, TXSM | IXSM (IPv4) */
	ck_assert_uint_eq(p.dcmd, 0x26100000);
	ck_assert_uint_eq(p.popts, 0x300);
	/* tot_len 0, check 0, th->check = ~csum_tcpudp_magic(s, d, 0, TCP, 0):
	 * 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 = 0x1409. */
	ck_assert_uint_eq(p.nfix, 3);
	ck_assert_uint_eq(p.fix[0].off, 16);
	ck_assert_uint_eq(p.fix[0].val, 0);
	ck_assert_uint_eq(p.fix[1].off, 24);
	ck_assert_uint_eq(p.fix[1].val, 0);
	ck_assert_uint_eq(p.fix[2].off, 50);
	ck_assert_uint_eq(p.fix[2].val, 0x1409);
}
END_TEST

START_TEST(declined)
{
	struct qe_plan p;
	const char *why;

	one(build4(fb, 6, 400, 0), OFD_OFFLOAD_TX_CSUM);
	csum_req(&cs, 6);
	/* TUCSS is a u8: a start of 300 does not fit. */
	cs.req.vnet.csum_start = 300;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "8 bits"));
	/* CRC32c: no NETIF_F_SCTP_CRC */
	csum_req(&cs, 6);
	cs.req.csum_type = OFD_CSUM_CRC32C;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "SCTP_CRC"));
	/* virtio_net_hdr_to_skb: 400 bytes past csum_start + 20 with
	 * gso_size 400 is not GSO at all: a plain checksum request. */
	cs.offload = OFD_OFFLOAD_TSO;
	csum_req(&cs, 6);
	cs.req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	cs.req.vnet.gso_size = 400;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	ck_assert_uint_eq(p.dcmd, 0x22100000);
	/* 401 bytes past csum_start + 20 and a 24-byte TCP header (doff 6):
	 * GSO for virtio (401 > 400), but 397 bytes of payload, not above
	 * gso_size: tcp_gso_segment drops the untrusted request before the
	 * driver */
	one(build4(fb, 6, 401, 0), OFD_OFFLOAD_TSO);
	fb[ETH + 32] = 0x60;
	csum_req(&cs, 6);
	cs.req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	cs.req.vnet.gso_size = 400;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "DODGY"));
	/* gso_size 396: the device's, HDRLEN 58 */
	cs.req.vnet.gso_size = 396;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	ck_assert_uint_eq(p.ctx[13], 58);
	ck_assert_uint_eq(p.dcmd, 0x26100000);
	/* ECN: no NETIF_F_TSO_ECN */
	cs.req.vnet.gso_type = OFD_VNET_GSO_TCPV4 | OFD_VNET_GSO_ECN;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "TSO_ECN"));
	/* a frame past e1000e's max_mtu 9212 (+ 14) without GSO */
	one(build4(fb, 6, 9212 - 40 + 1, 0), OFD_OFFLOAD_TX_CSUM);
	csum_req(&cs, 6);
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "9212"));
	one(build4(fb, 6, 9212 - 40, 0), OFD_OFFLOAD_TX_CSUM);
	csum_req(&cs, 6);
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
}
END_TEST

/* TCP GSO whose TCP header is not the first IP header's: behind a tunnel
 * (e1000_tso would mix the outer IP and the inner TCP) or behind an IPv6
 * Fragment header (no GSO handler: the kernel drops it first). */
START_TEST(gso_not_plain_tcp)
{
	struct qe_plan p;
	const char *why;
	uint32_t len = 14 + 40 + 8 + 20 + 100;

	one(build4(fb, 6, 400, 0), OFD_OFFLOAD_TSO);
	csum_req(&cs, 6);
	cs.req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	cs.req.vnet.gso_size = 100;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	fb[ETH + 9] = 47; /* the IP header says GRE */
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "does not follow the first IP header"));

	/* Ethernet / IPv6 (next 44) / Fragment (next 6) / TCP / 100 bytes */
	memset(fb, 0, len);
	fb[12] = 0x86;
	fb[13] = 0xdd;
	fb[ETH] = 0x60;
	put16(fb + ETH + 4, (uint16_t)(len - ETH - 40));
	fb[ETH + 6] = 44;
	fb[ETH + 7] = 64;
	fb[ETH + 40] = 6;
	fb[ETH + 48 + 12] = 0x50;
	one(len, OFD_OFFLOAD_TSO);
	csum_req(&cs, 6);
	cs.req.vnet.csum_start = ETH + 48;
	cs.req.vnet.gso_type = OFD_VNET_GSO_TCPV6;
	cs.req.vnet.gso_size = 50;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "Fragment header"));
	/* the same with a Destination Options header (next 60, 8 bytes)
	 * instead: the device's, TUCSS 62 */
	fb[ETH + 6] = 60;
	ck_assert_int_eq(qe_plan(&cs, &p, &why), 0);
	ck_assert_uint_eq(p.ctx[4], 62);
	ck_assert_uint_eq(p.ctx[13], 82);
}
END_TEST

/* igb (igb_tx_csum, igb_tso, igb_tx_olinfo_status; 82576 advanced
 * descriptors: DTYP_CTXT 0x00200000, DTYP_DATA 0x00300000, DEXT
 * 0x20000000, IFCS 0x02000000, TSE 0x80000000, TUCMD IPV4 0x400, L4T_TCP
 * 0x800; MACLEN at bit 9, L4LEN at 8, MSS at 16, PAYLEN at 14). */
START_TEST(igb_plans)
{
	struct qe_plan p;
	const char *why;
	uint32_t len = build4(fb, 6, 3000, 0);

	/* checksum: IPLEN = csum_start - network offset, MACLEN = 14 */
	one(len, OFD_OFFLOAD_TX_CSUM);
	csum_req(&cs, 6);
	ck_assert_int_eq(qe_plan_igb(&cs, &p, &why), 0);
	ck_assert(p.has_ctx);
	ck_assert_uint_eq(le32(p.ctx), 20u | 14u << 9);
	ck_assert_uint_eq(le32(p.ctx + 4), 0);
	ck_assert_uint_eq(le32(p.ctx + 8), 0x20200800);
	ck_assert_uint_eq(le32(p.ctx + 12), 0);
	ck_assert_uint_eq(p.dcmd, 0x22300000);
	ck_assert_uint_eq(p.popts, len << 14 | 0x200);
	/* ICMP's offset 2: igb_tx_csum falls back to skb_checksum_help */
	cs.req.vnet.csum_offset = 2;
	ck_assert_int_eq(qe_plan_igb(&cs, &p, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "skb_checksum_help"));

	/* TSO: L4LEN 20, MSS 1448, IPV4 | L4T_TCP; TSE data descriptors,
	 * PAYLEN = len - hdr_len, TXSM | IXSM; iph->check = csum_fold(0) =
	 * 0xffff, tot_len 0, th->check = the seed less the L4 length: the
	 * pseudo-header without length, 0x0a00 + 0x0001 + 0x0a00 + 0x0002 +
	 * 6 = 0x1409. */
	one(len, OFD_OFFLOAD_TSO);
	csum_req(&cs, 6);
	cs.req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	cs.req.vnet.gso_size = 1448;
	ck_assert_int_eq(qe_plan_igb(&cs, &p, &why), 0);
	ck_assert_uint_eq(le32(p.ctx), 20u | 14u << 9);
	ck_assert_uint_eq(le32(p.ctx + 8), 0x20200c00);
	ck_assert_uint_eq(le32(p.ctx + 12), 20u << 8 | 1448u << 16);
	ck_assert_uint_eq(p.dcmd, 0xa2300000);
	ck_assert_uint_eq(p.popts, 3000u << 14 | 0x300);
	ck_assert_uint_eq(p.nfix, 3);
	ck_assert_uint_eq(p.fix[0].off, 24);
	ck_assert_uint_eq(p.fix[0].val, 0xffff);
	ck_assert_uint_eq(p.fix[1].off, 16);
	ck_assert_uint_eq(p.fix[1].val, 0);
	ck_assert_uint_eq(p.fix[2].off, 50);
	ck_assert_uint_eq(p.fix[2].val, 0x1409);
}
END_TEST

static Suite *qemu_plan_suite(void)
{
	Suite *s = suite_create("qemu_plan");
	TCase *tc = tcase_create("driver");

	tcase_add_test(tc, csum_tcp4);
	tcase_add_test(tc, csum_udp_no_tcp_bit);
	tcase_add_test(tc, no_request_legacy_desc);
	tcase_add_test(tc, tso_tcp4);
	tcase_add_test(tc, declined);
	tcase_add_test(tc, gso_not_plain_tcp);
	tcase_add_test(tc, igb_plans);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(qemu_plan_suite)

/* ------------------------------------------------------------------ */
/* qemu: the real model                                                */
/* ------------------------------------------------------------------ */

#define NCASES 300
static uint8_t frames[NCASES][200];
static struct ofd_pkt pkts[NCASES];
static struct ofd_case cases[NCASES];
static struct ofd_result *res[NCASES];

static bool qemu_unavailable(void)
{
	char why[256];

	if (ofd_engine_find("qemu")->probe(why, sizeof(why))) {
		fprintf(stderr, "qemu suite: not run: %s\n", why);
		return true;
	}
	return false;
}

/* The L4 checksum verifies: pseudo-header + segment fold to 0xffff. */
static bool l4_valid(const uint8_t *f, uint32_t len)
{
	uint32_t l4len = len - ETH - 20;
	uint32_t s = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + f[ETH + 9] + l4len;

	return ofd_test_fold(ofd_test_sum(f + ETH + 20, l4len, s)) == 0xffff;
}

/* Both ways bytes reach the guest (ram=shared: memcpy into the RAM file;
 * ram=qtest: hex `write` commands) must give the same, right frames. */
static const char *const ram_modes[] = { "shared", "qtest" };

START_TEST(real_device)
{
	struct ofd_engine_param prm = { "ram", ram_modes[_i] };
	struct ofd_engine_opts o = { .params = &prm, .nparams = 1 };
	struct ofd_engine *e;
	char msg[512];
	unsigned int i;

	if (qemu_unavailable())
		return;
	ck_assert_msg(ofd_engine__open("qemu", &o, &e, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_ptr_nonnull(strstr(e->info.version, "QEMU "));
	ck_assert_ptr_nonnull(strstr(e->info.version, "e1000e (8086:10d3), qtest mode"));
	for (i = 0; i < NCASES; i++) {
		/* TCP, UDP and no request in turn; the payload names the case. */
		uint8_t proto = i % 3 == 1 ? 17 : 6;

		pkts[i].len = build4(frames[i], proto, 50 + i % 100, (uint8_t)i);
		pkts[i].data = frames[i];
		memset(&cases[i], 0, sizeof(cases[i]));
		cases[i].id = i;
		cases[i].offload = OFD_OFFLOAD_TX_CSUM;
		cases[i].npkts = 1;
		cases[i].pkts = &pkts[i];
		if (i % 3 != 2)
			csum_req(&cases[i], proto);
		ck_assert_int_eq(ofd_result__new(1 << 20, &res[i]), 0);
		ofd_result_reset(res[i]);
	}
	ck_assert_int_eq(e->ops->run(e->priv, cases, res, NCASES), 0);
	for (i = 0; i < NCASES; i++) {
		const struct ofd_frame *f = &res[i]->frame[0];
		uint8_t out[200];

		ck_assert_msg(res[i]->status == OFD_RES_OK, "case %u: status %u", i,
			      res[i]->status);
		if (res[i]->nframes != 1) {
			unsigned int k;

			for (k = 0; k < res[i]->nframes; k++)
				fprintf(stderr, "case %u frame %u: %u bytes, type %02x%02x\n", i, k,
					res[i]->frame[k].len, ofd_frame_byte(&res[i]->frame[k], 12),
					ofd_frame_byte(&res[i]->frame[k], 13));
		}
		ck_assert_uint_eq(res[i]->nframes, 1);
		ck_assert_uint_eq(f->len, pkts[i].len);
		ofd_frame_materialize(f, out);
		/* the case's own payload: cases are not mixed up */
		ck_assert_uint_eq(out[pkts[i].len - 1], pkts[i].data[pkts[i].len - 1]);
		if (i % 3 == 2) {
			ck_assert_mem_eq(out, pkts[i].data, pkts[i].len);
		} else {
			ck_assert_msg(l4_valid(out, f->len), "case %u: checksum 0x%04x", i,
				      get16(out + ETH + 20 + (i % 3 == 1 ? 6 : 16)));
			/* nothing but the checksum field changed */
			ck_assert_mem_eq(out, pkts[i].data, ETH + 20 + (i % 3 == 1 ? 6 : 16));
		}
	}
	for (i = 0; i < NCASES; i++)
		ofd_result__free(res[i]);
	ofd_engine__close(e);
}
END_TEST

/* QEMU killed under the engine: the cases of the batch that finds it gone
 * are target faults (a crash), QEMU is started again, and the next run's
 * cases are done as before. */
START_TEST(qemu_dies)
{
	struct ofd_engine_opts o = { 0 };
	struct ofd_engine *e;
	struct qemu *m;
	char msg[512];
	unsigned int i, round;

	if (qemu_unavailable())
		return;
	ck_assert_msg(ofd_engine__open("qemu", &o, &e, msg, sizeof(msg)) == 0, "%s", msg);
	m = e->priv;
	for (i = 0; i < 10; i++) {
		pkts[i].len = build4(frames[i], 6, 40, (uint8_t)i);
		pkts[i].data = frames[i];
		memset(&cases[i], 0, sizeof(cases[i]));
		cases[i].id = i;
		cases[i].offload = OFD_OFFLOAD_TX_CSUM;
		cases[i].npkts = 1;
		cases[i].pkts = &pkts[i];
		csum_req(&cases[i], 6);
		ck_assert_int_eq(ofd_result__new(1 << 20, &res[i]), 0);
	}
	ck_assert_int_eq(kill(m->pid, SIGKILL), 0);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 10; i++)
			ofd_result_reset(res[i]);
		ck_assert_int_eq(e->ops->run(e->priv, cases, res, 10), 0);
		for (i = 0; i < 10; i++) {
			if (!round) {
				ck_assert_uint_eq(res[i]->status, OFD_RES_FAULT);
				ck_assert_uint_eq(res[i]->reason, OFD_REASON_FAULT_CRASH);
			} else {
				uint8_t out[200];

				ck_assert_uint_eq(res[i]->status, OFD_RES_OK);
				ck_assert_uint_eq(res[i]->nframes, 1);
				ofd_frame_materialize(&res[i]->frame[0], out);
				ck_assert(l4_valid(out, res[i]->frame[0].len));
			}
		}
	}
	ck_assert_uint_eq(m->restarts, 1);
	for (i = 0; i < 10; i++)
		ofd_result__free(res[i]);
	ofd_engine__close(e);
}
END_TEST

/* The reproducers of docs/qemu-findings.md replay as findings (exit 1)
 * on the QEMU they were found with; on another QEMU they still run (exit
 * 0 or 1, never a usage or engine error). */
START_TEST(findings_replay)
{
	static const char *const dirs[] = {
		"ipv6-srh-pseudo-header", "vxlan-outer-udp", "gre-not-filled",
		"udp-trailing-bytes", "tso-ip-fragments", "gre-tso-not-segmented",
	};
	char *text;
	bool v72;
	size_t i;
	int rc;

	if (qemu_unavailable())
		return;
	rc = ofd_test_run(&text, true, "qemu-system-x86_64 -version");
	ck_assert_int_eq(rc, 0);
	v72 = strstr(text, "version 7.2.") != NULL;
	free(text);
	for (i = 0; i < OFD_ARRAY_SIZE(dirs); i++) {
		rc = ofd_test_run(&text, true, "%s replay %s/targets/qemu/tests/findings/%s/case.yaml",
				  ofd_test_offdiff(), OFD_TEST_ROOT, dirs[i]);
		ck_assert_msg(v72 ? rc == 1 : rc == 0 || rc == 1, "%s: exit %d: %s", dirs[i], rc,
			      text);
		free(text);
	}
}
END_TEST

/* `make run-qemu`'s campaign through the CLI (where the tap happened to be
 * fd 3 once, which a dup2 onto itself would have closed at exec): it runs
 * to its verdicts, and its report names QEMU, the device and the mode. */
START_TEST(cli_campaign)
{
	char dir[256], *text;
	int rc;

	if (qemu_unavailable())
		return;
	ofd_test_mkdtemp(dir, sizeof(dir), "qemu");
	rc = ofd_test_run(&text, true, "%s run -q %s/specs/qemu.yaml --out %s", ofd_test_offdiff(),
			  OFD_TEST_ROOT, dir);
	ck_assert_msg(rc == 0 || rc == 1, "exit %d: %s", rc, text);
	free(text);
	rc = ofd_test_run(&text, true, "grep -h '\"version\"' %s/*/summary.json | grep -c 'QEMU .*e1000e (8086:10d3), qtest mode'", dir);
	ck_assert_msg(rc == 0, "summary.json lacks the identity: %s", text);
	free(text);
	ck_assert_int_eq(ofd_test_run(&text, false, "rm -rf %s", dir), 0);
	free(text);
}
END_TEST

/* QEMU is installed by `make run-qemu`, and by `make check` only under CI:
 * never by `make run` or a plain `make check` (issue 20, item 5). */
START_TEST(install_only_when_asked)
{
	char *text;
	int rc;

	rc = ofd_test_run(&text, true, "cd %s && env -u CI make -n run check | grep -c 'ensure-deps.sh.*qemu'",
			  OFD_TEST_ROOT);
	ck_assert_msg(rc == 1 && !strcmp(text, "0\n"), "make run/check ask for qemu: %s", text);
	free(text);
	rc = ofd_test_run(&text, true, "cd %s && make -n run-qemu | grep -c 'ensure-deps.sh qemu'",
			  OFD_TEST_ROOT);
	ck_assert_msg(rc == 0 && !strcmp(text, "1\n"), "make run-qemu: %s", text);
	free(text);
	rc = ofd_test_run(&text, true, "cd %s && scripts/ensure-deps.sh --list qemu", OFD_TEST_ROOT);
	ck_assert_msg(rc == 0 && !strcmp(text, "qemu-system-x86\n"), "%s", text);
	free(text);
}
END_TEST

static Suite *qemu_suite(void)
{
	Suite *s = suite_create("qemu");
	TCase *tc = tcase_create("e1000e");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, real_device, 0, 2);
	tcase_add_test(tc, qemu_dies);
	tcase_add_test(tc, cli_campaign);
	tcase_add_test(tc, findings_replay);
	tcase_add_test(tc, install_only_when_asked);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(qemu_suite)
