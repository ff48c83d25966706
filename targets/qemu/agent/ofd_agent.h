/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_agent.h - what offdiff and its guest agent say to each other over
 * the virtio-serial port (targets/qemu/agent/agent.c in the guest,
 * targets/qemu/guest.c on the host). Both ends are x86-64 built by the
 * same compiler, so the records are host order and fixed layout.
 *
 * The agent speaks first, one text line:
 *   "offdiff-agent ready release=R if=eth0 driver=e1000e|igb|virtio_net mac=M mtu=N
 *    offloads=on|off txcsum=0|1 sg=0|1 tso=0|1\n"
 * (or "offdiff-agent error WHAT: ERRNO\n" and stops). After that, records:
 * offdiff sends an agent_req and its frame, the agent sends the frame with
 * the request's virtio_net_hdr on an AF_PACKET socket (PACKET_VNET_HDR),
 * then a marker frame (ofd_marker.h) naming req.seq and req.case_id, then
 * answers one agent_ack with send()'s errno. Requests are pipelined: the
 * agent reads the next one while offdiff reads the wire.
 */
#ifndef OFD_AGENT_H
#define OFD_AGENT_H

#include <stdint.h>

#define OFD_AGENT_PORT "org.offdiff.agent"
#define OFD_AGENT_REQ_MAGIC 0x4f464443u /* "OFDC" */
#define OFD_AGENT_ACK_MAGIC 0x4f464441u /* "OFDA" */
/* The longest frame a request carries: a 64 KB GSO super-packet and a tag. */
#define OFD_AGENT_FRAME_MAX (65536u + 64u)
#define OFD_AGENT_READY "offdiff-agent ready "
#define OFD_AGENT_LINE_MAX 512

/* struct virtio_net_hdr as the kernel's uapi lays it out (10 bytes,
 * little endian on x86: the agent's PACKET_VNET_HDR is native order). */
struct agent_vnet {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
} __attribute__((packed));

struct agent_req {
	uint32_t magic;
	uint32_t len;      /* frame bytes that follow, 1..OFD_AGENT_FRAME_MAX */
	uint64_t seq;      /* the marker's sequence number */
	uint64_t case_id;  /* the marker's case id */
	struct agent_vnet vnet;
	uint8_t pad[6];
};

struct agent_ack {
	uint32_t magic;
	int32_t err;       /* 0, or the errno of the frame's send() */
	uint64_t seq;
};

_Static_assert(sizeof(struct agent_vnet) == 10, "virtio_net_hdr is 10 bytes");
_Static_assert(sizeof(struct agent_req) == 40, "agent_req layout");
_Static_assert(sizeof(struct agent_ack) == 16, "agent_ack layout");


/*
 * The rss mode (the guest booted with "ofdmode=rss", device virtio-net):
 * after the ready line offdiff sends one agent_rss_set, the agent writes
 * it to the virtio_net driver (ETHTOOL_SRSSH key and table, ETHTOOL_SRXFH
 * per flow type), reads the driver's configuration back
 * (targets/iface/rss_readback.c) and answers one agent_rss_info. From
 * then on offdiff only writes frames into the tap; the agent answers one
 * agent_rss_hit per frame its rings read (agent_rss.c says how).
 */
#define OFD_AGENT_RSS_SET_MAGIC 0x4f464453u  /* "OFDS" */
#define OFD_AGENT_RSS_INFO_MAGIC 0x4f464449u /* "OFDI" */
#define OFD_AGENT_RSS_HIT_MAGIC 0x4f464448u  /* "OFDH" */
#define OFD_AGENT_RSS_KEY_MAX 64
#define OFD_AGENT_RSS_INDIR_MAX 512
#define OFD_AGENT_RSS_NFLOWS 6 /* tcp4 udp4 tcp6 udp6 ipv4 ipv6 */

struct agent_rss_set {
	uint32_t magic;
	uint32_t key_size;   /* 0: leave the driver's key */
	uint32_t indir_size; /* 0: leave the driver's table */
	uint32_t pad;
	uint64_t fields[OFD_AGENT_RSS_NFLOWS]; /* RXH_* bits; 0: leave it */
	uint8_t key[OFD_AGENT_RSS_KEY_MAX];
	uint32_t indir[OFD_AGENT_RSS_INDIR_MAX];
};

struct agent_rss_info {
	uint32_t magic;
	int32_t err;         /* 0, or the -errno of the first failed step */
	uint32_t rx_rings;   /* ETHTOOL_GRXRINGS */
	uint32_t key_size;
	uint32_t indir_size;
	uint8_t hfunc;       /* ETH_RSS_HASH_* */
	uint8_t input_xfrm;
	uint8_t raw_hash;    /* 1: hits carry the driver's own skb->hash */
	uint8_t pad;
	uint64_t fields[OFD_AGENT_RSS_NFLOWS];
	int32_t fields_err[OFD_AGENT_RSS_NFLOWS];
	uint8_t key[OFD_AGENT_RSS_KEY_MAX];
	uint32_t indir[OFD_AGENT_RSS_INDIR_MAX];
	char why[160];       /* err's one-line reason */
};

struct agent_rss_hit {
	uint32_t magic;
	uint32_t len;        /* the frame's length, its VLAN tag put back */
	uint64_t digest;     /* ofd_agent_digest of those bytes */
	uint32_t raw_hash;   /* skb->hash as the driver set it (raw_hash) */
	uint32_t rxhash;     /* tp_rxhash: skb_get_hash() */
	uint16_t queue;      /* the PACKET_FANOUT_QM member that read it */
	uint8_t raw_valid;
	uint8_t pad;
	uint16_t skb_queue;  /* skb->queue_mapping: rx queue + 1 (raw_valid) */
	uint8_t pad2[2];
};

/* FNV-1a, 64 bits: a frame's name in a hit; continue from h. */
static inline uint64_t ofd_agent_digest(uint64_t h, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}
#define OFD_AGENT_DIGEST_INIT 0xcbf29ce484222325ull

_Static_assert(sizeof(struct agent_rss_hit) == 32, "agent_rss_hit layout");

#endif /* OFD_AGENT_H */
