// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * kernel_bench.c - the bare costs of the kernel engine's data paths, for
 * `make bench`: what the engine would cost with nothing but the syscalls
 * (no case handling, no result building), measured in a namespace of
 * their own, like the engine's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_kernel.h"
#include "kernel_internal.h"
#include "kernel_priv.h"

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int ofd_kernel_bench_floor(unsigned int n, double *pps)
{
	static const uint8_t hdr[VNET_LEN];
	struct ofdint_kns *ns;
	uint8_t frame[64], buf[VNET_LEN + 128];
	struct iovec iov[2];
	struct msghdr mh;
	unsigned int i;
	double t0, t1;
	char why[256];
	ssize_t r;
	int err;

	if (!n || !pps)
		return -EINVAL;
	err = ofdint_kns__open(OFDINT_KNS_TX, &ns, why, sizeof(why));
	if (err)
		return err;
	/* A 64-byte Ethernet/IPv4/UDP frame; no checksum work requested. */
	memset(frame, 0, sizeof(frame));
	memset(frame, 0x02, 6);
	memset(frame + 6, 0x04, 6);
	frame[12] = 0x08;
	frame[14] = 0x45;
	ofd_put_be16(frame + 16, 50);
	frame[22] = 64;
	frame[23] = 17;
	ofd_put_be16(frame + 24, ofd_inet_csum(frame + 14, 20));
	iov[0].iov_base = (void *)hdr;
	iov[0].iov_len = VNET_LEN;
	iov[1].iov_base = frame;
	iov[1].iov_len = sizeof(frame);
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;

	t0 = now_sec();
	for (i = 0; i < n; i++) {
		if (sendmsg(ns->tx_sock, &mh, MSG_DONTWAIT) < 0) {
			err = -errno;
			goto out;
		}
		r = read(ns->tx_tap, buf, sizeof(buf));
		if (r != VNET_LEN + (ssize_t)sizeof(frame)) {
			err = -EIO;
			goto out;
		}
	}
	t1 = now_sec();
	*pps = t1 > t0 ? n / (t1 - t0) : 0;
out:
	ofdint_kns__free(ns);
	return err;
}

int ofd_kernel_bench_tso_floor(const uint8_t *frame, uint32_t len,
			       const struct ofd_vnet_hdr *h, unsigned int n,
			       double *segs_per_s, unsigned int *segs)
{
	uint8_t hdr[VNET_LEN], *buf;
	struct ofdint_kns *ns;
	struct iovec iov[2];
	struct msghdr mh;
	unsigned int i, k, per = 0;
	double t0, t1;
	char why[256];
	ssize_t r;
	int err;

	if (!n || !frame || !h || !segs_per_s)
		return -EINVAL;
	buf = malloc(KERNEL_BUF);
	if (!buf)
		return -ENOMEM;
	err = ofdint_kns__open(OFDINT_KNS_TX, &ns, why, sizeof(why));
	if (err) {
		free(buf);
		return err;
	}
	kernel_vnet_put(hdr, h);
	iov[0].iov_base = hdr;
	iov[0].iov_len = VNET_LEN;
	iov[1].iov_base = (void *)frame;
	iov[1].iov_len = len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	/* Once to learn how many segments the request makes. */
	if (sendmsg(ns->tx_sock, &mh, MSG_DONTWAIT) < 0) {
		err = -errno;
		goto out;
	}
	while (read(ns->tx_tap, buf, KERNEL_BUF) > 0)
		per++;
	if (!per) {
		err = -EIO;
		goto out;
	}
	t0 = now_sec();
	for (i = 0; i < n; i++) {
		if (sendmsg(ns->tx_sock, &mh, MSG_DONTWAIT) < 0) {
			err = -errno;
			goto out;
		}
		for (k = 0; k < per; k++) {
			r = read(ns->tx_tap, buf, KERNEL_BUF);
			if (r <= VNET_LEN) {
				err = -EIO;
				goto out;
			}
		}
	}
	t1 = now_sec();
	*segs_per_s = t1 > t0 ? (double)n * per / (t1 - t0) : 0;
	if (segs)
		*segs = per;
out:
	ofdint_kns__free(ns);
	free(buf);
	return err;
}
