/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_safe_open.h - every file offdiff reads, opened as a regular file of
 * bounded size, and user values quoted for one-line messages.
 *
 * A nightly campaign is fed whatever files a script finds: a FIFO would
 * block the run forever, /dev/zero would fill memory, a directory or a
 * socket gives a confusing error later. So a file is opened without
 * blocking, checked with fstat() on the descriptor (the file checked is
 * the file read), refused unless regular ("x: not a regular file (fifo)"),
 * refused past a size cap ("x: too large (20971520 bytes; the limit for a
 * YAML file is 16 MiB)"), and read from that descriptor.
 */
#ifndef OFD_SAFE_OPEN_H
#define OFD_SAFE_OPEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Size caps, each well above anything offdiff writes or a person types.
 * A checkpoint holds a few hundred bytes per target. */
#define OFD_MAX_YAML (16ull << 20)       /* specs, profiles, case files */
#define OFD_MAX_CHECKPOINT (64ull << 20) /* progress.json */
#define OFD_MAX_FINDINGS (1ull << 30)    /* findings.jsonl */
#define OFD_MAX_TEXT (16ull << 20)       /* diff.txt and other reports */
#define OFD_NO_MAX UINT64_MAX            /* captures: any size, but regular */

/* Open path read-only (O_NONBLOCK|O_CLOEXEC|O_NOCTTY), make sure it is a
 * regular file of at most max bytes, and hand the descriptor over (in
 * blocking mode). Returns 0, or with a one-line "path: why" in err:
 * -ENOENT etc. from open(), -EISDIR for a directory, -EINVAL for any other
 * file that is not regular (FIFO, device, socket), -EFBIG past max. */
int ofd_open_regular(const char *path, uint64_t max, int *fd_out, char *err,
		     size_t err_len);
/* The same as a stdio stream ("rb"). */
int ofd_fopen_regular(const char *path, uint64_t max, FILE **out, char *err,
		      size_t err_len);
/* The whole file in one malloc'd buffer, NUL-terminated (*len excludes the
 * NUL). A file that grows past max while being read is refused too. */
int ofd_read_regular(const char *path, uint64_t max, char **buf, size_t *len,
		     char *err, size_t err_len);

/* How many bytes of a value a message echoes; longer ones end in "...". */
#define OFD_QUOTE_MAX 40
/* Room for a quoted value: every byte escaped (\xNN), quotes, "...". */
#define OFD_QUOTE_LEN (OFD_QUOTE_MAX * 4 + 8)

/* 'value' in single quotes for a one-line message: control characters,
 * NUL, DEL, C1 controls, backslash and quote escaped (\n, \t, \0, \x1b),
 * at most OFD_QUOTE_MAX bytes of the value (cut at a character boundary,
 * then "..."), never more than buf_len - 1 bytes. Returns buf. */
const char *ofd_quote_mem(const void *s, size_t n, char *buf, size_t buf_len);
const char *ofd_quote(const char *s, char *buf, size_t buf_len);
/* The same escaping for a whole message: src copied to dst (at most
 * dst_len bytes with the NUL) with control characters escaped, so that a
 * message that echoes a value raw still stays on one line. No quotes, and
 * no cap but dst_len; backslashes are left alone (a quoted value in the
 * message has escaped its own already). */
void ofd_one_line(const char *src, char *dst, size_t dst_len);

/* The error of a stream whose error flag is set but errno no longer says
 * why: -ENOSPC on a full filesystem, else -EIO. */
int ofd_stream_error(FILE *f);

#endif
