// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_kernel.c - the kernel engine (oracles/kernel/kernel.c): the TX path
 * against the probe results of kernel-tx.md 10.6, and against checksums
 * computed here independently (RFC 1071 over the pseudo-header, RFC 793);
 * the host is never touched. The RX path (GRO, rx-csum: kernel-rx.md 7.4)
 * is tested in check_kernel_rx.c (suite kernel_rx); the frames, checksum
 * arithmetic and engine plumbing both use are in kernel_test_util.h.
 *
 * Frames follow kernel-tx.md 10.6 "Common setup": payload byte i is
 * (i * 7) & 0xff, IPv4 10.0.0.1 -> 10.0.0.2, ports 1000 -> 2000, ack 1,
 * window 65535, ID 0x1234, TTL 64, DF; for NEEDS_CSUM the L4 checksum field
 * holds the seed: the folded, non-complemented pseudo-header sum over the
 * full L4 length.
 *
 * Cases:
 *  - tso: T1 (3 segments: seq, flags 0x90/0x10/0x19, IDs, csum
 *    0xc828/0xe2de/0x7c52, tot_len 1040/1040/540), T2 (ID wrap), T4 (not
 *    GSO: one frame), T5 (12 B options + 995 B, gso 1000: dropped at xmit),
 *    T7 (USO: UDP len 1008/1008/508, csum 0x8bcc/0xa9ea/0x4943, which
 *    need ports 3000 -> 4000, not the common setup's), T15
 *    (gso_size 4: 5 segments, no clamp in 6.18);
 *  - tx-csum: valid checksums for several sizes, T6 (a zero sum leaves as
 *    0xffff), Q1 (trailer bytes are summed), legacy == vnet request,
 *    rejections: csum_offset past the frame, T11 csum_start 14, T10
 *    hdr_len > len, T14 gso_size 0, non-GSO frame > MTU (EMSGSIZE), CRC32c
 *    unsupported;
 *  - batched (sendmmsg) and one-at-a-time runs give identical results on a
 *    mixed run with refusals and GSO cases in between;
 *  - the host's links, addresses, routes and mounts are unchanged by an engine
 *    open/run/close and by a SIGKILLed child running the engine, and the
 *    child's namespace goes away (its NAPI kthread disappears).
 *
 * Everything needs root: when the engine's probe fails the tests print the
 * reason and pass (Check has no skip); CI runs them as root.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "ofd.h"
#include "ofd_kernel.h"
#include "ofd_test.h"
#include "kernel_internal.h"
#include "kernel_test_util.h"

/* ------------------------------------------------------------------ */
/* TSO: kernel-tx.md 10.6                                              */
/* ------------------------------------------------------------------ */

static struct ofd_case *tso_case(struct bench *b, uint32_t payload,
				 uint16_t gso, uint16_t id, uint8_t optlen)
{
	struct fspec s = { .proto = 6, .payload = payload, .seq = 100000,
			   .flags = 0x99, .id = id, .optlen = optlen };
	struct ofd_case *c = add_tx(b, OFD_OFFLOAD_TSO, &s);

	c->req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	c->req.vnet.gso_size = gso;
	c->req.vnet.hdr_len = (uint16_t)(L4OFF + 20 + optlen);
	return c;
}

START_TEST(t1_three_segments)
{
	static const uint16_t csum[] = { 0xc828, 0xe2de, 0x7c52 };
	static const uint16_t totlen[] = { 1040, 1040, 540 };
	static const uint8_t flags[] = { 0x90, 0x10, 0x19 };
	struct ofd_result *r;
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 2500, 1000, 0x1234, 0);
	run(b);
	r = b->res[0];
	ck_assert_uint_eq(r->status, OFD_RES_OK);
	ck_assert_uint_eq(r->nframes, 3);
	for (k = 0; k < 3; k++) {
		const uint8_t *f = fb(r, k);

		ck_assert_uint_eq(r->frame[k].len, 14u + totlen[k]);
		ck_assert_uint_eq(be16(f + 16), totlen[k]);
		ck_assert_uint_eq(be16(f + 18), 0x1234 + k);
		ck_assert_uint_eq(be32(f + L4OFF + 4), 100000 + 1000 * k);
		ck_assert_uint_eq(f[L4OFF + 13], flags[k]);
		ck_assert_uint_eq(be16(f + L4OFF + 16), csum[k]);
		ck_assert_uint_eq(sum16(f + 14, 20, 0), 0xffff);
		assert_l4_valid(f, r->frame[k].len);
		ck_assert(r->frame[k].meta.has & OFD_META_VNET);
		ck_assert_uint_eq(r->frame[k].meta.vnet.gso_type, 0);
	}
	bench_free(b);
}
END_TEST

START_TEST(t2_id_wraps)
{
	static const uint16_t ids[] = { 0xffff, 0x0000, 0x0001 };
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 2500, 1000, 0xffff, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 3);
	for (k = 0; k < 3; k++)
		ck_assert_uint_eq(be16(fb(b->res[0], k) + 18), ids[k]);
	bench_free(b);
}
END_TEST

START_TEST(t4_not_really_gso)
{
	struct bench *b;
	const uint8_t *f;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 1000, 1000, 0x1234, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	f = fb(b->res[0], 0);
	ck_assert_uint_eq(b->res[0]->frame[0].len, 14 + 20 + 20 + 1000);
	/* flags untouched: it was never segmented */
	ck_assert_uint_eq(f[L4OFF + 13], 0x99);
	assert_l4_valid(f, b->res[0]->frame[0].len);
	bench_free(b);
}
END_TEST

START_TEST(t5_options_trap_dropped)
{
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 995, 1000, 0x1234, 12);
	/* a good case after it must still come out whole */
	tso_case(b, 2500, 1000, 0x1234, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(b->res[0]->reason, OFD_REASON_DROPPED);
	ck_assert_uint_eq(b->res[0]->stage, OFD_STAGE_XMIT);
	ck_assert_uint_eq(b->res[0]->nframes, 0);
	/* the drop was seen on the tap's tx_dropped counter */
	ck_assert_str_eq(b->res[0]->detail,
			 "validate_xmit_skb dropped it (tx_dropped)");
	ck_assert_uint_eq(b->res[1]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[1]->nframes, 3);
	bench_free(b);
}
END_TEST

START_TEST(t7_uso)
{
	static const uint16_t ulen[] = { 1008, 1008, 508 };
	static const uint16_t csum[] = { 0x8bcc, 0xa9ea, 0x4943 };
	/* The 10.6 values need ports 3000 -> 4000: with the common setup's
	 * 1000 -> 2000 the (equally valid) checksums are 0x9b6c/0xb98a/0x58e3.
	 * Any port pair summing to 7000 reproduces the table. */
	struct fspec s = { .proto = 17, .payload = 2500, .id = 0x2000,
			   .sport = 3000, .dport = 4000 };
	struct ofd_case *c;
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	c = add_tx(b, OFD_OFFLOAD_TSO, &s);
	c->req.vnet.gso_type = OFD_VNET_GSO_UDP_L4;
	c->req.vnet.gso_size = 1000;
	c->req.vnet.hdr_len = L4OFF + 8;
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 3);
	for (k = 0; k < 3; k++) {
		const uint8_t *f = fb(b->res[0], k);

		ck_assert_uint_eq(be16(f + L4OFF + 4), ulen[k]);
		ck_assert_uint_eq(be16(f + 18), 0x2000 + k);
		ck_assert_uint_eq(be16(f + L4OFF + 6), csum[k]);
		assert_l4_valid(f, b->res[0]->frame[k].len);
	}
	bench_free(b);
}
END_TEST

START_TEST(t15_tiny_gso_size)
{
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 20, 4, 0x1234, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 5);
	for (k = 0; k < 5; k++) {
		const uint8_t *f = fb(b->res[0], k);

		ck_assert_uint_eq(b->res[0]->frame[k].len, 14 + 40 + 4);
		ck_assert_uint_eq(be32(f + L4OFF + 4), 100000 + 4 * k);
		assert_l4_valid(f, b->res[0]->frame[k].len);
	}
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* tx-csum                                                             */
/* ------------------------------------------------------------------ */

static const struct fspec csum_ok[] = {
	{ .proto = 6, .payload = 0 },
	{ .proto = 6, .payload = 1 },
	{ .proto = 6, .payload = 101, .optlen = 12 },
	{ .proto = 6, .payload = 1460 },
	{ .proto = 6, .payload = 8000 },   /* past a page: paged skb */
	{ .proto = 17, .payload = 0 },
	{ .proto = 17, .payload = 333 },
	{ .proto = 17, .payload = 8972 },
};

START_TEST(csum_valid)
{
	const struct fspec *s = &csum_ok[_i];
	struct ofd_case *c;
	struct bench *b;
	const uint8_t *f;
	uint32_t len;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, s);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	len = b->res[0]->frame[0].len;
	ck_assert_uint_eq(len, c->pkts[0].len);
	f = fb(b->res[0], 0);
	assert_l4_valid(f, len);
	/* everything but the checksum field is the input */
	ck_assert_mem_eq(f, c->pkts[0].data, L4OFF + c->req.vnet.csum_offset);
	ck_assert_mem_eq(f + L4OFF + c->req.vnet.csum_offset + 2,
			 c->pkts[0].data + L4OFF + c->req.vnet.csum_offset + 2,
			 len - L4OFF - c->req.vnet.csum_offset - 2);
	ck_assert_uint_eq(b->res[0]->frame[0].meta.vnet.flags, 0);
	bench_free(b);
}
END_TEST

/* T6 (TCP) and T7b's non-GSO counterpart (UDP): a checksum that computes
 * to 0 is written as 0xffff by skb_checksum_help. */
START_TEST(t6_zero_becomes_ffff)
{
	static const uint8_t protos[] = { 6, 17 };
	struct fspec s = { .proto = protos[_i], .payload = 200,
			   .csum = CS_ZERO_SUM };
	struct bench *b;
	const uint8_t *f;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	f = fb(b->res[0], 0);
	ck_assert_uint_eq(be16(f + L4OFF + (s.proto == 6 ? 16 : 6)), 0xffff);
	bench_free(b);
}
END_TEST

START_TEST(q1_trailer_is_summed)
{
	struct fspec s = { .proto = 6, .payload = 100, .trailer = 10 };
	struct ofd_case *c;
	struct bench *b;
	const uint8_t *f;
	uint32_t sum, len;
	uint16_t want;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	len = c->pkts[0].len;
	/* ~sum of [csum_start, end of frame), seed included */
	sum = sum16(c->pkts[0].data + L4OFF, len - L4OFF, 0);
	want = (uint16_t)~sum;
	if (!want)
		want = 0xffff;
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	ck_assert_uint_eq(b->res[0]->frame[0].len, len);
	f = fb(b->res[0], 0);
	ck_assert_uint_eq(be16(f + L4OFF + 16), want);
	ck_assert_mem_eq(f + len - 10, c->pkts[0].data + len - 10, 10);
	bench_free(b);
}
END_TEST

START_TEST(legacy_equals_vnet)
{
	struct fspec s = { .proto = 6, .payload = 777 };
	struct ofd_case *c;
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	c->req.kind = OFD_REQ_LEGACY;
	c->req.legacy = OFD_LEGACY_IPV4 | OFD_LEGACY_TCP;
	run(b);
	ck_assert_uint_eq(b->res[1]->status, OFD_RES_OK);
	ck_assert(ofd_frame_equal(&b->res[0]->frame[0], &b->res[1]->frame[0]));
	bench_free(b);
}
END_TEST

/* Rejections. */
struct reject_row {
	const char *name;
	uint8_t flags, gso_type;
	uint16_t gso_size, hdr_len, csum_start, csum_offset;
	uint32_t payload;
	uint8_t status, reason, stage;
	int err;
};

static const struct reject_row rejects[] = {
	/* csum field past the end: hdr_len is raised past the frame */
	{ "csum_offset past frame", 1, 0, 0, 0, L4OFF, 200, 10,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T11: transport offset below the IPv4 minimum */
	{ "T11 csum_start 14", 1, 0, 0, 0, 14, 16, 100,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T10: hdr_len beyond the frame */
	{ "T10 hdr_len > len", 1, 0, 0, 2000, L4OFF, 16, 100,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T14: a GSO type with gso_size 0 */
	{ "T14 gso_size 0", 1, OFD_VNET_GSO_TCPV4, 0, 54, L4OFF, 16, 2000,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T12: TCP GSO needs csum_offset 16 */
	{ "T12 tcp gso csum_offset 6", 1, OFD_VNET_GSO_TCPV4, 500, 54, L4OFF, 6, 2000,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* P3: unknown gso_type bits */
	{ "P3 gso_type 0x10", 1, 0x10, 500, 54, L4OFF, 16, 2000,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* a non-GSO frame longer than MTU + link header (65521 + 14) */
	{ "non-GSO frame > MTU", 0, 0, 0, 0, 0, 0, 65600,
	  OFD_RES_REJECTED, OFD_REASON_FRAME_TOO_LONG, OFD_STAGE_SUBMIT, EMSGSIZE },
};

START_TEST(tx_rejections)
{
	const struct reject_row *row = &rejects[_i];
	struct fspec s = { .proto = 6, .payload = row->payload };
	struct ofd_case *c;
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, row->gso_type ? OFD_OFFLOAD_TSO : OFD_OFFLOAD_TX_CSUM, &s);
	c->req.vnet.flags = row->flags;
	c->req.vnet.gso_type = row->gso_type;
	c->req.vnet.gso_size = row->gso_size;
	c->req.vnet.hdr_len = row->hdr_len;
	c->req.vnet.csum_start = row->csum_start;
	c->req.vnet.csum_offset = row->csum_offset;
	if (!strcmp(row->name, "csum_offset past frame"))
		c->req.vnet.csum_offset = (uint16_t)(c->pkts[0].len - L4OFF - 1);
	run(b);
	ck_assert_msg(b->res[0]->status == row->status, "%s: status %u",
		      row->name, b->res[0]->status);
	ck_assert_msg(b->res[0]->reason == row->reason, "%s: reason %u",
		      row->name, b->res[0]->reason);
	ck_assert_uint_eq(b->res[0]->stage, row->stage);
	ck_assert_int_eq(b->res[0]->err, row->err);
	ck_assert_uint_eq(b->res[0]->nframes, 0);
	bench_free(b);
}
END_TEST

START_TEST(crc32c_unsupported)
{
	struct fspec s = { .proto = 6, .payload = 50 };
	struct ofd_case *c;
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	c->req.csum_type = OFD_CSUM_CRC32C;
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_UNSUPPORTED);
	ck_assert_str_eq(b->res[0]->detail,
			 "CRC32c cannot be requested through virtio_net_hdr (no csum_not_inet)");
	bench_free(b);
}
END_TEST

/* A mixed run: valid non-GSO cases (batched), refusals inside batches, GSO
 * cases and drops in between. Batched and one-at-a-time runs agree, and
 * every frame's checksum is valid. */
static void fill_mixed(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < 200; i++) {
		struct fspec s = { .proto = i % 3 ? 6 : 17,
				   .payload = (i * 37) % 1500, .id = (uint16_t)i };
		struct ofd_case *c;

		if (i % 23 == 5) {
			c = tso_case(b, i % 2 ? 995 : 2500, 1000, (uint16_t)i,
				     i % 2 ? 12 : 0);
			continue;
		}
		c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
		if (i % 7 == 3)
			c->req.vnet.csum_start = 14; /* refused (T11) */
	}
}

START_TEST(batch_equals_single)
{
	struct bench *b;
	struct ofd_result *single[200];
	unsigned int i, k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO));
	fill_mixed(b);
	ofdint_kernel_set_batch(b->priv, false);
	run(b);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(ofd_result__new(ARENA, &single[i]), 0);
		single[i]->status = b->res[i]->status;
		single[i]->reason = b->res[i]->reason;
		single[i]->nframes = 0;
		for (k = 0; k < b->res[i]->nframes; k++) {
			uint8_t *d;
			struct ofd_frame *f = ofd_result_add_new(single[i],
					b->res[i]->frame[k].len, &d);

			ck_assert_ptr_nonnull(f);
			memcpy(d, b->res[i]->frame[k].base, f->len);
		}
	}
	ofdint_kernel_set_batch(b->priv, true);
	run(b);
	for (i = 0; i < 200; i++) {
		struct ofd_result *r = b->res[i];

		ck_assert_uint_eq(r->status, single[i]->status);
		ck_assert_uint_eq(r->reason, single[i]->reason);
		ck_assert_uint_eq(r->nframes, single[i]->nframes);
		if (i % 7 == 3 && i % 23 != 5) {
			ck_assert_uint_eq(r->status, OFD_RES_REJECTED);
			ck_assert_int_eq(r->err, EINVAL);
		} else if (i % 23 == 5) {
			ck_assert_uint_eq(r->nframes, i % 2 ? 0 : 3);
		} else {
			ck_assert_uint_eq(r->status, OFD_RES_OK);
			ck_assert_uint_eq(r->nframes, 1);
		}
		for (k = 0; k < r->nframes; k++) {
			ck_assert(ofd_frame_equal(&r->frame[k], &single[i]->frame[k]));
			assert_l4_valid(fb(r, k), r->frame[k].len);
			ck_assert_uint_eq(be16(fb(r, k) + 18), (i + k) & 0xffff);
		}
		ofd_result__free(single[i]);
	}
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The host is never touched                                           */
/* ------------------------------------------------------------------ */

static char *host_snapshot(void)
{
	static const char cmd[] =
		"ip -o link show; ip -o addr show; ip route show table all; "
		"ip -6 route show table all; ip rule show; "
		"cat /proc/self/mountinfo";
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	FILE *p;

	ck_assert_ptr_nonnull(buf);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
	}
	buf[len] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_uint_gt(len, 0);
	return buf;
}

static void exercise(struct bench *b)
{
	add_tx(b, OFD_OFFLOAD_TX_CSUM, &csum_ok[3]);
	tso_case(b, 2500, 1000, 0x1234, 0);
	add_gro(b, &gro_rows[0], OFD_OFFLOAD_GRO);
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	ck_assert_uint_eq(b->res[1]->nframes, 3);
	ck_assert_uint_eq(b->res[2]->nframes, 1);
}

START_TEST(host_untouched_open_close)
{
	char *before, *after;
	struct bench *b;

	if (kernel_unavailable())
		return;
	before = host_snapshot();
	b = bench_new(0);
	exercise(b);
	after = host_snapshot();
	ck_assert_str_eq(before, after);  /* while open, too */
	bench_free(b);
	free(after);
	after = host_snapshot();
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

static bool napi_thread_exists(const char *dev)
{
	char prefix[32], path[300], comm[32];
	struct dirent *de;
	bool found = false;
	ssize_t n;
	DIR *d;
	int fd;

	snprintf(prefix, sizeof(prefix), "napi/%s-", dev);
	d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	while (!found && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n > 0) {
			comm[n] = '\0';
			found = !strncmp(comm, prefix, strlen(prefix));
		}
	}
	closedir(d);
	return found;
}

START_TEST(host_untouched_sigkill)
{
	char *before, *after, name[IFNAMSIZ + 1] = { 0 };
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int pfd[2], st, i;
	pid_t pid;

	if (kernel_unavailable())
		return;
	before = host_snapshot();
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct bench *b;

		close(pfd[0]);
		b = bench_new(0);
		exercise(b);
		if (write(pfd[1], ofdint_kernel_ns(b->priv)->rx_name,
			  IFNAMSIZ) != IFNAMSIZ)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], name, IFNAMSIZ), IFNAMSIZ);
	close(pfd[0]);
	ck_assert(napi_thread_exists(name));
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	after = host_snapshot();
	ck_assert_str_eq(before, after);
	/* The namespace is torn down by the kernel's cleanup_net work after
	 * the last descriptor closed; wait (bounded) for that event: the
	 * tap's NAPI kthread goes away with the device. */
	for (i = 0; i < 1000 && napi_thread_exists(name); i++)
		nanosleep(&ts, NULL);
	ck_assert_msg(!napi_thread_exists(name),
		      "napi/%s still exists 10 s after SIGKILL", name);
	free(before);
	free(after);
}
END_TEST

START_TEST(version_and_floor)
{
	char v[128];
	double pps = 0;

	ck_assert_int_eq(ofd_kernel_version(v, sizeof(v)), 0);
	ck_assert(!strncmp(v, "Linux ", 6));
	ck_assert_int_eq(ofd_kernel_version(v, 4), -ENAMETOOLONG);
	if (kernel_unavailable())
		return;
	ck_assert_int_eq(ofd_kernel_bench_floor(2000, &pps), 0);
	ck_assert(pps > 0);
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc;

	tc = tcase_create("tso");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, t1_three_segments);
	tcase_add_test(tc, t2_id_wraps);
	tcase_add_test(tc, t4_not_really_gso);
	tcase_add_test(tc, t5_options_trap_dropped);
	tcase_add_test(tc, t7_uso);
	tcase_add_test(tc, t15_tiny_gso_size);
	suite_add_tcase(s, tc);

	tc = tcase_create("tx_csum");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, csum_valid, 0, OFD_ARRAY_SIZE(csum_ok));
	tcase_add_loop_test(tc, t6_zero_becomes_ffff, 0, 2);
	tcase_add_test(tc, q1_trailer_is_summed);
	tcase_add_test(tc, legacy_equals_vnet);
	tcase_add_loop_test(tc, tx_rejections, 0, OFD_ARRAY_SIZE(rejects));
	tcase_add_test(tc, crc32c_unsupported);
	tcase_add_test(tc, batch_equals_single);
	suite_add_tcase(s, tc);

	tc = tcase_create("host");
	tcase_set_timeout(tc, 40);
	tcase_add_test(tc, host_untouched_open_close);
	tcase_add_test(tc, host_untouched_sigkill);
	tcase_add_test(tc, version_and_floor);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(kernel_suite)
