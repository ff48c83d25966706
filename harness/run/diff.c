// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * diff.c - verdicts, and field-level detail for the cases that differ.
 *
 * ofd_diff_quick() is on the hot path for every case: it compares result
 * status, frame counts, patches or bytes, and metadata, and allocates
 * nothing. Only a case it finds unequal goes to ofd_diff_full(), which
 * parses the frames, names every differing field (in the kernel's frame's
 * protocol layout), applies the mask and asks explain.c why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_parse.h"
#include "ofd_offload.h"

bool ofd_meta_equal(const struct ofd_meta *a, const struct ofd_meta *b)
{
	uint32_t both = a->has & b->has;

	if ((both & OFD_META_VNET) &&
	    (a->vnet.flags != b->vnet.flags || a->vnet.gso_type != b->vnet.gso_type ||
	     a->vnet.gso_size != b->vnet.gso_size ||
	     a->vnet.csum_start != b->vnet.csum_start ||
	     a->vnet.csum_offset != b->vnet.csum_offset))
		return false;
	if ((both & OFD_META_CSUM_STATE) &&
	    (a->csum_state != b->csum_state || a->csum_level != b->csum_level))
		return false;
	if ((both & OFD_META_RXHASH) &&
	    (a->rxhash != b->rxhash || a->hash_type != b->hash_type))
		return false;
	return true;
}

enum ofd_verdict ofd_diff_quick(const struct ofd_result *ref,
				const struct ofd_result *tgt,
				unsigned int tgt_flags)
{
	uint32_t i;

	if (tgt->status == OFD_RES_FAULT)
		return OFD_V_TARGET_FAULT;
	if (ref->status == OFD_RES_UNSUPPORTED || tgt->status == OFD_RES_UNSUPPORTED ||
	    ref->status == OFD_RES_FAULT)
		return OFD_V_UNSUPPORTED;
	if (ref->status == OFD_RES_REJECTED) {
		/* The kernel refuses the request before any driver sees it:
		 * a device cannot be judged on it. */
		if ((tgt_flags & OFD_F_DEVICE) && ref->stage == OFD_STAGE_SUBMIT)
			return OFD_V_UNSUPPORTED;
		if (tgt->status != OFD_RES_REJECTED)
			return OFD_V_ONE_REJECTED;
		/* Two references (model vs kernel) must also agree on where the
		 * kernel refuses: at send() or by a drop at transmit. */
		if (!(tgt_flags & OFD_F_DEVICE) && ref->stage && tgt->stage &&
		    ref->stage != tgt->stage)
			return OFD_V_DISCREPANCY;
		return OFD_V_BOTH_REJECTED;
	}
	if (tgt->status == OFD_RES_REJECTED)
		return OFD_V_ONE_REJECTED;
	if (ref->nframes != tgt->nframes)
		return OFD_V_DISCREPANCY;
	for (i = 0; i < ref->nframes; i++)
		if (!ofd_frame_equal(&ref->frame[i], &tgt->frame[i]) ||
		    !ofd_meta_equal(&ref->frame[i].meta, &tgt->frame[i].meta))
			return OFD_V_DISCREPANCY;
	return OFD_V_EQUAL;
}

enum ofd_verdict ofd_diff_case(const struct ofd_case *c,
			       const struct ofd_result *ref,
			       const struct ofd_result *tgt, unsigned int tgt_flags)
{
	const struct ofd_offload_ops *o = ofd_offload_get(c->offload);

	if (o && o->judge && o->judge->compare)
		return o->judge->compare(c, ref, tgt, tgt_flags);
	return ofd_diff_quick(ref, tgt, tgt_flags);
}

/* ---- text building ---- */

struct sbuf {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->s && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t nc = (b->cap ? b->cap * 2 : 512) + (size_t)n;
			char *ns = realloc(b->s, nc);

			if (!ns)
				return;
			b->s = ns;
			b->cap = nc;
		}
	}
}

/* Frames whose differences are listed in a finding; the rest are counted. */
#define MAX_LISTED 64

/*
 * A mask entry is a field name ("ipv4.id"), masked in every offload's
 * cases, or one qualified by an offload ("tso:ipv4.id"): the field may
 * differ only where that offload's contract allows it (a MANGLEID device
 * may number segments its own way; a checksum engine may not touch the
 * ID at all).
 */
static bool masked(const struct ofd_mask *m, const char *off, const char *field)
{
	size_t i, n;

	for (i = 0; m && i < m->n; i++) {
		const char *f = m->fields[i], *colon = strchr(f, ':');

		if (colon) {
			if (strlen(off) != (size_t)(colon - f) || strncmp(f, off, (size_t)(colon - f)))
				continue;
			f = colon + 1;
		}
		n = strlen(f);
		if (!strcmp(f, field))
			return true;
		/* "payload" masks payload[+N]; "srh.segment" masks each one;
		 * "tcp.flags" masks tcp.flags.psh */
		if (!strncmp(f, field, n) && (field[n] == '[' || field[n] == '.'))
			return true;
	}
	return false;
}

/* Remember a masked field that did differ, once, for the report. */
static void note_masked(struct ofd_diff *d, const char *field)
{
	size_t i;

	for (i = 0; i < d->nmasked; i++)
		if (!strcmp(d->masked[i], field))
			return;
	if (d->nmasked < OFD_ARRAY_SIZE(d->masked))
		snprintf(d->masked[d->nmasked++], sizeof(d->masked[0]), "%s", field);
}

static void fmt_value(char *buf, size_t size, const uint8_t *b, uint32_t n)
{
	uint32_t i;
	size_t o = 0;

	if (n > 4) {
		snprintf(buf, size, "(%u bytes)", n);
		return;
	}
	o += (size_t)snprintf(buf, size, "0x");
	for (i = 0; i < n && o + 3 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%02x", b[i]);
}

/*
 * A field whose differing bits all have names ("tcp.flags") gets one line
 * per bit: "tcp.flags.psh 1 != 0", each maskable on its own. Returns false
 * (the caller names the field as a whole) when some differing bit has no
 * name or the field is longer than its named byte.
 */
static bool named_bit_lines(struct sbuf *b, struct ofd_diff *d, const char *off,
			    const char *prefix, const char *pathbuf,
			    const struct ofd_parsed *p, const struct ofd_field *f,
			    const uint8_t *e, const uint8_t *a,
			    const struct ofd_mask *mask, bool tunnelled, int *n,
			    char *headline, size_t hl_size)
{
	uint8_t x = e[f->off] ^ a[f->off];
	uint32_t k;
	int bit;

	for (k = 1; k < f->len; k++)
		if (e[f->off + k] != a[f->off + k])
			return false;
	for (bit = 7; bit >= 0; bit--)
		if ((x >> bit & 1) && !ofd_parse_field_bit(f->name, (unsigned int)bit))
			return false;
	if (!x)
		return false;
	for (bit = 7; bit >= 0; bit--) {
		char name[64], line[320];

		if (!(x >> bit & 1))
			continue;
		snprintf(name, sizeof(name), "%s.%s", f->name,
			 ofd_parse_field_bit(f->name, (unsigned int)bit));
		if (masked(mask, off, name)) {
			note_masked(d, name);
			continue;
		}
		snprintf(line, sizeof(line), "%s%s: %s%s %u != %u", prefix, pathbuf,
			 tunnelled && f->layer >= 0 ?
			 (p->layer[f->layer].depth ? "inner " : "outer ") : "",
			 name, e[f->off] >> bit & 1, a[f->off] >> bit & 1);
		sb_printf(b, "%s\n", line);
		if (!headline[0])
			snprintf(headline, hl_size, "%s", line);
		(*n)++;
	}
	return true;
}

/*
 * Name the differing fields of one frame pair. Returns how many unmasked
 * fields differ; *csum_only says whether they are all checksum fields.
 */
static int diff_frame(struct sbuf *b, struct ofd_diff *d, const char *off,
		      const char *prefix, const uint8_t *e,
		      const uint8_t *a, uint32_t len, const struct ofd_mask *mask,
		      char *path, size_t path_size, bool *csum_only, char *headline,
		      size_t hl_size)
{
	struct ofd_parsed p;
	struct ofd_field f;
	bool tunnelled = false;
	uint32_t i = 0, k;
	int n = 0;
	char pathbuf[96], ev[24], av[24];

	ofd_parse(e, len, 0, &p);
	ofd_parse_path(&p, pathbuf, sizeof(pathbuf));
	for (k = 0; k < p.nlayers; k++)
		tunnelled |= p.layer[k].depth > 0;
	if (path && !path[0])
		snprintf(path, path_size, "%s", pathbuf);
	while (i < len) {
		if (e[i] == a[i]) {
			i++;
			continue;
		}
		if (ofd_parse_field_at(e, len, &p, i, &f) || f.len == 0) {
			f.off = i;
			f.len = 1;
			snprintf(f.name, sizeof(f.name), "byte[%u]", i);
			f.is_csum = 0;
		}
		if (f.off + f.len > len)
			f.len = len - f.off;
		int before = n;

		if (named_bit_lines(b, d, off, prefix, pathbuf, &p, &f, e, a, mask, tunnelled,
				    &n, headline, hl_size)) {
			/* every differing bit named (and maybe masked); flags
			 * are never checksum fields */
			if (n > before)
				*csum_only = false;
		} else if (masked(mask, off, f.name)) {
			note_masked(d, f.name);
		} else {
			char line[320], name[64];

			/* In a tunnel, say which of the two udp.checksum it is. */
			if (tunnelled && f.layer >= 0)
				snprintf(name, sizeof(name), "%s %s",
					 p.layer[f.layer].depth ? "inner" : "outer", f.name);
			else
				snprintf(name, sizeof(name), "%s", f.name);

			fmt_value(ev, sizeof(ev), e + f.off, f.len);
			fmt_value(av, sizeof(av), a + f.off, f.len);
			if (f.len > 4)
				snprintf(line, sizeof(line), "%s%s: %s differs at byte %u..%u",
					 prefix, pathbuf, name, f.off, f.off + f.len - 1);
			else
				snprintf(line, sizeof(line), "%s%s: %s %s != %s", prefix,
					 pathbuf, name, ev, av);
			sb_printf(b, "%s\n", line);
			if (!headline[0])
				snprintf(headline, hl_size, "%s", line);
			if (!f.is_csum)
				*csum_only = false;
			n++;
		}
		i = f.off + f.len > i ? f.off + f.len : i + 1;
	}
	return n;
}

/* A field line from an offload's own field_diff (records, not packets). */
struct field_line_ctx {
	struct sbuf *b;
	struct ofd_diff *d;
	const char *off, *prefix;
	const struct ofd_mask *mask;
	int n;
};

static void field_line(void *ctx, const char *field, const char *values)
{
	struct field_line_ctx *fc = ctx;
	char line[320];

	if (masked(fc->mask, fc->off, field)) {
		note_masked(fc->d, field);
		return;
	}
	snprintf(line, sizeof(line), "%s%s: %s %s", fc->prefix, fc->d->path, field, values);
	sb_printf(fc->b, "%s\n", line);
	if (!fc->d->headline[0])
		snprintf(fc->d->headline, sizeof(fc->d->headline), "%s", line);
	fc->n++;
}

static const char *stage_name(uint8_t s)
{
	return s == OFD_STAGE_SUBMIT ? "at submit" : s == OFD_STAGE_XMIT ? "at transmit" :
	       s == OFD_STAGE_WIRE ? "on the wire" : "";
}

static void describe_result(struct sbuf *b, const char *who, const struct ofd_result *r)
{
	switch (r->status) {
	case OFD_RES_OK:
		sb_printf(b, "%s: %u frame%s\n", who, r->nframes, r->nframes == 1 ? "" : "s");
		break;
	case OFD_RES_REJECTED:
		sb_printf(b, "%s: rejected %s: %s%s%s\n", who, stage_name(r->stage),
			  ofd_reason_str(r->reason), r->err ? ": " : "",
			  r->err ? strerror(r->err) : "");
		break;
	case OFD_RES_UNSUPPORTED:
		sb_printf(b, "%s: unsupported: %s\n", who, r->detail ? r->detail : "");
		break;
	default:
		sb_printf(b, "%s: fault: %s\n", who, r->detail ? r->detail : "");
		break;
	}
}

/* A target that crashed, hung or returned garbage (harness/run/isolate.c,
 * targets/plugin/plugin.c): its one line is the explanation, and the kind
 * of fault is the class (target-crash, target-hang, malformed-result), so
 * a thousand crashes are one line and a hang is not hidden behind them. */
static void explain_fault(const struct ofd_result *tgt, struct ofd_diff *d)
{
	const char *why = tgt->detail ? tgt->detail : "the target faulted";
	bool kind = true;

	switch (tgt->reason) {
	case OFD_REASON_FAULT_CRASH:
		d->expl.id = "target-crash";
		break;
	case OFD_REASON_FAULT_HANG:
		d->expl.id = "target-hang";
		break;
	case OFD_REASON_FAULT_MALFORMED:
		d->expl.id = "malformed-result";
		break;
	default: /* an engine's own failure: its line is all there is */
		d->expl.id = "target-fault";
		kind = false;
	}
	snprintf(d->cls, sizeof(d->cls), "%s", d->expl.id);
	/* The class says what kind; each case's headline says exactly what
	 * (which signal, which bound the result broke). */
	snprintf(d->expl.text, sizeof(d->expl.text), "%s",
		 kind ? ofd_reason_str(tgt->reason) : why);
	snprintf(d->headline, sizeof(d->headline), "%s: %s", d->path, why);
}

int ofd_diff_full(const struct ofd_case *c, const struct ofd_result *ref,
		  const struct ofd_result *tgt, unsigned int tgt_flags,
		  const struct ofd_mask *mask, struct ofd_diff *d)
{
	struct sbuf b = { 0 };
	const struct ofd_offload_ops *o = ofd_offload_get(c->offload);
	const struct ofd_offload_judge *judge = o ? o->judge : NULL;
	bool csum_only = true, meta_diff = false;
	int nfields = 0;
	uint32_t i, n, listed = 0;

	memset(d, 0, sizeof(*d));
	d->verdict = ofd_diff_case(c, ref, tgt, tgt_flags);
	if (c->npkts) {
		struct ofd_parsed p;

		ofd_parse(c->pkts[0].data, c->pkts[0].len, 0, &p);
		ofd_parse_path(&p, d->path, sizeof(d->path));
	}

	switch (d->verdict) {
	case OFD_V_ONE_REJECTED:
		d->severity = OFD_SEV_BENIGN;
		describe_result(&b, "expected (reference)", ref);
		describe_result(&b, "actual (target)", tgt);
		if (ref->status == OFD_RES_REJECTED) {
			snprintf(d->cls, sizeof(d->cls), "target-accepts-rejected");
			snprintf(d->headline, sizeof(d->headline),
				 "%s: the kernel rejects this request (%s), the target does not",
				 d->path, ofd_reason_str(ref->reason));
		} else {
			snprintf(d->cls, sizeof(d->cls), "target-rejects");
			snprintf(d->headline, sizeof(d->headline),
				 "%s: the target refuses a request the kernel accepts (%s)",
				 d->path, ofd_reason_str(tgt->reason));
		}
		goto done;
	case OFD_V_DISCREPANCY:
		break;
	default:
		snprintf(d->cls, sizeof(d->cls), "%s", ofd_verdict_name(d->verdict));
		/* A device that crashes, hangs or lies about its output on a
		 * frame the stack may send is never safe to enable. */
		if (d->verdict == OFD_V_TARGET_FAULT) {
			d->severity = OFD_SEV_CRITICAL;
			explain_fault(tgt, d);
		}
		describe_result(&b, "expected (reference)", ref);
		describe_result(&b, "actual (target)", tgt);
		goto done;
	}

	d->severity = OFD_SEV_CRITICAL;
	if (ref->status == OFD_RES_REJECTED && tgt->status == OFD_RES_REJECTED) {
		snprintf(d->cls, sizeof(d->cls), "rejection-stage");
		snprintf(d->headline, sizeof(d->headline),
			 "%s: both reject, but %s != %s", d->path, stage_name(ref->stage),
			 stage_name(tgt->stage));
		describe_result(&b, "expected (reference)", ref);
		describe_result(&b, "actual (target)", tgt);
		goto done;
	}
	if (ref->nframes != tgt->nframes) {
		const char *noun = judge && judge->frame_noun ? judge->frame_noun : "frame";

		snprintf(d->cls, sizeof(d->cls), "%s-count", noun);
		snprintf(d->headline, sizeof(d->headline), "%s: %ss %u != %u", d->path,
			 noun, ref->nframes, tgt->nframes);
		sb_printf(&b, "%s\n", d->headline);
		/* An offload that names its frames explains a count mismatch
		 * too (which frames are extra or missing, how the rest line
		 * up); the field lines of the frames both sides have follow. */
		if (!judge || !judge->frame_noun)
			goto done;
		csum_only = false;
		nfields++;
	}
	n = ref->nframes < tgt->nframes ? ref->nframes : tgt->nframes;
	for (i = 0; i < n; i++) {
		const struct ofd_frame *fe = &ref->frame[i], *fa = &tgt->frame[i];
		char prefix[48] = "";
		uint8_t *e, *a;

		if (judge && judge->frame_noun)
			snprintf(prefix, sizeof(prefix), "%s %u/%u: ", judge->frame_noun,
				 i + 1, ref->nframes);
		else if (ref->nframes > 1)
			snprintf(prefix, sizeof(prefix), "frame %u: ", i);
		if (!ofd_meta_equal(&fe->meta, &fa->meta)) {
			meta_diff = true;
			if (listed++ < MAX_LISTED)
				sb_printf(&b, "%smetadata: vnet flags %u gso_type %u gso_size %u csum %u/%u != flags %u gso_type %u gso_size %u csum %u/%u\n",
					  prefix, fe->meta.vnet.flags, fe->meta.vnet.gso_type,
					  fe->meta.vnet.gso_size, fe->meta.vnet.csum_start,
					  fe->meta.vnet.csum_offset, fa->meta.vnet.flags,
					  fa->meta.vnet.gso_type, fa->meta.vnet.gso_size,
					  fa->meta.vnet.csum_start, fa->meta.vnet.csum_offset);
		}
		if (fe->len != fa->len) {
			char line[160];

			snprintf(line, sizeof(line), "%s%s: frame length %u != %u", prefix,
				 d->path, fe->len, fa->len);
			if (listed++ < MAX_LISTED)
				sb_printf(&b, "%s\n", line);
			if (!d->headline[0])
				snprintf(d->headline, sizeof(d->headline), "%s", line);
			csum_only = false;
			nfields++;
			continue;
		}
		if (ofd_frame_equal(fe, fa))
			continue;
		e = malloc(fe->len ? fe->len : 1);
		a = malloc(fa->len ? fa->len : 1);
		if (!e || !a) {
			free(e);
			free(a);
			free(b.s);
			return -ENOMEM;
		}
		ofd_frame_materialize(fe, e);
		ofd_frame_materialize(fa, a);
		{
			/* Beyond MAX_LISTED frames, count without listing:
			 * 65535 segments must not make a megabyte report. */
			struct sbuf quiet = { 0 };
			struct field_line_ctx fc = {
				listed < MAX_LISTED ? &b : &quiet, d,
				ofd_offload_name(c->offload), prefix, mask, 0,
			};
			int k;

			if (judge && judge->field_diff) {
				judge->field_diff(e, a, fe->len, field_line, &fc);
				k = fc.n;
				if (k)
					csum_only = false;
			} else {
				k = diff_frame(listed < MAX_LISTED ? &b : &quiet, d,
					       ofd_offload_name(c->offload), prefix, e, a,
					       fe->len, mask, i ? NULL : d->path,
					       sizeof(d->path), &csum_only, d->headline,
					       sizeof(d->headline));
			}

			free(quiet.s);
			if (k)
				listed++;
			nfields += k;
		}
		free(e);
		free(a);
	}
	if (listed > MAX_LISTED)
		sb_printf(&b, "... %u more differing frames not listed\n", listed - MAX_LISTED);
	if (!nfields && !meta_diff) {
		/* Every difference lies in a masked field. */
		d->masked_equal = true;
		d->verdict = OFD_V_EQUAL;
		d->severity = OFD_SEV_NONE;
		snprintf(d->cls, sizeof(d->cls), "masked");
		goto done;
	}
	/* An offload that judges metadata too (gro's gso_size) is asked
	 * before the generic class. */
	if (!nfields && !(judge && judge->explain && judge->explains_meta &&
			  !judge->explain(c, ref, tgt, &d->expl))) {
		snprintf(d->cls, sizeof(d->cls), "metadata");
		snprintf(d->headline, sizeof(d->headline), "%s: metadata differs", d->path);
		goto done;
	}
	if (d->expl.id || (judge && judge->explain && !judge->explain(c, ref, tgt, &d->expl))) {
		snprintf(d->cls, sizeof(d->cls), "%s", d->expl.id);
		if (d->expl.headline[0])
			snprintf(d->headline, sizeof(d->headline), "%s", d->expl.headline);
		if (d->expl.benign)
			d->severity = OFD_SEV_BENIGN;
		sb_printf(&b, "explanation: %s\n", d->expl.text);
		if (d->expl.detail[0])
			sb_printf(&b, "detail: %s\n", d->expl.detail);
		if (d->expl.note[0])
			sb_printf(&b, "note: %s\n", d->expl.note);
	} else if (ref->nframes != tgt->nframes && !(judge && judge->unexplained)) {
		/* keep "<noun>-count" */
		sb_printf(&b, "explanation: none of the hypotheses reproduces the target's frames\n");
	} else {
		snprintf(d->cls, sizeof(d->cls), "%s",
			 judge && judge->unexplained ? judge->unexplained :
			 csum_only ? "checksum-unexplained" : "bytes-unexplained");
		sb_printf(&b, "explanation: none of the hypotheses reproduces the target's bytes\n");
	}
done:
	d->text = b.s ? b.s : strdup("");
	return 0;
}

void ofd_diff_free(struct ofd_diff *d)
{
	free(d->text);
	d->text = NULL;
}
