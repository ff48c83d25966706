// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * guest_run.c - guest mode's cases: streamed to the guest's agent over
 * virtio-serial, their frames read off the tap.
 *
 * Each case goes to the agent as its frame and the virtio_net_hdr the
 * kernel engine would send it with (ofd_kernel_tx_hdr: the same way into a
 * kernel, here the guest's); the agent sends it on AF_PACKET and a marker
 * after it (ofd_agent.h). Up to GUEST_WINDOW requests are in flight, so
 * the guest always has the next case while QEMU transmits the last: on the
 * tap, every frame before a marker and after the previous one belongs to
 * the marker's case (one TX queue, one FIFO qdisc in the guest). The
 * answers carry send()'s errno, which says a request the guest kernel
 * refused at submit.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest_internal.h"
#include "qemu_internal.h"
#include "ofd_agent.h"
#include "ofd_kernel.h"
#include "ofd_marker.h"
#include "ofd_port.h"

/* Requests written ahead of their answers: enough to keep the guest busy,
 * few enough that its qdisc (1000 packets) never fills. */
#define GUEST_WINDOW 32
/* No frame, no answer, no byte taken for this long: the guest is stuck. */
#define GUEST_STALL_MS 60000
/* The guest's MTU: e1000e's max_mtu, set by the agent (igb's is 9216). */
#define GUEST_MTU 9212u

static const char mtu_why[] =
	"non-GSO frame longer than the guest NIC's MTU (9212, e1000e's largest): the guest "
	"kernel refuses it at send (EMSGSIZE)";
static const char tunnel_why[] =
	"UDP tunnel GSO: only tun's tunnel header can ask for it, AF_PACKET's "
	"virtio_net_hdr cannot";
static const char encap_why[] =
	"tunnelled (encapsulated) legacy request: AF_PACKET cannot mark the skb encapsulated, "
	"so the guest would hand the driver a plain checksum request, not the skb the stack "
	"builds (which e1000e, without hw_enc_features, never gets)";
static const char einval_why[] =
	"virtio_net_hdr_to_skb refuses the fields of this stack-built GSO skb: the guest "
	"kernel cannot be handed it from userspace";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The value of "key=" in the ready line, into out. */
static void line_field(const char *line, const char *key, char *out, size_t cap)
{
	const char *p = strstr(line, key);
	size_t n;

	*out = 0;
	if (!p)
		return;
	p += strlen(key);
	n = strcspn(p, " \n");
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

int qemu_guest_ready(struct qemu_guest *g, int timeout_ms, char *err, size_t err_len)
{
	char line[OFD_AGENT_LINE_MAX], mac[32], drv[16];
	size_t len = 0;
	double end = now_s() + timeout_ms / 1000.0;
	unsigned int b[6];
	char *nl = NULL;
	int i;

	while (!nl) {
		struct pollfd p = { .fd = g->agent_fd, .events = POLLIN };
		ssize_t r;

		if (now_s() > end) {
			snprintf(err, err_len, "qemu guest: the agent did not start within %d s "
				 "(OFD_QEMU_GUEST_KEEP=1 keeps %s/console.log)", timeout_ms / 1000, g->dir);
			return -ETIMEDOUT;
		}
		if (poll(&p, 1, 200) <= 0)
			continue;
		/* One byte at a time: nothing after the line may be taken. */
		r = read(g->agent_fd, line + len, 1);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
			snprintf(err, err_len, "qemu guest: QEMU closed the agent's port during boot "
				 "(OFD_QEMU_GUEST_KEEP=1 keeps %s/console.log)", g->dir);
			return -EIO;
		}
		if (r == 1 && line[len] == '\n')
			nl = line + len;
		if (r == 1 && ++len == sizeof(line) - 1) {
			snprintf(err, err_len, "qemu guest: the agent's first line is too long");
			return -EPROTO;
		}
	}
	*nl = 0;
	if (strncmp(line, OFD_AGENT_READY, strlen(OFD_AGENT_READY))) {
		snprintf(err, err_len, "qemu guest: %s", line);
		return -EIO;
	}
	snprintf(g->agent_line, sizeof(g->agent_line), "%s", line);
	line_field(line, "release=", g->release, sizeof(g->release));
	line_field(line, "mac=", mac, sizeof(mac));
	line_field(line, "driver=", drv, sizeof(drv));
	/* QEMU's device virtio-net-pci, the guest's driver virtio_net */
	if (strcmp(drv, qemu_guest_is_virtio(g) ? "virtio_net" : g->device)) {
		snprintf(err, err_len, "qemu guest: the agent found a %s NIC, not the %s asked for",
			 drv, g->device);
		return -EPROTO;
	}
	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
		snprintf(err, err_len, "qemu guest: no MAC in the agent's line '%s'", line);
		return -EPROTO;
	}
	for (i = 0; i < 6; i++)
		if (b[i] != g->mac[i]) {
			snprintf(err, err_len, "qemu guest: the agent's NIC is %s, not the one offdiff gave QEMU",
				 mac);
			return -EPROTO;
		}
	if (strstr(line, g->offloads ? " offloads=off" : " offloads=on") ||
	    (g->offloads && !strstr(line, "txcsum=1 sg=1 tso=1"))) {
		snprintf(err, err_len, "qemu guest: the driver's offloads are not as asked: %s", line);
		return -EPROTO;
	}
	return 0;
}

/* One case the guest is given. */
struct slot {
	unsigned int idx; /* into cases[] */
	int err;          /* the agent's answer */
	bool acked, marked, full;
	struct agent_req req;
};

/* Whether case c goes to the guest; fills *rq, or the result with why not. */
static bool plan(const struct ofd_case *c, struct ofd_result *res, struct agent_req *rq)
{
	struct ofd_vnet_hdr h;
	const char *why;
	uint32_t len, room = GUEST_MTU + 14;
	int way;

	if ((why = qe_offload_why(c->offload, true))) {
		ofd_result_unsupported(res, why);
		return false;
	}
	/* A stack-built skb with skb->encapsulation set: the stack masks
	 * the device's features with hw_enc_features (netif_skb_features),
	 * none for e1000e, and finishes the checksum itself. Sent through
	 * AF_PACKET it would be a plain CHECKSUM_PARTIAL skb the driver
	 * offloads: not what the stack does. */
	if (c->req.kind == OFD_REQ_LEGACY && (c->req.legacy & OFD_LEGACY_TUNNEL)) {
		ofd_result_unsupported(res, encap_why);
		return false;
	}
	way = ofd_kernel_tx_way(c, GUEST_MTU, &why);
	if (way == OFD_TXWAY_NONE) {
		ofd_result_unsupported(res, why);
		return false;
	}
	if (way == OFD_TXWAY_TUNNEL) {
		ofd_result_unsupported(res, tunnel_why);
		return false;
	}
	len = c->pkts[0].len;
	if (len >= 14 && c->pkts[0].data[12] == 0x81 && c->pkts[0].data[13] == 0x00)
		room += 4;
	/* A legacy frame past the MTU would go as a GSO request too small to
	 * segment (ofd_kpath), which a real driver would be handed as one
	 * frame longer than the device takes: the qtest mode declines it
	 * too. */
	if (ofd_kpath(c, GUEST_MTU) != OFD_KPATH_PLAIN ||
	    (way == OFD_TXWAY_PLAIN && c->req.vnet.gso_type == OFD_VNET_GSO_NONE && len > room)) {
		ofd_result_unsupported(res, mtu_why);
		return false;
	}
	if (!len || len > OFD_AGENT_FRAME_MAX) {
		ofd_result_unsupported(res, "frame longer than the agent takes (64 KB)");
		return false;
	}
	ofd_kernel_tx_hdr(c, GUEST_MTU, &h);
	memset(rq, 0, sizeof(*rq));
	rq->magic = OFD_AGENT_REQ_MAGIC;
	rq->len = len;
	rq->case_id = c->id;
	rq->vnet.flags = h.flags;
	rq->vnet.gso_type = h.gso_type;
	rq->vnet.hdr_len = h.hdr_len;
	rq->vnet.gso_size = h.gso_size;
	rq->vnet.csum_start = h.csum_start;
	rq->vnet.csum_offset = h.csum_offset;
	return true;
}

/* What the guest's send() errno says, in the kernel engine's terms. */
static void submit_error(const struct ofd_case *c, struct ofd_result *res, int err)
{
	switch (err) {
	case EMSGSIZE:
		ofd_result_reject(res, OFD_REASON_FRAME_TOO_LONG, OFD_STAGE_SUBMIT);
		break;
	case ENOBUFS:
	case ENOMEM:
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
		res->detail = "the guest kernel dropped it at send (ENOBUFS)";
		break;
	case EINVAL:
		if (c->req.kind == OFD_REQ_LEGACY && c->req.skb_gso) {
			ofd_result_unsupported(res, einval_why);
			break;
		}
		/* fall through */
	default:
		ofd_result_reject(res, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT);
		break;
	}
	res->err = err;
}

struct stream {
	struct qemu_guest *g;
	struct slot *s;
	unsigned int n, sent, acked, cur;
	size_t wpos;      /* bytes of request `sent` written */
	uint64_t seq0;
	bool broken;
	const char *why;  /* of broken */
};

/* Write what the port takes of the requests in the window. 1 on progress. */
static int pump_out(struct stream *st, const struct ofd_case *cases)
{
	int progress = 0;

	while (st->sent < st->n && st->sent - st->acked < GUEST_WINDOW) {
		struct slot *s = &st->s[st->sent];
		const uint8_t *p;
		size_t left;
		ssize_t w;

		if (st->wpos < sizeof(s->req)) {
			p = (const uint8_t *)&s->req + st->wpos;
			left = sizeof(s->req) - st->wpos;
		} else {
			p = cases[s->idx].pkts[0].data + (st->wpos - sizeof(s->req));
			left = sizeof(s->req) + s->req.len - st->wpos;
		}
		w = write(st->g->agent_fd, p, left);
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (w <= 0) {
			st->broken = true;
			st->why = "QEMU closed the agent's port";
			break;
		}
		progress = 1;
		st->wpos += (size_t)w;
		if (st->wpos == sizeof(s->req) + s->req.len) {
			st->sent++;
			st->wpos = 0;
		}
	}
	return progress;
}

/* Take the agent's answers. 1 on progress. */
static int pump_in(struct stream *st)
{
	struct qemu_guest *g = st->g;
	struct agent_ack a;
	ssize_t r;
	int progress = 0;

	for (;;) {
		r = read(g->agent_fd, g->in + g->in_len, sizeof(g->in) - g->in_len);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (r <= 0) {
			st->broken = true;
			st->why = "the guest's agent stopped (QEMU closed its port)";
			break;
		}
		progress = 1;
		g->in_len += (size_t)r;
		while (g->in_len >= sizeof(a)) {
			memcpy(&a, g->in, sizeof(a));
			memmove(g->in, g->in + sizeof(a), g->in_len - sizeof(a));
			g->in_len -= sizeof(a);
			if (a.magic != OFD_AGENT_ACK_MAGIC || a.seq < st->seq0 ||
			    a.seq - st->seq0 >= st->sent || st->s[a.seq - st->seq0].acked) {
				/* "offdiff-agent error ..." or garbage: the agent
				 * stops after it. */
				st->broken = true;
				st->why = "the guest's agent answered out of protocol";
				return progress;
			}
			st->s[a.seq - st->seq0].acked = true;
			st->s[a.seq - st->seq0].err = a.err;
			st->acked++;
		}
	}
	return progress;
}

/* Read the tap: frames go to the case whose marker comes next. */
static int pump_wire(struct stream *st, struct ofd_result *const *res)
{
	struct qemu_guest *g = st->g;
	uint64_t seq, id;
	int cut, progress = 0;
	ssize_t n;

	while ((n = ofd_port_recv(g->cap_fd, g->buf, OFD_PORT_FRAME_MAX, &cut)) > 0) {
		progress = 1;
		if (ofd_marker_parse(g->buf, (uint32_t)n, &seq, &id) && !memcmp(g->buf + 6, g->mac, 6)) {
			if (seq < st->seq0 || seq - st->seq0 >= st->n) {
				g->foreign++;
				continue;
			}
			if (seq - st->seq0 != st->cur)
				g->lost++;
			st->s[seq - st->seq0].marked = true;
			st->cur = (unsigned int)(seq - st->seq0) + 1;
			continue;
		}
		g->frames++;
		if (st->cur >= st->sent) {
			g->foreign++;
			continue;
		}
		if (cut || ofd_result_add_copy(res[st->s[st->cur].idx], g->buf, (uint32_t)n))
			st->s[st->cur].full = true;
	}
	if (n < 0) {
		st->broken = true;
		st->why = "reading the tap failed";
	}
	return progress;
}

static void fault_all(const struct ofd_case *cases, struct ofd_result *const *res,
		      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (cases[i].offload == OFD_OFFLOAD_TX_CSUM || cases[i].offload == OFD_OFFLOAD_TSO)
			ofd_result_fault(res[i], OFD_REASON_FAULT_ENGINE,
					 "the qemu guest stopped answering earlier in the run");
		else
			ofd_result_unsupported(res[i], qe_offload_why(cases[i].offload, true));
}

int qemu_guest_run(void *priv, const struct ofd_case *cases, struct ofd_result *const *res,
		   unsigned int n)
{
	struct qemu_guest *g = priv;
	struct stream st = { .g = g };
	double t0 = now_s(), last;
	unsigned int i, k;

	if (qemu_guest_is_virtio(g))
		return qemu_guest_rss_run(g, cases, res, n);
	if (g->dead) {
		fault_all(cases, res, n);
		return 0;
	}
	st.s = calloc(n ? n : 1, sizeof(*st.s));
	if (!st.s)
		return -ENOMEM;
	st.seq0 = g->seq + 1;
	for (i = 0; i < n; i++) {
		if (cases[i].npkts != 1 || !cases[i].pkts || !cases[i].pkts[0].data) {
			ofd_result_unsupported(res[i], "a TX case carries exactly one frame");
			continue;
		}
		if (!plan(&cases[i], res[i], &st.s[st.n].req))
			continue;
		st.s[st.n].idx = i;
		st.s[st.n].req.seq = st.seq0 + st.n;
		st.n++;
	}
	g->seq += st.n;
	last = now_s();
	while (!st.broken && (st.acked < st.n || st.cur < st.n)) {
		struct pollfd p[2] = {
			{ .fd = g->agent_fd, .events = POLLIN },
			{ .fd = g->cap_fd, .events = POLLIN },
		};
		int progress = 0;

		if (st.sent < st.n && st.sent - st.acked < GUEST_WINDOW)
			p[0].events |= POLLOUT;
		if (poll(p, 2, 200) < 0 && errno != EINTR) {
			free(st.s);
			return -errno;
		}
		if (p[0].revents & POLLOUT)
			progress |= pump_out(&st, cases);
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			progress |= pump_in(&st);
		progress |= pump_wire(&st, res);
		if (progress)
			last = now_s();
		else if (now_s() - last > GUEST_STALL_MS / 1000.0) {
			st.broken = true;
			st.why = "the guest made no progress for 60 s";
		}
	}
	/* Frames QEMU still held when the last answer came. */
	if (!st.broken)
		pump_wire(&st, res);
	if (st.broken) {
		g->dead = true;
		ofd_pr_warn("qemu guest: %s\n", st.why);
	}
	for (k = 0; k < st.n; k++) {
		struct slot *s = &st.s[k];
		struct ofd_result *r = res[s->idx];

		if (s->acked && s->err) {
			g->submit_err++;
			submit_error(&cases[s->idx], r, s->err);
		} else if (!s->marked) {
			ofd_result_fault(r, OFD_REASON_FAULT_ENGINE, st.broken ?
					 "the qemu guest stopped before this case's marker" :
					 "the marker after this case never reached the tap");
		} else if (s->full) {
			ofd_result_unsupported(r, "the device made more frames (or longer ones) than a result slot holds");
		} else if (!r->nframes) {
			ofd_result_reject(r, OFD_REASON_DROPPED, OFD_STAGE_WIRE);
			r->detail = "nothing reached the wire (the guest kernel, its driver or the QEMU device dropped it)";
		}
	}
	g->cases += st.n;
	g->busy_s += now_s() - t0;
	free(st.s);
	return ofd_port_drops(g->cap_fd) > 0 ? -ENOBUFS : 0;
}
