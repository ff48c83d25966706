/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * gso_internal.h - the model of the kernel's software GSO, shared by its
 * files: gso_walk.c (the protocol handlers' walk down to the payload, and
 * every drop on the way), gso_segment.c (skb_segment and the per-segment
 * header fix-ups), tso.c (request -> skb, the offload's entry).
 *
 * The kernel segments recursively: each protocol handler pulls its header,
 * calls the next one, and fixes its own header in every segment the inner
 * handlers returned. The model does the same in two passes: the walk
 * records each header the handlers pass (outermost first), the segmenter
 * copies the headers of each segment, references its payload chunk in the
 * input (no copy), and then runs the fix-ups innermost first, so an outer
 * checksum covers finished inner headers, as in the kernel.
 */
#ifndef OFD_GSO_INTERNAL_H
#define OFD_GSO_INTERNAL_H

#include "model_internal.h"

enum gso_hdr_kind {
	GH_IPV4,    /* inet_gso_segment */
	GH_IPV6,    /* ipv6_gso_segment */
	GH_TCP,     /* tcp_gso_segment */
	GH_UDP_L4,  /* __udp_gso_segment */
	GH_UFO4,    /* udp4_ufo_fragment: the UDP checksum, before slicing */
	GH_UDP_TNL, /* __skb_udp_tunnel_segment: the outer UDP */
	GH_GRE,     /* gre_gso_segment */
};

struct gso_hdr {
	uint8_t kind;   /* enum gso_hdr_kind */
	bool fixedid;   /* IPv4: keep the ID in every segment */
	bool udpfrag;   /* IPv4: UFO fragments (frag_off, same ID) */
	bool csum;      /* tunnel: outer checksum (_CSUM) */
	uint32_t off;   /* header offset in the frame */
	uint32_t hlen;  /* header length */
};

#define GSO_MAX_HDRS 16

/* The GSO bits that make a stack-built skb encapsulated. */
#define GSO_TUNNEL_BITS (OFD_SKB_GSO_GRE | OFD_SKB_GSO_GRE_CSUM |          \
			 OFD_SKB_GSO_IPXIP4 | OFD_SKB_GSO_IPXIP6 |          \
			 OFD_SKB_GSO_UDP_TUNNEL | OFD_SKB_GSO_UDP_TUNNEL_CSUM)

/* Everything the segmenter needs, filled by gso_walk. */
struct gso_plan {
	const uint8_t *in;
	uint32_t len;
	uint32_t type;   /* OFD_SKB_GSO_* */
	uint32_t mss;
	uint32_t doff;   /* bytes copied into every segment: MAC to payload */
	uint32_t nh;
	struct gso_hdr h[GSO_MAX_HDRS];
	/* TCP/UDP_L4: the checksum field as the handler found it (after
	 * tcp4/6_gso_segment re-seeded a non-PARTIAL skb); UFO: the full
	 * UDP checksum it computed. */
	uint16_t l4_check;
	uint8_t meta_flags; /* vnet flags of every segment (UFO: DATA_VALID) */
};

/* The skb as the GSO path sees it. */
struct gso_skb {
	const uint8_t *data;
	uint32_t len;
	uint32_t type;       /* OFD_SKB_GSO_* (DODGY is irrelevant here) */
	uint32_t mss;
	bool partial;        /* ip_summed == CHECKSUM_PARTIAL */
	bool encapsulation;  /* skb->encapsulation (stack-built tunnels) */
	uint32_t csum_start;
	uint16_t protocol;   /* skb->protocol */
	uint16_t nh_off;     /* network header = mac_len */
};

/* What a drop or a refusal looks like before it reaches the result. */
struct gso_verdict {
	int unsupported;        /* 1: the model cannot do this case */
	const char *why;        /* unsupported: why; drop: optional detail */
	enum ofd_reason reason; /* drop at transmit */
};

/*
 * Walk the handlers the kernel would call for skb (kernel-tx.md 4, 5.1,
 * 5.3, 5.4, 6, 7). Returns 0 with *plan ready, or -1 with *v saying why
 * the kernel drops it (or the model cannot follow).
 */
int gso_walk(const struct gso_skb *skb, struct gso_plan *plan,
	     struct gso_verdict *v);

/*
 * Cut plan's skb into segments in res (kernel-tx.md 4 skb_segment, with
 * the fix-ups of 5.2-5.4, 6.1, 6.2, 7.1, 7.2). Returns 0, or -ENOSPC when
 * the result slot has no room left (res is then emptied).
 */
int gso_segment(const struct gso_plan *plan, struct ofd_result *res);

/* 16-bit ones'-complement add (the kernel's csum16_add). */
static inline uint16_t gso_csum16_add(uint16_t a, uint16_t b)
{
	uint16_t r = (uint16_t)(a + b);

	return (uint16_t)(r + (r < b));
}

/* A 32-bit length added to a partial sum as the kernel adds htonl(len):
 * both 16-bit halves count (kernel-tx.md 5.2 step 2). */
static inline uint32_t gso_len32(uint32_t v)
{
	return (v >> 16) + (v & 0xffff);
}

#endif
