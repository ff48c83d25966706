/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_pktbuild.h - layered packet builders for the corpus generator, the random
 * case generator and tests.
 *
 * The shape follows the kernel selftests (tools/testing/selftests/net/lib/
 * csum.c, gro.c): each builder appends one header to a buffer and the
 * packet is finished at the end, when every length is known. Here the
 * builders also record each header as a layer, so ofd_pktb_finish() can
 * fill in what depends on the layers that follow:
 *
 *   - next-protocol fields (ethertype, IPv4 protocol, IPv6/extension next
 *     header, GRE and GENEVE protocol type) from the following layer;
 *   - IPv4 tot_len and header checksum, IPv6 payload_len, UDP length (and
 *     the BIG TCP forms, ofd_pktb_jumbo / ofd_pktb_biglen);
 *   - L4 checksums, innermost first (an outer checksum covers the inner
 *     packet), as the kernel puts them on the wire (kernel-tx.md 2.2):
 *     ones'-complement sum over the pseudo-header and the L4 bytes to the
 *     END OF THE FRAME (Ethernet padding / trailer included, probe Q1),
 *     a computed 0 stored as 0xffff for TCP, UDP and ICMP alike;
 *     IPv6 pseudo-header destination = RFC 8200 8.1 final destination,
 *     i.e. Segment List[0] when an SRH is present (RFC 8754);
 *     SCTP: CRC32c (RFC 4960 App. B, RFC 3309) over the common header and
 *     chunks with the field zeroed, stored as ~crc least significant byte
 *     first;
 *     GRE with the C bit: RFC 2784 checksum over GRE header + payload, no
 *     pseudo-header, no 0 -> 0xffff mapping (gre_build_header).
 *   - Tunnels: the UDP header below VXLAN/GENEVE gets checksum 0 (RFC 7348,
 *     RFC 6935 for IPv6), the inner packet is finished like any other.
 *
 * Every length field is computed up to the "datagram end": the frame end,
 * or where ofd_pktb_trailer()/ofd_pktb_pad() started appending bytes that
 * lie beyond the IP datagram.
 *
 * Builders return the new layer's index (>= 0) or a negative errno; errors
 * are also sticky in b->err, so a chain can be checked once at finish.
 * Nothing here allocates; the caller owns buf.
 */
#ifndef OFD_PKTBUILD_H
#define OFD_PKTBUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd_parse.h" /* enum ofd_proto names the layers */

#define OFD_PKTB_MAX_LAYERS 24

/* What finish writes into an L4 (or GRE) checksum field. */
enum ofd_pktb_csum {
	OFD_PKTB_CSUM_FULL = 0, /* the complete checksum (default) */
	OFD_PKTB_CSUM_ZERO,     /* 0: tunnel UDP, "no checksum" */
	OFD_PKTB_CSUM_SEED,     /* CHECKSUM_PARTIAL input: fold16(pseudo),
				 * not complemented (kernel-tx.md 1); 0 for
				 * protocols without a pseudo-header (ICMPv4,
				 * SCTP) */
	OFD_PKTB_CSUM_KEEP,     /* leave the field alone */
};

/* Layer flags. */
#define OFD_PKTB_L_NOLINK 0x1 /* finish keeps this layer's next-proto field */
#define OFD_PKTB_L_JUMBO 0x2  /* hop-by-hop header holding a jumbo option */
#define OFD_PKTB_L_BIGLEN 0x4 /* length field 0 past 65535 (ofd_pktb_biglen) */

struct ofd_pktb_layer {
	uint8_t proto;  /* enum ofd_proto */
	uint8_t csum;   /* enum ofd_pktb_csum: TCP, UDP, SCTP, ICMP, GRE */
	uint16_t flags; /* OFD_PKTB_L_* */
	uint32_t off;   /* header offset in the frame */
	uint32_t len;   /* header length (payload: bytes appended) */
};

struct ofd_pktb {
	uint8_t *buf;
	uint32_t cap;
	uint32_t len;
	int err;            /* first error, sticky */
	uint32_t dgram_end; /* where the trailer starts, when has_trailer */
	bool has_trailer;
	uint32_t nlayers;
	struct ofd_pktb_layer layer[OFD_PKTB_MAX_LAYERS];
};

void ofd_pktb_init(struct ofd_pktb *b, uint8_t *buf, uint32_t cap);
/* Forget everything built so far (same buffer). */
void ofd_pktb_reset(struct ofd_pktb *b);

/* ---- L2 ---------------------------------------------------------- */

/* Ethernet II. dst/src NULL: 02:00:00:00:00:02 / 02:00:00:00:00:01. The
 * ethertype is linked at finish; `type` stays when nothing known follows. */
int ofd_pktb_eth(struct ofd_pktb *b, const uint8_t *dst, const uint8_t *src,
		 uint16_t type);
/* An 802.1Q tag (TPID 0x8100, OFD_P_VLAN) and an 802.1ad service tag (TPID
 * 0x88a8, OFD_P_QINQ). The TPID lands in the preceding layer's type field;
 * QinQ is eth + qinq + vlan. */
int ofd_pktb_vlan(struct ofd_pktb *b, uint16_t vid, uint8_t pcp);
int ofd_pktb_qinq(struct ofd_pktb *b, uint16_t vid, uint8_t pcp);

/* ---- L3 ---------------------------------------------------------- */

struct ofd_pktb_ipv4_opts {
	const uint8_t *saddr;   /* NULL: 10.0.0.1 */
	const uint8_t *daddr;   /* NULL: 10.0.0.2 */
	uint16_t id;
	uint8_t ttl;            /* 0: 64 */
	uint8_t tos;
	bool no_df;             /* DF is set unless this is */
	uint8_t proto;          /* when nothing known follows; 0: 253 */
	const uint8_t *options; /* IPv4 options, a multiple of 4, <= 40 */
	uint8_t options_len;
};
/* o NULL: all defaults with id 0x1234. */
int ofd_pktb_ipv4(struct ofd_pktb *b, const struct ofd_pktb_ipv4_opts *o);

/* Ready-made IPv4 options: NOP NOP NOP EOL (4 bytes), and an RFC 791
 * timestamp option holding one timestamp (8 bytes). */
extern const uint8_t ofd_pktb_ipv4_opt_nop[4];
extern const uint8_t ofd_pktb_ipv4_opt_ts[8];

struct ofd_pktb_ipv6_opts {
	const uint8_t *saddr;   /* NULL: 2001:db8::1 */
	const uint8_t *daddr;   /* NULL: 2001:db8::2 */
	uint8_t hop_limit;      /* 0: 64 */
	uint8_t tclass;
	uint32_t flowlabel;
	uint8_t nexthdr;        /* when nothing known follows; 0: 59 */
};
int ofd_pktb_ipv6(struct ofd_pktb *b, const struct ofd_pktb_ipv6_opts *o);

/* Hop-by-hop options of len bytes (a multiple of 8): a Router Alert option
 * (RFC 2711) then PadN. Destination options of len bytes: PadN only. */
int ofd_pktb_hbh(struct ofd_pktb *b, uint32_t len);
int ofd_pktb_dstopts(struct ofd_pktb *b, uint32_t len);

/*
 * BIG TCP (kernel-rx.md 1.9). ofd_pktb_jumbo appends the kernel's 8-byte
 * jumbo hop-by-hop header (right after an IPv6 layer): a Jumbo Payload
 * option (RFC 2675: type 0xC2, length 4) and nothing else; finish sets the
 * IPv6 payload length to 0 and the option to the length after the fixed
 * header, whatever it is (RFC 2675 wants it above 65535: build more). A
 * datagram that passes 65535 without it makes finish fail with -EMSGSIZE.
 * ofd_pktb_biglen lets an IPv4 or UDP layer pass 65535 with a length field
 * of 0 (iph_set_totlen; UDP as the kernel sets it for big GSO packets).
 */
int ofd_pktb_jumbo(struct ofd_pktb *b);
int ofd_pktb_biglen(struct ofd_pktb *b, int layer);

/* Segment Routing Header (RFC 8754): routing type 4, nsegs segments (1..8,
 * segs[0] is the final destination), Segments Left and Last Entry =
 * nsegs - 1. Like a source (RFC 8754 4.1) it sets the enclosing IPv6
 * destination to segs[segments_left]; finish does not touch it again. */
int ofd_pktb_srh(struct ofd_pktb *b, const uint8_t (*segs)[16],
		 uint8_t nsegs, uint8_t segments_left);

/* The same SRH on a frame some node rewrote, or crafted: the enclosing
 * IPv6 Destination Address is da (NULL: as ofd_pktb_srh), e.g. segments
 * left 0 with a Destination Address other than Segment List[0]. finish
 * seeds with the final destination (ofd_parse_pseudo's rule). */
int ofd_pktb_srh_da(struct ofd_pktb *b, const uint8_t (*segs)[16],
		    uint8_t nsegs, uint8_t segments_left, const uint8_t da[16]);

/* A routing header of another type (RFC 8200 4.4): type 0 (RFC 2460,
 * deprecated by RFC 5095), 2 (RFC 6275), 3 or unknown; 4 reserved bytes,
 * then naddrs (1..8) addresses in order, the last being the final
 * destination. The enclosing Destination Address is left alone. */
int ofd_pktb_rthdr(struct ofd_pktb *b, uint8_t type, const uint8_t (*addrs)[16],
		   uint8_t naddrs, uint8_t segments_left);

/* IPv6 fragment header. offset in 8-octet units. (0, false) is an atomic
 * fragment (RFC 6946), (0, true) a first fragment; finish treats the bytes
 * present as the whole upper-layer packet. */
int ofd_pktb_frag(struct ofd_pktb *b, uint16_t offset, bool more,
		  uint32_t ident);

/* ---- L4 ---------------------------------------------------------- */

struct ofd_pktb_tcp_opts {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;          /* TH_* bits, e.g. 0x18 ACK|PSH */
	uint16_t window;
	uint16_t urg;
	const uint8_t *options; /* a multiple of 4, <= 40 */
	uint8_t options_len;
};
/* o NULL: 1000 -> 2000, seq 100000, ack 1, ACK|PSH, window 65535
 * (the kernel probes' values, kernel-tx.md 10.6). */
int ofd_pktb_tcp(struct ofd_pktb *b, const struct ofd_pktb_tcp_opts *o);
/* NOP NOP Timestamps (RFC 7323), 12 bytes. */
extern const uint8_t ofd_pktb_tcp_opt_ts[12];

int ofd_pktb_udp(struct ofd_pktb *b, uint16_t sport, uint16_t dport);

/* SCTP common header (RFC 4960 3.1). */
int ofd_pktb_sctp(struct ofd_pktb *b, uint16_t sport, uint16_t dport,
		  uint32_t vtag);
/* One DATA chunk (RFC 4960 3.3.1, flags B|E) carrying data_len bytes of
 * the payload pattern, padded with zeros to 4 bytes. The whole chunk is
 * recorded as one PAYLOAD layer (the parser stops at the common header). */
int ofd_pktb_sctp_data(struct ofd_pktb *b, uint32_t tsn, uint16_t sid,
		       uint16_t ssn, uint32_t ppid, uint32_t data_len);

/* ICMP echo request: type 8 under IPv4, ICMPv6 type 128 (with its
 * pseudo-header, RFC 4443 2.3) under IPv6. */
int ofd_pktb_icmp_echo(struct ofd_pktb *b, uint16_t id, uint16_t seq);

/* ---- tunnels ----------------------------------------------------- */

/* VXLAN (RFC 7348) and GENEVE (RFC 8926) follow a UDP layer (the caller
 * picks the ports: 4789, 6081) and set its checksum mode to ZERO. GENEVE
 * carries one option TLV of opt_len bytes (0 or a multiple of 4, 4..124)
 * when opt_len is non-zero. */
int ofd_pktb_vxlan(struct ofd_pktb *b, uint32_t vni);
int ofd_pktb_geneve(struct ofd_pktb *b, uint32_t vni, uint32_t opt_len);

/* GRE (RFC 2784, key/sequence RFC 2890). */
#define OFD_PKTB_GRE_CSUM 0x8000
#define OFD_PKTB_GRE_KEY 0x2000
#define OFD_PKTB_GRE_SEQ 0x1000
int ofd_pktb_gre(struct ofd_pktb *b, uint16_t flags, uint32_t key,
		 uint32_t seq);
/* IPIP / SIT / IPv6-in-IPv6 need no builder: an IP layer followed by
 * another gets protocol 4 or 41. */

/* ---- payload and trailer ----------------------------------------- */

/* n bytes of the probe pattern: byte i = (i * 7) & 0xff. */
int ofd_pktb_payload(struct ofd_pktb *b, uint32_t n);
/* n bytes copied from data (or zeros when data is NULL), as payload. */
int ofd_pktb_bytes(struct ofd_pktb *b, const void *data, uint32_t n);
/* Bytes after the IP datagram: lengths stop before them, L4 checksums
 * cover them (the kernel sums to the frame end). */
int ofd_pktb_trailer(struct ofd_pktb *b, const void *data, uint32_t n);
/* Zero-pad the frame to min_len bytes (60: the Ethernet minimum without
 * FCS) as a trailer. Returns 0 when nothing was needed. */
int ofd_pktb_pad(struct ofd_pktb *b, uint32_t min_len);

/* ---- finishing --------------------------------------------------- */

/* Fill in links, lengths and checksums (see the top of this file). Can be
 * called again after editing bytes. Returns 0 or the sticky error. */
int ofd_pktb_finish(struct ofd_pktb *b);

/*
 * Rewrite the 16-bit word at absolute offset adj_off (inside layer l4, at
 * an even distance from its start, not the checksum field) so that the true
 * checksum of layer l4 (TCP, UDP, ICMP, ICMPv6) is 0x0000, which the wire
 * carries as 0xffff. Finishes the packet before and after.
 */
int ofd_pktb_zero_sum(struct ofd_pktb *b, int l4, uint32_t adj_off);

/* Pseudo-header partial sum of layer l4 (TCP, UDP, ICMPv6) as finish uses
 * it; -EINVAL for other layers or without an enclosing IP layer. Lengths
 * must be final (call after ofd_pktb_finish). */
int ofd_pktb_pseudo(const struct ofd_pktb *b, int l4, uint32_t *sum);

/* Offset of layer l4's checksum field from the layer start: TCP 16, UDP 6,
 * ICMP/ICMPv6 2, SCTP 8, GRE 4 (C bit). -EINVAL otherwise. */
int ofd_pktb_csum_offset(const struct ofd_pktb *b, int l4);

/* Index of the innermost layer of proto at or before layer `before`
 * (-1: search all), or -ENOENT. */
int ofd_pktb_find(const struct ofd_pktb *b, enum ofd_proto proto, int before);

#endif /* OFD_PKTBUILD_H */
