// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * qtest.c - a client of QEMU's qtest protocol (`-qtest unix:PATH`).
 *
 * The protocol is line based: a command ("writel 0xfeb80000 0x1"), one
 * answer ("OK", "OK 0x...", "FAIL ..."), and asynchronous "IRQ raise N"
 * lines QEMU may put between answers. Commands are queued and written
 * together while the answers are read, so a batch of a few hundred
 * commands and a megabyte of buffer text costs one round trip; reading
 * while writing keeps both sockets' buffers from filling at once.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qemu_internal.h"

void qt_init(struct qt *q, int fd, int timeout_ms)
{
	memset(q, 0, sizeof(*q));
	q->fd = fd;
	q->timeout_ms = timeout_ms;
}

void qt_free(struct qt *q)
{
	free(q->out);
	q->out = NULL;
	q->out_len = q->out_cap = 0;
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}

static int qt_reserve(struct qt *q, size_t more)
{
	size_t cap = q->out_cap ? q->out_cap : 65536;
	char *p;

	if (q->out_len + more <= q->out_cap)
		return 0;
	while (cap < q->out_len + more)
		cap *= 2;
	p = realloc(q->out, cap);
	if (!p)
		return -ENOMEM;
	q->out = p;
	q->out_cap = cap;
	return 0;
}

int qt_queue(struct qt *q, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (qt_reserve(q, 160))
		return -ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(q->out + q->out_len, q->out_cap - q->out_len - 1, fmt, ap);
	va_end(ap);
	/* Every command the target sends is short; a longer one is a bug. */
	if (n < 0 || (size_t)n >= q->out_cap - q->out_len - 1)
		return -EINVAL;
	q->out_len += (size_t)n;
	q->out[q->out_len++] = '\n';
	q->pending++;
	return 0;
}

int qt_queue_write(struct qt *q, uint64_t addr, const uint8_t *d, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	char *p;
	int n;

	if (!len)
		return 0;
	if (qt_reserve(q, 64 + 2 * len))
		return -ENOMEM;
	n = snprintf(q->out + q->out_len, 64, "write 0x%" PRIx64 " 0x%zx 0x", addr, len);
	if (n < 0 || n >= 64)
		return -EINVAL;
	p = q->out + q->out_len + n;
	for (i = 0; i < len; i++) {
		*p++ = hex[d[i] >> 4];
		*p++ = hex[d[i] & 15];
	}
	*p++ = '\n';
	q->out_len = (size_t)(p - q->out);
	q->pending++;
	return 0;
}

/* One complete line out of q->in into q->last (answers are short; a longer
 * line is cut, which only a FAIL text could be). 1 when a line was taken. */
static int qt_take_line(struct qt *q)
{
	char *nl = memchr(q->in, '\n', q->in_len);
	size_t n, keep;

	if (!nl) {
		if (q->in_len == sizeof(q->in)) /* no newline in 4 KB: not qtest */
			return -EPROTO;
		return 0;
	}
	n = (size_t)(nl - q->in);
	keep = n < sizeof(q->last) - 1 ? n : sizeof(q->last) - 1;
	memcpy(q->last, q->in, keep);
	q->last[keep] = 0;
	q->in_len -= n + 1;
	memmove(q->in, nl + 1, q->in_len);
	return 1;
}

int qt_sync(struct qt *q)
{
	size_t sent = 0;
	int e;

	while (q->pending) {
		struct pollfd p = { .fd = q->fd, .events = POLLIN };
		ssize_t n;

		while ((e = qt_take_line(q)) == 1) {
			/* IRQ lines are QEMU's, not answers (qtest_irq_handler). */
			if (!strncmp(q->last, "IRQ", 3))
				continue;
			if (strncmp(q->last, "OK", 2)) {
				ofd_pr_warn("qemu: qtest answered '%s'\n", q->last);
				q->out_len = 0;
				q->pending = 0;
				return -EPROTO;
			}
			q->pending--;
			if (!q->pending)
				break;
		}
		if (e < 0)
			return e;
		if (!q->pending)
			break;
		if (sent < q->out_len)
			p.events |= POLLOUT;
		e = poll(&p, 1, q->timeout_ms);
		if (e < 0 && errno == EINTR)
			continue;
		if (e <= 0)
			return e < 0 ? -errno : -ETIMEDOUT;
		if (p.revents & POLLOUT) {
			/* send, not write: QEMU gone must be an error, not SIGPIPE. */
			n = send(q->fd, q->out + sent, q->out_len - sent, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			if (n > 0)
				sent += (size_t)n;
		}
		if (p.revents & POLLIN) {
			n = read(q->fd, q->in + q->in_len, sizeof(q->in) - q->in_len);
			if (n == 0)
				return -EPIPE;
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return -errno;
			if (n > 0)
				q->in_len += (size_t)n;
		} else if (p.revents & (POLLHUP | POLLERR)) {
			return -EPIPE;
		}
	}
	q->out_len = 0;
	return 0;
}

int qt_query(struct qt *q, uint64_t *val, const char *fmt, ...)
{
	char cmd[128];
	char *end;
	va_list ap;
	int n, e;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -EINVAL;
	e = qt_queue(q, "%s", cmd);
	if (!e)
		e = qt_sync(q);
	if (e)
		return e;
	/* "OK 0x...": the value is hex with its prefix (qtest_send_prefix
	 * then "OK 0x%016" PRIx64 for readq, "OK 0x%04x"-style for the rest). */
	if (strncmp(q->last, "OK 0x", 5))
		return -EPROTO;
	errno = 0;
	*val = strtoull(q->last + 5, &end, 16);
	if (errno || end == q->last + 5 || *end)
		return -EPROTO;
	return 0;
}

/* CONFIG_ADDRESS: enable bit, bus 0, device, function 0, register. */
static uint32_t cf8(unsigned int dev, unsigned int reg)
{
	return 0x80000000u | (dev & 31) << 11 | (reg & 0xfc);
}

int qt_pci_read32(struct qt *q, unsigned int dev, unsigned int reg, uint32_t *v)
{
	uint64_t x;
	int e;

	e = qt_queue(q, "outl 0xcf8 0x%x", cf8(dev, reg));
	if (e)
		return e;
	e = qt_query(q, &x, "inl 0xcfc");
	if (!e)
		*v = (uint32_t)x;
	return e;
}

int qt_pci_write32(struct qt *q, unsigned int dev, unsigned int reg, uint32_t v)
{
	int e = qt_queue(q, "outl 0xcf8 0x%x", cf8(dev, reg));

	return e ? e : qt_queue(q, "outl 0xcfc 0x%x", v);
}
