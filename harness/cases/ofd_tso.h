/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_tso.h - tso cases: what the stack, or a virtio guest, hands a device
 * that segments (harness/cases/tso.c), random super-packets
 * (random_tso.c) and the bundled corpus (corpus_tso.c).
 *
 * A tso case is one super-packet and a GSO request for it:
 *
 *   VNET    a virtio_net_hdr from a guest or AF_PACKET: NEEDS_CSUM,
 *           csum_start at the innermost TCP/UDP header, csum_offset 16 or
 *           6, gso_type TCPV4/TCPV6/UDP_L4 (UFO, 3, for IPv4 UDP too), the
 *           ECN bit 0x80 when the super-packet has CWR, hdr_len the header
 *           length, gso_size from the sweep; skb_gso 0.
 *   LEGACY  an skb the stack built (or GRO built and forwards): the same
 *           vnet fields (gso_type the virtio type of the inner protocol,
 *           so an engine that can only speak virtio still has one) and
 *           skb_gso the whole skb_shinfo(skb)->gso_type: TCPV4/TCPV6/UDP_L4
 *           | TCP_ECN on CWR | the tunnel the frame carries (VXLAN/GENEVE:
 *           UDP_TUNNEL, or UDP_TUNNEL_CSUM when the outer UDP checksum is
 *           non-zero; GRE: GRE, GRE_CSUM with the C bit; IP in IPv4:
 *           IPXIP4, in IPv6: IPXIP6). The stack never builds a GSO skb
 *           whose payload is at most gso_size (kernel-tx.md 5.5), nor a UDP
 *           one of more than 128 segments (6.1): those sizes have no legacy
 *           case. The "forwarded" variant is what GRO hands on: the same
 *           with TCP_FIXEDID (an outer or untunnelled IPv4 header),
 *           TCP_FIXEDID_INNER (a tunnel's inner IPv4) and TCP_ACCECN
 *           instead of TCP_ECN on CWR (Linux 6.18 GRO).
 *
 * The frame is copied and its checksum fields hold what the stack leaves
 * there for the device (kernel-tx.md 1, 7.1, 7.2): the innermost L4 the
 * seed fold16(pseudo-header) with the L4 byte count (TCP: the bytes from
 * its header to the frame end; UDP: its length field), a UDP tunnel's
 * non-zero outer checksum the seed over its bytes to the frame end
 * (udp_set_csum for a GSO skb), a GRE checksum and its reserved word 0
 * (gre_build_header leaves them to gre_gso_segment).
 */
#ifndef OFD_TSO_H
#define OFD_TSO_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"

/* The gso_sizes every super-packet is tried with when the spec names none
 * (spec `gso_sizes:`, ofd_spec.h): 1, 7, 8, 536, 1448, 8948, its payload,
 * payload + 1 (OFD_SPEC_GSO_PAYLOAD, _PLUS1) and 0xfffe (the largest the
 * kernel takes: 0xffff is GSO_BY_FRAGS). */
extern const uint32_t ofd_tso_sweep[9];
#define OFD_TSO_MAX_SIZES 64

/* What the cases layer needs to know about a super-packet. */
struct ofd_tso_frame {
	uint8_t l4_proto;   /* OFD_P_TCP or OFD_P_UDP */
	bool v6;            /* the innermost L3 is IPv6 */
	bool cwr;           /* TCP with CWR */
	bool outer_v4;      /* the outermost L3 is IPv4 */
	bool inner_v4;      /* tunnelled, and the inner L3 is IPv4 */
	bool one_tunnel;    /* at most one level of encapsulation: what a
			     * stack-built skb can describe */
	uint32_t l4_off;    /* csum_start */
	uint32_t l4_hlen;   /* TCP doff * 4, or 8 */
	uint32_t payload;   /* bytes after the L4 header to the frame end:
			     * what GSO splits */
	uint32_t tunnel;    /* OFD_SKB_GSO_* tunnel bits, 0 untunnelled */
	int outer_udp_off;  /* a UDP tunnel's outer UDP header, -1 if none */
	int gre_csum_off;   /* a GRE checksum field (C bit), -1 if none */
};

/* Is frame[0, len) a TCP or UDP super-packet (innermost L4 TCP/UDP with a
 * complete header, tunnelled or not)? 0 with *f filled, -ENOENT if not. */
int ofd_tso_frame(const uint8_t *frame, uint32_t len, struct ofd_tso_frame *f);

/* Write into copy (a copy of frame, len bytes) the checksum fields the
 * stack leaves for the device (top of this file). 0, or -ENOENT. */
int ofd_tso_seed(const uint8_t *frame, uint32_t len,
		 const struct ofd_tso_frame *f, uint8_t *copy);

/* Request variants. */
#define OFD_TSO_UFO 0x1       /* VNET: gso_type UDP (UFO), IPv4 UDP only */
#define OFD_TSO_FORWARDED 0x2 /* LEGACY: FIXEDID, FIXEDID_INNER, ACCECN */

/* The request of kind for f at gso_size (top of this file); variant
 * OFD_TSO_*. */
void ofd_tso_request(const struct ofd_tso_frame *f, enum ofd_req_kind kind,
		     uint16_t gso_size, unsigned int variant,
		     struct ofd_request *req);

/* Would the stack build a GSO skb of f with gso_size? (payload larger than
 * gso_size; UDP: at most 128 segments.) */
bool ofd_tso_stack_builds(const struct ofd_tso_frame *f, uint16_t gso_size);

/*
 * The gso_sizes f is tried with, ascending and without repeats, into
 * out[OFD_TSO_MAX_SIZES]: the spec's list (NULL or 0 long: ofd_tso_sweep),
 * OFD_SPEC_GSO_PAYLOAD/_PLUS1 standing for f's payload (+ 1), left out
 * when that is 0 or past 0xfffe (0xffff is GSO_BY_FRAGS: only a spec's
 * own 65535 asks for it). Returns the count.
 */
unsigned int ofd_tso_sizes(const struct ofd_tso_frame *f, const uint32_t *spec,
			   size_t nspec, uint16_t *out);

/* ---- random cases (random_tso.c) --------------------------------- */

#define OFD_TSO_RAND_MAX_FRAME 65535

enum ofd_tso_rand_req {
	OFD_TSO_RQ_CORRECT = 0,
	OFD_TSO_RQ_BAD_OFFSET, /* csum_offset of another protocol or odd */
	OFD_TSO_RQ_SIZE_ZERO,  /* gso_size 0 */
	OFD_TSO_RQ_BY_FRAGS,   /* gso_size 0xffff */
	OFD_TSO_RQ_BAD_SEED,   /* random, length 0 (NIC style), tot_len */
	OFD_TSO_RQ_NO_CSUM,    /* flags 0 */
	OFD_TSO_RQ_BAD_TYPE,   /* a gso_type of the other family/protocol */
	OFD_TSO_RQ__N,
};

struct ofd_tso_rand_info {
	uint8_t req;        /* enum ofd_tso_rand_req */
	uint8_t l4_proto;   /* OFD_P_TCP / OFD_P_UDP */
	uint8_t tunnel;     /* enum ofd_proto of the tunnel (IPIP: the inner
			     * IP's), OFD_P_NONE */
	uint8_t ext;        /* IPv6 extension: 0 none, else an OFD_P_ value;
			     * 51 for AH */
	bool trailer;
	uint16_t gso_size;  /* as drawn for the correct request */
	uint32_t payload;
	uint32_t segs;      /* ceil(payload / gso_size) */
	uint32_t full_len;
};

const char *ofd_tso_rand_req_name(enum ofd_tso_rand_req r);

/* Case (seed, index) into buf[0, cap) (cap >= 128); deterministic in
 * (seed, index), cap bounding only the payload. info may be NULL. */
int ofd_tso_random_ex(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		      struct ofd_pkt *pkt, struct ofd_case *c,
		      struct ofd_tso_rand_info *info);

/* ---- corpus (corpus_tso.c) --------------------------------------- */

enum ofd_tso_corpus_file {
	OFD_TSO_GEN_BASE = 0,
	OFD_TSO_GEN_IPV6_EXT,
	OFD_TSO_GEN_TUNNELS,
	OFD_TSO_GEN_UDP,
	OFD_TSO_GEN_EDGE,
	OFD_TSO_GEN__NFILES,
};

#endif /* OFD_TSO_H */
