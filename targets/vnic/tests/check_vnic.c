// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_vnic.c - the virtual NIC judged from outside, as a user's stack
 * sees it: requests go in on the device port through AF_PACKET with
 * PACKET_VNET_HDR (the way the kernel engine hands the kernel a request),
 * and what the emulated NIC put on the wire is read on the wire port. The
 * expectations come from the RFCs and the profiles' YAML, checked with
 * ofd_test.h's own RFC 1071 helpers:
 *  - tx-csum: a generic (HW_CSUM) request sums from csum_start to the end,
 *    seed included, and stores the folded complement at csum_offset: with
 *    the stack's pseudo-header seed the TCP checksum verifies (RFC 793);
 *    with a zeroed field it is the sum of the segment alone;
 *  - tso: 3000 payload bytes at gso_size 1000 are three segments with
 *    consecutive sequence numbers, valid IPv4 and TCP checksums, PSH on
 *    the last only (conformant) or on every one (tso-psh-every.yaml:
 *    "PSH and FIN copied to every segment");
 *  - the reverse path: a frame a peer sends on the wire port arrives on
 *    the device port, its vnet header claiming nothing (flags 0);
 *  - down leaves no process and no namespace.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "ofd_vnic.h"
#include "vnic_test_util.h"

#define PROFILES "specs/profiles"

static uint8_t in[70000], out[70000];

static void up(const char *profile, const char *netns, struct ofd_vnic *v)
{
	struct ofd_vnic_opts o = { .profile = profile, .profile_dir = PROFILES, .netns = netns };
	char err[512] = "";

	ck_assert_msg(ofd_vnic_up(&o, v, err, sizeof(err)) == 0, "vnic up: %s", err);
	ck_assert_int_gt(v->pid, 0);
	ck_assert_int_ge(v->nsfd, 0);
}

static void down_gone(struct ofd_vnic *v)
{
	pid_t pid = v->pid;

	ck_assert_int_eq(ofd_vnic_down(v), 0);
	ck_assert_int_eq(kill(pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(v->nsfd, -1);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

START_TEST(tx_csum_conformant)
{
	struct ofd_vnic v;
	struct ofd_vnet_hdr h = { .flags = OFD_VNET_F_NEEDS_CSUM, .csum_start = VT_ETH + VT_IP,
				  .csum_offset = 16 };
	size_t len, n;
	int tx, rx;

	up("conformant", NULL, &v);
	tx = vt_port_socket(v.nsfd, v.dev_port, VT_VNET);
	rx = vt_port_socket(v.nsfd, v.wire_port, VT_READ);

	/* The stack's way: the field holds the pseudo-header sum. */
	len = vt_frame(in, 100, 1000, 0);
	len = vt_frame(in, 100, 1000, ofd_test_fold(vt_pseudo(in, VT_TCP + 100)));
	vt_send(tx, &h, in, len);
	n = vt_recv(rx, out, sizeof(out), 2000);
	ck_assert_uint_eq(n, len);
	vt_check_sums(out, n);
	/* only the checksum field changed */
	ck_assert_mem_eq(out, in, VT_ETH + VT_IP + 16);
	ck_assert_mem_eq(out + VT_HDRS - 2, in + VT_HDRS - 2, len - VT_HDRS + 2);

	/* A zeroed field: the device sums what it is pointed at and no
	 * pseudo-header of its own; the segment alone sums to 0xffff. */
	len = vt_frame(in, 100, 2000, 0);
	vt_send(tx, &h, in, len);
	n = vt_recv(rx, out, sizeof(out), 2000);
	ck_assert_uint_eq(n, len);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + VT_ETH + VT_IP, len - VT_ETH - VT_IP, 0)),
			  0xffff);
	close(tx);
	close(rx);
	down_gone(&v);
}
END_TEST

/* A TCPV4 GSO request of 3000 bytes at gso_size 1000: three segments,
 * each checked; psh_every says whether the profile copies PSH. */
static void tso_three(const char *profile, bool psh_every)
{
	struct ofd_vnic v;
	struct ofd_vnet_hdr h = { .flags = OFD_VNET_F_NEEDS_CSUM, .gso_type = OFD_VNET_GSO_TCPV4,
				  .hdr_len = VT_HDRS, .gso_size = 1000,
				  .csum_start = VT_ETH + VT_IP, .csum_offset = 16 };
	uint32_t seq0 = 0x01020304, k;
	size_t len, n;
	int tx, rx;

	up(profile, NULL, &v);
	tx = vt_port_socket(v.nsfd, v.dev_port, VT_VNET);
	rx = vt_port_socket(v.nsfd, v.wire_port, VT_READ);
	len = vt_frame(in, 3000, seq0, 0);
	len = vt_frame(in, 3000, seq0, ofd_test_fold(vt_pseudo(in, VT_TCP + 3000)));
	vt_send(tx, &h, in, len);
	for (k = 0; k < 3; k++) {
		n = vt_recv(rx, out, sizeof(out), 2000);
		ck_assert_msg(n == VT_HDRS + 1000, "segment %u: %zu bytes", k, n);
		ck_assert_uint_eq(be16(out + VT_ETH + 2), VT_IP + VT_TCP + 1000);
		ck_assert_uint_eq(be32(out + VT_ETH + VT_IP + 4), seq0 + 1000 * k);
		vt_check_sums(out, n);
		ck_assert_mem_eq(out + VT_HDRS, in + VT_HDRS + 1000 * k, 1000);
		ck_assert_uint_eq(out[VT_ETH + VT_IP + 13] & VT_TCP_ACK, VT_TCP_ACK);
		ck_assert_uint_eq(out[VT_ETH + VT_IP + 13] & VT_TCP_PSH,
				  psh_every || k == 2 ? VT_TCP_PSH : 0);
	}
	ck_assert_uint_eq(vt_recv(rx, out, sizeof(out), 200), 0);
	close(tx);
	close(rx);
	down_gone(&v);
}

START_TEST(tso_conformant)
{
	tso_three("conformant", false);
}
END_TEST

START_TEST(tso_psh_every)
{
	tso_three("tso-psh-every", true);
}
END_TEST

START_TEST(rx_path)
{
	struct ofd_vnic v;
	struct ofd_vnet_hdr h = { 0 };
	size_t len, n;
	int tx, rx;

	up("conformant", NULL, &v);
	/* the peer sends on the wire port, a stack reads the device port
	 * with the header the device gave */
	tx = vt_port_socket(v.nsfd, v.wire_port, VT_VNET);
	rx = vt_port_socket(v.nsfd, v.dev_port, VT_VNET | VT_READ);
	len = vt_frame(in, 200, 7, 0x1234);
	vt_send(tx, &h, in, len);
	n = vt_recv_skip(rx, out, sizeof(out), 2000, 10);
	ck_assert_uint_eq(n, len + 10);
	ck_assert_uint_eq(out[0], 0); /* flags: no receive offload claimed */
	ck_assert_uint_eq(out[1], OFD_VNET_GSO_NONE);
	ck_assert_mem_eq(out + 10, in, len);
	close(tx);
	close(rx);
	down_gone(&v);
}
END_TEST

START_TEST(named_up_down)
{
	struct ofd_vnic v;
	char name[64], path[128], cmd[192];
	struct stat st;

	snprintf(name, sizeof(name), "ofd-vnic-check-%d", (int)getpid());
	up("conformant", name, &v);
	ck_assert_str_eq(v.netns, name);
	snprintf(cmd, sizeof(cmd), "ip -n %s link show %s >/dev/null && ip -n %s link show %s >/dev/null",
		 name, v.dev_port, name, v.wire_port);
	ck_assert_int_eq(system(cmd), 0);
	down_gone(&v);
	snprintf(path, sizeof(path), OFD_NETNS_DIR "/%s", name);
	ck_assert_int_eq(stat(path, &st), -1);
}
END_TEST

START_TEST(bad_profile)
{
	struct ofd_vnic_opts o = { .profile = "no-such-profile", .profile_dir = PROFILES,
				   .netns = NULL };
	struct ofd_vnic v;
	char err[512] = "";

	ck_assert_int_lt(ofd_vnic_up(&o, &v, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "no-such-profile"));
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_int_eq(v.pid, 0);
}
END_TEST

/* Requests per second for 1500-byte tx-csum frames, send on the device
 * port to read on the wire port, in windows the socket buffers hold. */
START_TEST(throughput)
{
	struct ofd_vnic v;
	struct ofd_vnet_hdr h = { .flags = OFD_VNET_F_NEEDS_CSUM, .csum_start = VT_ETH + VT_IP,
				  .csum_offset = 16 };
	const unsigned int total = 20000, win = 256;
	unsigned int sent = 0, got = 0, i;
	struct timespec a, b;
	size_t len;
	double s;
	int tx, rx;

	up("conformant", NULL, &v);
	tx = vt_port_socket(v.nsfd, v.dev_port, VT_VNET);
	rx = vt_port_socket(v.nsfd, v.wire_port, VT_READ);
	len = vt_frame(in, 1500 - VT_IP - VT_TCP, 1, 0);
	len = vt_frame(in, 1500 - VT_IP - VT_TCP, 1, ofd_test_fold(vt_pseudo(in, 1500 - VT_IP)));
	clock_gettime(CLOCK_MONOTONIC, &a);
	while (sent < total) {
		for (i = 0; i < win && sent < total; i++, sent++)
			vt_send(tx, &h, in, len);
		while (got < sent && vt_recv(rx, out, sizeof(out), 1000) == len)
			got++;
		if (got < sent)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	fprintf(stderr, "vnic: %u of %u 1500-byte tx-csum requests through in %.3f s: %.0f requests/s\n",
		got, total, s, got / s);
	vt_check_sums(out, len);
	ck_assert_uint_eq(got, total);
	close(tx);
	close(rx);
	down_gone(&v);
}
END_TEST

static Suite *vnic_suite(void)
{
	Suite *s = suite_create("vnic");
	TCase *tc = tcase_create("device");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tx_csum_conformant);
	tcase_add_test(tc, tso_conformant);
	tcase_add_test(tc, tso_psh_every);
	tcase_add_test(tc, rx_path);
	tcase_add_test(tc, named_up_down);
	tcase_add_test(tc, bad_profile);
	tcase_add_test(tc, throughput);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(vnic_suite);
