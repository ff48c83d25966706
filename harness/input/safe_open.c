// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * safe_open.c - open every input as a regular file of bounded size, and
 * quote user values for one-line messages (see ofd_safe_open.h).
 *
 * Why each step:
 *  - stat() before open(): opening a device can act on it (a tape
 *    rewinds, a serial line hangs up), so one that is not regular is
 *    refused without being opened; a socket cannot be opened at all
 *    (ENXIO), and stat() is what names it.
 *  - O_NONBLOCK: a FIFO swapped in after the stat() must not block the
 *    open() waiting for a writer. O_NOCTTY: a terminal must not become
 *    ours. O_CLOEXEC: the kernel engine forks helpers.
 *  - fstat() on the descriptor: the check that counts, on the very file
 *    that is read, whatever the path points at by now.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ofd_safe_open.h"

static const char *type_name(mode_t m)
{
	if (S_ISDIR(m))
		return "directory";
	if (S_ISFIFO(m))
		return "fifo";
	if (S_ISCHR(m))
		return "character device";
	if (S_ISBLK(m))
		return "block device";
	if (S_ISSOCK(m))
		return "socket";
	return "unknown file type";
}

static int fail(char *err, size_t err_len, int ret, const char *path,
		const char *why)
{
	char q[512];

	if (err && err_len) {
		/* The path is the user's: keep the line one line. */
		ofd_one_line(path, q, sizeof(q));
		snprintf(err, err_len, "%s: %s", q, why);
	}
	return ret;
}

static int not_regular(char *err, size_t err_len, const char *path, mode_t m)
{
	char why[64];

	snprintf(why, sizeof(why), "not a regular file (%s)", type_name(m));
	return fail(err, err_len, S_ISDIR(m) ? -EISDIR : -EINVAL, path, why);
}

/* "16 MiB" for a cap that is a whole number of them. */
static void size_text(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB" };
	unsigned int u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && n && !(n % 1024)) {
		n /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", n, units[u]);
}

static int too_large(char *err, size_t err_len, const char *path,
		     uint64_t size, uint64_t max)
{
	char why[128], lim[32];

	size_text(max, lim, sizeof(lim));
	if (size == UINT64_MAX)
		snprintf(why, sizeof(why), "too large (more than %s)", lim);
	else
		snprintf(why, sizeof(why), "too large (%" PRIu64 " bytes; the limit is %s)",
			 size, lim);
	return fail(err, err_len, -EFBIG, path, why);
}

int ofd_open_regular(const char *path, uint64_t max, int *fd_out, char *err,
		     size_t err_len)
{
	struct stat st;
	int fd, fl, ret;

	*fd_out = -1;
	if (err && err_len)
		err[0] = '\0';
	if (!stat(path, &st) && !S_ISREG(st.st_mode))
		return not_regular(err, err_len, path, st.st_mode);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		return fail(err, err_len, ret, path, strerror(-ret));
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return fail(err, err_len, ret, path, strerror(-ret));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return not_regular(err, err_len, path, st.st_mode);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return too_large(err, err_len, path, (uint64_t)st.st_size, max);
	}
	/* Regular files ignore O_NONBLOCK; clear it anyway, so that whoever
	 * reads the descriptor sees an ordinary one. */
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	*fd_out = fd;
	return 0;
}

int ofd_fopen_regular(const char *path, uint64_t max, FILE **out, char *err,
		      size_t err_len)
{
	int fd, ret;
	FILE *f;

	*out = NULL;
	ret = ofd_open_regular(path, max, &fd, err, err_len);
	if (ret)
		return ret;
	f = fdopen(fd, "rb");
	if (!f) {
		ret = -errno;
		close(fd);
		return fail(err, err_len, ret, path, strerror(-ret));
	}
	*out = f;
	return 0;
}

int ofd_read_regular(const char *path, uint64_t max, char **buf, size_t *len,
		     char *err, size_t err_len)
{
	size_t used = 0, cap;
	struct stat st;
	char *b = NULL;
	int fd, ret;

	*buf = NULL;
	*len = 0;
	ret = ofd_open_regular(path, max, &fd, err, err_len);
	if (ret)
		return ret;
	/* The size is a hint: procfs files say 0, and a file may grow. */
	cap = !fstat(fd, &st) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	for (;;) {
		ssize_t got;

		if (used + 1 >= cap || !b) {
			size_t ncap = b ? cap * 2 : cap;
			char *p = realloc(b, ncap);

			if (!p) {
				ret = fail(err, err_len, -ENOMEM, path, "out of memory");
				goto out;
			}
			b = p;
			cap = ncap;
		}
		got = read(fd, b + used, cap - used - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = -errno;
			fail(err, err_len, ret, path, strerror(-ret));
			goto out;
		}
		if (!got)
			break;
		used += (size_t)got;
		if ((uint64_t)used > max) {
			ret = too_large(err, err_len, path, UINT64_MAX, max);
			goto out;
		}
	}
	b[used] = '\0';
	*buf = b;
	*len = used;
	b = NULL;
out:
	free(b);
	close(fd);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Quoting                                                             */
/* ------------------------------------------------------------------ */

/* Bytes of the UTF-8 sequence a lead byte starts; 0 for a byte that
 * cannot start one (it is escaped). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * One character of s at i, as it goes into a message: esc gets its text,
 * the return value is how many bytes of s it took. Control characters
 * (C0, DEL and the C1 range, which some terminals act on as ESC
 * sequences), NUL and bytes that are not UTF-8 become escapes; backslash
 * and the quote are escaped only when quoting.
 */
static size_t one_char(const unsigned char *s, size_t i, size_t n, bool quoting,
		       char *esc)
{
	unsigned char c = s[i];
	size_t k, j;

	switch (c) {
	case '\n': strcpy(esc, "\\n"); return 1;
	case '\r': strcpy(esc, "\\r"); return 1;
	case '\t': strcpy(esc, "\\t"); return 1;
	case '\0': strcpy(esc, "\\0"); return 1;
	case '\\':
	case '\'':
		if (quoting) {
			esc[0] = '\\';
			esc[1] = (char)c;
			esc[2] = '\0';
			return 1;
		}
		break;
	default:
		break;
	}
	if (c < 0x20 || c == 0x7f) {
		snprintf(esc, 8, "\\x%02x", c);
		return 1;
	}
	if (c < 0x80) {
		esc[0] = (char)c;
		esc[1] = '\0';
		return 1;
	}
	k = utf8_len(c);
	for (j = 1; k && j < k; j++)
		if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
			k = 0;
	if (!k || (c == 0xc2 && s[i + 1] < 0xa0)) {
		snprintf(esc, 8, "\\x%02x", c);
		return 1;
	}
	memcpy(esc, s + i, k);
	esc[k] = '\0';
	return k;
}

const char *ofd_quote_mem(const void *v, size_t n, char *buf, size_t buf_len)
{
	const unsigned char *s = v;
	size_t i = 0, pos = 1;
	char esc[8];

	/* "'" + "...'" + NUL around the shortest escape. */
	if (!buf || buf_len < 8) {
		if (buf && buf_len)
			buf[0] = '\0';
		return buf;
	}
	buf[0] = '\'';
	while (s && i < n) {
		size_t k = one_char(s, i, n, true, esc), el = strlen(esc);

		/* Room for the character, then "...'" and the NUL. */
		if (i + k > OFD_QUOTE_MAX || pos + el + 5 > buf_len)
			break;
		memcpy(buf + pos, esc, el);
		pos += el;
		i += k;
	}
	if (s && i < n) {
		memcpy(buf + pos, "...", 3);
		pos += 3;
	}
	buf[pos++] = '\'';
	buf[pos] = '\0';
	return buf;
}

const char *ofd_quote(const char *s, char *buf, size_t buf_len)
{
	return ofd_quote_mem(s, s ? strlen(s) : 0, buf, buf_len);
}

void ofd_one_line(const char *src, char *dst, size_t dst_len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, pos = 0, n = src ? strlen(src) : 0;
	char esc[8];

	if (!dst || !dst_len)
		return;
	while (i < n) {
		size_t k = one_char(s, i, n, false, esc), el = strlen(esc);

		if (pos + el + 1 > dst_len)
			break;
		memcpy(dst + pos, esc, el);
		pos += el;
		i += k;
	}
	dst[pos] = '\0';
}

/*
 * stdio's error flag outlives errno: a write that failed earlier (a full
 * disk) left it set, and errno has been overwritten since. Say what a user
 * can act on: a full filesystem when it is one, else EIO.
 */
int ofd_stream_error(FILE *f)
{
	struct statvfs vfs;

	if (!fstatvfs(fileno(f), &vfs) && vfs.f_bavail == 0)
		return -ENOSPC;
	return -EIO;
}
