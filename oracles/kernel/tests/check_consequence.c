// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_consequence.c - what the live kernel's stack does with a frame a
 * target delivered on receive (oracles/kernel/rx_consequence.c, the kernel
 * engine's consequence op). The frames are built here with independent
 * RFC 1071 arithmetic; the expectations are the kernel's receive rules:
 *  - a TCP aggregate handed up as a driver hands a hardware-GRO skb
 *    (NEEDS_CSUM, csum_start at the TCP header, gso TCPV4), its checksum
 *    field the pseudo-header seed (kernel-rx.md 1.9, 7.3): accepted by TCP;
 *  - the same with an IPv4 total length beyond the frame: ip_rcv_core
 *    drops it and counts IpExt InTruncatedPkts;
 *  - three 100-byte datagrams of one 5-tuple coalesced into one plain UDP
 *    datagram (the fraglist DNS bug, bug-catalogue #6, as a device would
 *    deliver it with a fixed-up checksum): a socket reads one 300-byte
 *    datagram, where the sender sent three;
 *  - the same three as a UDP GSO aggregate (NEEDS_CSUM, gso UDP_L4,
 *    gso_size 100, kernel-rx.md 2.2): a socket without UDP_GRO has it
 *    re-segmented on receive (udp_unexpected_gso) and reads three
 *    100-byte datagrams;
 *  - gso UDP_L4 without NEEDS_CSUM: virtio_net_hdr_to_skb refuses the
 *    header, so the frame never reaches the stack.
 *
 * Needs root like check_kernel.c: without it the tests print why and pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_kernel.h"
#include "ofd_test.h"

#define sum16(p, len, s) ofd_test_fold(ofd_test_sum((p), (len), (s)))

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static struct ofd_engine *engine(void)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO) };
	struct ofd_engine *e = NULL;
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "consequence suite: not run: %s\n", why);
		return NULL;
	}
	ck_assert_int_eq(ofd_engine__open("kernel", &o, &e, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(e->ops->consequence);
	return e;
}

static void ask(struct ofd_engine *e, const struct ofd_frame *f, char *out, size_t len)
{
	ck_assert_int_eq(e->ops->consequence(e->priv, f, out, len), 0);
}

/* Ethernet + IPv4 10.0.0.1 -> 10.0.0.2 (DF, TTL 64) with l4len bytes of
 * protocol proto after it; returns the IPv4 header. */
static uint8_t *eth_ipv4(uint8_t *f, uint8_t proto, uint32_t l4len)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 0, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	};
	uint8_t *ip = f + 14;

	memcpy(f, hdr, sizeof(hdr));
	ip[9] = proto;
	put16(ip + 2, 20 + l4len);
	put16(ip + 10, (uint16_t)~sum16(ip, 20, 0));
	return ip;
}

/* The IPv4 pseudo-header sum 10.0.0.1 -> 10.0.0.2 (RFC 793 3.1). */
static uint32_t pseudo(uint8_t proto, uint32_t l4len)
{
	static const uint8_t ph[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };

	return sum16(ph, 8, proto + l4len);
}

/* A 300-byte TCP aggregate 1000 -> 2000 as GRO completes it: the checksum
 * field holds the folded pseudo-header seed, NEEDS_CSUM at 34/16. */
static uint32_t tcp_aggregate(uint8_t *f, struct ofd_meta *m)
{
	uint8_t *th = f + 34;
	uint32_t i;

	eth_ipv4(f, 6, 20 + 300);
	memset(th, 0, 20);
	put16(th, 1000);
	put16(th + 2, 2000);
	th[7] = 1;              /* seq 1 */
	th[11] = 1;             /* ack 1 */
	th[12] = 0x50;
	th[13] = 0x10;          /* ACK */
	put16(th + 14, 65535);
	for (i = 0; i < 300; i++)
		th[20 + i] = (uint8_t)(i * 7);
	put16(th + 16, pseudo(6, 320));
	memset(m, 0, sizeof(*m));
	m->has = OFD_META_VNET;
	m->vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	m->vnet.gso_type = 1; /* VIRTIO_NET_HDR_GSO_TCPV4 */
	m->vnet.gso_size = 100;
	m->vnet.csum_start = 34;
	m->vnet.csum_offset = 16;
	return 34 + 320;
}

/* UDP 5353 -> 53 with n payload bytes, checksum full (seed_only false) or
 * the pseudo-header seed. */
static uint32_t udp_frame(uint8_t *f, uint32_t n, bool seed_only)
{
	uint8_t *uh = f + 34;
	uint32_t i;

	eth_ipv4(f, 17, 8 + n);
	put16(uh, 5353);
	put16(uh + 2, 53);
	put16(uh + 4, 8 + n);
	put16(uh + 6, 0);
	for (i = 0; i < n; i++)
		uh[8 + i] = (uint8_t)(i % 100 + 1);
	if (seed_only) {
		put16(uh + 6, pseudo(17, 8 + n));
	} else {
		uint16_t c = (uint16_t)~sum16(uh, 8 + n, pseudo(17, 8 + n));

		put16(uh + 6, c ? c : 0xffff);
	}
	return 34 + 8 + n;
}

START_TEST(tcp_aggregate_accepted)
{
	struct ofd_engine *e = engine();
	uint8_t f[512];
	struct ofd_frame fr = { .base = f };
	char out[400];

	if (!e)
		return;
	fr.len = tcp_aggregate(f, &fr.meta);
	ask(e, &fr, out, sizeof(out));
	ck_assert_msg(strstr(out, "accepted by the stack") && strstr(out, "Tcp InSegs +"),
		      "%s", out);
	ofd_engine__close(e);
}
END_TEST

START_TEST(truncated_ip_length_dropped)
{
	struct ofd_engine *e = engine();
	uint8_t f[512];
	struct ofd_frame fr = { .base = f };
	uint8_t *ip = f + 14;
	char out[400];

	if (!e)
		return;
	fr.len = tcp_aggregate(f, &fr.meta);
	/* 100 bytes more than the frame carries, header checksum right */
	put16(ip + 2, 20 + 320 + 100);
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~sum16(ip, 20, 0));
	ask(e, &fr, out, sizeof(out));
	ck_assert_msg(strstr(out, "dropped by the stack") &&
		      strstr(out, "IpExt InTruncatedPkts +1") && !strstr(out, "Tcp InSegs"),
		      "%s", out);
	ofd_engine__close(e);
}
END_TEST

START_TEST(udp_datagrams_coalesced_read_as_one)
{
	struct ofd_engine *e = engine();
	uint8_t f[512];
	struct ofd_frame fr = { .base = f };
	char out[400];

	if (!e)
		return;
	fr.len = udp_frame(f, 300, false);
	ask(e, &fr, out, sizeof(out));
	ck_assert_msg(strstr(out, "accepted by the stack") &&
		      strstr(out, "a UDP socket on port 53 read 1 datagram (300 bytes)"),
		      "%s", out);
	ofd_engine__close(e);
}
END_TEST

START_TEST(udp_gso_aggregate_resegmented)
{
	struct ofd_engine *e = engine();
	uint8_t f[512];
	struct ofd_frame fr = { .base = f };
	char out[400];

	if (!e)
		return;
	fr.len = udp_frame(f, 300, true);
	fr.meta.has = OFD_META_VNET;
	fr.meta.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	fr.meta.vnet.gso_type = 5; /* VIRTIO_NET_HDR_GSO_UDP_L4 */
	fr.meta.vnet.gso_size = 100;
	fr.meta.vnet.csum_start = 34;
	fr.meta.vnet.csum_offset = 6;
	ask(e, &fr, out, sizeof(out));
	ck_assert_msg(strstr(out, "a UDP socket on port 53 read 3 datagrams (100, 100, 100 bytes)"),
		      "%s", out);
	ofd_engine__close(e);
}
END_TEST

START_TEST(udp_gso_without_needs_csum_refused)
{
	struct ofd_engine *e = engine();
	uint8_t f[512];
	struct ofd_frame fr = { .base = f };
	char out[400];

	if (!e)
		return;
	fr.len = udp_frame(f, 300, false);
	fr.meta.has = OFD_META_VNET;
	fr.meta.vnet.flags = OFD_VNET_F_DATA_VALID;
	fr.meta.vnet.gso_type = 5;
	fr.meta.vnet.gso_size = 100;
	ask(e, &fr, out, sizeof(out));
	ck_assert_msg(strstr(out, "refused at the driver boundary"), "%s", out);
	ofd_engine__close(e);
}
END_TEST

static Suite *consequence_suite(void)
{
	Suite *s = suite_create("consequence");
	TCase *tc = tcase_create("stack");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tcp_aggregate_accepted);
	tcase_add_test(tc, truncated_ip_length_dropped);
	tcase_add_test(tc, udp_datagrams_coalesced_read_as_one);
	tcase_add_test(tc, udp_gso_aggregate_resegmented);
	tcase_add_test(tc, udp_gso_without_needs_csum_refused);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(consequence_suite)
