/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_randcase.h - deterministic random tx-csum cases (`offdiff selfcheck
 * --random N --seed S`, fuzzing seeds).
 *
 * Case (seed, index) depends on nothing else: its generator is seeded with
 * a hash of the pair (splitmix64), so any index can be rebuilt alone and
 * shards need not agree on anything but the seed.
 *
 * Distribution (percentages of draws; each line is drawn independently
 * unless it says otherwise):
 *
 * The frame, built with pktbuild.h:
 *   kind     85 well-formed, 10 truncated (a well-formed frame cut at a
 *            random point, mostly inside its headers), 3 short (a prefix of
 *            fewer than 14, 20 or 34 bytes, a third each), 2 garbage
 *            (random bytes, half of them behind a valid Ethernet header)
 *   L2       70 plain, 20 802.1Q, 10 QinQ (88a8 + 8100)
 *   tunnel   80 none, 5 each VXLAN, GENEVE, GRE (key, no checksum), IPIP;
 *            outer IPv4/IPv6 50/50; inner L3 as below without options
 *   L3       45 IPv4, 10 IPv4 with options (4, 8, 12 or 40 bytes), 45 IPv6
 *   IPv6 ext (untunnelled IPv6) 60 none, else one of HBH, DstOpts, SRH
 *            segments-left 0, SRH segments-left > 0, HBH+SRH+DstOpts,
 *            atomic fragment; the "SRH segments-left 0" sixth splits into
 *            quarters: consistent (Destination Address = Segment
 *            List[0]), a random Destination Address other than Segment
 *            List[0], a type 0 routing header (1-3 addresses, segments
 *            left 0..n), a type 2 routing header (segments left 0 or 1)
 *   L4       45 TCP (a third with 12 bytes of options), 40 UDP, 8 ICMP
 *            (ICMPv6 under IPv6), 7 SCTP
 *   payload  70 0..64 bytes, 25 65..1500, 5 1501..9000 (the frame never
 *            exceeds min(cap, 9216) bytes); half the probe pattern, half
 *            random bytes; 5 of TCP/UDP/ICMP payloads of 2+ bytes are
 *            tuned so that the true checksum is 0 (stored 0xffff)
 *
 * The request (always OFD_REQ_VNET, csum_type INET):
 *   64 CORRECT      (~60 overall) what the stack derives: NEEDS_CSUM,
 *                   csum_start at the innermost L4, csum_offset 16 (TCP),
 *                   6 (UDP) or 2 (ICMP/ICMPv6), the field pre-filled with
 *                   the seed fold16(pseudo-header) (0 for ICMPv4;
 *                   kernel-tx.md 1),
 *                   hdr_len 0 or the header length; a quarter of them also
 *                   carry the matching gso_type with gso_size >= the bytes
 *                   after csum_start, i.e. not really GSO (kernel-tx.md
 *                   3.3). SCTP frames have no INET request: they get
 *                   NO_CSUM instead.
 *    1 NO_CSUM      (~5.5 overall with the SCTP ones) flags 0 or
 *                   DATA_VALID, no GSO; the frame carries its complete
 *                   checksum
 *    6 BAD_START    csum_start < 20, inside the L3 header, odd, near or past
 *                   the frame end, or any 16-bit value
 *    6 BAD_OFFSET   csum_offset odd, another protocol's, past the frame, or
 *                   any 16-bit value
 *    5 BAD_HDR_LEN  hdr_len small (1..13), exactly or beyond the frame
 *                   length, 0xffff
 *    3 FLAGS        flags 0, 1, 2 or 3 with otherwise correct fields
 *    5 GSO_VALID    gso_type 1, 3, 4 or 5 (a quarter with ECN 0x80), half
 *                   matching the frame; gso_size: 75 at least the bytes
 *                   after csum_start (not really GSO), 10 zero, 10 fewer
 *                   than those bytes (may be real GSO), 5 0xffff
 *    3 GSO_INVALID  gso_type 2, 6, 7, 8, 0x10, 0x20, 0x40, 0x7f, 0x80,
 *                   0x82 or a random byte outside the valid set
 *    4 BAD_SEED     the field holds a random value, the complemented seed,
 *                   0, or the seed over the IPv6 header destination
 *    3 RANDOM       every request field random
 * Truncated, short and garbage frames keep the request drawn for the
 * well-formed frame they replace, so csum_start and csum_offset often point
 * past them.
 */
#ifndef OFD_RANDCASE_H
#define OFD_RANDCASE_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"

#define OFD_RANDCASE_MAX_FRAME 9216

enum ofd_randcase_frame {
	OFD_RC_FRAME_WELLFORMED = 0,
	OFD_RC_FRAME_TRUNCATED,
	OFD_RC_FRAME_SHORT,
	OFD_RC_FRAME_GARBAGE,
	OFD_RC_FRAME__N,
};

enum ofd_randcase_req {
	OFD_RC_REQ_CORRECT = 0,
	OFD_RC_REQ_NO_CSUM,
	OFD_RC_REQ_BAD_START,
	OFD_RC_REQ_BAD_OFFSET,
	OFD_RC_REQ_BAD_HDR_LEN,
	OFD_RC_REQ_FLAGS,
	OFD_RC_REQ_GSO_VALID,
	OFD_RC_REQ_GSO_INVALID,
	OFD_RC_REQ_BAD_SEED,
	OFD_RC_REQ_RANDOM,
	OFD_RC_REQ__N,
};

/* What was drawn, for tests and for labelling fuzz findings. */
struct ofd_randcase_info {
	uint8_t frame;    /* enum ofd_randcase_frame */
	uint8_t req;      /* enum ofd_randcase_req */
	uint8_t l4_proto; /* enum ofd_proto of the innermost L4, NONE if none */
	uint8_t tunnel;   /* enum ofd_proto of the tunnel (IPIP: the inner IP
			   * layer's), NONE if none */
	bool zero_sum;    /* the payload was tuned for a true checksum of 0 */
	uint32_t l4_off;  /* offset of the innermost L4 in the built frame */
	uint32_t full_len;/* frame length before truncation */
};

/* Names for reports: "correct", "bad-start", ...; "wellformed", ... */
const char *ofd_randcase_req_name(enum ofd_randcase_req r);
const char *ofd_randcase_frame_name(enum ofd_randcase_frame f);

/*
 * Build case (seed, index) for offload off (only OFD_OFFLOAD_TX_CSUM so
 * far) into buf[0, cap): pkt->data = buf, c->pkts = pkt, c->npkts = 1,
 * c->id = c->src_index = index, c->src_file = NULL. Returns 0, -EOPNOTSUPP
 * for another offload, -EINVAL for a NULL argument or cap < 64. A cap below
 * OFD_RANDCASE_MAX_FRAME only bounds the payload: the draws stay the same.
 */
int ofd_randcase_make(uint64_t seed, uint64_t index, enum ofd_offload off,
		      uint8_t *buf, uint32_t cap, struct ofd_pkt *pkt,
		      struct ofd_case *c);
/* The same, also saying what was drawn (info may be NULL). */
int ofd_randcase_make_ex(uint64_t seed, uint64_t index, enum ofd_offload off,
			 uint8_t *buf, uint32_t cap, struct ofd_pkt *pkt,
			 struct ofd_case *c, struct ofd_randcase_info *info);

#endif /* OFD_RANDCASE_H */
