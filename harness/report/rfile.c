// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rfile.c - how the report's files reach the disk, and who owns a run
 * directory.
 *
 * A nightly run fills disks. Every document is written to a temporary
 * sibling (".NAME.tmp") that is flushed, checked, synced where a reader
 * relies on it, closed and only then renamed over NAME: a full disk leaves
 * the previous version or nothing, never a 0-byte or cut summary.json. The
 * first write error of a run is kept (path and errno) and every later
 * write is skipped: the run stops at its last good checkpoint, which still
 * says "killed", and `--resume` finishes it once there is room.
 *
 * Temporaries are created fresh (O_EXCL, O_NOFOLLOW): a FIFO, a device or
 * a symbolic link someone left under a report's name is never opened for
 * writing (that would block, or write elsewhere); rename() replaces it.
 *
 * One process owns a run directory: it holds an exclusive flock() on
 * DIR/lock, with its pid written there, for the whole run or resume. A
 * second `run --resume DIR` would interleave findings.jsonl; it is refused
 * with the holder's pid.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ofd_safe_open.h"
#include "report_internal.h"

int ofdint_report_fail(struct ofd_report *r, const char *path, int err)
{
	if (!err)
		return 0;
	if (r && !r->werr) {
		r->werr = err;
		snprintf(r->werr_path, sizeof(r->werr_path), "%s", path);
	}
	return err;
}

int ofd_report__error(const struct ofd_report *r, char *msg, size_t len)
{
	if (!r || !r->werr)
		return 0;
	if (msg && len)
		snprintf(msg, len, "%s: %s", r->werr_path, strerror(-r->werr));
	return r->werr;
}

/* DIR/.NAME.tmp for DIR/NAME. */
static void tmp_name(const char *path, char *tmp, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash)
		snprintf(tmp, len, "%.*s/.%s.tmp", (int)(slash - path), path, slash + 1);
	else
		snprintf(tmp, len, ".%s.tmp", path);
}

int ofdint_report_tmp(struct ofd_report *r, const char *path, char *tmp, size_t len)
{
	int fd;

	if (r && r->werr)
		return r->werr;
	tmp_name(path, tmp, len);
	/* A stale one (a run killed mid-write) goes; anything else that is
	 * not a plain file makes O_EXCL fail below. */
	if (unlink(tmp) && errno != ENOENT && errno != EISDIR && errno != EPERM)
		return ofdint_report_fail(r, tmp, -errno);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return ofdint_report_fail(r, tmp, -errno);
	close(fd);
	return 0;
}

FILE *ofdint_report_create(struct ofd_report *r, const char *path, char *tmp,
			   size_t len)
{
	FILE *f;
	int fd;

	if (ofdint_report_tmp(r, path, tmp, len))
		return NULL;
	fd = open(tmp, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		ofdint_report_fail(r, tmp, -errno);
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	return f;
}

int ofdint_report_commit(struct ofd_report *r, int err, const char *tmp, const char *path)
{
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		/* The file the reader would have seen is the one to name. */
		return ofdint_report_fail(r, path, err);
	}
	return 0;
}

int ofdint_report_finish(struct ofd_report *r, FILE *f, bool sync, const char *tmp,
			 const char *path)
{
	int err = 0;

	errno = 0;
	if (fflush(f))
		err = errno ? -errno : ofd_stream_error(f);
	else if (ferror(f))
		err = ofd_stream_error(f);
	if (!err && sync && fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return ofdint_report_commit(r, err, tmp, path);
}

int ofdint_report_write_json(struct ofd_report *r, json_t *doc, size_t flags,
			     const char *path)
{
	char tmp[PATH_MAX + 48];
	FILE *f = ofdint_report_create(r, path, tmp, sizeof(tmp));
	int err;

	if (!f)
		return r->werr;
	errno = 0;
	err = json_dumpf(doc, f, flags) ? (errno ? -errno : -EIO) : 0;
	if (!err && fputc('\n', f) == EOF)
		err = -errno;
	if (err) {
		fclose(f);
		return ofdint_report_commit(r, err, tmp, path);
	}
	return ofdint_report_finish(r, f, true, tmp, path);
}

int ofdint_report_findings_line(struct ofd_report *r, const char *line)
{
	char path[PATH_MAX + 32];

	if (r->werr)
		return r->werr;
	/* Flushed line by line: a killed run keeps every finding it made. */
	if (fprintf(r->findings, "%s\n", line) < 0 || fflush(r->findings)) {
		int err = errno ? -errno : -EIO;

		snprintf(path, sizeof(path), "%s/findings.jsonl", r->dir);
		return ofdint_report_fail(r, path, err);
	}
	return 0;
}

/* Who holds DIR/lock, for the refusal: its pid, or 0 if unreadable. */
static long lock_holder(int fd)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return strtol(buf, NULL, 10);
}

int ofdint_report_lock(struct ofd_report *r, char *err, size_t err_len)
{
	char path[PATH_MAX + 16], pid[24];
	struct stat st;
	int fd, n;

	snprintf(path, sizeof(path), "%s/lock", r->dir);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		snprintf(err, err_len, "%s: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		long holder = errno == EWOULDBLOCK ? lock_holder(fd) : 0;

		if (errno == EWOULDBLOCK && holder > 0)
			snprintf(err, err_len, "%s: in use by another offdiff (pid %ld holds %s)",
				 r->dir, holder, path);
		else if (errno == EWOULDBLOCK)
			snprintf(err, err_len, "%s: in use by another offdiff (it holds %s)",
				 r->dir, path);
		else
			snprintf(err, err_len, "%s: %s", path, strerror(errno));
		close(fd);
		return -EBUSY;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)n, 0) != n) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		close(fd);
		return -EIO;
	}
	r->lock_fd = fd;
	return 0;
}

void ofdint_report_unlock(struct ofd_report *r)
{
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	r->lock_fd = -1;
}
