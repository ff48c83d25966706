// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rx_consequence.c - what the running kernel's stack does with a frame a
 * target delivered on receive: the consequence of a discrepancy, not only
 * the difference (issue 19: "merged frames a target delivers are handed to
 * the kernel's receive path, and what the stack does with them is part of
 * the report").
 *
 * The frame goes up the judge's second tap (rxjudge_setup.c), which takes a
 * virtio_net_hdr first: the receive metadata the target gave the frame
 * (gso_type and gso_size of a coalesced frame, NEEDS_CSUM with its
 * csum_start/offset) reaches the stack the way a NIC driver hands a
 * hardware-GRO skb to napi_gro_receive. Every address is local there and
 * no route leads out (rxjudge.c), so the stack delivers and answers
 * nothing back onto a wire; what it did is read from the namespace's
 * counters (/proc/net/snmp, snmp6, netstat) and, for UDP, from a socket
 * bound to the frame's destination port: the datagrams an application
 * would have read.
 *
 * As with the checksum judge, the frame is delivered as its final
 * decapsulating recipient sees it: outer headers and VLAN tags are
 * replaced by an Ethernet header to the tap. Nothing else is rewritten
 * (lengths stay as the target wrote them: a wrong one is a consequence).
 *
 * Limits of the tap, said in the report where they matter: tun ignores
 * VIRTIO_NET_HDR_F_DATA_VALID on write (kernel-rx.md 7.1), so a frame the
 * target marked CHECKSUM_UNNECESSARY is verified by the stack in software
 * here, where a driver that claims it would have the stack trust it; and
 * a GSO skb from a vnet header is SKB_GSO_DODGY.
 */
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "kernel_internal.h"
#include "kernel_priv.h"
#include "rxjudge_priv.h"

enum rxc_file { RXC_SNMP, RXC_SNMP6, RXC_NETSTAT, RXC_NFILES };

/* What the stack counts on the way up; kind says how a move reads. */
enum rxc_kind { RXC_SEEN, RXC_PASS, RXC_DROP };

struct rxc_counter {
	uint8_t file;          /* enum rxc_file */
	uint8_t kind;          /* enum rxc_kind */
	const char *group;     /* "Ip:", ...; NULL in snmp6 */
	const char *name;
	const char *label;     /* as the report names it */
};

static const struct rxc_counter rxc_counters[] = {
	{ RXC_SNMP, RXC_SEEN, "Ip:", "InReceives", "Ip InReceives" },
	{ RXC_SNMP, RXC_DROP, "Ip:", "InHdrErrors", "Ip InHdrErrors" },
	{ RXC_SNMP, RXC_DROP, "Ip:", "InAddrErrors", "Ip InAddrErrors" },
	{ RXC_SNMP, RXC_DROP, "Ip:", "InUnknownProtos", "Ip InUnknownProtos" },
	{ RXC_SNMP, RXC_DROP, "Ip:", "InDiscards", "Ip InDiscards" },
	{ RXC_NETSTAT, RXC_DROP, "IpExt:", "InTruncatedPkts", "IpExt InTruncatedPkts" },
	{ RXC_NETSTAT, RXC_DROP, "IpExt:", "InCsumErrors", "IpExt InCsumErrors" },
	{ RXC_SNMP, RXC_PASS, "Tcp:", "InSegs", "Tcp InSegs" },
	{ RXC_SNMP, RXC_DROP, "Tcp:", "InErrs", "Tcp InErrs" },
	{ RXC_SNMP, RXC_DROP, "Tcp:", "InCsumErrors", "Tcp InCsumErrors" },
	{ RXC_SNMP, RXC_PASS, "Udp:", "InDatagrams", "Udp InDatagrams" },
	{ RXC_SNMP, RXC_PASS, "Udp:", "NoPorts", "Udp NoPorts" },
	{ RXC_SNMP, RXC_DROP, "Udp:", "InErrors", "Udp InErrors" },
	{ RXC_SNMP, RXC_DROP, "Udp:", "InCsumErrors", "Udp InCsumErrors" },
	{ RXC_SNMP6, RXC_SEEN, NULL, "Ip6InReceives", "Ip6 InReceives" },
	{ RXC_SNMP6, RXC_DROP, NULL, "Ip6InHdrErrors", "Ip6 InHdrErrors" },
	{ RXC_SNMP6, RXC_DROP, NULL, "Ip6InTruncatedPkts", "Ip6 InTruncatedPkts" },
	{ RXC_SNMP6, RXC_DROP, NULL, "Ip6InAddrErrors", "Ip6 InAddrErrors" },
	{ RXC_SNMP6, RXC_DROP, NULL, "Ip6InUnknownProtos", "Ip6 InUnknownProtos" },
	{ RXC_SNMP6, RXC_DROP, NULL, "Ip6InDiscards", "Ip6 InDiscards" },
	{ RXC_SNMP6, RXC_PASS, NULL, "Udp6InDatagrams", "Udp6 InDatagrams" },
	{ RXC_SNMP6, RXC_PASS, NULL, "Udp6NoPorts", "Udp6 NoPorts" },
	{ RXC_SNMP6, RXC_DROP, NULL, "Udp6InErrors", "Udp6 InErrors" },
	{ RXC_SNMP6, RXC_DROP, NULL, "Udp6InCsumErrors", "Udp6 InCsumErrors" },
};

#define RXC_N OFD_ARRAY_SIZE(rxc_counters)
#define RXC_MAX_DGRAMS 8

static int rxc_read(struct ofdint_rxj *j, unsigned long long *v)
{
	const int fds[RXC_NFILES] = { j->snmp_fd, j->snmp6_fd, j->netstat_fd };
	unsigned int f, i;
	ssize_t n;

	for (f = 0; f < RXC_NFILES; f++) {
		n = pread(fds[f], j->text, 65535, 0);
		if (n < 0)
			return -errno;
		j->text[n] = '\0';
		for (i = 0; i < RXC_N; i++) {
			if (rxc_counters[i].file != f)
				continue;
			/* A counter this kernel does not have stays 0. */
			if (ofdint_rxj_counter(j->text, rxc_counters[i].group,
					       rxc_counters[i].name, &v[i]))
				v[i] = 0;
		}
	}
	return 0;
}

/* A UDP receiver on the frame's port, made inside the namespace. */
struct rxc_sock {
	uint16_t port;
	int fd;
};

static int rxc_udp_open(void *arg, const char **why)
{
	struct rxc_sock *s = arg;
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(s->port) };
	int off = 0;

	s->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return *why = "socket(AF_INET6, SOCK_DGRAM)", -errno;
	/* Dual-stack: IPv4 datagrams arrive v4-mapped on the same socket. */
	setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(s->fd, (struct sockaddr *)&a, sizeof(a))) {
		close(s->fd);
		s->fd = -1;
		return *why = "bind of the UDP receiver", -errno;
	}
	return 0;
}

/*
 * The frame as its final recipient gets it, into j->buf: from the innermost
 * IP header on, or from an outer one when the metadata's csum_start
 * (limit) points before the innermost (an aggregate the target built over
 * an outer header: it is that header the stack must finish). The bytes
 * stripped in front in *strip; the UDP destination port of the L4 header
 * that IP header carries in *udp_port (0: TCP).
 */
static const char *rxc_prepare(struct ofdint_rxj *j, const uint8_t *f, uint32_t len,
			       uint32_t limit, uint32_t *out_len, uint32_t *strip,
			       uint32_t *udp_port)
{
	const struct ofd_layer *ip = NULL, *l4 = NULL;
	struct ofd_parsed p;
	int i, ipi = -1;

	ofd_parse(f, len, 0, &p);
	for (i = 0; i < (int)p.nlayers; i++) {
		const struct ofd_layer *l = &p.layer[i];

		if ((l->proto == OFD_P_IPV4 || l->proto == OFD_P_IPV6) && l->off <= limit) {
			ip = l;
			ipi = i;
		}
	}
	if (!ip)
		return "no IP header: not followed up the stack";
	for (i = ipi + 1; i < (int)p.nlayers && !l4; i++)
		if (p.layer[i].proto == OFD_P_TCP || p.layer[i].proto == OFD_P_UDP)
			l4 = &p.layer[i];
	if (!l4)
		return "no TCP or UDP header: not followed up the stack";
	/* ofd_parse saw the whole 8-byte UDP header */
	*udp_port = l4->proto == OFD_P_UDP ? (uint32_t)(f[l4->off + 2] << 8 | f[l4->off + 3])
					   : 0;
	if (14 + (len - ip->off) > RXJ_BUF)
		return "larger than the delivery buffer";
	memcpy(j->buf, j->vmac, 6);
	memcpy(j->buf + 6, "\x02\x00\x00\x00\x00\x01", 6);
	j->buf[12] = ip->proto == OFD_P_IPV4 ? 0x08 : 0x86;
	j->buf[13] = ip->proto == OFD_P_IPV4 ? 0x00 : 0xdd;
	memcpy(j->buf + 14, f + ip->off, len - ip->off);
	*out_len = 14 + (len - ip->off);
	*strip = ip->off - 14;
	return NULL;
}

/* The virtio_net_hdr a driver would hand up with these metadata. */
static void rxc_vnet(const struct ofd_meta *m, uint32_t strip, struct ofd_vnet_hdr *h)
{
	memset(h, 0, sizeof(*h));
	if (!(m->has & OFD_META_VNET))
		return;
	*h = m->vnet;
	if (h->flags & OFD_VNET_F_NEEDS_CSUM)
		h->csum_start = h->csum_start >= strip ? (uint16_t)(h->csum_start - strip) : 0;
	/* AF_PACKET reports skb_headlen() as hdr_len (kernel-rx.md 7.3), not
	 * a header length: let tun size the linear part itself. */
	h->hdr_len = 0;
}

static size_t rxc_append(char *buf, size_t len, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t rxc_append(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

int ofdint_kernel_consequence(void *priv, const struct ofd_frame *fr, char *out, size_t olen)
{
	struct kernel_priv *kp = priv;
	unsigned long long before[RXC_N], after[RXC_N];
	uint32_t dg[RXC_MAX_DGRAMS], ndg = 0, n = 0, strip = 0, port = 0, i;
	struct rxc_sock us = { .fd = -1 };
	struct ofd_vnet_hdr h;
	const uint8_t *f = fr->base;
	struct ofdint_rxj *j;
	uint8_t *tmp = NULL, sink[2048];
	const char *why = NULL;
	bool pass = false, drop = false;
	struct iovec iov[2];
	size_t at = 0;
	ssize_t r;
	int err;

	out[0] = '\0';
	err = ofdint_kernel_rxj(priv, &j, &why);
	if (err)
		return err;
	if (fr->npatches || fr->tail_len) {
		tmp = malloc(fr->len ? fr->len : 1);
		if (!tmp)
			return -ENOMEM;
		ofd_frame_materialize(fr, tmp);
		f = tmp;
	}
	why = rxc_prepare(j, f, fr->len,
			  fr->meta.has & OFD_META_VNET &&
					  fr->meta.vnet.flags & OFD_VNET_F_NEEDS_CSUM ?
				  fr->meta.vnet.csum_start : UINT32_MAX,
			  &n, &strip, &port);
	if (why) {
		snprintf(out, olen, "%s", why);
		goto done;
	}
	if (port) {
		us.port = (uint16_t)port;
		if (ofdint_kns_run_in(kp->ns->rx_sock, rxc_udp_open, &us, &why))
			us.fd = -1; /* the counters still say what happened */
	}
	rxc_vnet(&fr->meta, strip, &h);
	if ((err = rxc_read(j, before)))
		goto done;
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = j->buf;
	iov[1].iov_len = n;
	do
		r = writev(j->vtap, iov, 2);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		/* tun_get_user / virtio_net_hdr_to_skb refused the metadata */
		snprintf(out, olen, "refused at the driver boundary: the stack rejects this "
			 "receive metadata (gso_type %u, gso_size %u, flags %#x): %s",
			 h.gso_type, h.gso_size, h.flags, strerror(errno));
		goto done;
	}
	while (read(j->vtap, sink, sizeof(sink)) > 0)
		;
	/* Before the counters: UDP counts InDatagrams when a datagram is
	 * read (udp_recvmsg), not when it is queued. */
	while (us.fd >= 0 && ndg < RXC_MAX_DGRAMS) {
		r = recv(us.fd, sink, 0, MSG_DONTWAIT | MSG_TRUNC);
		if (r < 0)
			break;
		dg[ndg++] = (uint32_t)r;
	}
	if ((err = rxc_read(j, after)))
		goto done;
	/* The checksum judge's counters are stale now. */
	j->valid[0] = j->valid[1] = false;
	for (i = 0; i < RXC_N; i++) {
		if (after[i] == before[i])
			continue;
		pass |= rxc_counters[i].kind == RXC_PASS;
		drop |= rxc_counters[i].kind == RXC_DROP;
	}
	at = rxc_append(out, olen, at, "%s",
			drop ? "dropped by the stack" :
			pass ? "accepted by the stack" :
			       "dropped before any protocol counted it");
	if (ndg) {
		at = rxc_append(out, olen, at, "; a UDP socket on port %u read %u datagram%s (",
				us.port, ndg, ndg == 1 ? "" : "s");
		for (i = 0; i < ndg; i++)
			at = rxc_append(out, olen, at, "%s%u", i ? ", " : "", dg[i]);
		at = rxc_append(out, olen, at, " bytes)");
	} else if (us.fd >= 0) {
		at = rxc_append(out, olen, at, "; a UDP socket on port %u read nothing", us.port);
	}
	at = rxc_append(out, olen, at, " [");
	for (i = 0, n = 0; i < RXC_N; i++) {
		if (after[i] == before[i] || rxc_counters[i].kind == RXC_SEEN)
			continue;
		at = rxc_append(out, olen, at, "%s%s +%llu", n++ ? ", " : "",
				rxc_counters[i].label, after[i] - before[i]);
	}
	at = rxc_append(out, olen, at, "%s]", n ? "" : "no counter moved");
	if (fr->meta.has & OFD_META_CSUM_STATE &&
	    fr->meta.csum_state == OFD_CSUM_STATE_UNNECESSARY)
		rxc_append(out, olen, at, "; the tap cannot pass on CHECKSUM_UNNECESSARY, so "
			   "the stack verified the checksum a driver would have vouched for");
done:
	if (us.fd >= 0)
		close(us.fd);
	free(tmp);
	return err;
}
