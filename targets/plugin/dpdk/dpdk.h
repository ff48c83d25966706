/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * dpdk.h - the DPDK plugin's shared state: DPDK 22.11's software offloads
 * (rte_net's checksum helpers, lib/vhost's virtio checksum fallback,
 * rte_gso) driven the way a DPDK application drives them when its port
 * cannot offload.
 *
 *   dpdk.c       entry, EAL and mempools, a case into an mbuf and the
 *                output mbufs back into the host's buffer
 *   dpdk_parse.c the headers as an application finds them
 *                (rte_net_get_ptype, VXLAN/GENEVE by UDP port)
 *   dpdk_csum.c  tx-csum: the PROTOCOL path (testpmd's csum engine in
 *                software mode), the GENERIC path (vhost's fallback), the
 *                checksums an application writes after rte_gso
 *   dpdk_gso.c   tso: rte_gso_segment
 *   dpdk_gro.c   gro: rte_gro_reassemble_burst per NAPI batch
 */
#ifndef OFD_DPDK_H
#define OFD_DPDK_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "ofd_plugin.h"

/* The most segments one case can give: gso_size 1 on a 64 KB packet;
 * rte_gso_segment counts them in a uint16_t. */
#define DPDK_MAX_SEGS 65535u

struct dpdk_priv {
	/* Received packets: 2 KB-class data room, as a NIC's or vhost's RX
	 * pool (RTE_MBUF_DEFAULT_BUF_SIZE). */
	struct rte_mempool *rx_pool;
	/* rte_gso's direct (header copies) and indirect (payload) pools. */
	struct rte_mempool *hdr_pool;
	struct rte_mempool *ind_pool;
	struct rte_mbuf **segs; /* DPDK_MAX_SEGS */
};

enum dpdk_tunnel {
	DPDK_TUN_NONE = 0,
	DPDK_TUN_VXLAN,  /* UDP port 4789 (testpmd's parse_vxlan) */
	DPDK_TUN_GENEVE, /* UDP port 6081, Ethernet payload */
	DPDK_TUN_GRE,    /* rte_net_get_ptype: RTE_PTYPE_TUNNEL_GRE/NVGRE */
	DPDK_TUN_IP,     /* rte_net_get_ptype: RTE_PTYPE_TUNNEL_IP */
};

/*
 * The headers of a frame as a DPDK application finds them: offsets from
 * the frame's first byte. Without a tunnel only the "inner" fields are
 * set (they are the only L3 and L4). With one, outer_* is the outer IP
 * and, for UDP tunnels and GRE, the outer L4 or GRE header.
 */
struct dpdk_hdrs {
	uint32_t ptype;    /* rte_net_get_ptype() of the frame */
	enum dpdk_tunnel tunnel;
	uint16_t outer_l3_off, outer_l3_len, outer_l4_off;
	bool outer_v6;
	uint16_t l3_off, l3_len, l4_off, l4_len;
	bool v6;
	bool v6_ext;       /* IPv6 extension headers before the L4 */
	bool v4_frag;      /* IPv4 MF or fragment offset set */
	uint8_t l4_proto;  /* IPPROTO_TCP, _UDP, _SCTP or 0: not found */
};

/* dpdk_parse.c */
/* Parse m; with want_tunnel, look through a tunnel to its inner L4 (GRE
 * and IP-in-IP as rte_net_get_ptype does, VXLAN and GENEVE by their UDP
 * ports). 0, or -1 with a one-line reason in why (why_len bytes). */
int dpdk_parse(struct rte_mbuf *m, bool want_tunnel, struct dpdk_hdrs *h,
	       char *why, size_t why_len);
/* The mbuf offload fields an application's TX path sets for h
 * (l2_len..outer_l3_len, rte_mbuf.h's "fields to support TX offloads"). */
void dpdk_set_tx_lens(struct rte_mbuf *m, const struct dpdk_hdrs *h);

/* dpdk.c: a frame as a received packet (a chain of RX mbufs), NULL when
 * the pool is empty */
struct rte_mbuf *dpdk_mbuf_from_frame(struct dpdk_priv *p, const uint8_t *data,
				      uint32_t len);
/* dpdk.c: bytes of a chain */
int dpdk_mbuf_write(struct rte_mbuf *m, uint32_t off, const void *src,
		    uint32_t len);
int dpdk_mbuf_read(const struct rte_mbuf *m, uint32_t off, void *dst,
		   uint32_t len);

/* dpdk_csum.c */
/* Checksum one frame for a tx-csum request; 0, or 1 for UNSUPPORTED
 * with the reason in r->detail. */
int dpdk_txcsum(struct dpdk_priv *p, struct rte_mbuf *m,
		const struct ofd_plugin_request *req, struct ofd_plugin_result *r);
/* lib/vhost's software checksum for a virtio NEEDS_CSUM request. */
void dpdk_vhost_csum(struct rte_mbuf *m, uint16_t csum_start,
		     uint16_t csum_offset);
/* The L4 checksum of h (zeroed, then rte_ipv4/ipv6_udptcp_cksum_mbuf). */
void dpdk_l4_csum(struct rte_mbuf *m, const struct dpdk_hdrs *h);
/* Every checksum an application writes in software on a packet it
 * sends after rte_gso_segment: IPv4 headers, the TCP checksum (unless
 * skip_l4: IP fragments of a datagram already summed), the outer UDP
 * checksum of a tunnel that carries one, GRE's. */
void dpdk_segment_csums(struct rte_mbuf *seg, const struct dpdk_hdrs *h,
			bool outer_udp_csum, bool skip_l4);

/* dpdk_gso.c */
int dpdk_tso(struct dpdk_priv *p, struct rte_mbuf *m,
	     const struct ofd_plugin_request *req, struct ofd_plugin_result *r);

/* dpdk_gro.c: a train through rte_gro; 0, 1 for UNSUPPORTED (detail
 * set) or a negative errno. Frees every mbuf it made. */
int dpdk_gro(struct dpdk_priv *p, const struct ofd_plugin_case *c,
	     struct ofd_plugin_result *r);

/* dpdk.c: the entry (declared for -Wmissing-prototypes). */
OFD_PLUGIN_EXPORT const struct ofd_plugin *ofd_plugin_v1(void);

/* dpdk.c: append the frames of segs[0, n) to r; 0 or -ENOSPC. */
int dpdk_emit(struct ofd_plugin_result *r, struct rte_mbuf *const *segs,
	      unsigned int n);
/* Set r to UNSUPPORTED with a printf reason; returns 1. */
int dpdk_unsupported(struct ofd_plugin_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
