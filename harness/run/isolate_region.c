// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * isolate_region.c - the shared region of an isolated engine
 * (isolate_internal.h), the parent's side: mapping it, copying a chunk of
 * cases in, and taking results out, checked.
 *
 * A result is checked before the diff sees it: every number in range,
 * every pointer and length inside the region, every string ending in it.
 * One that does not check out is a fault of its own ("malformed result:
 * frame 3: ..."); the child goes on, since each of its other results is
 * checked on its own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "isolate_internal.h"

#define PAGE_ALIGN(x) (((size_t)(x) + 4095) & ~(size_t)4095)
#define ALIGN8(x) (((size_t)(x) + 7) & ~(size_t)7)
/* What a slot keeps committed between batches (result.c's rule). */
#define TRIM_KEEP ((size_t)1 << 20)

int iso_region_map(struct iso_region *rg, uint32_t arena_cap)
{
	size_t off = 0, o_ctl, o_cases, o_pkts, o_bytes, o_res, o_det, o_frames, o_arenas;
	size_t stride = PAGE_ALIGN(arena_cap);
	void *p;
	int fd, err;

#define PART(var, n) do { var = off; off += PAGE_ALIGN(n); } while (0)
	PART(o_ctl, sizeof(struct iso_ctl));
	PART(o_cases, ISO_MAX_SLOTS * sizeof(struct ofd_case));
	PART(o_pkts, ISO_MAX_PKTS * sizeof(struct ofd_pkt));
	PART(o_bytes, ISO_CASE_BYTES);
	PART(o_res, ISO_MAX_SLOTS * sizeof(struct ofd_result));
	PART(o_det, ISO_MAX_SLOTS * ISO_DETAIL_MAX);
	PART(o_frames, (size_t)ISO_MAX_SLOTS * OFD_MAX_FRAMES * sizeof(struct ofd_frame));
	PART(o_arenas, ISO_MAX_SLOTS * stride);
#undef PART
	fd = memfd_create("offdiff-isolate", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Sparse: a page costs memory once someone writes it. */
	if (ftruncate(fd, (off_t)off)) {
		err = -errno;
		close(fd);
		return err;
	}
	p = mmap(NULL, off, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
	err = p == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	rg->base = p;
	rg->size = off;
	rg->ctl = (struct iso_ctl *)(rg->base + o_ctl);
	rg->cases = (struct ofd_case *)(rg->base + o_cases);
	rg->pkts = (struct ofd_pkt *)(rg->base + o_pkts);
	rg->bytes = rg->base + o_bytes;
	rg->res = (struct ofd_result *)(rg->base + o_res);
	rg->detail = (char (*)[ISO_DETAIL_MAX])(rg->base + o_det);
	rg->frames = (struct ofd_frame *)(rg->base + o_frames);
	rg->arenas = rg->base + o_arenas;
	rg->arena_cap = (uint32_t)stride;
	return 0;
}

static bool in_region(const struct iso_region *rg, const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)rg->base;

	return a >= b && a - b <= rg->size && n <= rg->size - (a - b);
}

/* Give back what the last batch committed past TRIM_KEEP: the caller is
 * done with its results once it asks for the next batch. MADV_REMOVE, not
 * DONTNEED: the pages belong to the shared file, not to our mapping. */
void iso_trim(struct iso *s)
{
	struct iso_region *rg = &s->rg;
	size_t fbytes = (size_t)OFD_MAX_FRAMES * sizeof(struct ofd_frame);
	unsigned int i;

	for (i = 0; i < ISO_MAX_SLOTS; i++) {
		uint8_t *frames = (uint8_t *)(rg->frames + (size_t)i * OFD_MAX_FRAMES);

		if (!s->trim[i])
			continue;
		s->trim[i] = false;
		if (rg->arena_cap > TRIM_KEEP)
			madvise(rg->arenas + (size_t)i * rg->arena_cap + TRIM_KEEP,
				rg->arena_cap - TRIM_KEEP, MADV_REMOVE);
		if (fbytes > TRIM_KEEP)
			madvise(frames + TRIM_KEEP, fbytes - TRIM_KEEP, MADV_REMOVE);
	}
	if (s->bytes_used > TRIM_KEEP)
		madvise(rg->bytes + TRIM_KEEP, ISO_CASE_BYTES - TRIM_KEEP, MADV_REMOVE);
	s->bytes_used = 0;
}

/* Copy cases into the region while they fit: how many did (0 when the
 * first one alone does not). */
unsigned int iso_stage(struct iso *s, const struct ofd_case *cases, unsigned int n)
{
	struct iso_region *rg = &s->rg;
	size_t used = 0, need;
	uint32_t np = 0, i, j;

	for (i = 0; i < n && i < ISO_MAX_SLOTS; i++) {
		const struct ofd_case *c = &cases[i];
		struct ofd_case *dst = &rg->cases[i];
		size_t fl = c->src_file ? strlen(c->src_file) + 1 : 0;

		if (c->npkts > ISO_MAX_PKTS - np)
			break;
		need = ALIGN8(fl);
		for (j = 0; j < c->npkts; j++)
			need += ALIGN8(c->pkts[j].len);
		if (need > ISO_CASE_BYTES - used)
			break;
		*dst = *c;
		dst->pkts = rg->pkts + np;
		s->pkt0[i] = np;
		for (j = 0; j < c->npkts; j++, np++) {
			uint8_t *b = rg->bytes + used;

			if (c->pkts[j].len)
				memcpy(b, c->pkts[j].data, c->pkts[j].len);
			rg->pkts[np].data = b;
			rg->pkts[np].len = c->pkts[j].len;
			rg->pkts[np].flags = c->pkts[j].flags;
			s->copy[np] = b;
			s->same[np] = -1;
			used += ALIGN8(c->pkts[j].len);
		}
		if (fl) {
			memcpy(rg->bytes + used, c->src_file, fl);
			dst->src_file = (const char *)(rg->bytes + used);
			used += ALIGN8(fl);
		}
	}
	if (used > s->bytes_used)
		s->bytes_used = used;
	return i;
}

/* ------------------------------------------------------------------ */
/* Checking a result                                                   */
/* ------------------------------------------------------------------ */

void iso_fault(struct ofd_result *r, enum ofd_reason kind, char *detail, const char *fmt, ...)
{
	va_list ap;

	ofd_result_reset(r);
	va_start(ap, fmt);
	vsnprintf(detail, ISO_DETAIL_MAX, fmt, ap);
	va_end(ap);
	ofd_result_fault(r, kind, detail);
}

/*
 * A pointer into slot's own copy of its input: the same bytes at the
 * caller's input, as long as the child left the copy as it was (an engine
 * that wrote into its input must be seen doing it). The diff then finds
 * the common base of in-process engines: patches compared, not bytes.
 */
static const uint8_t *rebase(struct iso *s, unsigned int slot, const struct ofd_case *c,
			     const uint8_t *p, uint32_t n)
{
	uintptr_t a = (uintptr_t)p;
	uint32_t j, k;

	for (j = 0; j < c->npkts; j++) {
		uintptr_t cp;
		uint32_t len = c->pkts[j].len;

		k = s->pkt0[slot] + j;
		cp = (uintptr_t)s->copy[k];
		if (a < cp || a - cp > len || n > len - (a - cp))
			continue;
		if (s->same[k] < 0)
			s->same[k] = !len || !memcmp(s->copy[k], c->pkts[j].data, len);
		return s->same[k] ? c->pkts[j].data + (a - cp) : p;
	}
	return p;
}

static int check_frame(struct iso *s, unsigned int slot, const struct ofd_case *c,
		       struct ofd_frame *f, char *why, size_t len)
{
	uint32_t head, k;

	if (f->tail_len > f->len) {
		snprintf(why, len, "a tail of %u bytes in a frame of %u", f->tail_len, f->len);
		return -1;
	}
	head = f->len - f->tail_len;
	/* Every pointer the diff may follow, even one it should not need. */
	if ((f->base || head) && !in_region(&s->rg, f->base, head)) {
		snprintf(why, len, "its %u bytes of base lie outside the shared region", head);
		return -1;
	}
	if ((f->tail || f->tail_len) && !in_region(&s->rg, f->tail, f->tail_len)) {
		snprintf(why, len, "its %u bytes of tail lie outside the shared region", f->tail_len);
		return -1;
	}
	if (f->npatches > OFD_MAX_PATCHES) {
		snprintf(why, len, "%u patches, more than %u", f->npatches, OFD_MAX_PATCHES);
		return -1;
	}
	for (k = 0; k < f->npatches; k++) {
		const struct ofd_patch *p = &f->patch[k];

		if (p->len < 1 || p->len > sizeof(p->bytes)) {
			snprintf(why, len, "patch %u is %u bytes long (1 to 4)", k, p->len);
			return -1;
		}
		if (p->off > f->len || p->len > f->len - p->off) {
			snprintf(why, len, "patch %u at %u+%u ends past the frame's %u bytes", k,
				 p->off, p->len, f->len);
			return -1;
		}
	}
	if (head)
		f->base = rebase(s, slot, c, f->base, head);
	if (f->tail_len)
		f->tail = rebase(s, slot, c, f->tail, f->tail_len);
	return 0;
}

/* A string that ends inside the region, into out (ISO_DETAIL_MAX). */
static int copy_detail(const struct iso *s, const char *d, char *out)
{
	size_t room, n;

	if (!in_region(&s->rg, d, 1))
		return -1;
	room = s->rg.size - ((uintptr_t)d - (uintptr_t)s->rg.base);
	if (room > ISO_DETAIL_MAX)
		room = ISO_DETAIL_MAX;
	n = strnlen(d, room);
	if (n == room)
		return -1;
	memcpy(out, d, n);
	out[n] = '\0';
	return 0;
}

/* Slot's result into the caller's r for case c, or a fault saying what
 * did not check out. The slot is read once: what is checked is what is
 * kept, whatever the child writes meanwhile. */
void iso_harvest(struct iso *s, unsigned int slot, const struct ofd_case *c,
		 struct ofd_result *r, char *detail)
{
	struct ofd_result got;
	char why[160] = "";
	uint32_t k;

	memcpy(&got, &s->rg.res[slot], sizeof(got));
	if (got.arena_used > TRIM_KEEP ||
	    (size_t)got.nframes * sizeof(struct ofd_frame) > TRIM_KEEP)
		s->trim[slot] = true;
	if (got.status > OFD_RES_FAULT)
		snprintf(why, sizeof(why), "status %u is not a result status", got.status);
	else if (got.stage > OFD_STAGE_WIRE)
		snprintf(why, sizeof(why), "stage %u is not a stage", got.stage);
	else if (got.reason >= OFD_REASON__MAX)
		snprintf(why, sizeof(why), "reason %u is not a reason", got.reason);
	else if (got.nframes > OFD_MAX_FRAMES)
		snprintf(why, sizeof(why), "%u frames, more than %u", got.nframes, OFD_MAX_FRAMES);
	else if (got.detail && copy_detail(s, got.detail, detail))
		snprintf(why, sizeof(why), "its detail is not a string in the shared region");
	if (!why[0]) {
		memcpy(r->frame, s->rg.frames + (size_t)slot * OFD_MAX_FRAMES,
		       got.nframes * sizeof(*r->frame));
		for (k = 0; k < got.nframes; k++) {
			char fw[128];

			if (check_frame(s, slot, c, &r->frame[k], fw, sizeof(fw))) {
				snprintf(why, sizeof(why), "frame %u: %s", k, fw);
				break;
			}
		}
	}
	if (why[0]) {
		s->st.malformed++;
		iso_fault(r, OFD_REASON_FAULT_MALFORMED, detail, "malformed result: %s", why);
		return;
	}
	r->status = got.status;
	r->stage = got.stage;
	r->reason = got.reason;
	r->err = got.err;
	r->detail = got.detail ? detail : NULL;
	r->nframes = got.nframes;
	/* The engine's own check found it malformed (a plugin's result,
	 * targets/plugin/plugin.c): counted with the region's. */
	if (r->status == OFD_RES_FAULT && r->reason == OFD_REASON_FAULT_MALFORMED)
		s->st.malformed++;
}

/* A batch larger than the region goes in chunks; the results of one that
 * still point into the region move out before the next reuses it. */
int iso_spill_out(struct iso *s, struct ofd_result *const *res, unsigned int m)
{
	size_t need = 0, off = 0;
	struct iso_spill *sp;
	unsigned int i;
	uint32_t k;

	for (i = 0; i < m; i++)
		for (k = 0; k < res[i]->nframes; k++) {
			const struct ofd_frame *f = &res[i]->frame[k];
			uint32_t head = f->len - f->tail_len;

			if (head && in_region(&s->rg, f->base, head))
				need += head;
			if (f->tail_len && in_region(&s->rg, f->tail, f->tail_len))
				need += f->tail_len;
		}
	if (!need)
		return 0;
	sp = malloc(sizeof(*sp) + need);
	if (!sp)
		return -ENOMEM;
	sp->next = s->spill;
	s->spill = sp;
	for (i = 0; i < m; i++)
		for (k = 0; k < res[i]->nframes; k++) {
			struct ofd_frame *f = &res[i]->frame[k];
			uint32_t head = f->len - f->tail_len;

			if (head && in_region(&s->rg, f->base, head)) {
				memcpy(sp->bytes + off, f->base, head);
				f->base = sp->bytes + off;
				off += head;
			}
			if (f->tail_len && in_region(&s->rg, f->tail, f->tail_len)) {
				memcpy(sp->bytes + off, f->tail, f->tail_len);
				f->tail = sp->bytes + off;
				off += f->tail_len;
			}
		}
	return 0;
}

void iso_spill_free(struct iso *s)
{
	while (s->spill) {
		struct iso_spill *next = s->spill->next;

		free(s->spill);
		s->spill = next;
	}
}
