/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_port.h - AF_PACKET on a device's ports (port.c): the send side hands
 * the driver checksum and GSO requests (PACKET_VNET_HDR), the capture side
 * reads the wire as a peer sees it.
 *
 * What a capture must undo (verified on Linux 6.18 with taps, veth and
 * real NICs): the receive path moves the outer VLAN tag into the skb
 * before packet_rcv, so AF_PACKET hands the frame without it and says the
 * tag in PACKET_AUXDATA; the tag is put back in the frame, as libpcap does.
 * A capture on the port that also sends (NIC loopback) skips its own
 * outgoing frames (PACKET_IGNORE_OUTGOING).
 */
#ifndef OFD_PORT_H
#define OFD_PORT_H

#include <stdint.h>
#include <sys/types.h>

#include "ofd.h"

/* Longest frame a capture reads: a 64 KB GSO frame's worth plus a tag. */
#define OFD_PORT_FRAME_MAX (65536 + 4 + 64)

/* The ifindex and MTU of ifname, through a socket of its namespace.
 * -ENODEV with "no interface 'X'" in err. */
int ofd_port_lookup(int sock, const char *ifname, int *ifindex, unsigned int *mtu,
		    char *err, size_t err_len);

/* A send socket bound to ifindex, with PACKET_VNET_HDR (10-byte header).
 * nsfd: the namespace the port lives in (< 0: ours). fd or -errno. */
int ofd_port_open_tx(int nsfd, int ifindex);
/* One frame with its vnet header: 0 or -errno of sendmsg(). */
int ofd_port_send(int fd, const struct ofd_vnet_hdr *h, const uint8_t *frame,
		  uint32_t len);
/* A non-blocking capture of every protocol on ifindex (its incoming
 * frames only), with PACKET_AUXDATA and a receive buffer of rcvbuf bytes.
 * fd or -errno. */
int ofd_port_open_capture(int nsfd, int ifindex, int rcvbuf);
/*
 * One captured frame into buf (cap >= OFD_PORT_FRAME_MAX), its VLAN tag
 * reinserted: its length, 0 when nothing is waiting, -errno on error.
 * *cut is set when the frame was longer than cap.
 */
ssize_t ofd_port_recv(int fd, uint8_t *buf, size_t cap, int *cut);

/* Frames a capture socket dropped (buffer full) since the last call. */
long ofd_port_drops(int fd);

#endif /* OFD_PORT_H */
