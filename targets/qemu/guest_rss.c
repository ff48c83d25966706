// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * guest_rss.c - guest mode on QEMU's virtio-net (device=virtio-net): the
 * rss offload through a real driver on a device that computes Toeplitz.
 *
 *   -netdev tap,id=n0,fds=3:4:5:6,vhost=off
 *   -device virtio-net-pci,netdev=n0,mq=on,vectors=10,rss=on,hash=on,...
 *
 * QEMU offers VIRTIO_NET_F_RSS and F_HASH_REPORT only on a peer with a
 * vnet header (virtio_net_get_features clears HASH_REPORT otherwise), so
 * the tap has IFF_VNET_HDR (QEMU reads the flag off the passed fds), and
 * one queue per queue pair (IFF_MULTI_QUEUE, GUEST_RSS_QUEUES fds). With
 * the hash report negotiated QEMU computes RSS in software
 * (populate_hash: virtio_net_process_rss) whatever its eBPF support.
 *
 * Configuration: the reference and the device must hash with the same
 * key, table and field sets, and the guest driver's key is random per
 * boot (netdev_rss_key). So guest mode does what an operator does with
 * `ethtool -X` and `ethtool -N rx-flow-hash`: it writes the model's
 * configuration (its default, or the rss_* keys, the same ones the model
 * reference takes: -t qemu:...,rss_hash=udp4=sdfn -r model:rss_hash=...)
 * into the driver and reads it back (rss_readback.c in the agent); open
 * fails, saying which field, when the read-back is not what was set.
 * virtio's limits: a 40-byte key (VIRTIO_NET_RSS_MAX_KEY_SIZE; the
 * model's 52-byte default key agrees on every tuple of 36 bytes or less,
 * a hash reading key bytes [0, n + 4) only), a 128-entry table, field
 * sets sd or sdfn (no flow label, no input transform).
 *
 * Each rss case's frame is written into the tap (AF_PACKET on it, as
 * the qtest mode's receive side); the agent answers a hit per frame its
 * rings read, named by the frame's digest, so hits from four queues may
 * come in any order. The record: hash = skb->hash as the driver set it
 * (the agent's socket filter), hash_type L4 when the kernel kept it
 * (tp_rxhash equal), L3 when skb_get_hash replaced it, none for 0; queue
 * = the rx queue the driver recorded (skb->queue_mapping - 1). flow_type is not something the guest can see
 * (virtio_skb_set_hash keeps only L3/L4 of QEMU's report type): the
 * record carries the model's classification of the frame, so what is
 * judged is the hash, its type and the queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include "guest_internal.h"
#include "ofd_agent.h"
#include "ofd_netns.h"
#include "ofd_port.h"
#include "ofd_rss.h"
#include "ofd_rss_readback.h"

#define RSS_TAP_MTU 9216      /* frames up to 9230 bytes (a VLAN tag more) */
#define RSS_KEY_SIZE 40       /* VIRTIO_NET_RSS_MAX_KEY_SIZE */
_Static_assert(RSS_KEY_SIZE <= sizeof(((struct qemu_guest *)0)->rb_key), "rb_key");
#define RSS_TABLE 128         /* VIRTIO_NET_RSS_MAX_TABLE_LEN */
_Static_assert(RSS_TABLE * 4 == sizeof(((struct qemu_guest *)0)->rb_indir), "rb_indir");
#define RSS_WINDOW 32         /* frames in flight */
#define RSS_LOST_MS 3000      /* a frame with no hit this long: not received */
#define RSS_INFO_MS 30000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* The namespace and its multi-queue vnet-header tap                    */
/* ------------------------------------------------------------------ */

struct mq_setup {
	struct qemu_guest *g;
	int err;
	const char *step;
};

/* In a thread of its own, as qemu_proc.c's ns_thread: the namespace is
 * the thread's, kept alive by the fds. */
static void *mq_thread(void *arg)
{
	struct mq_setup *s = arg;
	struct qemu_guest *g = s->g;
	struct ifreq ifr;
	int ctl, i;

	s->step = "unshare(CLONE_NEWNET)";
	if (unshare(CLONE_NEWNET))
		goto fail;
	/* Nothing of the namespace's own (MLD, neighbour discovery) reaches
	 * the guest's rings. */
	s->step = "disable IPv6 in the namespace";
	if (ofd_netns_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1") && errno != ENOENT)
		goto fail;
	for (i = 0; i < GUEST_RSS_QUEUES; i++) {
		s->step = "open /dev/net/tun";
		g->qfd[i] = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
		if (g->qfd[i] < 0)
			goto fail;
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", GUEST_TAP);
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
		s->step = "TUNSETIFF (IFF_VNET_HDR | IFF_MULTI_QUEUE)";
		if (ioctl(g->qfd[i], TUNSETIFF, &ifr))
			goto fail;
	}
	s->step = "the namespace's control socket";
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0)
		goto fail;
	s->step = "the tap's MTU, up";
	ifr.ifr_mtu = RSS_TAP_MTU;
	if (ioctl(ctl, SIOCSIFMTU, &ifr) || ioctl(ctl, SIOCGIFFLAGS, &ifr) ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(ctl, SIOCSIFFLAGS, &ifr)) ||
	    ioctl(ctl, SIOCGIFINDEX, &ifr)) {
		close(ctl);
		goto fail;
	}
	g->ifindex = ifr.ifr_ifindex;
	close(ctl);
	s->step = "open the namespace";
	g->ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (g->ns_fd < 0)
		goto fail;
	return NULL;
fail:
	s->err = -errno;
	return NULL;
}

int qemu_guest_rss_ns(struct qemu_guest *g, char *err, size_t err_len)
{
	struct mq_setup s = { .g = g };
	pthread_t t;
	int e;

	e = pthread_create(&t, NULL, mq_thread, &s);
	if (e) {
		snprintf(err, err_len, "qemu guest: thread: %s", strerror(e));
		return -e;
	}
	pthread_join(t, NULL);
	if (s.err) {
		snprintf(err, err_len, "qemu guest: namespace and multi-queue tap: %s: %s", s.step,
			 strerror(-s.err));
		return s.err;
	}
	g->tx_fd = ofd_port_open_tx(g->ns_fd, g->ifindex);
	if (g->tx_fd < 0) {
		e = g->tx_fd;
		snprintf(err, err_len, "qemu guest: send socket on the tap: %s", strerror(-e));
		return e;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The driver's configuration: set, read back, checked                 */
/* ------------------------------------------------------------------ */

static bool virtio_fields_ok(int idx, uint32_t f)
{
	const uint32_t sd = OFD_RXH_IP_SRC | OFD_RXH_IP_DST;

	/* virtnet_set_hashflow: tcp/udp take sd or sdfn, ipv4/ipv6 sd */
	return f == sd || (idx < 4 && f == (sd | OFD_RXH_L4));
}

static int read_exact(int fd, void *p, size_t n, int timeout_ms)
{
	uint8_t *b = p;
	double end = now_s() + timeout_ms / 1000.0;

	while (n) {
		struct pollfd q = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (now_s() > end)
			return -ETIMEDOUT;
		if (poll(&q, 1, 200) <= 0)
			continue;
		r = read(fd, b, n);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0)
			return -EIO;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static int write_exact(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		struct pollfd q = { .fd = fd, .events = POLLOUT };
		ssize_t w;

		poll(&q, 1, 200);
		w = write(fd, b, n);
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (w <= 0)
			return -EIO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int check_info(const struct agent_rss_set *set, const struct agent_rss_info *in,
		      const struct ofd_rss_config *cfg, char *err, size_t err_len)
{
	unsigned int i;

	if (in->magic != OFD_AGENT_RSS_INFO_MAGIC) {
		snprintf(err, err_len, "qemu guest: the agent answered the rss set-up out of protocol");
		return -EPROTO;
	}
	if (in->err) {
		snprintf(err, err_len, "qemu guest: virtio_net in the guest: %s (the driver reads "
			 "back a %u-byte key, a %u-entry table, %u rx rings)", in->why, in->key_size,
			 in->indir_size, in->rx_rings);
		return in->err < 0 ? in->err : -EIO;
	}
	if (in->hfunc != 1 || in->input_xfrm) {
		snprintf(err, err_len, "qemu guest: read back hfunc 0x%x input_xfrm 0x%x, not Toeplitz "
			 "without a transform", in->hfunc, in->input_xfrm);
		return -EPROTO;
	}
	if (in->key_size != set->key_size || memcmp(in->key, set->key, set->key_size)) {
		snprintf(err, err_len, "qemu guest: the driver's key (%u bytes) is not the %u bytes set",
			 in->key_size, set->key_size);
		return -EPROTO;
	}
	if (in->indir_size != set->indir_size ||
	    memcmp(in->indir, set->indir, 4u * set->indir_size)) {
		snprintf(err, err_len, "qemu guest: the driver's indirection table (%u entries) is "
			 "not the one set", in->indir_size);
		return -EPROTO;
	}
	for (i = 0; i < OFD_AGENT_RSS_NFLOWS; i++)
		if (in->fields_err[i] || in->fields[i] != set->fields[i]) {
			snprintf(err, err_len, "qemu guest: the driver's %s field set reads back 0x%llx "
				 "(err %d), not 0x%llx", ofd_rss_rb_flow_name[i],
				 (unsigned long long)in->fields[i], in->fields_err[i],
				 (unsigned long long)set->fields[i]);
			return -EPROTO;
		}
	if (in->rx_rings < cfg->nqueues) {
		snprintf(err, err_len, "qemu guest: the driver has %u rx rings, the configuration %u "
			 "queues", in->rx_rings, cfg->nqueues);
		return -EPROTO;
	}
	return 0;
}

int qemu_guest_rss_setup(struct qemu_guest *g, const struct ofd_engine_opts *opts, char *err,
			 size_t err_len)
{
	static struct agent_rss_set set;
	static struct agent_rss_info in;
	char why[200];
	unsigned int i;
	int e;

	g->rss = calloc(1, sizeof(*g->rss));
	if (!g->rss)
		return -ENOMEM;
	e = ofd_rss_params(opts, g->rss, why, sizeof(why));
	if (e) {
		snprintf(err, err_len, "qemu guest: %s", why);
		return e;
	}
	if (g->rss->keylen < RSS_KEY_SIZE || g->rss->xfrm != OFD_RSS_XFRM_NONE ||
	    g->rss->indir_size > RSS_TABLE || RSS_TABLE % g->rss->indir_size ||
	    g->rss->nqueues > GUEST_RSS_QUEUES) {
		snprintf(err, err_len, "qemu guest: virtio-net takes a 40-byte key (the first 40 of "
			 "a longer one), no input transform, a table dividing 128 entries and up to "
			 "%d queues", GUEST_RSS_QUEUES);
		return -EINVAL;
	}
	memset(&set, 0, sizeof(set));
	set.magic = OFD_AGENT_RSS_SET_MAGIC;
	set.key_size = RSS_KEY_SIZE;
	memcpy(set.key, g->rss->key, RSS_KEY_SIZE);
	/* The model's table repeated to the driver's 128: hash & 127 then
	 * picks the entry hash & (size - 1) would. */
	set.indir_size = RSS_TABLE;
	for (i = 0; i < RSS_TABLE; i++)
		set.indir[i] = g->rss->indir[i % g->rss->indir_size];
	for (i = 0; i < OFD_AGENT_RSS_NFLOWS; i++) {
		if (!virtio_fields_ok((int)i, g->rss->fields[i])) {
			snprintf(err, err_len, "qemu guest: virtio_net hashes tcp/udp on sd or sdfn and "
				 "ipv4/ipv6 on sd: field set 0x%x of flow %u cannot be set",
				 g->rss->fields[i], i);
			return -EINVAL;
		}
		set.fields[i] = g->rss->fields[i];
	}
	e = write_exact(g->agent_fd, &set, sizeof(set));
	if (!e)
		e = read_exact(g->agent_fd, &in, sizeof(in), RSS_INFO_MS);
	if (e) {
		snprintf(err, err_len, "qemu guest: no rss read-back from the agent: %s", strerror(-e));
		return e;
	}
	e = check_info(&set, &in, g->rss, err, err_len);
	if (e)
		return e;
	g->rss_raw = in.raw_hash;
	g->rss_rings = in.rx_rings;
	memcpy(g->rb_key, in.key, sizeof(g->rb_key));
	memcpy(g->rb_indir, in.indir, sizeof(g->rb_indir));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The cases                                                           */
/* ------------------------------------------------------------------ */

struct rss_slot {
	unsigned int idx;
	uint64_t digest;
	uint32_t len;
	double sent;
	bool busy;
};

static uint64_t digest_of(const struct ofd_pkt *p)
{
	return ofd_agent_digest(OFD_AGENT_DIGEST_INIT, p->data, p->len);
}

/*
 * The record's flow type: the guest sees only L3 or L4 of QEMU's report
 * type. Where the device's hash and type are the model's, the model's
 * flow type for the frame (the record then differs at most in the queue,
 * never in a field the guest cannot see); where not, the flow type the
 * device's type
 * implies for the frame's outer header: L3 -> ipv4/ipv6, L4 -> tcp/udp
 * by its protocol, so a device that hashed the outer header of a tunnel
 * gets the record the outer-tuple hypothesis computes.
 */
static uint8_t flow_seen(const struct ofd_rss_config *cfg, const struct ofd_case *c,
			 uint32_t hash, uint8_t type)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, off = 12;
	struct ofd_rss_out m;
	uint16_t et;
	uint8_t proto;
	bool v6;

	if (!ofd_rss_compute(cfg, NULL, d, len, &m) && m.hash_type == type && m.hash == hash)
		return m.flow_type;
	if (type == OFD_RSS_HASH_NONE)
		return OFD_RSS_FLOW_NONE;
	for (;;) {
		if (off + 2 > len)
			return OFD_RSS_FLOW_NONE;
		et = (uint16_t)(d[off] << 8 | d[off + 1]);
		if (et != 0x8100 && et != 0x88a8)
			break;
		off += 4;
	}
	off += 2;
	if (et != 0x0800 && et != 0x86dd)
		return OFD_RSS_FLOW_NONE;
	v6 = et == 0x86dd;
	if (type == OFD_RSS_HASH_L3)
		return v6 ? OFD_RSS_FLOW_IPV6 : OFD_RSS_FLOW_IPV4;
	if (off + (v6 ? 7u : 10u) > len)
		return OFD_RSS_FLOW_NONE;
	proto = v6 ? d[off + 6] : d[off + 9];
	if (proto == 6)
		return v6 ? OFD_RSS_FLOW_TCP6 : OFD_RSS_FLOW_TCP4;
	if (proto == 17)
		return v6 ? OFD_RSS_FLOW_UDP6 : OFD_RSS_FLOW_UDP4;
	return v6 ? OFD_RSS_FLOW_IPV6 : OFD_RSS_FLOW_IPV4;
}

static void answer(struct qemu_guest *g, const struct ofd_case *c, const struct agent_rss_hit *h,
		   struct ofd_result *r)
{
	struct ofd_rss_out o;
	struct ofd_frame *f;
	uint8_t *out;

	if (!h->raw_valid) {
		/* Without the filter only an L4 hash is visible, and which
		 * hashes were L4 cannot be told. */
		ofd_result_unsupported(r, "the guest kernel took no socket filter: the driver's "
				       "skb->hash is not visible (tp_rxhash is siphash for L3 hashes)");
		return;
	}
	memset(&o, 0, sizeof(o));
	o.hash = h->raw_hash;
	o.hash_type = !h->raw_hash		  ? OFD_RSS_HASH_NONE :
		      h->raw_hash == h->rxhash ? OFD_RSS_HASH_L4 :
						  OFD_RSS_HASH_L3;
	/* skb->queue_mapping is the rx queue + 1 (skb_record_rx_queue);
	 * 0 would be a frame no queue recorded. */
	o.queue = h->skb_queue ? (uint16_t)(h->skb_queue - 1) : h->queue;
	o.flow_type = flow_seen(g->rss, c, o.hash, o.hash_type);
	f = ofd_result_add_new(r, OFD_RSS_REC_LEN, &out);
	if (!f) {
		ofd_result_unsupported(r, "no room for the rss record");
		return;
	}
	ofd_rss_out_put(&o, out);
	memset(&f->meta, 0, sizeof(f->meta));
	g->frames++;
}

/* Take the hits waiting on the port; each to the oldest busy slot with
 * its digest. -EIO when the agent is gone. */
static int take_hits(struct qemu_guest *g, const struct ofd_case *cases,
		     struct ofd_result *const *res, struct rss_slot *w, unsigned int *busy)
{
	struct agent_rss_hit h;
	ssize_t r;
	unsigned int k, best;

	for (;;) {
		r = read(g->agent_fd, g->in + g->in_len, sizeof(g->in) - g->in_len);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (r <= 0)
			return -EIO;
		g->in_len += (size_t)r;
		while (g->in_len >= sizeof(h)) {
			memcpy(&h, g->in, sizeof(h));
			memmove(g->in, g->in + sizeof(h), g->in_len - sizeof(h));
			g->in_len -= sizeof(h);
			if (h.magic != OFD_AGENT_RSS_HIT_MAGIC)
				return -EIO;
			best = RSS_WINDOW;
			for (k = 0; k < RSS_WINDOW; k++)
				if (w[k].busy && w[k].digest == h.digest && w[k].len == h.len &&
				    (best == RSS_WINDOW || w[k].sent < w[best].sent))
					best = k;
			if (best == RSS_WINDOW) {
				g->foreign++;
				continue;
			}
			answer(g, &cases[w[best].idx], &h, res[w[best].idx]);
			w[best].busy = false;
			(*busy)--;
		}
	}
}

static bool rss_plan(const struct ofd_case *c, struct ofd_result *r)
{
	if (c->offload != OFD_OFFLOAD_RSS) {
		ofd_result_unsupported(r, "guest mode on virtio-net runs rss (device=e1000e or igb "
				       "for tx-csum and tso)");
		return false;
	}
	if (c->npkts != 1 || !c->pkts || !c->pkts[0].data) {
		ofd_result_unsupported(r, "rss takes exactly one frame");
		return false;
	}
	if (c->pkts[0].len < 14) {
		ofd_result_unsupported(r, "shorter than an Ethernet header: the tap cannot send it");
		return false;
	}
	/* __netif_receive_skb_core untags (skb_vlan_untag) before the packet
	 * taps, and drops a tagged frame without the tag and the inner
	 * ethertype (4 + 2 bytes after the Ethernet header): the rings never
	 * see what QEMU made of it. */
	if (c->pkts[0].len < 20 &&
	    ((c->pkts[0].data[12] == 0x81 && c->pkts[0].data[13] == 0x00) ||
	     (c->pkts[0].data[12] == 0x88 && c->pkts[0].data[13] == 0xa8))) {
		ofd_result_unsupported(r, "a VLAN-tagged frame shorter than 20 bytes: the guest "
				       "kernel drops it at skb_vlan_untag, before any packet socket");
		return false;
	}
	if (c->pkts[0].len > RSS_TAP_MTU + 18) {
		ofd_result_unsupported(r, "longer than the tap's MTU 9216 (and a VLAN tag) lets "
				       "AF_PACKET send");
		return false;
	}
	return true;
}

int qemu_guest_rss_run(struct qemu_guest *g, const struct ofd_case *cases,
		       struct ofd_result *const *res, unsigned int n)
{
	struct rss_slot w[RSS_WINDOW];
	unsigned int next = 0, busy = 0, k;
	double t0 = now_s();
	static const struct ofd_vnet_hdr none;

	memset(w, 0, sizeof(w));
	if (g->dead) {
		for (k = 0; k < n; k++)
			ofd_result_fault(res[k], OFD_REASON_FAULT_ENGINE,
					 "the qemu guest stopped answering earlier in the run");
		return 0;
	}
	while (next < n || busy) {
		struct pollfd p = { .fd = g->agent_fd, .events = POLLIN };
		double t;

		/* Fill the window. */
		while (next < n && busy < RSS_WINDOW) {
			const struct ofd_case *c = &cases[next];
			int e;

			if (!rss_plan(c, res[next])) {
				next++;
				continue;
			}
			for (k = 0; w[k].busy; k++)
				;
			e = ofd_port_send(g->tx_fd, &none, c->pkts[0].data, c->pkts[0].len);
			if (e) {
				ofd_result_unsupported(res[next], "AF_PACKET refused to send the "
						       "frame into the tap");
				next++;
				continue;
			}
			w[k] = (struct rss_slot){ .idx = next, .digest = digest_of(&c->pkts[0]),
						  .len = c->pkts[0].len, .sent = now_s(), .busy = true };
			busy++;
			next++;
			g->cases++;
		}
		if (poll(&p, 1, 50) < 0 && errno != EINTR)
			return -errno;
		if (p.revents && take_hits(g, cases, res, w, &busy)) {
			g->dead = true;
			ofd_pr_warn("qemu guest: the agent stopped (QEMU closed its port)\n");
			break;
		}
		t = now_s();
		for (k = 0; k < RSS_WINDOW; k++)
			if (w[k].busy && t - w[k].sent > RSS_LOST_MS / 1000.0) {
				ofd_result_reject(res[w[k].idx], OFD_REASON_DROPPED, OFD_STAGE_WIRE);
				res[w[k].idx]->detail = "the guest's rings never read the frame (QEMU "
							"or the virtio_net driver dropped it)";
				g->lost++;
				w[k].busy = false;
				busy--;
			}
	}
	if (g->dead) {
		for (k = 0; k < RSS_WINDOW; k++)
			if (w[k].busy)
				ofd_result_fault(res[w[k].idx], OFD_REASON_FAULT_ENGINE,
						 "the qemu guest stopped before answering this case");
		for (; next < n; next++)
			ofd_result_fault(res[next], OFD_REASON_FAULT_ENGINE,
					 "the qemu guest stopped answering earlier in the run");
	}
	g->busy_s += now_s() - t0;
	return 0;
}
