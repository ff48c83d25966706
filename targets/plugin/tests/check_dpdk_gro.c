// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_dpdk_gro.c - the DPDK plugin's gro (build/plugins/dpdk.so,
 * targets/plugin/dpdk/dpdk_gro.c): trains of TCP/IPv4 segments through
 * rte_gro whose output DPDK's own rules give (lib/gro, v22.11.11, cited
 * per case), checksums computed here byte by byte (dpdk_test_util.h).
 *
 * Cases:
 *  gro_merge        contiguous ACK segments merge; a flush point ends the
 *                   batch
 *  gro_ip_id        IPv4 IDs: ignored with DF, +1 without
 *  gro_psh_reorder  a PSH segment is handed back after the tables' flush
 *  gro_ip_options   IP options' header bytes merged into the payload
 *  gro_pad_trim     Ethernet padding trimmed
 *  gro_ip_frags     IPv4 fragments reassembled
 *
 * As in check_dpdk.c: without dpdk.so the cases print why and pass
 * (failing under CI=true), and sanitized builds leave them out.
 */
#include <stdbool.h>
#include <string.h>

#include "dpdk_test_util.h"

#define GRO_PL 100u

/* Segment k of a TCP/IPv4 train: GRO_PL bytes at seq 1000 + k * GRO_PL,
 * ACK only, IPv4 ID id, DF unless no_df; checksums valid, as received. */
static uint32_t gro_seg(uint8_t *f, unsigned int k, uint16_t id, bool no_df)
{
	uint32_t len = tcp4_frame(f, GRO_PL, id, 0x10, (int)k + 1);
	uint8_t *ip = f + ETH, *t = f + L4OFF;

	if (no_df)
		ip[6] = 0;
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(ip, IP4, 0)));
	put16(t + 4, 0);
	put16(t + 6, (uint16_t)(1000 + k * GRO_PL));
	put16(t + 16, 0);
	put16(t + 16, l4_csum4(f, len, 6, 16));
	return len;
}

struct train {
	uint8_t f[8][256];
	struct ofd_plugin_pkt pk[8];
	unsigned int n;
};

static void train_add(struct train *tr, uint32_t len)
{
	tr->pk[tr->n] = (struct ofd_plugin_pkt){ tr->f[tr->n], len, 0 };
	tr->n++;
}

/* n segments of gro_seg, IDs ids[k] (8 + k when NULL). */
static void seg_train(struct train *tr, unsigned int n, const uint16_t *ids, bool no_df)
{
	unsigned int k;

	for (tr->n = 0, k = 0; k < n; k++)
		train_add(tr, gro_seg(tr->f[k], k, ids ? ids[k] : (uint16_t)(8 + k), no_df));
}

static struct ofd_plugin_result plug_train(struct plug *pl, const struct train *tr)
{
	struct ofd_plugin_case c = { .size = sizeof(c), .offload = OFD_PLUGIN_GRO,
				     .npkts = tr->n, .pkts = tr->pk };
	struct ofd_plugin_result r = { .size = sizeof(r), .buf = pl->buf, .buf_cap = 1u << 20,
				       .max_frames = 4096, .frames = pl->frames };

	ck_assert_int_eq(pl->p->run(pl->priv, &c, &r), 0);
	ck_assert_msg(r.status == OFD_PLUGIN_OK, "status %u: %s", r.status, r.detail);
	return r;
}

/* Output frame i holds packets first..last of tr merged: their first
 * headers, IPv4 length and header checksum updated, the payloads in
 * order, the TCP field the pseudo-header seed and CHECKSUM_PARTIAL
 * metadata (the virtio-user hand-off, dpdk_gro.c; kernel-rx.md 1.9 gives
 * the same seed); a single packet comes back as it went in. */
static void expect_run(const struct plug *pl, const struct train *tr, uint32_t i,
		       unsigned int first, unsigned int last)
{
	const struct ofd_plugin_frame *fr = &pl->frames[i];
	const uint8_t *o = pl->buf + fr->off, *in = tr->f[first];
	uint32_t l4 = TCPH + (last - first + 1) * GRO_PL;
	unsigned int k;

	ck_assert_uint_eq(fr->len, L4OFF + l4);
	if (first == last) {
		ck_assert_int_eq(memcmp(o, in, fr->len), 0);
		ck_assert_uint_eq(fr->meta.has, 0);
		return;
	}
	ck_assert_int_eq(memcmp(o, in, ETH + 2), 0);
	ck_assert_uint_eq(get16(o + ETH + 2), IP4 + l4);
	ck_assert_int_eq(memcmp(o + ETH + 4, in + ETH + 4, 6), 0);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(o + ETH, IP4, 0)), 0xffff);
	ck_assert_int_eq(memcmp(o + L4OFF, in + L4OFF, 16), 0);
	ck_assert_uint_eq(get16(o + L4OFF + 16), ofd_test_fold(pseudo4(o + ETH, 6, l4)));
	for (k = first; k <= last; k++)
		ck_assert_int_eq(memcmp(o + L4OFF + TCPH + (k - first) * GRO_PL,
					tr->f[k] + L4OFF + TCPH, GRO_PL), 0);
	ck_assert_uint_eq(fr->meta.has, OFD_PLUGIN_META_GSO | OFD_PLUGIN_META_CSUM);
	ck_assert_uint_eq(fr->meta.gso_size, GRO_PL);
	ck_assert_uint_eq(fr->meta.gso_segs, last - first + 1);
	ck_assert_uint_eq(fr->meta.gso_type, OFD_PLUGIN_SKB_GSO_TCPV4);
	ck_assert_uint_eq(fr->meta.csum_state, OFD_PLUGIN_CSUM_PARTIAL);
	ck_assert_uint_eq(fr->meta.csum_value, L4OFF | 16u << 16);
}

/* Contiguous ACK segments with DF merge (check_seq_option: same options,
 * sent_seq == item->sent_seq + len, the ID ignored when DF is set); a
 * flush point ends the burst (one rte_gro_reassemble_burst per batch). */
START_TEST(gro_merge)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	seg_train(&tr, 3, NULL, false);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	expect_run(&pl, &tr, 0, 0, 2);
	tr.pk[0].flags = OFD_PLUGIN_PKT_F_FLUSH_AFTER;
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 2);
	expect_run(&pl, &tr, 0, 0, 0);
	expect_run(&pl, &tr, 1, 1, 2);
	plug_close(&pl);
}
END_TEST

/* IPv4 IDs (check_seq_option): with DF the ID is ignored ("For the packet
 * whose DF bit is 1, IPv4 ID is ignored"): 8, 10, 11 merge, where Linux
 * 6.18 keeps 8 apart (kernel-rx.md 1.5); without DF it must grow by one
 * (ip_id == item->ip_id + 1): 8, 8 stay apart, where 6.18 merges a fixed
 * ID whatever DF says. */
START_TEST(gro_ip_id)
{
	static const uint16_t ids[3] = { 8, 10, 11 }, fixed[2] = { 8, 8 };
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	seg_train(&tr, 3, ids, false);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	expect_run(&pl, &tr, 0, 0, 2);
	seg_train(&tr, 2, fixed, true);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 2);
	expect_run(&pl, &tr, 0, 0, 0);
	expect_run(&pl, &tr, 1, 1, 1);
	plug_close(&pl);
}
END_TEST

/* A segment with PSH is never processed (gro_tcp4_reassemble: "Don't
 * process the packet which has FIN, SYN, RST, PSH, URG, ECE or CWR set")
 * and unprocessed packets come after everything the tables flush
 * (rte_gro_reassemble_burst: "Copy unprocessed packets"): of 5 segments
 * with PSH on the third, 1+2 and 4+5 merge and the third comes last. */
START_TEST(gro_psh_reorder)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	seg_train(&tr, 5, NULL, false);
	tr.f[2][L4OFF + 13] |= 0x08;
	put16(tr.f[2] + L4OFF + 16, 0);
	put16(tr.f[2] + L4OFF + 16, l4_csum4(tr.f[2], tr.pk[2].len, 6, 16));
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 3);
	expect_run(&pl, &tr, 0, 0, 1);
	expect_run(&pl, &tr, 1, 3, 4);
	expect_run(&pl, &tr, 2, 2, 2);
	plug_close(&pl);
}
END_TEST

/* merge_two_tcp4_packets strips the held packet's header length
 * (hdr_len = l2_offset + pkt_head->l2_len + l3_len + l4_len) from the
 * packet it appends, and nothing compares the IPv4 header lengths: a
 * second segment with 8 bytes of IPv4 options (Record Route) merges and
 * the last 8 bytes of its TCP header land in the payload. Linux passes a
 * packet with IP options by (kernel-rx.md 1.3). */
START_TEST(gro_ip_options)
{
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;
	const uint8_t *o;
	uint8_t *b;
	uint32_t len;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	tr.n = 0;
	train_add(&tr, gro_seg(tr.f[0], 0, 8, false));
	len = gro_seg(tr.f[1], 1, 9, false);
	b = tr.f[1];
	memmove(b + L4OFF + 8, b + L4OFF, len - L4OFF);
	memcpy(b + L4OFF, rr, sizeof(rr));
	b[ETH] = 0x47;
	put16(b + ETH + 2, (uint16_t)(get16(b + ETH + 2) + 8));
	put16(b + ETH + 10, 0);
	put16(b + ETH + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(b + ETH, IP4 + 8, 0)));
	train_add(&tr, len + 8);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	o = pl.buf + pl.frames[0].off;
	ck_assert_uint_eq(pl.frames[0].len, L4OFF + TCPH + 8 + 2 * GRO_PL);
	ck_assert_int_eq(memcmp(o + L4OFF + TCPH + GRO_PL, b + L4OFF + 8 + 12, 8), 0);
	ck_assert_int_eq(memcmp(o + L4OFF + TCPH + GRO_PL + 8, b + L4OFF + 8 + TCPH, GRO_PL), 0);
	plug_close(&pl);
}
END_TEST

/* gro_tcp4_reassemble trims the bytes past the IPv4 length ("trim the
 * tail padding bytes") before any test that hands a packet back: a
 * 2-byte segment padded to Ethernet's 60 bytes comes back as 56 bytes
 * (Linux keeps the frame and only flushes, kernel-rx.md 1.3). */
START_TEST(gro_pad_trim)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;
	uint32_t len;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	tr.n = 0;
	len = tcp4_frame(tr.f[0], 2, 8, 0x10, 0x55);
	put16(tr.f[0] + L4OFF + 16, 0);
	put16(tr.f[0] + L4OFF + 16, l4_csum4(tr.f[0], len, 6, 16));
	ck_assert_uint_eq(len, 56);
	memset(tr.f[0] + len, 0, 4);
	train_add(&tr, 60);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	ck_assert_uint_eq(pl.frames[0].len, 56);
	ck_assert_int_eq(memcmp(pl.buf + pl.frames[0].off, tr.f[0], 56), 0);
	plug_close(&pl);
}
END_TEST

/* "UDP" GRO is IPv4 reassembly (gro_udp4_reassemble, any protocol: the
 * key is MACs, addresses, ID): fragments at offsets 0 (MF) and 56 come
 * back as one datagram, MF cleared (update_header), the IPv4 checksum the
 * hand-off's. Linux's GRO passes fragments by (kernel-rx.md 1.3). */
START_TEST(gro_ip_frags)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;
	const uint8_t *o;
	unsigned int k;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	tr.n = 0;
	for (k = 0; k < 2; k++) {
		uint8_t *ip = tr.f[k] + ETH;

		train_add(&tr, tcp4_frame(tr.f[k], k ? 40 - TCPH : 56 - TCPH, 77, 0x10, (int)k + 1));
		ip[9] = 17;
		put16(ip + 6, k ? 56 / 8 : 0x2000);
		put16(ip + 10, 0);
		put16(ip + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(ip, IP4, 0)));
	}
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	o = pl.buf + pl.frames[0].off;
	ck_assert_uint_eq(pl.frames[0].len, L4OFF + 96);
	ck_assert_uint_eq(get16(o + ETH + 2), IP4 + 96);
	ck_assert_uint_eq(get16(o + ETH + 6), 0);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(o + ETH, IP4, 0)), 0xffff);
	ck_assert_int_eq(memcmp(o + L4OFF, tr.f[0] + L4OFF, 56), 0);
	ck_assert_int_eq(memcmp(o + L4OFF + 56, tr.f[1] + L4OFF, 40), 0);
	plug_close(&pl);
}
END_TEST

static Suite *dpdk_gro_suite(void)
{
	Suite *s = suite_create("dpdk_gro");
	TCase *tc = tcase_create("dpdk_gro");

	/* Each case opens the EAL once in its own (forked) process. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, gro_merge);
	tcase_add_test(tc, gro_ip_id);
	tcase_add_test(tc, gro_psh_reorder);
	tcase_add_test(tc, gro_ip_options);
	tcase_add_test(tc, gro_pad_trim);
	tcase_add_test(tc, gro_ip_frags);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(dpdk_gro_suite);
