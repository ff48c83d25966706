// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * agent_rss.c - the guest agent's rss mode: QEMU's virtio-net computes
 * Toeplitz RSS itself (rss=on,hash=on) and reports hash and type in
 * virtio_net_hdr_v1_hash; the guest's virtio_net driver configures it and
 * sets skb->hash from the report (virtio_skb_set_hash: PKT_HASH_TYPE_L4
 * for TCP/UDP reports, L3 for IP-only ones).
 *
 * What the agent does (protocol in ofd_agent.h):
 *  1. writes offdiff's key, table and field sets with ETHTOOL_SRSSH and
 *     ETHTOOL_SRXFH (what `ethtool -X` and `ethtool -N rx-flow-hash` do),
 *     reads the driver's configuration back (rss_readback.c, the iface
 *     target's file) and answers it;
 *  2. reads every frame the device delivers on one TPACKET_V3 ring per
 *     rx queue, the rings joined in a PACKET_FANOUT_QM group (member i
 *     gets queue i), with TP_FT_REQ_FILL_RXHASH (tp_rxhash).
 *
 * Why a socket filter too: tp_rxhash is skb_get_hash(), which replaces an
 * L3 hash by the kernel's siphash (kernel-rx.md 5.2), so the ring alone
 * shows QEMU's hash only for L4 reports. The filter runs on the same skb
 * before the ring is filled (tpacket_rcv: run_filter, then tp_rxhash) and
 * reads __sk_buff->hash, skb->hash as the driver set it; it pushes that
 * into a BPF queue map the agent pops once per ring frame (one map per
 * ring, so the orders match). raw == tp_rxhash: the driver's hash was L4;
 * raw != tp_rxhash: it was L3 (or none, raw 0) and raw is still QEMU's.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>

#include "agent_rss.h"
#include "ofd_agent.h"
#include "ofd_rss_readback.h"

#define RSS_RINGS_MAX 8
#define RING_BLOCK (1u << 17) /* 128 KB: a 64 KB frame fits a block */
#define RING_BLOCKS 8
#define RING_FRAME 2048       /* V3 ignores it; the ring set-up checks it */
#define FANOUT_ID 0x4f44

struct ring {
	int fd, map_fd;
	uint8_t *map;
	unsigned int blk;
};

static long bpf_sys(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

/* The queue map and the filter that fills it; -1 when the guest kernel
 * takes neither (the hits then say raw_valid 0). */
static int raw_hash_filter(int sock, int *map_fd)
{
	struct bpf_insn prog[] = {
		/* r6 = ctx; r1 = skb->hash; *(u32 *)(r10 - 8) = r1 */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 6, .src_reg = 1 },
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1, .src_reg = 6,
		  .off = offsetof(struct __sk_buff, hash) },
		{ .code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = 10, .src_reg = 1, .off = -8 },
		/* r1 = skb->queue_mapping (rx queue + 1); *(u32 *)(r10 - 4) = r1 */
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1, .src_reg = 6,
		  .off = offsetof(struct __sk_buff, queue_mapping) },
		{ .code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = 10, .src_reg = 1, .off = -4 },
		/* bpf_map_push_elem(map, r10 - 8, 0) */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_push_elem },
		/* keep the whole frame: return skb->len */
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 0, .src_reg = 6,
		  .off = offsetof(struct __sk_buff, len) },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char license[] = "GPL";
	union bpf_attr a;
	int prog_fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_QUEUE;
	a.key_size = 0;
	a.value_size = 8;
	a.max_entries = 8192;
	*map_fd = (int)bpf_sys(BPF_MAP_CREATE, &a);
	if (*map_fd < 0)
		return -1;
	prog[5].imm = *map_fd;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	a.license = (uintptr_t)license;
	prog_fd = (int)bpf_sys(BPF_PROG_LOAD, &a);
	if (prog_fd < 0 || setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd))) {
		fprintf(stderr, "agent: raw hash filter: %s\n", strerror(errno));
		if (prog_fd >= 0)
			close(prog_fd);
		close(*map_fd);
		*map_fd = -1;
		return -1;
	}
	close(prog_fd);
	return 0;
}

static int open_ring(struct ring *r, int ifindex)
{
	struct tpacket_req3 req = {
		.tp_block_size = RING_BLOCK,
		.tp_block_nr = RING_BLOCKS,
		.tp_frame_size = RING_FRAME,
		.tp_frame_nr = RING_BLOCK / RING_FRAME * RING_BLOCKS,
		.tp_retire_blk_tov = 1,
		.tp_feature_req_word = TP_FT_REQ_FILL_RXHASH,
	};
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int v = TPACKET_V3, one = 1, fan = FANOUT_ID | (PACKET_FANOUT_QM << 16);

	r->map_fd = -1;
	r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (r->fd < 0 || setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return -errno;
	r->map = mmap(NULL, (size_t)RING_BLOCK * RING_BLOCKS, PROT_READ | PROT_WRITE, MAP_SHARED,
		      r->fd, 0);
	if (r->map == MAP_FAILED)
		return -errno;
	raw_hash_filter(r->fd, &r->map_fd);
	/* The guest sends nothing, but a ring of outgoing frames would pop
	 * hashes the filter never pushed. */
	setsockopt(r->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_FANOUT, &fan, sizeof(fan)))
		return -errno;
	return 0;
}

static void set_err(struct agent_rss_info *in, int err, const char *what)
{
	if (in->err)
		return;
	in->err = err;
	snprintf(in->why, sizeof(in->why), "%s: %s", what, strerror(-err));
}

/* Write offdiff's configuration into the driver, as ethtool -X / -N. */
static void apply(int s, const char *ifname, const struct agent_rss_set *set,
		  struct agent_rss_info *in)
{
	struct ifreq ifr;
	size_t i;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	/* virtio_net starts with as many queue pairs as online CPUs (one
	 * here): all of QEMU's, as `ethtool -L combined N`, before the
	 * table names them. */
	{
		struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };

		ifr.ifr_data = (void *)&ch;
		if (ioctl(s, SIOCETHTOOL, &ifr)) {
			set_err(in, -errno, "ETHTOOL_GCHANNELS");
		} else if (ch.combined_count != ch.max_combined) {
			ch.cmd = ETHTOOL_SCHANNELS;
			ch.combined_count = ch.max_combined;
			if (ioctl(s, SIOCETHTOOL, &ifr))
				set_err(in, -errno, "ETHTOOL_SCHANNELS (every queue pair)");
		}
	}
	/* rxhash on (`ethtool -K rxhash on`): virtio_net offers
	 * NETIF_F_RXHASH in hw_features only, and without it receive_buf
	 * never looks at the hash report (skb->hash stays 0) and
	 * set_hashflow does not commit the hash types to the device. */
	{
		struct ethtool_value ev = { .cmd = ETHTOOL_GFLAGS };

		ifr.ifr_data = (void *)&ev;
		if (ioctl(s, SIOCETHTOOL, &ifr)) {
			set_err(in, -errno, "ETHTOOL_GFLAGS");
		} else if (!(ev.data & ETH_FLAG_RXHASH)) {
			ev.cmd = ETHTOOL_SFLAGS;
			ev.data |= ETH_FLAG_RXHASH;
			if (ioctl(s, SIOCETHTOOL, &ifr))
				set_err(in, -errno, "ETHTOOL_SFLAGS rxhash on");
		}
	}
	if (set->key_size || set->indir_size) {
		size_t len = sizeof(struct ethtool_rxfh) + 4u * set->indir_size + set->key_size;
		struct ethtool_rxfh *fh = calloc(1, len);

		if (!fh) {
			set_err(in, -ENOMEM, "ETHTOOL_SRSSH");
			return;
		}
		fh->cmd = ETHTOOL_SRSSH;
		fh->indir_size = set->indir_size;
		fh->key_size = set->key_size;
		fh->hfunc = OFD_RSS_RB_HFUNC_TOP; /* Toeplitz */
		memcpy(fh->rss_config, set->indir, 4u * set->indir_size);
		memcpy((uint8_t *)fh->rss_config + 4u * set->indir_size, set->key, set->key_size);
		ifr.ifr_data = (void *)fh;
		if (ioctl(s, SIOCETHTOOL, &ifr))
			set_err(in, -errno, "ETHTOOL_SRSSH (key and indirection table)");
		free(fh);
	}
	for (i = 0; i < OFD_AGENT_RSS_NFLOWS; i++) {
		struct ethtool_rxnfc n;

		if (!set->fields[i])
			continue;
		/* Only what differs: Linux 6.1's virtio_net, given IPV4_FLOW
		 * or IPV6_FLOW, replaces the whole hash-type set with that
		 * one type (observed: tcp4, udp4 and every IPv6 type read
		 * back cleared after `rx-flow-hash ipv4 sd`), so a flow
		 * already as asked is left alone. */
		memset(&n, 0, sizeof(n));
		n.cmd = ETHTOOL_GRXFH;
		n.flow_type = ofd_rss_rb_flow_type[i];
		ifr.ifr_data = (void *)&n;
		if (!ioctl(s, SIOCETHTOOL, &ifr) && n.data == set->fields[i])
			continue;
		memset(&n, 0, sizeof(n));
		n.cmd = ETHTOOL_SRXFH;
		n.flow_type = ofd_rss_rb_flow_type[i];
		n.data = set->fields[i];
		ifr.ifr_data = (void *)&n;
		if (ioctl(s, SIOCETHTOOL, &ifr)) {
			char what[48];

			snprintf(what, sizeof(what), "ETHTOOL_SRXFH %s", ofd_rss_rb_flow_name[i]);
			set_err(in, -errno, what);
		}
	}
}

static int read_back(int s, const char *ifname, struct agent_rss_info *in)
{
	static struct ofd_rss_readback rb;
	char why[160];
	size_t i;
	int e;

	e = ofd_rss_readback(s, ifname, &rb, why, sizeof(why));
	if (e && e != -EOPNOTSUPP) {
		in->err = e;
		snprintf(in->why, sizeof(in->why), "%s", why);
		return e;
	}
	if (rb.key_size > OFD_AGENT_RSS_KEY_MAX || rb.indir_size > OFD_AGENT_RSS_INDIR_MAX) {
		in->err = -E2BIG;
		snprintf(in->why, sizeof(in->why), "key of %u bytes or table of %u entries: more "
			 "than the protocol carries", rb.key_size, rb.indir_size);
		return -E2BIG;
	}
	in->rx_rings = rb.rx_rings;
	in->hfunc = rb.hfunc;
	in->input_xfrm = rb.input_xfrm;
	in->key_size = rb.key_size;
	in->indir_size = rb.indir_size;
	memcpy(in->key, rb.key, rb.key_size);
	memcpy(in->indir, rb.indir, 4u * rb.indir_size);
	for (i = 0; i < OFD_AGENT_RSS_NFLOWS; i++) {
		in->fields[i] = rb.fields[i];
		in->fields_err[i] = rb.fields_err[i];
	}
	return 0;
}

/* One ring's ready blocks: a hit per frame. 0, or -EIO when the port
 * is gone. */
static int drain(struct ring *r, unsigned int queue, int port_fd)
{
	for (;;) {
		struct tpacket_block_desc *bd =
			(void *)(r->map + (size_t)r->blk * RING_BLOCK);
		uint32_t k, n, off;

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return 0;
		n = bd->hdr.bh1.num_pkts;
		off = bd->hdr.bh1.offset_to_first_pkt;
		for (k = 0; k < n && off + sizeof(struct tpacket3_hdr) <= RING_BLOCK; k++) {
			struct tpacket3_hdr *h = (void *)((uint8_t *)bd + off);
			const uint8_t *f = (const uint8_t *)h + h->tp_mac;
			struct agent_rss_hit hit = { .magic = OFD_AGENT_RSS_HIT_MAGIC };
			uint32_t len = h->tp_snaplen;
			union bpf_attr a;
			uint32_t raw[2] = { 0, 0 };

			if ((uint64_t)h->tp_mac + len > RING_BLOCK - off)
				len = 0; /* never read past the block */
			hit.queue = (uint16_t)queue;
			hit.rxhash = h->hv1.tp_rxhash;
			/* The receive path took the VLAN tag out before the
			 * taps: the digest is of the frame as it was sent. */
			if (len >= 12 && (h->tp_status & TP_STATUS_VLAN_VALID)) {
				uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
							h->hv1.tp_vlan_tpid : ETH_P_8021Q;
				uint8_t tag[4] = { (uint8_t)(tpid >> 8), (uint8_t)tpid,
						   (uint8_t)(h->hv1.tp_vlan_tci >> 8),
						   (uint8_t)h->hv1.tp_vlan_tci };

				hit.digest = ofd_agent_digest(OFD_AGENT_DIGEST_INIT, f, 12);
				hit.digest = ofd_agent_digest(hit.digest, tag, 4);
				hit.digest = ofd_agent_digest(hit.digest, f + 12, len - 12);
				hit.len = len + 4;
			} else {
				hit.digest = ofd_agent_digest(OFD_AGENT_DIGEST_INIT, f, len);
				hit.len = len;
			}
			if (r->map_fd >= 0) {
				memset(&a, 0, sizeof(a));
				a.map_fd = (uint32_t)r->map_fd;
				a.value = (uintptr_t)raw;
				hit.raw_valid = !bpf_sys(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a);
				hit.raw_hash = raw[0];
				hit.skb_queue = (uint16_t)raw[1];
			}
			if (agent_write_all(port_fd, &hit, sizeof(hit)))
				return -EIO;
			off += h->tp_next_offset;
			if (!h->tp_next_offset)
				break;
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		r->blk = (r->blk + 1) % RING_BLOCKS;
	}
}

void agent_rss_main(int port_fd, int s, const char *ifname, int ifindex)
{
	static struct agent_rss_set set;
	static struct agent_rss_info in;
	struct ring rings[RSS_RINGS_MAX];
	struct pollfd p[RSS_RINGS_MAX];
	unsigned int i, n;
	int e;

	if (agent_read_all(port_fd, &set, sizeof(set)))
		return;
	if (set.magic != OFD_AGENT_RSS_SET_MAGIC || set.key_size > OFD_AGENT_RSS_KEY_MAX ||
	    set.indir_size > OFD_AGENT_RSS_INDIR_MAX)
		agent_die("bad rss request (magic 0x%x)", set.magic);
	in.magic = OFD_AGENT_RSS_INFO_MAGIC;
	apply(s, ifname, &set, &in);
	e = read_back(s, ifname, &in);
	n = in.rx_rings < RSS_RINGS_MAX ? in.rx_rings : RSS_RINGS_MAX;
	if (!n)
		n = 1;
	/* Every member joined before the first frame: a fanout group of
	 * fewer members would fold queues together. */
	for (i = 0; !e && i < n; i++) {
		e = open_ring(&rings[i], ifindex);
		if (e)
			set_err(&in, e, "TPACKET_V3 ring in a PACKET_FANOUT_QM group");
		p[i] = (struct pollfd){ .fd = rings[i].fd, .events = POLLIN };
		rings[i].blk = 0;
	}
	in.raw_hash = !e && rings[0].map_fd >= 0;
	if (agent_write_all(port_fd, &in, sizeof(in)) || in.err)
		return;
	for (;;) {
		if (poll(p, n, 1000) < 0 && errno != EINTR)
			agent_die("poll: %s", strerror(errno));
		for (i = 0; i < n; i++)
			if (drain(&rings[i], i, port_fd))
				return;
	}
}
