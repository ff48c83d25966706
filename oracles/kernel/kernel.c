// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * kernel.c - the kernel engine: the running Linux kernel is the reference.
 *
 * Nothing is modelled here; the engine hands each case to the kernel in a
 * private network namespace (netns.c) and reports what comes out.
 *
 * TX (tx-csum, tso). A case is one sendmsg() of virtio_net_hdr + frame on an
 * AF_PACKET socket with PACKET_VNET_HDR bound to a tap without offloads:
 * packet_snd and virtio_net_hdr_to_skb validate the header (kernel-tx.md
 * 3.2-3.3), validate_xmit_skb runs skb_checksum_help or software GSO (2.2,
 * 4), and tun_net_xmit queues the finished frame(s) on the tap, where a
 * read returns each one behind the virtio_net_hdr built by
 * virtio_net_hdr_from_skb (3.4).
 *  - The tap's root qdisc is noqueue, so dev_queue_xmit runs the whole
 *    transmit inside send(): when send() returns, the frames are on the tap
 *    or the packet was dropped, and a drop in validate_xmit_skb comes back as
 *    an error of send() (ENOMEM) with the tap's tx_dropped counter raised.
 *    Attributing frames and drops to cases needs no timing at all.
 *  - PACKET_QDISC_BYPASS is not used: __dev_direct_xmit drops every skb
 *    that validate_xmit_skb replaced, i.e. every software-GSO packet
 *    (probed on 6.18.44: send() fails with ENOBUFS), and with noqueue the
 *    qdisc path costs no more.
 *  - Frame sizes (probed on 6.18.44, details at ofd_kpath() in ofd.h): the
 *    tap's MTU is at most 65521, so packet_snd takes non-GSO frames up to
 *    65535 bytes (65539 with an 802.1Q tag); a legacy TCP request up to
 *    csum_start + 65554 bytes goes in as TCPV4 with gso_size 0xfffe, which
 *    virtio_net_hdr_to_skb leaves non-GSO; anything longer (BIG TCP beyond
 *    that) is OFD_RES_UNSUPPORTED, and the model says the same.
 *  - Runs of non-GSO cases are sent with one sendmmsg(): each successful
 *    message yields exactly one frame, in order; any surprise (a count that
 *    does not match) makes the batch fall back to one case at a time.
 *
 * GRO and rx-csum. The train is written into an IFF_NAPI tap and read back
 * after GRO through an AF_PACKET socket with PACKET_VNET_HDR (kernel-rx.md
 * 7.1, 7.3). A NAPI batch must be exactly the packets between two
 * OFD_PKT_F_FLUSH_AFTER marks, and kernel-rx.md 7.1 explains why plain
 * writes never coalesce: each write schedules the NAPI and its poll runs in
 * the same syscall, one packet per poll. The mechanism used instead:
 *  - the tap's NAPI is switched to threaded mode (sysfs "threaded"), so
 *    polls run in a kthread instead of inside write();
 *  - that kthread and our writer thread are pinned to the same CPU with the
 *    same SCHED_FIFO priority. A SCHED_FIFO task is never preempted by a
 *    task of equal priority, so while the writer writes a batch the woken
 *    kthread waits; every write only queues the skb (tun_get_user) and sets
 *    NAPI_STATE_MISSED;
 *  - at a batch boundary the writer calls sched_yield(): it goes behind the
 *    kthread, which polls the whole queue in one napi poll (up to the budget
 *    of 64, after which the kernel itself flushes, as for any driver), then
 *    napi_complete_done() flushes every held GRO packet (gro_flush_timeout
 *    is 0) and the aggregates are delivered to the packet socket before the
 *    kthread sleeps and the writer runs again.
 * So batch boundaries are scheduling events, not timeouts: no sleep, no
 * timer, nothing tuned. The engine checks the mechanism when it opens (4 x
 * 100 bytes must come back as one 400-byte aggregate); without CAP_SYS_NICE
 * (SCHED_FIFO) gro and rx-csum cases are OFD_RES_UNSUPPORTED. While a job
 * runs, the RT writer keeps ordinary tasks off its CPU.
 *
 * The receive tap has the default features unless the engine's gro
 * settings say otherwise (kernel_rx_dev.c): gro_udp=forward|fraglist
 * turns rx-udp-gro-forwarding or rx-gro-list on, vxlan=on adds a VXLAN
 * device on port 4789 to the namespace; the model takes the same
 * settings (ofd_gro_rules.h).
 *
 * rx-csum reports what the kernel concluded before the protocol layers:
 * the tap claims nothing (CHECKSUM_NONE), so the state read back is GRO's
 * (kernel-rx.md 4): DATA_VALID (UNNECESSARY) when GRO verified the TCP/UDP
 * checksum, NEEDS_CSUM (PARTIAL) for an aggregate, 0 (NONE) otherwise. The
 * later validation in tcp_v4_rcv/udp_rcv is not visible to a packet socket.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_offload.h"
#include "ofd_kernel.h"
#include "kernel_internal.h"
#include "kernel_priv.h"

static const char kernel_crc32c_why[] =
	"CRC32c cannot be requested through virtio_net_hdr (no csum_not_inet)";
const char kernel_overflow_why[] =
	"the kernel produced more output than a result slot holds";

/* virtio_net_hdr in host order: AF_PACKET uses the legacy native layout and
 * so does a tap without TUNSETVNETLE/BE. */
void ofd_vnet_hdr_put(uint8_t *b, const struct ofd_vnet_hdr *h)
{
	kernel_vnet_put(b, h);
}

void kernel_vnet_put(uint8_t *b, const struct ofd_vnet_hdr *h)
{
	b[0] = h->flags;
	b[1] = h->gso_type;
	memcpy(b + 2, &h->hdr_len, 2);
	memcpy(b + 4, &h->gso_size, 2);
	memcpy(b + 6, &h->csum_start, 2);
	memcpy(b + 8, &h->csum_offset, 2);
}

void kernel_vnet_get(struct ofd_vnet_hdr *h, const uint8_t *b)
{
	h->flags = b[0];
	h->gso_type = b[1];
	memcpy(&h->hdr_len, b + 2, 2);
	memcpy(&h->gso_size, b + 4, 2);
	memcpy(&h->csum_start, b + 6, 2);
	memcpy(&h->csum_offset, b + 8, 2);
}

/* Append one frame read from the kernel (vnet header + frame). */
int kernel_add_frame(struct ofd_result *res, const uint8_t *buf, size_t n,
		     bool rx)
{
	struct ofd_frame *f;
	uint8_t *data;

	if (n < VNET_LEN)
		return -EPROTO;
	f = ofd_result_add_new(res, (uint32_t)(n - VNET_LEN), &data);
	if (!f)
		return -ENOSPC;
	memcpy(data, buf + VNET_LEN, n - VNET_LEN);
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.has = OFD_META_VNET;
	kernel_vnet_get(&f->meta.vnet, buf);
	if (rx) {
		/* What the stack concluded, as virtio_net_hdr_from_skb says
		 * it: PARTIAL (GRO aggregates) -> NEEDS_CSUM, UNNECESSARY
		 * (validated by GRO) -> DATA_VALID, NONE/COMPLETE -> 0. */
		f->meta.has |= OFD_META_CSUM_STATE;
		if (f->meta.vnet.flags & OFD_VNET_F_NEEDS_CSUM)
			f->meta.csum_state = OFD_CSUM_STATE_PARTIAL;
		else if (f->meta.vnet.flags & OFD_VNET_F_DATA_VALID)
			f->meta.csum_state = OFD_CSUM_STATE_UNNECESSARY;
		else
			f->meta.csum_state = OFD_CSUM_STATE_NONE;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* TX                                                                  */
/* ------------------------------------------------------------------ */

/* Read every frame queued on the tx tap into res (NULL: discard).
 * *count receives the number of frames; *overflow is set when res ran out
 * of room. Returns 0 or -errno when the tap itself fails. */
int kernel_tx_drain(struct kernel_priv *kp, struct ofd_result *res,
		    unsigned int max, unsigned int *count, bool *overflow)
{
	ssize_t n;
	int err;

	*count = 0;
	while (*count < max) {
		n = read(kp->ns->tx_tap, kp->tbuf, KERNEL_BUF);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		(*count)++;
		if (!res)
			continue;
		err = kernel_add_frame(res, kp->tbuf, (size_t)n, false);
		if (err == -ENOSPC)
			*overflow = true;
		else if (err)
			return err;
	}
	return 0;
}

/* Increase of tx_dropped since the last look. */
uint64_t kernel_tx_new_drops(struct kernel_priv *kp)
{
	uint64_t v, d;

	if (ofdint_kns_tx_dropped(kp->ns, &v))
		return 0;
	d = v - kp->tx_dropped;
	kp->tx_dropped = v;
	return d;
}

static void tx_refresh_drops(struct kernel_priv *kp)
{
	kernel_tx_new_drops(kp);
}

/* send() failed with errno e. */
static int tx_reject(struct kernel_priv *kp, struct ofd_result *res, int e)
{
	switch (e) {
	case EMSGSIZE:
		ofd_result_reject(res, OFD_REASON_FRAME_TOO_LONG,
				  OFD_STAGE_SUBMIT);
		break;
	case ENOMEM:
	case ENOBUFS:
		/* noqueue: the error of a validate_xmit_skb drop. */
		if (kernel_tx_new_drops(kp)) {
			ofd_result_reject(res, OFD_REASON_DROPPED,
					  OFD_STAGE_XMIT);
			res->detail = "validate_xmit_skb dropped it (tx_dropped)";
			break;
		}
		res->status = OFD_RES_FAULT;
		res->detail = "send() ran out of memory";
		break;
	case EAGAIN:
	case EINTR:
		return -e;
	default:
		ofd_result_reject(res, OFD_REASON_SEND_EINVAL,
				  OFD_STAGE_SUBMIT);
		break;
	}
	res->err = e;
	return 0;
}

int ofd_kernel_tx_way(const struct ofd_case *c, unsigned int mtu, const char **why)
{
	bool tunnel;

	*why = NULL;
	if (c->npkts != 1 || !c->pkts || (!c->pkts[0].data && c->pkts[0].len)) {
		*why = "a TX case carries exactly one frame";
		return OFD_TXWAY_NONE;
	}
	if (c->req.csum_type == OFD_CSUM_CRC32C) {
		*why = kernel_crc32c_why;
		return OFD_TXWAY_NONE;
	}
	if (c->req.csum_type != OFD_CSUM_INET) {
		*why = "unknown checksum type";
		return OFD_TXWAY_NONE;
	}
	/* A GSO skb the stack built: what virtio_net_hdr (or tun's tunnel
	 * header) can say of it, or the reason it cannot (kernel_tso.c).
	 * GSO frames skip the MTU check, so ofd_kpath does not apply. */
	if (c->req.kind == OFD_REQ_LEGACY && c->req.skb_gso) {
		*why = kernel_tso_map(c, NULL, &tunnel);
		if (*why)
			return OFD_TXWAY_NONE;
		return tunnel ? OFD_TXWAY_TUNNEL : OFD_TXWAY_GSO;
	}
	/* Legacy requests: the skb carries csum_start/csum_offset either way
	 * and the kernel's software result is skb_checksum_help's, so they
	 * go out with the same vnet fields, or, past the MTU, with a GSO type
	 * that leaves the same skb non-GSO (ofd_kpath in ofd.h). Longer
	 * frames have no way in; the model says so too. */
	if (ofd_kpath(c, mtu) == OFD_KPATH_NONE) {
		*why = OFD_KPATH_WHY;
		return OFD_TXWAY_NONE;
	}
	return c->req.vnet.gso_type != OFD_VNET_GSO_NONE ? OFD_TXWAY_GSO : OFD_TXWAY_PLAIN;
}

void ofd_kernel_tx_hdr(const struct ofd_case *c, unsigned int mtu, struct ofd_vnet_hdr *h)
{
	bool tunnel;

	*h = c->req.vnet;
	if (c->req.kind == OFD_REQ_LEGACY && c->req.skb_gso) {
		kernel_tso_map(c, h, &tunnel);
		return;
	}
	if (ofd_kpath(c, mtu) == OFD_KPATH_NOT_GSO) {
		h->gso_type = OFD_VNET_GSO_TCPV4;
		h->gso_size = OFD_KPATH_GSO_SIZE;
	}
}

/* Which way case c goes (enum kernel_tx_way); KTX_DONE when the slot is
 * already filled. */
static int tx_classify(const struct ofd_case *c, struct ofd_result *res,
		       unsigned int mtu)
{
	const char *why;
	int way = ofd_kernel_tx_way(c, mtu, &why);

	if (way == OFD_TXWAY_NONE) {
		ofd_pr_debug("kernel: case %llu (%u bytes): unsupported: %s\n",
			     (unsigned long long)c->id, c->npkts ? c->pkts[0].len : 0, why);
		ofd_result_unsupported(res, why);
		return KTX_DONE;
	}
	return way == OFD_TXWAY_TUNNEL ? KTX_TUNNEL : way == OFD_TXWAY_GSO ? KTX_GSO : KTX_PLAIN;
}

void kernel_tx_hdr(const struct kernel_priv *kp, const struct ofd_case *c,
		   struct ofd_vnet_hdr *h)
{
	ofd_kernel_tx_hdr(c, kp->ns->mtu, h);
}

static void tx_fill_iov(struct kernel_priv *kp, unsigned int slot,
			const struct ofd_case *c)
{
	struct ofd_vnet_hdr h;

	kernel_tx_hdr(kp, c, &h);
	kernel_vnet_put(kp->hdr[slot], &h);
	kp->iov[slot][0].iov_base = kp->hdr[slot];
	kp->iov[slot][0].iov_len = VNET_LEN;
	kp->iov[slot][1].iov_base = (void *)c->pkts[0].data;
	kp->iov[slot][1].iov_len = c->pkts[0].len;
	memset(&kp->msg[slot], 0, sizeof(kp->msg[slot]));
	kp->msg[slot].msg_hdr.msg_iov = kp->iov[slot];
	kp->msg[slot].msg_hdr.msg_iovlen = 2;
}

/* One case, one send(), then whatever the tap holds. */
int kernel_tx_single(struct kernel_priv *kp, const struct ofd_case *c,
		     struct ofd_result *res, bool gso)
{
	unsigned int count;
	bool overflow = false;
	ssize_t r;
	int err;

	tx_fill_iov(kp, KERNEL_BATCH, c);
	do
		r = sendmsg(kp->ns->tx_sock, &kp->msg[KERNEL_BATCH].msg_hdr,
			    MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;

		/* A refused packet leaves nothing on the tap. */
		err = kernel_tx_drain(kp, NULL, ~0u, &count, &overflow);
		if (!err && count)
			err = -EPROTO;
		if (err)
			return err;
		/* virtio's rules refuse a stack-built skb: not the kernel's
		 * answer for the skb itself. */
		if (e == EINVAL && c->req.kind == OFD_REQ_LEGACY && c->req.skb_gso) {
			ofd_result_unsupported(res, kernel_tso_einval_why);
			res->err = e;
			return 0;
		}
		return tx_reject(kp, res, e);
	}
	err = kernel_tx_drain(kp, res, ~0u, &count, &overflow);
	if (err)
		return err;
	if (!count) {
		/* With pfifo_fast (noqueue refused) a drop is silent. */
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
		res->detail = kernel_tx_new_drops(kp) ?
			"validate_xmit_skb dropped it (tx_dropped)" :
			"no frame came out";
		return 0;
	}
	/* tun_net_xmit drops segments when its ring is full. */
	if (gso && kernel_tx_new_drops(kp)) {
		res->status = OFD_RES_FAULT;
		res->nframes = 0;
		res->detail = "the tap dropped part of the output";
		return 0;
	}
	if (overflow)
		ofd_result_unsupported(res, kernel_overflow_why);
	return 0;
}

/*
 * Non-GSO cases idx[0..k) through sendmmsg(). A successful non-GSO send
 * leaves exactly one frame on the tap (noqueue, tun never refuses below its
 * ring size), in send order; the first failing message stops sendmmsg and is
 * sent again alone to learn its errno (a refused packet leaves nothing
 * behind, so sending it twice is harmless).
 */
static int tx_batch(struct kernel_priv *kp, const struct ofd_case *cases,
		    struct ofd_result *const *results, unsigned int k)
{
	unsigned int done = 0, i, count;
	bool overflow;
	int sent, err;

	for (i = 0; i < k; i++)
		tx_fill_iov(kp, i, &cases[kp->idx[i]]);
	while (done < k) {
		sent = sendmmsg(kp->ns->tx_sock, kp->msg + done, k - done,
				MSG_DONTWAIT);
		if (sent < 0)
			sent = 0;
		for (i = done; i < done + (unsigned int)sent; i++) {
			overflow = false;
			err = kernel_tx_drain(kp, results[kp->idx[i]], 1, &count,
				       &overflow);
			if (err)
				return err;
			if (count != 1)
				break;
			if (overflow)
				ofd_result_unsupported(results[kp->idx[i]],
						       kernel_overflow_why);
		}
		if (i == done + (unsigned int)sent) {
			err = kernel_tx_drain(kp, NULL, ~0u, &count, &overflow);
			if (err)
				return err;
		}
		if (i != done + (unsigned int)sent || count) {
			/* Not one frame per message: redo them one by one. */
			ofd_pr_debug("kernel: batch of %d gave an odd frame count; resending alone\n",
				     sent);
			err = kernel_tx_drain(kp, NULL, ~0u, &count, &overflow);
			if (err)
				return err;
			tx_refresh_drops(kp);
			for (i = done; i < done + (unsigned int)sent; i++) {
				struct ofd_result *r = results[kp->idx[i]];

				ofd_result_reset(r);
				err = kernel_tx_single(kp, &cases[kp->idx[i]], r, false);
				if (err)
					return err;
			}
		}
		done += (unsigned int)sent;
		if (done < k) {
			/* The first attempt may have raised tx_dropped. */
			tx_refresh_drops(kp);
			err = kernel_tx_single(kp, &cases[kp->idx[done]],
					results[kp->idx[done]], false);
			if (err)
				return err;
			done++;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Engine ops                                                          */
/* ------------------------------------------------------------------ */

static int kernel_probe(char *why, size_t why_len)
{
	return ofdint_kns_probe(why, why_len);
}

static void kernel_close(void *priv)
{
	struct kernel_priv *kp = priv;

	if (!kp)
		return;
	if (kp->worker_started) {
		pthread_mutex_lock(&kp->lock);
		kp->state = W_QUIT;
		pthread_cond_broadcast(&kp->cond);
		pthread_mutex_unlock(&kp->lock);
		pthread_join(kp->worker, NULL);
	}
	pthread_cond_destroy(&kp->cond);
	pthread_mutex_destroy(&kp->lock);
	ofdint_rxj__free(kp->rxj);
	kernel_tnl_free(kp->tnl);
	kernel_flowdis_free(kp->flowdis);
	ofdint_kns__free(kp->ns);
	free(kp->rbuf);
	free(kp->tbuf);
	free(kp);
}

static int kernel_open(const struct ofd_engine_opts *opts, void **priv)
{
	unsigned int caps = opts ? opts->caps : 0, want = OFDINT_KNS_TX;
	unsigned int rxcaps = 0, off;
	struct kernel_priv *kp;
	char why[256];
	int err;

	/* The receive side is only set up when a receive offload is asked. */
	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (ofd_offload_get(off)->dir == OFD_DIR_RX)
			rxcaps |= OFD_CAP(off);
	rxcaps &= KERNEL_CAPS;
	kp = calloc(1, sizeof(*kp));
	if (!kp)
		return -ENOMEM;
	pthread_mutex_init(&kp->lock, NULL);
	pthread_cond_init(&kp->cond, NULL);
	kp->batch = true;
	kernel_tso_init(kp);
	kp->rx_why = "gro and rx-csum were not requested when the engine opened";
	ofd_kernel_version(kp->version, sizeof(kp->version));
	kp->tbuf = malloc(KERNEL_BUF);
	if (!kp->tbuf) {
		err = -ENOMEM;
		goto fail;
	}
	if (!caps || (caps & rxcaps))
		want |= OFDINT_KNS_RX;
	/* gro_udp, vxlan: what the receive tap is set up with */
	err = ofd_gro_params(opts, &kp->gro, why, sizeof(why));
	if (err) {
		ofd_pr_warn("kernel: %s\n", why);
		goto fail;
	}
	if (kp->gro.geneve) {
		/* the model's alone (ofd_gro_rules.h): no GENEVE here */
		ofd_pr_warn("kernel: geneve=on: the kernel engine makes no GENEVE device\n");
		err = -EINVAL;
		goto fail;
	}
	err = ofdint_kns__open(want, &kp->ns, why, sizeof(why));
	if (err) {
		ofd_pr_warn("%s\n", why);
		goto fail;
	}
	if (ofdint_kns_tx_dropped(kp->ns, &kp->tx_dropped))
		ofd_pr_debug("kernel: no tx_dropped counter for %s\n",
			     kp->ns->tx_name);

	if (want & OFDINT_KNS_RX) {
		if (kp->ns->rx_tap < 0) {
			kp->rx_why = kp->ns->rx_why;
			ofd_pr_info("kernel: gro and rx-csum unavailable: %s\n",
				    kp->rx_why);
		} else {
			err = kernel_rx_dev_setup(kp, why, sizeof(why));
			if (err) {
				ofd_pr_warn("%s\n", why);
				goto fail;
			}
			kp->rbuf = malloc(KERNEL_BUF);
			if (!kp->rbuf) {
				err = -ENOMEM;
				goto fail;
			}
			kp->state = W_INIT;
			err = pthread_create(&kp->worker, NULL, kernel_rx_worker, kp);
			if (err) {
				err = -err;
				goto fail;
			}
			kp->worker_started = true;
			pthread_mutex_lock(&kp->lock);
			while (kp->state == W_INIT)
				pthread_cond_wait(&kp->cond, &kp->lock);
			pthread_mutex_unlock(&kp->lock);
			if (!kp->rx_ok)
				ofd_pr_info("kernel: gro and rx-csum unavailable: %s\n",
					    kp->rx_why);
		}
	}
	*priv = kp;
	return 0;
fail:
	kernel_close(kp);
	return err;
}

static int kernel_run(void *priv, const struct ofd_case *cases,
		      struct ofd_result *const *results, unsigned int n)
{
	struct kernel_priv *kp = priv;
	unsigned int i, nb = 0, nrx = 0;
	int kind, err;

	for (i = 0; i < n; i++) {
		const struct ofd_case *c = &cases[i];
		struct ofd_result *res = results[i];

		const struct ofd_offload_ops *o = ofd_offload_get(c->offload);

		if (!o || !(KERNEL_CAPS & OFD_CAP(c->offload))) {
			/* dissect and rss: tp_rxhash is keyed per boot, so the kernel's
			 * hash can only be compared for equality; wired with the
			 * dissect issue */
			ofd_result_unsupported(res, "the kernel engine observes tx-csum, tso, gro and rx-csum");
			continue;
		}
		/* The offload's direction says which kernel path runs it. */
		switch (o->dir) {
		case OFD_DIR_TX:
			kind = tx_classify(c, res, kp->ns->mtu);
			if (kind == KTX_DONE)
				break;
			if (kind == KTX_TUNNEL) {
				err = kernel_tnl_run(kp, c, res);
				if (err)
					return err;
				break;
			}
			if (kind == KTX_GSO && kp->batch) {
				err = kernel_gso_add(kp, cases, results, i);
				if (err)
					return err;
				break;
			}
			if (kind == KTX_PLAIN && kp->batch) {
				kp->idx[nb++] = i;
				if (nb == KERNEL_BATCH) {
					err = tx_batch(kp, cases, results, nb);
					nb = 0;
					if (err)
						return err;
				}
				break;
			}
			/* Keep the tap empty between sends. */
			if (nb) {
				err = tx_batch(kp, cases, results, nb);
				nb = 0;
				if (err)
					return err;
			}
			err = kernel_tx_single(kp, c, res, kind == KTX_GSO);
			if (err)
				return err;
			break;
		case OFD_DIR_RX:
			if (kp->rx_ok)
				nrx++;
			else
				ofd_result_unsupported(res, kp->rx_why);
			break;
		}
	}
	if (nb) {
		err = tx_batch(kp, cases, results, nb);
		if (err)
			return err;
	}
	err = kernel_gso_flush(kp, cases, results);
	if (err)
		return err;
	if (nrx)
		return kernel_rx_submit(kp, cases, results, n);
	return 0;
}

static void kernel_info(void *priv, struct ofd_engine_info *info)
{
	struct kernel_priv *kp = priv;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "kernel");
	if (kp)
		snprintf(info->version, sizeof(info->version), "%s", kp->version);
	else
		ofd_kernel_version(info->version, sizeof(info->version));
}

static const struct ofd_engine_param_doc kernel_params[] = {
	OFD_GRO_PARAM_DOCS,
	{ NULL, NULL },
};

const struct ofd_engine_ops ofd_engine_kernel = {
	.name = "kernel",
	.desc = "the running Linux kernel in a private network namespace (tap + AF_PACKET)",
	.flags = OFD_F_REFERENCE,
	.caps = KERNEL_CAPS,
	.probe = kernel_probe,
	.open = kernel_open,
	.run = kernel_run,
	.info = kernel_info,
	.close = kernel_close,
	.params = kernel_params,
	.consequence = ofdint_kernel_consequence,
};

/* ------------------------------------------------------------------ */
/* Public extras                                                       */
/* ------------------------------------------------------------------ */

int ofd_kernel_version(char *buf, size_t len)
{
	struct utsname u;
	int n;

	if (uname(&u))
		return -errno;
	n = snprintf(buf, len, "Linux %s", u.release);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Test and bench hook: batched sends on or off. */
void ofdint_kernel_set_batch(void *priv, bool on)
{
	((struct kernel_priv *)priv)->batch = on;
}

struct ofdint_kns *ofdint_kernel_ns(void *priv)
{
	return ((struct kernel_priv *)priv)->ns;
}

int ofdint_kernel_rxj(void *priv, struct ofdint_rxj **out, const char **why)
{
	struct kernel_priv *kp = priv;

	/* Set up once; a failure is remembered, not retried per frame. */
	if (!kp->rxj && !kp->rxj_err)
		kp->rxj_err = ofdint_rxj__open(kp->ns, &kp->rxj, &kp->rxj_why);
	*out = kp->rxj;
	*why = kp->rxj_why;
	return kp->rxj_err;
}
