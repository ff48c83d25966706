// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_vnic_rx.c - the virtual NIC's receive path with hardware GRO
 * (ofd_vnic_opts.hw_gro, vnic_rx.c), judged from outside: a peer writes
 * TCP segments and marker frames on the wire port, a stack reads the
 * device port with PACKET_VNET_HDR. Expectations from kernel-rx.md:
 *  - one batch of 4 contiguous 100-byte segments (one marker after them)
 *    comes up as one aggregate of 400 bytes, TCPV4, gso_size 100,
 *    NEEDS_CSUM with csum_start 34 and csum_offset 16 (7.4, first row),
 *    the TCP checksum field holding the pseudo-header seed (1.9);
 *  - the same segments each in a batch of its own (a marker after each)
 *    come up as four frames of 100, DATA_VALID (1.8: validated, not
 *    merged): the kernel's software GRO on the device port merges nothing
 *    the device handed up apart (each tap write is its own NAPI poll with
 *    gro_flush_timeout 0: 7.1, 7.4 "never merges"). Fifty trains back to
 *    back, so a poll that took two writes would show.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "ofd_marker.h"
#include "ofd_vnic.h"
#include "vnic_test_util.h"

#define TRAINS 50
#define SEGS 4
#define PAY 100

static uint8_t frame[2048], out[70000];

static void up_gro(struct ofd_vnic *v)
{
	struct ofd_vnic_opts o = { .profile = "conformant", .profile_dir = "specs/profiles",
				   .hw_gro = true };
	char err[512] = "";

	ck_assert_msg(ofd_vnic_up(&o, v, err, sizeof(err)) == 0, "vnic up: %s", err);
}

/* Segment k of a train: ACK only (PSH would end the aggregate), IPv4 ID
 * fixed with DF (1.5: a fixed-ID flow merges), a valid TCP checksum. */
static size_t segment(uint32_t seq)
{
	size_t len = vt_frame(frame, PAY, seq, 0);
	uint16_t c;

	frame[VT_ETH + VT_IP + 13] = VT_TCP_ACK;
	c = (uint16_t)~ofd_test_fold(ofd_test_sum(frame + VT_ETH + VT_IP, VT_TCP + PAY,
						  vt_pseudo(frame, VT_TCP + PAY)));
	frame[VT_ETH + VT_IP + 16] = (uint8_t)(c >> 8);
	frame[VT_ETH + VT_IP + 17] = (uint8_t)c;
	return len;
}

static void marker(int s, uint64_t seq)
{
	static const uint8_t src[6] = { 2, 't', 'e', 's', 't', 0 };
	struct ofd_vnet_hdr h = { 0 };
	uint8_t m[OFD_MARKER_LEN];

	ofd_marker_build(m, src, seq, 0);
	vt_send(s, &h, m, sizeof(m));
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2); /* AF_PACKET's header: host order */
	return v;
}

START_TEST(one_batch_one_aggregate)
{
	struct ofd_vnic v;
	struct ofd_vnet_hdr h = { 0 };
	uint32_t t, k, tot;
	int tx, rx;

	up_gro(&v);
	tx = vt_port_socket(v.nsfd, v.wire_port, VT_VNET);
	rx = vt_port_socket(v.nsfd, v.dev_port, VT_VNET | VT_READ);
	for (t = 0; t < TRAINS; t++) {
		for (k = 0; k < SEGS; k++) {
			size_t len = segment(t * 10000 + k * PAY);

			vt_send(tx, &h, frame, len);
		}
		marker(tx, t + 1);
	}
	for (t = 0; t < TRAINS; t++) {
		size_t n = vt_recv_skip(rx, out, sizeof(out), 2000, 10);
		const uint8_t *f = out + 10;

		ck_assert_msg(n == 10 + VT_HDRS + SEGS * PAY, "train %u: %zu bytes", t, n);
		tot = (uint32_t)(f[VT_ETH + 2] << 8 | f[VT_ETH + 3]);
		ck_assert_uint_eq(tot, VT_IP + VT_TCP + SEGS * PAY);
		ck_assert_uint_eq(be32(f + VT_ETH + VT_IP + 4), t * 10000);
		ck_assert_uint_eq(out[0], OFD_VNET_F_NEEDS_CSUM);
		ck_assert_uint_eq(out[1], OFD_VNET_GSO_TCPV4);
		ck_assert_uint_eq(rd16(out + 4), PAY);
		ck_assert_uint_eq(rd16(out + 6), VT_ETH + VT_IP);
		ck_assert_uint_eq(rd16(out + 8), 16);
		/* the seed: the pseudo-header sum, not inverted (1.9) */
		ck_assert_uint_eq(be16(f + VT_ETH + VT_IP + 16),
				  ofd_test_fold(vt_pseudo(f, VT_TCP + SEGS * PAY)));
	}
	close(tx);
	close(rx);
	ck_assert_int_eq(ofd_vnic_down(&v), 0);
}
END_TEST

START_TEST(batch_per_segment_never_merged)
{
	struct ofd_vnic v;
	struct ofd_vnet_hdr h = { 0 };
	uint32_t t, k;
	int tx, rx;

	up_gro(&v);
	tx = vt_port_socket(v.nsfd, v.wire_port, VT_VNET);
	rx = vt_port_socket(v.nsfd, v.dev_port, VT_VNET | VT_READ);
	for (t = 0; t < TRAINS; t++) {
		for (k = 0; k < SEGS; k++) {
			size_t len = segment(t * 10000 + k * PAY);

			vt_send(tx, &h, frame, len);
			marker(tx, t * SEGS + k + 1);
		}
	}
	for (t = 0; t < TRAINS; t++) {
		for (k = 0; k < SEGS; k++) {
			size_t n = vt_recv_skip(rx, out, sizeof(out), 2000, 10);
			const uint8_t *f = out + 10;

			ck_assert_msg(n == 10 + VT_HDRS + PAY, "train %u segment %u: %zu bytes", t,
				      k, n);
			ck_assert_uint_eq(be32(f + VT_ETH + VT_IP + 4), t * 10000 + k * PAY);
			ck_assert_uint_eq(out[0], OFD_VNET_F_DATA_VALID);
			ck_assert_uint_eq(out[1], OFD_VNET_GSO_NONE);
			vt_check_sums(f, n - 10);
		}
	}
	close(tx);
	close(rx);
	ck_assert_int_eq(ofd_vnic_down(&v), 0);
}
END_TEST

static Suite *vnic_rx_suite(void)
{
	Suite *s = suite_create("vnic_rx");
	TCase *tc = tcase_create("hw-gro");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, one_batch_one_aggregate);
	tcase_add_test(tc, batch_per_segment_never_merged);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(vnic_rx_suite);
