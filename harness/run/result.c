// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * result.c - result slots and frames described as "base bytes + patches".
 *
 * A TX checksum engine changes two (or four) bytes of a frame. Describing
 * its output as the input plus a patch keeps the hot path free of copies;
 * the diff compares patches when both sides share a base, and falls back to
 * byte ranges otherwise. Only reporting materialises frames.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ofd.h"

/*
 * The frame array and the arena are reserved, not allocated: MAP_NORESERVE
 * address space whose pages are committed when first written. A slot that
 * only ever held one frame costs one page; a slot that once held 65535
 * segments keeps what they touched until ofd_result_trim. The arena is
 * reserved when an engine first builds a frame in the slot
 * (ofd_result_add_new): engines that only point into their input (TX
 * checksum engines, a patch on the input) never hold one.
 */
static void *reserve(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

#define FRAMES_BYTES ((size_t)OFD_MAX_FRAMES * sizeof(struct ofd_frame))
#define TRIM_KEEP ((size_t)1 << 20)

int ofd_result__new(uint32_t arena_cap, struct ofd_result **out)
{
	struct ofd_result *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->frame = reserve(FRAMES_BYTES);
	if (!r->frame) {
		free(r);
		return -ENOMEM;
	}
	r->arena_cap = arena_cap;
	*out = r;
	return 0;
}

void ofd_result__free(struct ofd_result *r)
{
	if (!r)
		return;
	if (r->arena)
		munmap(r->arena, r->arena_cap);
	munmap(r->frame, FRAMES_BYTES);
	free(r);
}

void ofd_result_trim(struct ofd_result *r)
{
	/* The slot holds its last case: only one that went past the first
	 * megabyte left pages worth a system call. */
	if (r->arena && r->arena_used > TRIM_KEEP)
		madvise(r->arena + TRIM_KEEP, r->arena_cap - TRIM_KEEP, MADV_DONTNEED);
	if ((size_t)r->nframes * sizeof(struct ofd_frame) > TRIM_KEEP)
		madvise((uint8_t *)r->frame + TRIM_KEEP, FRAMES_BYTES - TRIM_KEEP,
			MADV_DONTNEED);
}

struct ofd_frame *ofd_result_add_ref(struct ofd_result *r, const uint8_t *base,
				     uint32_t len)
{
	struct ofd_frame *f;

	if (r->nframes >= OFD_MAX_FRAMES)
		return NULL;
	f = &r->frame[r->nframes++];
	f->base = base;
	f->len = len;
	f->npatches = 0;
	f->meta.has = 0;
	f->tail = NULL;
	f->tail_len = 0;
	return f;
}

uint8_t *ofd_result_arena_room(struct ofd_result *r, uint32_t *avail)
{
	*avail = 0;
	if (!r->arena && r->arena_cap)
		r->arena = reserve(r->arena_cap);
	if (!r->arena)
		return NULL;
	*avail = r->arena_cap - r->arena_used;
	return r->arena + r->arena_used;
}

struct ofd_frame *ofd_result_add_new(struct ofd_result *r, uint32_t len,
				     uint8_t **data)
{
	uint32_t avail;
	uint8_t *room;

	if (r->nframes >= OFD_MAX_FRAMES)
		return NULL;
	room = ofd_result_arena_room(r, &avail);
	if (!room || len > avail)
		return NULL;
	*data = room;
	r->arena_used += len;
	return ofd_result_add_ref(r, *data, len);
}

int ofd_result_add_copy(struct ofd_result *r, const uint8_t *bytes, uint32_t len)
{
	struct ofd_frame *f;
	uint8_t *data;

	f = ofd_result_add_new(r, len, &data);
	if (!f)
		return -ENOSPC;
	memcpy(data, bytes, len);
	memset(&f->meta, 0, sizeof(f->meta));
	return 0;
}

struct ofd_frame *ofd_result_add_split(struct ofd_result *r, uint32_t head_len,
				       const uint8_t *tail, uint32_t tail_len,
				       uint8_t **data)
{
	struct ofd_frame *f;

	if (tail_len > UINT32_MAX - head_len)
		return NULL;
	f = ofd_result_add_new(r, head_len, data);
	if (!f)
		return NULL;
	f->len = head_len + tail_len;
	f->tail = tail;
	f->tail_len = tail_len;
	return f;
}

const uint8_t *ofd_frame_run(const struct ofd_frame *f, uint32_t off, uint32_t *n)
{
	uint32_t head = f->len - f->tail_len;

	if (off < head) {
		*n = head - off;
		return f->base + off;
	}
	*n = f->len - off;
	return f->tail + (off - head);
}

int ofd_frame_patch(struct ofd_frame *f, uint32_t off, const void *bytes,
		    uint8_t n)
{
	struct ofd_patch *p;
	uint32_t i;

	if (n == 0 || n > sizeof(p->bytes) || off > f->len || n > f->len - off)
		return -ERANGE;
	/* A later write to the same place replaces the earlier one. */
	for (i = 0; i < f->npatches; i++) {
		p = &f->patch[i];
		if (p->off == off && p->len == n) {
			memcpy(p->bytes, bytes, n);
			return 0;
		}
	}
	if (f->npatches >= OFD_MAX_PATCHES)
		return -ENOSPC;
	p = &f->patch[f->npatches++];
	p->off = off;
	p->len = n;
	memcpy(p->bytes, bytes, n);
	return 0;
}

uint8_t ofd_frame_byte(const struct ofd_frame *f, uint32_t i)
{
	uint32_t head = f->len - f->tail_len;
	uint8_t v = i < head ? f->base[i] : f->tail[i - head];
	uint32_t k;

	/* Patches apply in order, so the last one touching i wins. */
	for (k = 0; k < f->npatches; k++) {
		const struct ofd_patch *p = &f->patch[k];

		if (i >= p->off && i < p->off + p->len)
			v = p->bytes[i - p->off];
	}
	return v;
}

void ofd_frame_materialize(const struct ofd_frame *f, uint8_t *buf)
{
	uint32_t k, head = f->len - f->tail_len;

	memcpy(buf, f->base, head);
	if (f->tail_len)
		memcpy(buf + head, f->tail, f->tail_len);
	for (k = 0; k < f->npatches; k++)
		memcpy(buf + f->patch[k].off, f->patch[k].bytes, f->patch[k].len);
}

/* Bytes of f that a patch may change. */
static bool in_patch(const struct ofd_frame *f, uint32_t i)
{
	uint32_t k;

	for (k = 0; k < f->npatches; k++)
		if (i >= f->patch[k].off && i < f->patch[k].off + f->patch[k].len)
			return true;
	return false;
}

/* Unpatched frames, at least one split: compare the runs of memory the two
 * frames are made of, skipping a run both take from the same place. */
static bool runs_equal(const struct ofd_frame *a, const struct ofd_frame *b)
{
	uint32_t off = 0, na, nb, n;

	while (off < a->len) {
		const uint8_t *pa = ofd_frame_run(a, off, &na);
		const uint8_t *pb = ofd_frame_run(b, off, &nb);

		n = na < nb ? na : nb;
		if (pa != pb && memcmp(pa, pb, n))
			return false;
		off += n;
	}
	return true;
}

bool ofd_frame_equal(const struct ofd_frame *a, const struct ofd_frame *b)
{
	uint32_t k, i;

	if (a->len != b->len)
		return false;
	if (a->tail_len || b->tail_len) {
		if (!a->npatches && !b->npatches)
			return runs_equal(a, b);
		for (i = 0; i < a->len; i++)
			if (ofd_frame_byte(a, i) != ofd_frame_byte(b, i))
				return false;
		return true;
	}
	if (a->base != b->base) {
		if (!a->npatches && !b->npatches)
			return !memcmp(a->base, b->base, a->len);
		/* Compare unpatched stretches with memcmp, patched bytes one
		 * by one: patches are few and small. */
		if (!a->npatches || !b->npatches) {
			const struct ofd_frame *p = a->npatches ? a : b;
			const struct ofd_frame *q = a->npatches ? b : a;
			uint32_t pos = 0;
			/* patches of one frame, in any order: walk bytes in
			 * runs between patch boundaries */
			while (pos < p->len) {
				uint32_t next = p->len;

				if (in_patch(p, pos)) {
					if (ofd_frame_byte(p, pos) != q->base[pos])
						return false;
					pos++;
					continue;
				}
				for (k = 0; k < p->npatches; k++)
					if (p->patch[k].off > pos && p->patch[k].off < next)
						next = p->patch[k].off;
				if (memcmp(p->base + pos, q->base + pos, next - pos))
					return false;
				pos = next;
			}
			return true;
		}
		for (i = 0; i < a->len; i++)
			if (ofd_frame_byte(a, i) != ofd_frame_byte(b, i))
				return false;
		return true;
	}
	/* Same base: only the patched bytes can differ. The common case is
	 * the same patch list on both sides. */
	if (a->npatches == b->npatches) {
		for (k = 0; k < a->npatches; k++)
			if (a->patch[k].off != b->patch[k].off ||
			    a->patch[k].len != b->patch[k].len ||
			    memcmp(a->patch[k].bytes, b->patch[k].bytes, a->patch[k].len))
				break;
		if (k == a->npatches)
			return true;
	}
	for (k = 0; k < a->npatches; k++)
		for (i = a->patch[k].off; i < a->patch[k].off + a->patch[k].len; i++)
			if (ofd_frame_byte(a, i) != ofd_frame_byte(b, i))
				return false;
	for (k = 0; k < b->npatches; k++)
		for (i = b->patch[k].off; i < b->patch[k].off + b->patch[k].len; i++)
			if (ofd_frame_byte(a, i) != ofd_frame_byte(b, i))
				return false;
	return true;
}
