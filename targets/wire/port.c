// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * port.c - AF_PACKET on a device's ports: requests in, the wire out.
 *
 * The send side is the kernel engine's way into the kernel (virtio_net_hdr
 * on AF_PACKET), pointed at a real device port: the driver then hands the
 * checksum or GSO request to the hardware when the feature is on. The
 * capture side reads frames as they arrive on a peer port, with the one
 * correction AF_PACKET needs to show the wire as it was (the VLAN tag).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ofd_kernel.h"
#include "ofd_netns.h"
#include "ofd_port.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

int ofd_port_lookup(int sock, const char *ifname, int *ifindex, unsigned int *mtu,
		    char *err, size_t err_len)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name)) {
		snprintf(err, err_len, "'%s' is not an interface name", ifname);
		return -EINVAL;
	}
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(sock, SIOCGIFINDEX, &ifr)) {
		int e = errno;

		snprintf(err, err_len, "no interface '%s'%s", ifname,
			 e == ENODEV ? "" : strerror(e));
		return -e;
	}
	*ifindex = ifr.ifr_ifindex;
	if (ioctl(sock, SIOCGIFMTU, &ifr)) {
		snprintf(err, err_len, "%s: cannot read its MTU: %s", ifname, strerror(errno));
		return -errno;
	}
	*mtu = (unsigned int)ifr.ifr_mtu;
	return 0;
}

static int bind_to(int fd, int ifindex, int proto)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = (unsigned short)htons((uint16_t)proto),
		.sll_ifindex = ifindex,
	};

	return bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ? -errno : 0;
}

int ofd_port_open_tx(int nsfd, int ifindex)
{
	int one = 1, fd = ofd_netns_socket(nsfd, AF_PACKET, SOCK_RAW, 0), e;

	if (fd < 0)
		return fd;
	/* Protocol 0: the socket sends only, it never queues a received
	 * frame. */
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    (e = bind_to(fd, ifindex, 0)) != 0) {
		e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

int ofd_port_send(int fd, const struct ofd_vnet_hdr *h, const uint8_t *frame, uint32_t len)
{
	uint8_t hdr[10];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)frame, len } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t r;

	ofd_vnet_hdr_put(hdr, h);
	do
		r = sendmsg(fd, &m, 0);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

int ofd_port_open_capture(int nsfd, int ifindex, int rcvbuf)
{
	int one = 1, fd = ofd_netns_socket(nsfd, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK,
					   htons(ETH_P_ALL)), e;

	if (fd < 0)
		return fd;
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) &&
	     setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))) {
		e = -errno;
		close(fd);
		return e;
	}
	e = bind_to(fd, ifindex, ETH_P_ALL);
	if (!e) {
		/* Cases carry any destination address: a real peer NIC keeps
		 * only its own unless promiscuous. The membership ends with
		 * the socket, so a killed run leaves nothing behind. */
		struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };

		if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
			e = -errno;
	}
	if (e) {
		close(fd);
		return e;
	}
	return fd;
}

ssize_t ofd_port_recv(int fd, uint8_t *buf, size_t cap, int *cut)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct iovec iov = { buf, cap - 4 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	ssize_t n;

	*cut = 0;
	do
		n = recvmsg(fd, &m, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	if ((size_t)n > cap - 4) {
		*cut = 1;
		n = (ssize_t)(cap - 4);
	}
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct tpacket_auxdata aux;
		uint16_t tpid;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		/* A tag of VID 0 and priority 0 is still a tag: VALID says
		 * it was there, the TCI alone cannot. */
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || n < 12)
			continue;
		tpid = aux.tp_status & TP_STATUS_VLAN_TPID_VALID ? aux.tp_vlan_tpid :
								   ETH_P_8021Q;
		memmove(buf + 16, buf + 12, (size_t)n - 12);
		buf[12] = (uint8_t)(tpid >> 8);
		buf[13] = (uint8_t)tpid;
		buf[14] = (uint8_t)(aux.tp_vlan_tci >> 8);
		buf[15] = (uint8_t)aux.tp_vlan_tci;
		n += 4;
	}
	return n;
}

long ofd_port_drops(int fd)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	/* Reading the statistics resets them: the drops since the last look. */
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return 0; /* not a packet socket (a remote's stream) */
	return (long)st.tp_drops;
}
