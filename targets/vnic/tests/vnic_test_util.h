/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * vnic_test_util.h - what the virtual NIC's suites share: AF_PACKET
 * sockets on its ports (made inside its namespace) and a TCP/IPv4 frame
 * built by hand, checked with the independent RFC 1071 helpers of
 * ofd_test.h rather than with offdiff's own checksum code.
 */
#ifndef OFD_VNIC_TEST_UTIL_H
#define OFD_VNIC_TEST_UTIL_H

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_netns.h"
#include "ofd_test.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define VT_ETH 14
#define VT_IP 20
#define VT_TCP 20
#define VT_HDRS (VT_ETH + VT_IP + VT_TCP)
#define VT_SPORT 40000
#define VT_DPORT 5201
#define VT_TCP_ACK 0x10
#define VT_TCP_PSH 0x08

/* An AF_PACKET socket on `port` of namespace nsfd: VT_VNET speaks
 * virtio_net_hdr (PACKET_VNET_HDR), VT_READ reads what the port receives
 * (ETH_P_ALL, PACKET_IGNORE_OUTGOING); a sender is bound with protocol 0,
 * so nothing is queued to it. */
#define VT_VNET 1
#define VT_READ 2
static inline int vt_port_socket(int nsfd, const char *port, int how)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int s = ofd_netns_socket(nsfd, AF_PACKET, SOCK_RAW, 0), one = 1, big = 8 << 20;

	ck_assert_int_ge(s, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", port);
	ck_assert_int_eq(ioctl(s, SIOCGIFINDEX, &ifr), 0);
	sll.sll_ifindex = ifr.ifr_ifindex;
	if (how & VT_VNET)
		ck_assert_int_eq(setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)), 0);
	if (how & VT_READ) {
		sll.sll_protocol = htons(ETH_P_ALL);
		ck_assert_int_eq(setsockopt(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
					    sizeof(one)), 0);
		setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	}
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return s;
}

/* virtio_net_hdr (legacy layout, host order, as AF_PACKET takes it) and
 * the frame, in one send. */
static inline void vt_send(int s, const struct ofd_vnet_hdr *h, const uint8_t *frame,
			   size_t len)
{
	uint8_t b[10];
	struct iovec iov[2] = { { b, sizeof(b) }, { (void *)frame, len } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	b[0] = h->flags;
	b[1] = h->gso_type;
	memcpy(b + 2, &h->hdr_len, 2);
	memcpy(b + 4, &h->gso_size, 2);
	memcpy(b + 6, &h->csum_start, 2);
	memcpy(b + 8, &h->csum_offset, 2);
	ck_assert_int_eq(sendmsg(s, &m, 0), (ssize_t)len + 10);
}

/* The next frame of ours (IPv4, TCP from VT_SPORT) within ms, after
 * `skip` bytes (a vnet header); its length with them, or 0 when none
 * came. Frames of the kernel's own are skipped. */
static inline size_t vt_recv_skip(int s, uint8_t *buf, size_t cap, int ms, size_t skip)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	while (poll(&p, 1, ms) > 0) {
		ssize_t n = recv(s, buf, cap, MSG_DONTWAIT);
		const uint8_t *f = buf + skip;

		if (n >= (ssize_t)(skip + VT_HDRS) && f[12] == 0x08 && f[13] == 0x00 &&
		    f[23] == 6 && (f[34] << 8 | f[35]) == VT_SPORT)
			return (size_t)n;
	}
	return 0;
}

static inline size_t vt_recv(int s, uint8_t *buf, size_t cap, int ms)
{
	return vt_recv_skip(s, buf, cap, ms, 0);
}

/* The TCP/IPv4 pseudo-header sum for tcp_len bytes of segment. */
static inline uint32_t vt_pseudo(const uint8_t *f, uint32_t tcp_len)
{
	uint32_t acc = ofd_test_sum(f + VT_ETH + 12, 8, 0);

	return acc + 6 + tcp_len;
}

/*
 * Ethernet / IPv4 (valid header checksum) / TCP with `pay` payload bytes
 * (byte i = i * 7 + 3), flags ACK|PSH, sequence `seq`; the TCP checksum
 * field holds `field`. Returns the frame length.
 */
static inline size_t vt_frame(uint8_t *f, uint32_t pay, uint32_t seq, uint16_t field)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	uint8_t *ip = f + VT_ETH, *tcp = ip + VT_IP;
	uint16_t c;
	uint32_t i;

	memset(f, 0, VT_HDRS);
	memcpy(f, mac, 12);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((VT_IP + VT_TCP + pay) >> 8);
	ip[3] = (uint8_t)(VT_IP + VT_TCP + pay);
	ip[4] = 0x12;
	ip[5] = 0x34;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	c = (uint16_t)~ofd_test_fold(ofd_test_sum(ip, VT_IP, 0));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	tcp[0] = VT_SPORT >> 8;
	tcp[1] = VT_SPORT & 0xff;
	tcp[2] = VT_DPORT >> 8;
	tcp[3] = VT_DPORT & 0xff;
	tcp[4] = (uint8_t)(seq >> 24);
	tcp[5] = (uint8_t)(seq >> 16);
	tcp[6] = (uint8_t)(seq >> 8);
	tcp[7] = (uint8_t)seq;
	tcp[11] = 1; /* ack 1 */
	tcp[12] = 5 << 4;
	tcp[13] = VT_TCP_ACK | VT_TCP_PSH;
	tcp[14] = 0xff;
	tcp[15] = 0xff;
	tcp[16] = (uint8_t)(field >> 8);
	tcp[17] = (uint8_t)field;
	for (i = 0; i < pay; i++)
		f[VT_HDRS + i] = (uint8_t)(i * 7 + 3);
	return VT_HDRS + pay;
}

/* The received frame's IPv4 header and TCP checksum verify (RFC 1071:
 * the sum over pseudo-header and segment, field included, is 0xffff). */
static inline void vt_check_sums(const uint8_t *f, size_t n)
{
	uint32_t tot = (uint32_t)(f[VT_ETH + 2] << 8 | f[VT_ETH + 3]);

	ck_assert_uint_le(VT_ETH + tot, n);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(f + VT_ETH, VT_IP, 0)), 0xffff);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(f + VT_ETH + VT_IP, tot - VT_IP,
						      vt_pseudo(f, tot - VT_IP))),
			  0xffff);
}

#endif /* OFD_VNIC_TEST_UTIL_H */
