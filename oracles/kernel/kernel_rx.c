// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * kernel_rx.c - the kernel engine's receive path (gro, rx-csum): a worker
 * thread writes each train into the IFF_NAPI tap with NAPI batch
 * boundaries made by scheduling (see kernel.c's header for why), and reads
 * the aggregates back through AF_PACKET with PACKET_VNET_HDR.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel_priv.h"
#include "ofd_csum.h"
#include "ofd_offload.h"

/* ------------------------------------------------------------------ */
/* GRO and rx-csum (worker thread)                                     */
/* ------------------------------------------------------------------ */

static int rx_drain(struct kernel_priv *kp, struct ofd_result *res,
		    unsigned int *count, bool *overflow)
{
	ssize_t n;
	int err;

	*count = 0;
	for (;;) {
		n = recv(kp->ns->rx_sock, kp->rbuf, KERNEL_BUF,
			 MSG_DONTWAIT | MSG_TRUNC);
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
		if (n > KERNEL_BUF)
			return -EMSGSIZE;
		err = kernel_add_frame(res, kp->rbuf, (size_t)n, true);
		if (err == -ENOSPC)
			*overflow = true;
		else if (err)
			return err;
	}
}

/*
 * Write a train; sched_yield() at every batch boundary lets the NAPI
 * kthread poll everything written so far and flush (see the top comment).
 * Returns the errno of a failed write in *werr.
 */
static int rx_write_train(struct kernel_priv *kp, const struct ofd_pkt *pkts,
			  unsigned int npkts, int *werr)
{
	static const uint8_t zero[VNET_LEN];
	struct iovec iov[2];
	unsigned int i;
	ssize_t r;

	*werr = 0;
	for (i = 0; i < npkts; i++) {
		/* No vnet request: the packet arrives as CHECKSUM_NONE and GRO
		 * verifies checksums in software (kernel-rx.md 7.1). */
		iov[0].iov_base = (void *)zero;
		iov[0].iov_len = VNET_LEN;
		iov[1].iov_base = (void *)pkts[i].data;
		iov[1].iov_len = pkts[i].len;
		do
			r = writev(kp->ns->rx_tap, iov, 2);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			*werr = errno;
			break;
		}
		if ((pkts[i].flags & OFD_PKT_F_FLUSH_AFTER) || i + 1 == npkts)
			sched_yield();
	}
	if (*werr)
		sched_yield();
	return 0;
}

static int rx_case(struct kernel_priv *kp, const struct ofd_case *c,
		   struct ofd_result *res)
{
	unsigned int count, i;
	bool overflow = false;
	int werr, err;

	if (!c->npkts || !c->pkts) {
		ofd_result_unsupported(res, "a case without input frames");
		return 0;
	}
	for (i = 0; i < c->npkts; i++) {
		if (!c->pkts[i].data && c->pkts[i].len) {
			ofd_result_unsupported(res, "a frame without bytes");
			return 0;
		}
	}
	err = rx_write_train(kp, c->pkts, c->npkts, &werr);
	if (err)
		return err;
	if (werr) {
		err = rx_drain(kp, NULL, &count, &overflow);
		if (err)
			return err;
		ofd_result_reject(res, werr == EMSGSIZE ?
					       OFD_REASON_FRAME_TOO_LONG :
					       OFD_REASON_SEND_EINVAL,
				  OFD_STAGE_SUBMIT);
		res->err = werr;
		return 0;
	}
	err = rx_drain(kp, res, &count, &overflow);
	if (err)
		return err;
	if (overflow)
		ofd_result_unsupported(res, kernel_overflow_why);
	return 0;
}

static int rx_run(struct kernel_priv *kp, const struct ofd_case *cases,
		  struct ofd_result *const *results, unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		const struct ofd_offload_ops *o = ofd_offload_get(cases[i].offload);

		if (!o || o->dir != OFD_DIR_RX || !(KERNEL_CAPS & OFD_CAP(o->id)))
			continue;
		err = rx_case(kp, &cases[i], results[i]);
		if (err)
			return err;
	}
	return 0;
}

/* Ethernet + IPv4 + TCP, payload 100, correct checksums (self-test). */
#define ST_PAYLOAD 100
#define ST_LEN (14 + 20 + 20 + ST_PAYLOAD)
static void rx_selftest_frame(uint8_t *f, uint32_t seq, uint16_t id)
{
	static const uint8_t saddr[4] = { 10, 0, 0, 1 }, daddr[4] = { 10, 0, 0, 2 };
	uint8_t *ip = f + 14, *th = ip + 20;
	uint32_t sum;
	int i;

	memset(f, 0, ST_LEN);
	memset(f, 0x02, 6);
	memset(f + 6, 0x04, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ofd_put_be16(ip + 2, ST_LEN - 14);
	ofd_put_be16(ip + 4, id);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, saddr, 4);
	memcpy(ip + 16, daddr, 4);
	ofd_put_be16(ip + 10, ofd_inet_csum(ip, 20));
	ofd_put_be16(th, 1000);
	ofd_put_be16(th + 2, 2000);
	ofd_put_be32(th + 4, seq);
	ofd_put_be32(th + 8, 1);
	th[12] = 0x50;
	th[13] = 0x10;
	ofd_put_be16(th + 14, 65535);
	for (i = 0; i < ST_PAYLOAD; i++)
		th[20 + i] = (uint8_t)(i * 7);
	sum = ofd_pseudo_v4(saddr, daddr, 20 + ST_PAYLOAD, 6);
	ofd_put_be16(th + 16, ofd_csum_fold(ofd_csum_partial(th, 20 + ST_PAYLOAD, sum)));
}

/* 4 x 100 contiguous bytes in one batch must come back as one aggregate of
 * 400 with gso_size 100 (kernel-rx.md 7.4, first row). */
static const char *rx_selftest(struct kernel_priv *kp)
{
	uint8_t frames[4][ST_LEN];
	struct ofd_pkt pkts[4];
	unsigned int count, i, seen = 0, len = 0;
	struct ofd_vnet_hdr h = { 0 };
	int werr;
	ssize_t n;

	for (i = 0; i < 4; i++) {
		rx_selftest_frame(frames[i], 1000 + 100 * i, (uint16_t)(8 + i));
		pkts[i].data = frames[i];
		pkts[i].len = ST_LEN;
		pkts[i].flags = 0;
	}
	rx_write_train(kp, pkts, 4, &werr);
	if (werr)
		return "the GRO self-test could not write to the tap";
	for (count = 0;; count++) {
		n = recv(kp->ns->rx_sock, kp->rbuf, KERNEL_BUF,
			 MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0)
			break;
		if (n >= VNET_LEN) {
			kernel_vnet_get(&h, kp->rbuf);
			len = (unsigned int)n - VNET_LEN;
		}
		seen++;
	}
	if (seen != 1 || len != 14 + 40 + 400 || h.gso_size != 100)
		return "the GRO self-test did not coalesce one batch (threaded NAPI not held)";
	return NULL;
}

void *kernel_rx_worker(void *arg)
{
	struct kernel_priv *kp = arg;
	struct sched_param sp = { .sched_priority = KERNEL_PRIO };
	const char *why = NULL;
	cpu_set_t set;
	int cpu, err;

	cpu = sched_getcpu();
	if (cpu < 0)
		cpu = 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		why = "cannot pin the GRO writer thread to a CPU";
	else if (sched_setscheduler(0, SCHED_FIFO, &sp))
		why = "cannot give the GRO writer thread SCHED_FIFO";
	else if ((err = ofdint_kns_pin_napi(kp->ns, cpu, KERNEL_PRIO)))
		why = "cannot pin the tap's NAPI kthread and give it SCHED_FIFO";
	else
		why = rx_selftest(kp);

	pthread_mutex_lock(&kp->lock);
	kp->rx_ok = !why;
	kp->rx_why = why;
	kp->state = W_IDLE;
	pthread_cond_broadcast(&kp->cond);
	while (!why) {
		while (kp->state != W_JOB && kp->state != W_QUIT)
			pthread_cond_wait(&kp->cond, &kp->lock);
		if (kp->state == W_QUIT)
			break;
		pthread_mutex_unlock(&kp->lock);
		err = rx_run(kp, kp->job_cases, kp->job_results, kp->job_n);
		pthread_mutex_lock(&kp->lock);
		kp->job_err = err;
		kp->state = W_IDLE;
		pthread_cond_broadcast(&kp->cond);
	}
	pthread_mutex_unlock(&kp->lock);
	return NULL;
}

int kernel_rx_submit(struct kernel_priv *kp, const struct ofd_case *cases,
		     struct ofd_result *const *results, unsigned int n)
{
	int err;

	pthread_mutex_lock(&kp->lock);
	kp->job_cases = cases;
	kp->job_results = results;
	kp->job_n = n;
	kp->state = W_JOB;
	pthread_cond_broadcast(&kp->cond);
	while (kp->state == W_JOB)
		pthread_cond_wait(&kp->cond, &kp->lock);
	err = kp->job_err;
	pthread_mutex_unlock(&kp->lock);
	return err;
}
