// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * parse_fields.c - named fields: which header field a byte offset of a
 * parsed frame belongs to ("ipv6/srh: srh.segment[1]"), and the reverse
 * lookup by name, from the field tables in parse.c. The diff names every
 * differing byte with it; spec masks are validated against it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "parse_internal.h"

/* ------------------------------------------------------------------ */
/* Named fields                                                        */
/* ------------------------------------------------------------------ */

/* A field query: by absolute offset, or by the name after "proto.". */
struct fquery {
	uint32_t off;
	const char *name; /* NULL: by offset */
};

/* Parse "[<sep>N]" at s, e.g. "[5]" or "[+3]", up to the end of s. */
static bool parse_index(const char *s, char sep, uint32_t *idx)
{
	uint64_t v = 0;

	if (*s++ != '[')
		return false;
	if (sep && *s++ != sep)
		return false;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	if (s[0] != ']' || s[1] != '\0')
		return false;
	*idx = (uint32_t)v;
	return true;
}

static uint32_t srh_segments(const uint8_t *frame, uint32_t len,
			     const struct ofd_layer *l)
{
	uint8_t last = 0;
	uint32_t room = l->len > SRH_SEG_OFF ?
				(l->len - SRH_SEG_OFF) / SRH_SEG_LEN : 0;

	if (ofd_get_u8(frame, len, l->off + 4, &last))
		return 0;
	/* A last_entry that claims more than the header holds is clamped:
	 * names must stay inside the header. */
	return (uint32_t)last + 1 < room ? (uint32_t)last + 1 : room;
}

static void set_field(struct ofd_field *f, const struct ofd_layer *l, int li,
		      const struct fdesc *fd, bool indexed, uint32_t idx,
		      uint32_t rel, uint32_t flen)
{
	const char *pn = ofd_proto_defs[l->proto].name;

	if (indexed)
		snprintf(f->name, sizeof(f->name), "%s.%s[%u]", pn, fd->name,
			 idx);
	else
		snprintf(f->name, sizeof(f->name), "%s.%s", pn, fd->name);
	f->layer = li;
	f->off = l->off + rel;
	f->len = flen;
	f->is_csum = !!(fd->flags & FD_CSUM);
}

/* Walk the field table of header layer li and answer q. */
static bool header_field(const uint8_t *frame, uint32_t len,
			 const struct ofd_parsed *p, int li,
			 const struct fquery *q, struct ofd_field *f)
{
	const struct ofd_layer *l = &p->layer[li];
	const struct proto_def *d = &ofd_proto_defs[l->proto];
	uint16_t w0 = 0, w1 = 0;
	uint32_t cur = 0, i;

	(void)ofd_get_be16(frame, len, l->off, &w0); /* 0 when absent */
	(void)ofd_get_be16(frame, len, l->off + 2, &w1);
	for (i = 0; i < d->nfields; i++) {
		const struct fdesc *fd = &d->fields[i];
		uint32_t off = fd->off == FD_NEXT ? cur : fd->off;
		uint32_t flen, n = 1, idx;

		if (fd->flags & (FD_W1EQ | FD_W1NE)) {
			if ((w1 == fd->when) != !!(fd->flags & FD_W1EQ))
				continue;
		} else if (fd->when && !(w0 & fd->when)) {
			continue;
		}
		if (off >= l->len)
			break;
		flen = fd->len ? fd->len : l->len - off;
		if (fd->flags & FD_SEGS)
			n = srh_segments(frame, len, l);
		else if (flen > l->len - off)
			break;
		cur = off + n * flen;

		if (!q->name) {
			if (q->off < l->off + off || q->off >= l->off + cur)
				continue;
			idx = (q->off - l->off - off) / flen;
			set_field(f, l, li, fd, fd->flags & FD_SEGS, idx,
				  off + idx * flen, flen);
			return true;
		}
		if (strncmp(q->name, fd->name, strlen(fd->name)))
			continue;
		if (fd->flags & FD_SEGS) {
			if (!parse_index(q->name + strlen(fd->name), 0, &idx) ||
			    idx >= n)
				continue;
		} else if (q->name[strlen(fd->name)]) {
			continue;
		} else {
			idx = 0;
		}
		set_field(f, l, li, fd, fd->flags & FD_SEGS, idx,
			  off + idx * flen, flen);
		return true;
	}
	/* Bytes no table names (they should not exist): by offset only. */
	if (q->name)
		return false;
	snprintf(f->name, sizeof(f->name), "%s[+%u]", d->name, q->off - l->off);
	f->layer = li;
	f->off = q->off;
	f->len = 1;
	f->is_csum = 0;
	return true;
}

static void byte_field(struct ofd_field *f, const char *what, int li,
		       uint32_t base, uint32_t off)
{
	snprintf(f->name, sizeof(f->name), "%s[+%u]", what, off - base);
	f->layer = li;
	f->off = off;
	f->len = 1;
	f->is_csum = 0;
}

/* End of the bytes the layers cover: where the trailer starts. */
static uint32_t layers_end(const struct ofd_parsed *p)
{
	uint32_t i, end = 0, n = p->nlayers;

	if (n > OFD_PARSE_MAX_LAYERS)
		n = OFD_PARSE_MAX_LAYERS;
	for (i = 0; i < n; i++)
		if (p->layer[i].off + p->layer[i].len > end)
			end = p->layer[i].off + p->layer[i].len;
	return end;
}

int ofd_parse_field_at(const uint8_t *frame, uint32_t len,
		       const struct ofd_parsed *p, uint32_t off,
		       struct ofd_field *f)
{
	struct fquery q = { .off = off };
	uint32_t n = p->nlayers, end;
	int i;

	if (off >= len)
		return -ERANGE;
	if (n > OFD_PARSE_MAX_LAYERS)
		n = OFD_PARSE_MAX_LAYERS;
	for (i = (int)n - 1; i >= 0; i--) {
		const struct ofd_layer *l = &p->layer[i];

		if (off < l->off || off - l->off >= l->len)
			continue;
		if (l->proto == OFD_P_PAYLOAD)
			byte_field(f, "payload", i, l->off, off);
		else if (l->proto >= OFD_P__MAX || !ofd_layer_ok(l, len))
			byte_field(f, "trailer", -1, l->off, off);
		else
			header_field(frame, len, p, i, &q, f);
		return 0;
	}
	end = layers_end(p);
	byte_field(f, "trailer", -1, off >= end ? end : 0, off);
	return 0;
}

/* Look name up in one layer; name still carries its "proto." prefix. */
static bool layer_find(const uint8_t *frame, uint32_t len,
		       const struct ofd_parsed *p, int li, const char *name,
		       struct ofd_field *f)
{
	const struct ofd_layer *l = &p->layer[li];
	struct fquery q = { 0 };
	const char *pn;
	size_t pl;
	uint32_t idx;

	if (l->proto >= OFD_P__MAX || !ofd_layer_ok(l, len))
		return false;
	pn = ofd_proto_defs[l->proto].name;
	pl = strlen(pn);
	if (strncmp(name, pn, pl))
		return false;
	if (l->proto == OFD_P_PAYLOAD) {
		if (!parse_index(name + pl, '+', &idx) || idx >= l->len)
			return false;
		byte_field(f, "payload", li, l->off, l->off + idx);
		return true;
	}
	if (name[pl] != '.')
		return false;
	q.name = name + pl + 1;
	return header_field(frame, len, p, li, &q, f);
}

int ofd_parse_field_find(const uint8_t *frame, uint32_t len,
			 const struct ofd_parsed *p, int layer,
			 const char *name, struct ofd_field *f)
{
	uint32_t n = p->nlayers, idx, end;
	int i;

	if (n > OFD_PARSE_MAX_LAYERS)
		n = OFD_PARSE_MAX_LAYERS;
	if (layer >= 0) {
		if ((uint32_t)layer < n &&
		    layer_find(frame, len, p, layer, name, f))
			return 0;
		return -ENOENT;
	}
	for (i = 0; i < (int)n; i++)
		if (layer_find(frame, len, p, i, name, f))
			return 0;
	/* Bytes past every layer only exist outside any layer. */
	if (!strncmp(name, "trailer", 7) && parse_index(name + 7, '+', &idx)) {
		end = layers_end(p);
		if (end < len && idx < len - end) {
			byte_field(f, "trailer", -1, end, end + idx);
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Is `name` a field the diff can name: "<proto>.<field>", a protocol
 * alone (masks the whole header), "payload" or "trailer"? SRH segments
 * may carry an index ("srh.segment[1]"). For validating masks in specs
 * and case files: a mask the diff never names would hide nothing, so an
 * index must be written as the diff writes it (decimal, no sign, no
 * leading zero) and lie within what the field can hold.
 */
static bool index_known(const struct fdesc *fd, const char *s)
{
	uint32_t idx;

	if (!s[0])
		return true;
	if (!(fd->flags & FD_SEGS) || (s[1] == '0' && s[2] != ']'))
		return false;
	/* last_entry is 8 bits: at most 256 segments. */
	return parse_index(s, 0, &idx) && idx <= UINT8_MAX;
}

static bool field_known(const char *name);

/*
 * Fields whose bits have names, first byte's bits from the most
 * significant: the TCP flags (RFC 9293 3.1, CWR/ECE RFC 3168), AccECN's AE
 * bit at the low end of the data-offset byte (RFC 9768), IPv4's DF and MF
 * (RFC 791). The diff names the bits that differ ("tcp.flags.psh 1 != 0"),
 * and a mask may name one bit.
 */
static const struct {
	const char *field;
	const char *bit[8];
} named_bits[] = {
	{ "tcp.flags", { "cwr", "ece", "urg", "ack", "psh", "rst", "syn", "fin" } },
	{ "tcp.doff", { NULL, NULL, NULL, NULL, NULL, NULL, NULL, "ae" } },
	{ "ipv4.frag_off", { "evil", "df", "mf" } },
};

const char *ofd_parse_field_bit(const char *field, unsigned int bit)
{
	size_t i;

	for (i = 0; bit < 8 && i < OFD_ARRAY_SIZE(named_bits); i++)
		if (!strcmp(named_bits[i].field, field))
			return named_bits[i].bit[7 - bit];
	return NULL;
}

/* "tcp.flags.psh": a named bit of a known field. */
static bool bit_known(const char *name)
{
	const char *dot = strrchr(name, '.');
	char field[48];
	unsigned int b;

	if (!dot || (size_t)(dot - name) >= sizeof(field))
		return false;
	memcpy(field, name, (size_t)(dot - name));
	field[dot - name] = '\0';
	for (b = 0; b < 8; b++) {
		const char *bn = ofd_parse_field_bit(field, b);

		if (bn && !strcmp(bn, dot + 1))
			return true;
	}
	return false;
}

bool ofd_parse_field_known(const char *name)
{
	if (bit_known(name))
		return true;
	return field_known(name);
}

static bool field_known(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t plen = dot ? (size_t)(dot - name) : strlen(name);
	unsigned int p, k;

	if (!strcmp(name, "payload") || !strcmp(name, "trailer"))
		return true;
	for (p = 1; p < OFD_P__MAX; p++) {
		const struct proto_def *d = &ofd_proto_defs[p];

		if (!d->name || strlen(d->name) != plen || strncmp(d->name, name, plen))
			continue;
		if (!dot)
			return true;
		for (k = 0; k < d->nfields; k++) {
			size_t fl = strlen(d->fields[k].name);

			if (!strncmp(dot + 1, d->fields[k].name, fl) &&
			    (dot[1 + fl] == '\0' || dot[1 + fl] == '['))
				return index_known(&d->fields[k], dot + 1 + fl);
		}
	}
	return false;
}
