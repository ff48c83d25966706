// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * kernel_flowdis.c - the rx hash of frames received in the kernel
 * engine's namespace, with its built-in flow dissector or with a BPF one
 * attached there (ofd_kernel_flowdis.h, kernel-rx.md 5.2 and 5.4).
 *
 * Recipe: a plain tap of its own in the namespace (no IFF_NAPI, no vnet
 * header: tun_get_user hands each write to netif_rx as one linear skb
 * with no hash), read by an AF_PACKET socket with a TPACKET_V3 ring
 * asking TP_FT_REQ_FILL_RXHASH: tpacket_rcv writes skb_get_hash() of
 * every frame into its header. That is the first skb_get_hash of the skb
 * (RPS is off in a new namespace), so it runs __skb_flow_dissect there,
 * which runs the namespace's BPF flow dissector if one is attached.
 *
 * The frames of one call are written by one thread pinned to one CPU, so
 * they reach the socket in order through that CPU's backlog; each frame
 * read back is checked against the one written (the outer VLAN tag comes
 * back as metadata: __netif_receive_skb_core untags before the packet
 * taps see the skb).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>

#include <bpf/bpf.h>

#include "kernel_priv.h"
#include "ofd_kernel_flowdis.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define KFD_BLOCK (1u << 16)
#define KFD_BLOCKS 8
#define KFD_WAIT_MS 2000

struct kernel_flowdis {
	int tap, sock;
	uint8_t *ring;
	unsigned int blk; /* the next block to read */
	char name[IFNAMSIZ];
};

void kernel_flowdis_free(struct kernel_flowdis *k)
{
	if (!k)
		return;
	if (k->ring)
		munmap(k->ring, (size_t)KFD_BLOCK * KFD_BLOCKS);
	if (k->sock >= 0)
		close(k->sock);
	if (k->tap >= 0)
		close(k->tap);
	free(k);
}

/* Inside the namespace: the tap and the ring. */
static int kfd_setup(void *arg, const char **why)
{
	struct kernel_flowdis *k = arg;
	struct tpacket_req3 req = {
		.tp_block_size = KFD_BLOCK,
		.tp_block_nr = KFD_BLOCKS,
		.tp_frame_size = 2048,
		.tp_frame_nr = KFD_BLOCK / 2048 * KFD_BLOCKS,
		.tp_retire_blk_tov = 1, /* ms: a partly filled block is handed over soon */
		.tp_feature_req_word = TP_FT_REQ_FILL_RXHASH,
	};
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct ifreq ifr = { 0 };
	int ctl, v3 = TPACKET_V3, one = 1, err;

	k->tap = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (k->tap < 0) {
		*why = "cannot open /dev/net/tun";
		return -errno;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", k->name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(k->tap, TUNSETIFF, &ifr)) {
		*why = "cannot create the rx hash tap";
		return -errno;
	}
	ctl = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0) {
		*why = "socket";
		return -errno;
	}
	err = ofdint_kns_link_up(ctl, k->name);
	if (!err)
		err = ofdint_kns_ifreq(ctl, SIOCGIFINDEX, k->name, &ifr);
	close(ctl);
	if (err) {
		*why = "cannot bring the rx hash tap up";
		return err;
	}
	sll.sll_ifindex = ifr.ifr_ifindex;
	/* Protocol 0 until bound: nothing of another device gets queued. */
	k->sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (k->sock < 0) {
		*why = "cannot open the AF_PACKET reader";
		return -errno;
	}
	if (setsockopt(k->sock, SOL_PACKET, PACKET_VERSION, &v3, sizeof(v3)) ||
	    setsockopt(k->sock, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) ||
	    setsockopt(k->sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one))) {
		*why = "cannot set up the TPACKET_V3 ring";
		return -errno;
	}
	k->ring = mmap(NULL, (size_t)KFD_BLOCK * KFD_BLOCKS, PROT_READ | PROT_WRITE, MAP_SHARED,
		       k->sock, 0);
	if (k->ring == MAP_FAILED) {
		k->ring = NULL;
		*why = "cannot map the TPACKET_V3 ring";
		return -errno;
	}
	if (bind(k->sock, (struct sockaddr *)&sll, sizeof(sll))) {
		*why = "cannot bind the AF_PACKET reader";
		return -errno;
	}
	return 0;
}

static int kfd_get(struct kernel_priv *kp, struct kernel_flowdis **out, const char **why)
{
	struct kernel_flowdis *k;
	int err;

	if (kp->flowdis) {
		*out = kp->flowdis;
		return 0;
	}
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->tap = k->sock = -1;
	/* The tx tap's name with another prefix: unique like it. */
	snprintf(k->name, sizeof(k->name), "oh%s", kp->ns->tx_name + 2);
	err = ofdint_kns_run_in(kp->ns->tx_sock, kfd_setup, k, why);
	if (err) {
		kernel_flowdis_free(k);
		return err;
	}
	kp->flowdis = *out = k;
	return 0;
}

struct kfd_job {
	struct kernel_flowdis *k;
	int prog_fd;
	const uint8_t *const *frames;
	const uint32_t *lens;
	unsigned int n;
	uint32_t *hash;
};

static long kfd_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Frame @i as the packet tap shows it: the outer tag, if the kernel took
 * it into metadata, is not in the bytes. */
static bool kfd_match(const struct kfd_job *j, unsigned int i, const struct tpacket3_hdr *h)
{
	const uint8_t *got = (const uint8_t *)h + h->tp_mac, *f = j->frames[i];
	uint32_t len = j->lens[i];

	if (!(h->tp_status & TP_STATUS_VLAN_VALID))
		return h->tp_snaplen == len && !memcmp(got, f, len);
	return h->tp_snaplen + 4 == len && !memcmp(got, f, 12) &&
	       !memcmp(got + 12, f + 16, len - 16);
}

/* Read what the ring holds into @j's hashes, in order; frames beyond
 * @j->n (stale ones, or all with n 0) are dropped. *got counts the
 * frames of @j seen so far. */
static int kfd_drain(struct kfd_job *j, unsigned int *got)
{
	struct kernel_flowdis *k = j->k;

	for (;;) {
		struct tpacket_block_desc *bd =
			(void *)(k->ring + (size_t)k->blk * KFD_BLOCK);
		uint8_t *p;
		uint32_t i;

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			return 0;
		p = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
		for (i = 0; i < bd->hdr.bh1.num_pkts; i++) {
			struct tpacket3_hdr *h = (void *)p;

			if (*got < j->n) {
				if (!kfd_match(j, *got, h))
					return -EPROTO;
				j->hash[(*got)++] = h->hv1.tp_rxhash;
			}
			p += h->tp_next_offset;
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		k->blk = (k->blk + 1) % KFD_BLOCKS;
	}
}

/* Inside the namespace: attach, write, read, detach. */
static int kfd_run(void *arg, const char **why)
{
	struct kfd_job *j = arg;
	struct kernel_flowdis *k = j->k;
	unsigned int i, got = 0, stale = 0;
	struct kfd_job none = { .k = k };
	cpu_set_t cpus;
	long end;
	int err = 0, cpu = sched_getcpu();

	/* One CPU: one backlog, the frames in order. */
	CPU_ZERO(&cpus);
	CPU_SET(cpu < 0 ? 0 : cpu, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	kfd_drain(&none, &stale);
	/* Target fd 0: the calling thread's namespace (netns_bpf_prog_attach). */
	if (j->prog_fd >= 0 && bpf_prog_attach(j->prog_fd, 0, BPF_FLOW_DISSECTOR, 0)) {
		err = -errno;
		*why = err == -EEXIST ? "a flow dissector is attached in the root namespace "
					"(it overrides every namespace)"
				      : "cannot attach the BPF flow dissector to the namespace";
		return err;
	}
	for (i = 0; i < j->n; i++)
		if (write(k->tap, j->frames[i], j->lens[i]) != (ssize_t)j->lens[i]) {
			err = -errno;
			*why = "cannot write a frame into the rx hash tap";
			goto out;
		}
	end = kfd_ms() + KFD_WAIT_MS;
	while (got < j->n) {
		struct pollfd pfd = { .fd = k->sock, .events = POLLIN | POLLERR };

		err = kfd_drain(j, &got);
		if (err) {
			*why = "a frame came back other than it was written";
			goto out;
		}
		if (got == j->n)
			break;
		if (kfd_ms() > end) {
			err = -ETIMEDOUT;
			*why = "a frame written into the rx hash tap did not come back";
			goto out;
		}
		poll(&pfd, 1, 10);
	}
out:
	if (j->prog_fd >= 0 && bpf_prog_detach2(j->prog_fd, 0, BPF_FLOW_DISSECTOR) && !err) {
		err = -errno;
		*why = "cannot detach the BPF flow dissector";
	}
	return err;
}

int ofd_kernel_rxhash(struct ofd_engine *e, int prog_fd, const uint8_t *const *frames,
		      const uint32_t *lens, unsigned int n, uint32_t *hash,
		      const char **why)
{
	struct kfd_job j = { .prog_fd = prog_fd, .frames = frames, .lens = lens, .n = n,
			     .hash = hash };
	struct kernel_priv *kp;
	unsigned int i;
	int err;

	*why = NULL;
	if (!e || e->ops != &ofd_engine_kernel || n > OFD_KFD_MAX) {
		*why = "not the kernel engine, or too many frames";
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		if (lens[i] < 14 || lens[i] > OFD_KFD_FRAME_MAX) {
			*why = "a frame shorter than Ethernet or longer than the tap's MTU";
			return -EINVAL;
		}
	kp = e->priv;
	err = kfd_get(kp, &j.k, why);
	if (err)
		return err;
	return ofdint_kns_run_in(kp->ns->tx_sock, kfd_run, &j, why);
}
