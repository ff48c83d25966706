/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_agent.h - what offdiff and its guest agent say to each other over
 * the virtio-serial port (targets/qemu/agent/agent.c in the guest,
 * targets/qemu/guest.c on the host). Both ends are x86-64 built by the
 * same compiler, so the records are host order and fixed layout.
 *
 * The agent speaks first, one text line:
 *   "offdiff-agent ready release=R if=eth0 driver=e1000e|igb mac=M mtu=N
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

#endif /* OFD_AGENT_H */
