/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_rss.h - the rss offload: the receive hash and queue a NIC computes
 * for a frame (kernel-rx.md 6), over the tuple the kernel's flow
 * dissector reports for it (kernel-rx.md 5.1, ofd_dissect.h).
 *
 * A device is configured the way ethtool configures one: a Toeplitz key,
 * a field set (RXH_* bits) per flow type (`ethtool -N DEV rx-flow-hash
 * tcp4 sdfn`), an input transform (input_xfrm: none, sym-xor,
 * sym-or-xor), an indirection table and its queues (`ethtool -X`). The
 * model, the emulator's rss device and the rss judge share one function,
 * ofd_rss_compute(), with a set of bends (the ways devices get it wrong,
 * issue 21) all off for the model.
 *
 * An engine answers an rss case with one frame: the record below, 8
 * bytes in wire form, so results cross the plugin and isolation
 * boundaries as bytes and the diff names its fields (rxhash, hash_type,
 * flow_type, queue). struct ofd_meta's rxhash/hash_type are left unset
 * (has without OFD_META_RXHASH): the record is what is compared, and the
 * metadata diff prints virtio fields that mean nothing here.
 */
#ifndef OFD_RSS_H
#define OFD_RSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_toeplitz.h"

/* RXH_IP6_FL (uapi ethtool.h 1 << 9): the IPv6 flow label is hashed. */
#define OFD_RXH_IP6_FL (1u << 9)
#define OFD_RXH_L4 (OFD_RXH_L4_B_0_1 | OFD_RXH_L4_B_2_3)

/* Flow types the field sets are kept for, by ethtool's numbers
 * (TCP_V4_FLOW...); a frame with no IP addresses is NONE. SCTP, ESP and
 * AH fall into IPV4/IPV6 (their own ethtool flow types are not kept). */
enum ofd_rss_flow_type {
	OFD_RSS_FLOW_NONE = 0,
	OFD_RSS_FLOW_TCP4 = 1,
	OFD_RSS_FLOW_UDP4 = 2,
	OFD_RSS_FLOW_TCP6 = 5,
	OFD_RSS_FLOW_UDP6 = 6,
	OFD_RSS_FLOW_IPV4 = 0x10,
	OFD_RSS_FLOW_IPV6 = 0x11,
};
#define OFD_RSS_NFLOWS 6 /* tcp4 udp4 tcp6 udp6 ipv4 ipv6, in that order */

/* PKT_HASH_TYPE_* (include/linux/skbuff.h): what the driver reports. */
enum ofd_rss_hash_type {
	OFD_RSS_HASH_NONE = 0,
	OFD_RSS_HASH_L2,
	OFD_RSS_HASH_L3,
	OFD_RSS_HASH_L4,
};

struct ofd_rss_config {
	uint8_t key[OFD_RSS_KEY_MAX];
	uint32_t keylen;
	uint32_t fields[OFD_RSS_NFLOWS]; /* OFD_RXH_* per flow type */
	uint8_t xfrm;                    /* enum ofd_rss_xfrm */
	uint32_t indir_size;             /* a power of two, <= OFD_RSS_INDIR_MAX */
	uint32_t nqueues;
	uint32_t indir[OFD_RSS_INDIR_MAX];
	/* the key's byte tables, built once by whoever owns the config
	 * (ofd_rss_config_tables); NULL: the bit-by-bit form */
	const struct ofd_toeplitz *fast;
};

/*
 * The default device: the 52-byte key that is Microsoft's 40-byte
 * verification key followed by 12 more bytes (52 is netdev_rss_key's
 * length; a hash over n input bytes uses key bytes [0, n + 4) only, so
 * Microsoft's vectors hold under it, and a 40-byte IPv6 input with the
 * flow label fits), tcp4/tcp6 sdfn, udp4/udp6 sd (the usual NIC default),
 * ipv4/ipv6 sd, no transform, a 128-entry default table over 4 queues.
 */
void ofd_rss_config_default(struct ofd_rss_config *cfg);
/* Fill the indirection table with ethtool_rxfh_indir_default. */
void ofd_rss_config_indir(struct ofd_rss_config *cfg);
/* The process's shared default configuration, its tables built once
 * (thread-safe): for the emulator's device and the judge. */
const struct ofd_rss_config *ofd_rss_config_shared(void);

/* Field set index of a flow type, -1 for NONE. */
int ofd_rss_flow_index(enum ofd_rss_flow_type ft);
const char *ofd_rss_flow_name(enum ofd_rss_flow_type ft); /* "tcp4" */
const char *ofd_rss_hash_type_name(enum ofd_rss_hash_type t); /* "l4" */
/* ethtool's letters (s d f n, and l for RXH_IP6_FL) into OFD_RXH_*:
 * 0, or -EINVAL at an unknown letter. */
int ofd_rss_fields_parse(const char *letters, uint32_t *fields);

/*
 * Engine settings (model: ops->params), all optional:
 *   rss_key   the key as ethtool -X hkey writes it (aa:bb:..., 5-64 bytes)
 *   rss_hash  field sets, e.g. "udp4=sdfn,udp6=sdfn" or with "+" (others
 *             keep theirs)
 *   rss_xfrm  none, sym-xor or sym-or-xor
 *   rss_table indirection table entries (power of two, <= 512)
 *   rss_queues queues the default table spreads over
 * 0, or -EINVAL with why[] saying which.
 */
#define OFD_RSS_PARAM_DOCS                                                       \
	{ "rss_key", "rss: Toeplitz key aa:bb:... (default: Microsoft's 40 bytes + 12)" }, \
	{ "rss_hash", "rss: field sets, e.g. udp4=sdfn+tcp6=sdfnl (ethtool rx-flow-hash letters)" }, \
	{ "rss_xfrm", "rss: input_xfrm none (default), sym-xor or sym-or-xor" },   \
	{ "rss_table", "rss: indirection table entries (default 128)" },           \
	{ "rss_queues", "rss: queues the default table spreads over (default 4)" }
int ofd_rss_params(const struct ofd_engine_opts *o, struct ofd_rss_config *cfg,
		   char *why, size_t why_len);

/* The ways a device's hash differs from the model's (issue 21); all
 * false is the model. */
struct ofd_rss_bends {
	bool frag_ports;   /* 4 bytes after a fragment's IP header hashed as
			    * ports, the fragment typed TCP/UDP */
	bool outer_tuple;  /* a tunnel (IP-in-IP, GRE) hashed on its outer
			    * header: the dissector stopped at encapsulation */
	bool exthdr_l4;    /* IPv6 extension headers not skipped: the first
			    * one's first 4 bytes hashed as the ports */
	bool sym_xor;      /* RXH_XFRM_SYM_XOR applied though not configured */
	/* The limits of a parser that reads fixed headers (QEMU's
	 * virtio-net, docs/qemu-findings.md V2-V4, and NICs like it): */
	bool l4_whole;     /* ports only with the whole TCP (20 bytes) or UDP
			    * (8) header in the frame, else the 2-tuple, L3 */
	bool l2_limit;     /* only IPv4/IPv6 behind at most two VLAN tags:
			    * anything else (PPPoE, HSR, a third tag) no hash */
	bool ipv6_chain_whole; /* an IPv6 extension-header chain that runs
				* past the frame's end: no hash */
};

/* One case's answer. */
struct ofd_rss_out {
	uint32_t hash;
	uint8_t hash_type; /* enum ofd_rss_hash_type */
	uint8_t flow_type; /* enum ofd_rss_flow_type */
	uint16_t queue;
};
#define OFD_RSS_REC_LEN 8 /* hash (be32) | hash_type | flow_type | queue (be16) */
void ofd_rss_out_put(const struct ofd_rss_out *o, uint8_t out[OFD_RSS_REC_LEN]);
/* 0, or -EINVAL when len is not OFD_RSS_REC_LEN. */
int ofd_rss_out_get(const uint8_t *in, size_t len, struct ofd_rss_out *o);

/*
 * ofd_rss_compute - what a device configured as @cfg, bent as @b (NULL:
 * none), answers for frame[0, len): 0 with *o filled (a frame with no IP
 * addresses gets no hash, queue 0), -EINVAL for a frame shorter than an
 * Ethernet header. Allocation-free; every frame byte read is within len.
 */
int ofd_rss_compute(const struct ofd_rss_config *cfg, const struct ofd_rss_bends *b,
		    const uint8_t *frame, uint32_t len, struct ofd_rss_out *o);

/* An rss case's result into res (reset by the caller): one record frame,
 * or a frame too short rejected at submit. */
void ofd_rss_case(const struct ofd_rss_config *cfg, const struct ofd_rss_bends *b,
		  const struct ofd_case *c, struct ofd_result *res);

#endif
