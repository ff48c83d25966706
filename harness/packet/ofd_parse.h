/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_parse.h - the packet parser shared by the diff (field names), corpus
 * derivation and stats, and the emulator's protocol engine.
 *
 * It walks an Ethernet frame into a flat list of layers, every read bounds
 * checked. It never fails hard: where it cannot go on it stops and says why
 * in .stop, so a truncated or odd frame still yields the layers it has.
 */
#ifndef OFD_PARSE_H
#define OFD_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

enum ofd_proto {
	OFD_P_NONE = 0,
	OFD_P_ETH,
	OFD_P_VLAN,     /* 802.1Q, 0x8100 */
	OFD_P_QINQ,     /* 802.1ad service tag, 0x88a8 */
	OFD_P_IPV4,
	OFD_P_IPV6,
	OFD_P_HBH,      /* IPv6 hop-by-hop options (0) */
	OFD_P_DSTOPTS,  /* IPv6 destination options (60) */
	OFD_P_SRH,      /* IPv6 routing header type 4 (43) */
	OFD_P_RTHDR,    /* IPv6 routing header of another type */
	OFD_P_FRAG,     /* IPv6 fragment header (44) */
	OFD_P_TCP,
	OFD_P_UDP,
	OFD_P_SCTP,
	OFD_P_ICMP,
	OFD_P_ICMPV6,
	OFD_P_VXLAN,    /* UDP 4789, RFC 7348 */
	OFD_P_GENEVE,   /* UDP 6081, RFC 8926 */
	OFD_P_GRE,      /* IP proto 47, RFC 2784/2890 */
	OFD_P_PAYLOAD,  /* whatever follows the last header */
	OFD_P__MAX,
};

/* Short lower-case name: "eth", "vlan", "ipv4", "srh", "tcp", ... */
const char *ofd_proto_name(enum ofd_proto p);

struct ofd_layer {
	uint8_t proto;  /* enum ofd_proto */
	uint8_t depth;  /* 0 outer, 1 inside the first tunnel, ... */
	uint16_t pad;
	uint32_t off;   /* offset of the header in the frame */
	uint32_t len;   /* header length (payload: bytes to the frame end) */
};

#define OFD_PARSE_MAX_LAYERS 24

/* Options that make the parser behave like a simpler device parser
 * (the emulator's bug profiles use them). */
#define OFD_PARSE_NO_EXTHDR 0x1   /* IPv6: treat nexthdr as the L4 protocol */
#define OFD_PARSE_NO_TUNNEL 0x2   /* do not descend into tunnel payloads */

enum ofd_parse_stop {
	OFD_STOP_END = 0,     /* parsed to the payload */
	OFD_STOP_TRUNCATED,   /* a header ran past the frame */
	OFD_STOP_UNKNOWN,     /* unknown ethertype / next header */
	OFD_STOP_FRAGMENT,    /* non-first fragment: no L4 */
	OFD_STOP_MALFORMED,   /* e.g. IPv4 ihl < 5 */
	OFD_STOP_TOO_DEEP,
};

struct ofd_parsed {
	uint32_t nlayers;
	struct ofd_layer layer[OFD_PARSE_MAX_LAYERS];
	uint8_t stop;         /* enum ofd_parse_stop */
	/* Indices into layer[] of the innermost L3 and L4 (-1 if none) and of
	 * the outermost ones. For an untunnelled frame inner == outer. */
	int l3, l4, outer_l3, outer_l4;
};

/* Parse frame[0, len). flags: OFD_PARSE_*. Always fills *out. */
void ofd_parse(const uint8_t *frame, uint32_t len, unsigned int flags,
	       struct ofd_parsed *out);

/*
 * "ipv6/srh/tcp" for the frame's layers (the outer Ethernet header and the
 * payload left out; tunnel layers included: "ipv4/udp/vxlan/eth/ipv4/tcp").
 * Returns the string length (snprintf semantics).
 */
int ofd_parse_path(const struct ofd_parsed *p, char *buf, size_t size);

/*
 * Pseudo-header inputs of the L4 layer at index l4 (TCP, UDP or ICMPv6):
 * the addresses from the enclosing L3, with the RFC 8200 8.1 final
 * destination for IPv6: the final address of the last routing header with
 * segments left > 0 (ofd_rthdr_final), else the IPv6 Destination Address -
 * with segments left 0 that is what every receiver validates against
 * (kernel-tx.md 8.1; settled on the live kernel by its receive-side
 * judge). Returns the pseudo-header partial sum for an L4 length of l4_len,
 * or -EINVAL when there is no enclosing IP layer.
 * If use_ipv6_dst is set, the IPv6 header's destination is used instead
 * of the final destination (the wrong thing, for hypotheses and bug
 * profiles).
 */
int ofd_parse_pseudo(const uint8_t *frame, uint32_t len,
		     const struct ofd_parsed *p, int l4, uint32_t l4_len,
		     int use_ipv6_dst, uint32_t *sum);

/*
 * ofd_parse_ip_len - the length of the IP datagram at layer l3 (header
 * included) as its header gives it, in *dlen:
 *  - IPv4: tot_len; a tot_len of 0 with more than 65535 bytes from the
 *    header to the frame end is BIG TCP (the kernel's iph_set_totlen):
 *    the datagram is those bytes;
 *  - IPv6: 40 + payload length; a payload length of 0 with a Jumbo Payload
 *    option (RFC 2675, type 0xC2) in a hop-by-hop header right after the
 *    fixed header: 40 + the option's 32-bit length.
 * *big (may be NULL) tells the two BIG TCP forms.
 * Returns 0; -ERANGE when *dlen runs past the frame (frames may also carry
 * bytes after it: a trailer); -EBADMSG when the header is cut, or for what
 * RFC 2675 3 calls an error (payload length 0 without a jumbo option, a
 * jumbo length of 65535 or less, a jumbo option with a non-zero payload
 * length), *dlen then holding the fixed header's own claim; -EINVAL when
 * l3 is not an IP layer.
 */
int ofd_parse_ip_len(const uint8_t *frame, uint32_t len,
		     const struct ofd_parsed *p, int l3, uint32_t *dlen,
		     bool *big);

/*
 * The final address a routing header at rh (len bytes available) still
 * has to deliver the packet to: NULL when segments left is 0 (the
 * Destination Address is final), for a type no node processes (RFC 8200
 * 4.4: discarded) or when the header is too short; for an SRH (type 4)
 * Segment List[0], for types 0 and 2 the last address.
 */
const uint8_t *ofd_rthdr_final(const uint8_t *rh, uint32_t len);

/* A named field: what the diff prints. */
struct ofd_field {
	char name[48];  /* "tcp.checksum", "srh.segment[1]", "ipv4.options" */
	int layer;      /* index into layer[], -1 outside any header */
	uint32_t off;   /* absolute offset in the frame */
	uint32_t len;   /* bytes */
	uint8_t is_csum;/* a checksum field (inet or crc32c) */
};

/*
 * The field containing byte `off` of the frame. Payload bytes are
 * "payload[+N]"; bytes past every layer "trailer[+N]".
 * Returns 0, or -ERANGE if off >= len.
 */
int ofd_parse_field_at(const uint8_t *frame, uint32_t len,
		       const struct ofd_parsed *p, uint32_t off,
		       struct ofd_field *f);

/* Find a field by name ("ipv4.id") in layer i; mask support. 0 or -ENOENT. */
int ofd_parse_field_find(const uint8_t *frame, uint32_t len,
			 const struct ofd_parsed *p, int layer,
			 const char *name, struct ofd_field *f);

/* A name the diff can print or a mask can use: "ipv4.id", "srh.segment[1]",
 * "ipv4" (the whole header), "payload", "trailer". */
bool ofd_parse_field_known(const char *name);

/* The name of bit `bit` (7 = most significant) of the first byte of field
 * `field` ("psh" for bit 3 of "tcp.flags"), or NULL when it has none. */
const char *ofd_parse_field_bit(const char *field, unsigned int bit);

#endif /* OFD_PARSE_H */
