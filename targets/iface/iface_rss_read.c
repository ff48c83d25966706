// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface_rss_read.c - the receive hash, its type and the rx queue of each
 * frame the device port receives, read back two ways (iface_rss.h).
 *
 * Preferred: XDP on the device. xdp_rxhash.bpf.c, loaded bound to the
 * port (prog_ifindex, BPF_F_XDP_DEV_BOUND_ONLY: the driver's
 * xdp_metadata_ops resolve the kfunc bpf_xdp_metadata_rx_hash) and
 * attached through a bpf_link in native mode, so a run that dies takes
 * it away with its last fd. It records the descriptor's hash and
 * enum xdp_rss_hash_type, ctx->rx_queue_index and the frame's first
 * bytes into a ring buffer. This is the device's own answer, L3-typed
 * hashes included, before the kernel touches it. Loading and linking
 * run in a thread inside the port's namespace (both resolve the
 * ifindex there).
 *
 * Fallback, for a driver without the kfunc (every record says
 * -EOPNOTSUPP), or where XDP cannot attach (a program already there,
 * no native XDP): TPACKET_V3 rings with TP_FT_REQ_FILL_RXHASH, whose
 * tp_rxhash is skb_get_hash(): the device's hash when the driver typed
 * it L4, else the kernel's siphash (kernel-rx.md 5.2), and no type.
 * iface_rss_answer() judges only what that can attribute. The queue
 * comes from a PACKET_FANOUT_QM group: af_packet picks socket
 * skb_get_queue_mapping() % n, and the rx path's queue_mapping is the
 * recorded rx queue + 1 (0: none recorded), so with rings + 1 sockets
 * socket q + 1 receives queue q and socket 0 the frames with no queue.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "iface_rss.h"
#include "ofd_images.h"
#include "ofd_netns.h"
#include "ofd_xdp_rxhash.h"

#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#endif
#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define FAN_MAX 257        /* sockets: 256 rings + the no-queue one */
#define BLOCK_SIZE (1u << 16)
#define BLOCK_NR 4

struct fan_sock {
	int fd;
	uint8_t *map;
	unsigned int block; /* the next block to read */
};

struct iface_rss_reader {
	bool xdp;
	/* XDP */
	struct bpf_object *obj;
	struct bpf_link *link;
	struct ring_buffer *ring;
	/* the frame being waited for (NULL: none, records are dropped), and
	 * its record once seen: matched as the ring is read, so no amount of
	 * other traffic pushes it out */
	const uint8_t *want;
	uint32_t want_len;
	bool found;
	struct iface_rss_rec got;
	uint64_t *others;
	/* TPACKET_V3 */
	struct fan_sock *fan;
	unsigned int nfan;
	struct pollfd *pfd;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool iface_rss_reader_is_xdp(const struct iface_rss_reader *r)
{
	return r->xdp;
}

/*
 * Whether a frame read back (head: its first headlen bytes) is the case's
 * frame f[0, flen): the same bytes as far as both go, or the same with the
 * case's outer VLAN tag taken out (a port with rx-vlan-offload strips it
 * into metadata). The wire may pad a short frame: only f's bytes count.
 */
bool iface_rss_frame_matches(const uint8_t *f, uint32_t flen, const uint8_t *head,
			     uint32_t headlen)
{
	uint32_t n = flen < headlen ? flen : headlen, m;

	if (n < 14)
		return false;
	if (!memcmp(f, head, n))
		return true;
	if (flen < 18 || !((f[12] == 0x81 && f[13] == 0x00) || (f[12] == 0x88 && f[13] == 0xa8)))
		return false;
	m = flen - 4 < headlen ? flen - 4 : headlen;
	return m >= 14 && !memcmp(f, head, 12) && !memcmp(f + 16, head + 12, m - 12);
}

/* ---- XDP ---- */

static int ring_sample(void *ctx, void *data, size_t size)
{
	struct iface_rss_reader *r = ctx;
	const struct ofd_xdp_rxhash_rec *x = data;
	struct iface_rss_rec *o = &r->got;

	if (size < sizeof(*x))
		return 0; /* cannot be: the program writes whole records */
	if (!r->want || r->found ||
	    !iface_rss_frame_matches(r->want, r->want_len, x->head,
			   x->headlen < sizeof(x->head) ? x->headlen : sizeof(x->head))) {
		if (r->want && r->others)
			(*r->others)++;
		return 0;
	}
	memset(o, 0, sizeof(*o));
	o->hash = x->hash;
	o->has_type = true;
	o->rss_type = x->rss_type;
	o->err = x->err;
	o->queue_known = true;
	o->queue = x->queue;
	o->len = x->len;
	o->headlen = x->headlen < sizeof(o->head) ? x->headlen : sizeof(o->head);
	memcpy(o->head, x->head, o->headlen);
	r->found = true;
	return 0;
}

/* libbpf's messages (a verifier log, a driver without native XDP) go to
 * the debug log; the reason is said in one line by the caller. */
static int libbpf_to_log(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	(void)lvl;
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	ofd_pr(OFD_DEBUG, "libbpf: %s", line);
	return 0;
}

static pthread_once_t print_once = PTHREAD_ONCE_INIT;
static void print_init(void)
{
	libbpf_set_print(libbpf_to_log);
}

struct xdp_job {
	struct iface_rss_reader *r;
	int ifindex;
	char *why;
	size_t why_len;
};

static int xdp_load_in_ns(void *arg)
{
	struct xdp_job *j = arg;
	struct bpf_program *prog;
	char path[512];
	int e;

	e = ofd_img_path("xdp_rxhash.bpf.o", path, sizeof(path));
	if (e) {
		snprintf(j->why, j->why_len, "rss: cannot locate xdp_rxhash.bpf.o: %s", strerror(-e));
		return e;
	}
	j->r->obj = bpf_object__open_file(path, NULL);
	if (!j->r->obj) {
		e = -errno;
		snprintf(j->why, j->why_len, "rss: cannot open %s (make progs): %s", path,
			 strerror(-e));
		return e;
	}
	prog = bpf_object__find_program_by_name(j->r->obj, "ofd_xdp_rxhash");
	if (!prog) {
		snprintf(j->why, j->why_len, "rss: %s has no ofd_xdp_rxhash", path);
		return -ENOEXEC;
	}
	bpf_program__set_ifindex(prog, (__u32)j->ifindex);
	bpf_program__set_flags(prog, bpf_program__flags(prog) | BPF_F_XDP_DEV_BOUND_ONLY);
	e = bpf_object__load(j->r->obj);
	if (e) {
		snprintf(j->why, j->why_len,
			 "rss: the kernel refused the device-bound XDP program: %s", strerror(-e));
		return e;
	}
	j->r->link = bpf_program__attach_xdp(prog, j->ifindex);
	if (!j->r->link) {
		e = -errno;
		snprintf(j->why, j->why_len,
			 "rss: cannot attach XDP to the port: %s%s", strerror(-e),
			 e == -EBUSY || e == -EEXIST ? " (an XDP program is there already)" : "");
		return e;
	}
	return 0;
}

int iface_rss_reader_xdp(int nsfd, int ifindex, struct iface_rss_reader **out, char *why,
			 size_t why_len)
{
	struct iface_rss_reader *r = calloc(1, sizeof(*r));
	struct xdp_job j = { r, ifindex, why, why_len };
	struct bpf_map *map;
	int e;

	if (!r)
		return -ENOMEM;
	pthread_once(&print_once, print_init);
	r->xdp = true;
	e = ofd_netns_run(nsfd, xdp_load_in_ns, &j);
	if (!e) {
		map = bpf_object__find_map_by_name(r->obj, "ofd_rxhash_ring");
		r->ring = map ? ring_buffer__new(bpf_map__fd(map), ring_sample, r, NULL) : NULL;
		if (!r->ring) {
			e = -ENOENT;
			snprintf(why, why_len, "rss: no ring buffer in xdp_rxhash.bpf.o");
		}
	}
	if (e) {
		iface_rss_reader_close(r);
		return e;
	}
	*out = r;
	return 0;
}

/* ---- TPACKET_V3 fanout ---- */

static int fan_open_one(int nsfd, int ifindex, int group, struct fan_sock *s)
{
	struct tpacket_req3 req = { .tp_block_size = BLOCK_SIZE,
				    .tp_block_nr = BLOCK_NR,
				    .tp_frame_size = 2048,
				    .tp_frame_nr = BLOCK_SIZE / 2048 * BLOCK_NR,
				    .tp_retire_blk_tov = 1,
				    .tp_feature_req_word = TP_FT_REQ_FILL_RXHASH };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int v = TPACKET_V3, one = 1, fan = group | PACKET_FANOUT_QM << 16;

	s->fd = ofd_netns_socket(nsfd, AF_PACKET, SOCK_RAW, 0);
	if (s->fd < 0)
		return s->fd;
	if (setsockopt(s->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return -errno;
	s->map = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE, MAP_SHARED,
		      s->fd, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		return -errno;
	}
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_FANOUT, &fan, sizeof(fan)))
		return -errno;
	return 0;
}

int iface_rss_reader_fanout(int nsfd, int ifindex, unsigned int rings,
			    struct iface_rss_reader **out, char *why, size_t why_len)
{
	struct iface_rss_reader *r;
	unsigned int i;
	int e = 0, group = (getpid() ^ 0x5253) & 0xffff;

	if (!rings || rings + 1 > FAN_MAX) {
		snprintf(why, why_len, "rss: %u rx rings: the fanout read-back takes 1 to %u",
			 rings, FAN_MAX - 1);
		return -E2BIG;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fan = calloc(rings + 1, sizeof(*r->fan));
	r->pfd = calloc(rings + 1, sizeof(*r->pfd));
	if (!r->fan || !r->pfd) {
		iface_rss_reader_close(r);
		return -ENOMEM;
	}
	for (i = 0; i <= rings; i++)
		r->fan[i].fd = -1;
	r->nfan = rings + 1;
	/* In order: af_packet numbers a group's sockets as they join. */
	for (i = 0; i < r->nfan && !e; i++)
		e = fan_open_one(nsfd, ifindex, group, &r->fan[i]);
	if (e) {
		snprintf(why, why_len, "rss: TPACKET_V3 fanout read-back on the port: %s",
			 strerror(-e));
		iface_rss_reader_close(r);
		return e;
	}
	for (i = 0; i < r->nfan; i++) {
		r->pfd[i].fd = r->fan[i].fd;
		r->pfd[i].events = POLLIN;
	}
	*out = r;
	return 0;
}

/* Every frame of socket i's ready blocks into rec/match; 1 when the
 * match was found (the rest of its block is read and dropped). */
static int fan_read(struct iface_rss_reader *r, unsigned int i, const uint8_t *want,
		    uint32_t want_len, struct iface_rss_rec *out, uint64_t *others, bool *found)
{
	struct fan_sock *s = &r->fan[i];

	for (;;) {
		struct tpacket_block_desc *b =
			(void *)(s->map + (size_t)s->block * BLOCK_SIZE);
		uint32_t n, off;

		if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return 0;
		off = b->hdr.bh1.offset_to_first_pkt;
		for (n = 0; n < b->hdr.bh1.num_pkts; n++) {
			const struct tpacket3_hdr *h;
			const uint8_t *d;
			uint32_t caplen;

			if (off < sizeof(*b) || off > BLOCK_SIZE - sizeof(*h))
				break; /* cannot be: the kernel lays blocks out */
			h = (const void *)((const uint8_t *)b + off);
			d = (const uint8_t *)h + h->tp_mac;
			caplen = h->tp_snaplen;
			if (h->tp_mac > BLOCK_SIZE - off || caplen > BLOCK_SIZE - off - h->tp_mac)
				break;
			if (want && !*found &&
			    iface_rss_frame_matches(want, want_len, d, caplen < 64 ? caplen : 64)) {
				memset(out, 0, sizeof(*out));
				out->hash = h->hv1.tp_rxhash;
				/* socket 0: no queue recorded, which on one
				 * ring can only be queue 0 */
				out->queue_known = i > 0 || r->nfan == 2;
				out->queue = i ? i - 1 : 0;
				out->len = h->tp_len;
				out->headlen = caplen < sizeof(out->head) ? caplen : sizeof(out->head);
				memcpy(out->head, d, out->headlen);
				*found = true;
			} else if (others) {
				(*others)++;
			}
			if (!h->tp_next_offset)
				break;
			off += h->tp_next_offset;
		}
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		s->block = (s->block + 1) % BLOCK_NR;
	}
}

/* ---- both ---- */

int iface_rss_reader_next(struct iface_rss_reader *r, const uint8_t *frame, uint32_t len,
			  int wait_ms, struct iface_rss_rec *out, uint64_t *others)
{
	uint64_t deadline = now_ms() + (uint64_t)(wait_ms > 0 ? wait_ms : 0);

	if (r->xdp) {
		r->want = frame;
		r->want_len = len;
		r->found = false;
		r->others = others;
		ring_buffer__consume(r->ring);
	}
	for (;;) {
		bool found = false;
		uint64_t t;
		unsigned int i;

		if (r->xdp) {
			if (r->found) {
				*out = r->got;
				r->want = NULL;
				return 1;
			}
		} else {
			for (i = 0; i < r->nfan; i++)
				fan_read(r, i, frame, len, out, others, &found);
			if (found)
				return 1;
		}
		t = now_ms();
		if (t >= deadline) {
			r->want = NULL;
			return 0;
		}
		if (r->xdp) {
			int e = ring_buffer__poll(r->ring, (int)(deadline - t));

			if (e < 0 && e != -EINTR) {
				r->want = NULL;
				return e;
			}
		} else if (poll(r->pfd, r->nfan, (int)(deadline - t)) < 0 && errno != EINTR) {
			return -errno;
		}
	}
}

void iface_rss_reader_drain(struct iface_rss_reader *r)
{
	unsigned int i;

	if (r->xdp) {
		r->want = NULL; /* what is read now is dropped */
		ring_buffer__consume(r->ring);
		return;
	}
	for (i = 0; i < r->nfan; i++) {
		bool found = false;

		fan_read(r, i, NULL, 0, NULL, NULL, &found);
	}
}

void iface_rss_reader_close(struct iface_rss_reader *r)
{
	unsigned int i;

	if (!r)
		return;
	ring_buffer__free(r->ring);
	bpf_link__destroy(r->link);
	bpf_object__close(r->obj);
	for (i = 0; r->fan && i < r->nfan; i++) {
		if (r->fan[i].map)
			munmap(r->fan[i].map, (size_t)BLOCK_SIZE * BLOCK_NR);
		if (r->fan[i].fd >= 0)
			close(r->fan[i].fd);
	}
	free(r->fan);
	free(r->pfd);
	free(r);
}
