// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * txcsum.c - turn corpus frames into tx-csum cases.
 *
 * The request is what the kernel stack sets for CHECKSUM_PARTIAL
 * (kernel-tx.md section 1): csum_start at the innermost TCP/UDP/SCTP
 * header, csum_offset at its checksum field, and the field pre-filled:
 *  - TCP: fold of the pseudo-header sum with the L4 byte count
 *    (__tcp_v4_send_check / __tcp_v6_send_check);
 *  - UDP: the same with the UDP length field (udp4_hwcsum,
 *    udp6_hwcsum_outgoing);
 *  - SCTP: zero, and a CRC32c request (net/sctp/output.c).
 * For IPv6 the pseudo-header carries the final destination (RFC 8200 8.1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_run.h"

int ofd_derive_request(const uint8_t *frame, uint32_t len, enum ofd_req_kind kind,
		       struct ofd_request *req, uint8_t *frame_copy)
{
	struct ofd_parsed p;
	const struct ofd_layer *l4, *l3 = NULL;
	uint32_t l4_len, sum;
	uint16_t udp_len;
	int i;

	ofd_parse(frame, len, 0, &p);
	if (p.l4 < 0)
		return -ENOENT;
	l4 = &p.layer[p.l4];
	for (i = p.l4 - 1; i >= 0; i--)
		if (p.layer[i].proto == OFD_P_IPV4 || p.layer[i].proto == OFD_P_IPV6) {
			l3 = &p.layer[i];
			break;
		}
	if (!l3)
		return -ENOENT;

	memset(req, 0, sizeof(*req));
	req->kind = kind;
	req->vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	req->vnet.csum_start = (uint16_t)l4->off;
	req->legacy = (l3->proto == OFD_P_IPV4 ? OFD_LEGACY_IPV4 : OFD_LEGACY_IPV6) |
		      (l4->depth ? OFD_LEGACY_TUNNEL : 0);

	switch (l4->proto) {
	case OFD_P_TCP:
		req->vnet.csum_offset = 16;
		req->legacy |= OFD_LEGACY_TCP;
		l4_len = len - l4->off;
		break;
	case OFD_P_UDP:
		req->vnet.csum_offset = 6;
		req->legacy |= OFD_LEGACY_UDP;
		if (ofd_get_be16(frame, len, l4->off + 4, &udp_len))
			return -ENOENT;
		l4_len = udp_len;
		break;
	case OFD_P_SCTP:
		req->vnet.csum_offset = 8;
		req->legacy |= OFD_LEGACY_SCTP;
		req->csum_type = OFD_CSUM_CRC32C;
		if (frame_copy)
			memset(frame_copy + l4->off + 8, 0, 4);
		return 0;
	default:
		return -ENOENT;
	}
	if (l4->off + req->vnet.csum_offset + 2 > len)
		return -ENOENT;
	if (frame_copy) {
		if (ofd_parse_pseudo(frame, len, &p, p.l4, l4_len, 0, &sum))
			return -ENOENT;
		ofd_put_be16(frame_copy + l4->off + req->vnet.csum_offset,
			     ofd_fold16(sum));
	}
	return 0;
}

/* Does override o name corpus file `file`? By exact path or base name. */
static bool override_matches_file(const struct ofd_spec_override *o,
				  const char *file)
{
	const char *b1, *b2;

	if (!o->file)
		return true;
	if (!strcmp(o->file, file))
		return true;
	b1 = strrchr(o->file, '/');
	b2 = strrchr(file, '/');
	return !strcmp(b1 ? b1 + 1 : o->file, b2 ? b2 + 1 : file);
}

static void apply_override(const struct ofd_spec_override *o,
			   struct ofd_request *r)
{
	if (o->set & OFD_OVR_CSUM_START)
		r->vnet.csum_start = o->vnet.csum_start;
	if (o->set & OFD_OVR_CSUM_OFFSET)
		r->vnet.csum_offset = o->vnet.csum_offset;
	if (o->set & OFD_OVR_FLAGS)
		r->vnet.flags = o->vnet.flags;
	if (o->set & OFD_OVR_GSO_TYPE)
		r->vnet.gso_type = o->vnet.gso_type;
	if (o->set & OFD_OVR_GSO_SIZE)
		r->vnet.gso_size = o->vnet.gso_size;
	if (o->set & OFD_OVR_HDR_LEN)
		r->vnet.hdr_len = o->vnet.hdr_len;
}

static int check_overrides(const struct ofd_corpus *corpus,
			   const struct ofd_spec *spec, char *err, size_t err_len)
{
	size_t k;
	uint32_t f, i;

	for (k = 0; spec && k < spec->noverrides; k++) {
		const struct ofd_spec_override *o = &spec->overrides[k];
		bool found = false;

		for (f = 0; f < corpus->nfiles; f++) {
			if (!override_matches_file(o, corpus->files[f]))
				continue;
			for (i = 0; i < corpus->npkts; i++) {
				const struct ofd_corpus_pkt *pk = &corpus->pkts[i];
				uint32_t start, off;

				if (pk->file != f || pk->index != o->packet)
					continue;
				found = true;
				start = (o->set & OFD_OVR_CSUM_START) ? o->vnet.csum_start : 0;
				off = (o->set & OFD_OVR_CSUM_OFFSET) ? o->vnet.csum_offset : 0;
				if ((o->set & (OFD_OVR_CSUM_START | OFD_OVR_CSUM_OFFSET)) &&
				    start + off + 2 > pk->len) {
					snprintf(err, err_len,
						 "%s:%d:%d: override of %s packet %u: checksum field at %u (csum_start %u + csum_offset %u) lies past the frame (%u bytes)",
						 spec->path, o->line, o->col, corpus->files[f],
						 o->packet, start + off, start, off, pk->len);
					return -EINVAL;
				}
			}
		}
		if (!found) {
			snprintf(err, err_len, "%s:%d:%d: override names packet %u%s%s, which no corpus file has",
				 spec->path, o->line, o->col, o->packet,
				 o->file ? " of " : "", o->file ? o->file : "");
			return -EINVAL;
		}
	}
	return 0;
}

int ofd_derive_tx_csum(const struct ofd_corpus *corpus, unsigned int requests,
		       const struct ofd_spec *spec, struct ofd_caseset *set,
		       char *err, size_t err_len)
{
	uint32_t i, nkinds = 0, n = 0;
	size_t bytes = 0, used = 0, k;
	int kind, ret;

	memset(set, 0, sizeof(*set));
	ret = check_overrides(corpus, spec, err, err_len);
	if (ret)
		return ret;
	for (kind = 0; kind <= OFD_REQ_LEGACY; kind++)
		if (requests & (1u << kind))
			nkinds++;
	for (i = 0; i < corpus->npkts; i++)
		bytes += corpus->pkts[i].len;
	set->bytes = malloc(bytes ? bytes : 1);
	set->cases = calloc((size_t)corpus->npkts * nkinds + 1, sizeof(*set->cases));
	set->pkts = calloc((size_t)corpus->npkts + 1, sizeof(*set->pkts));
	if (!set->bytes || !set->cases || !set->pkts) {
		ofd_caseset_free(set);
		return -ENOMEM;
	}

	for (i = 0; i < corpus->npkts; i++) {
		const struct ofd_corpus_pkt *pk = &corpus->pkts[i];
		const char *file = corpus->files[pk->file];
		uint8_t *copy = set->bytes + used;
		bool have_pkt = false;

		memcpy(copy, pk->data, pk->len);
		for (kind = 0; kind <= OFD_REQ_LEGACY; kind++) {
			struct ofd_case *c = &set->cases[n];
			bool overridden = false;

			if (!(requests & (1u << kind)))
				continue;
			if (ofd_derive_request(pk->data, pk->len, kind, &c->req, copy)) {
				memset(&c->req, 0, sizeof(c->req));
				c->req.kind = (uint8_t)kind;
			} else {
				overridden = true; /* has a derived request */
			}
			for (k = 0; spec && k < spec->noverrides; k++) {
				const struct ofd_spec_override *o = &spec->overrides[k];

				if (o->packet == pk->index && override_matches_file(o, file) &&
				    (o->kind < 0 || o->kind == kind)) {
					apply_override(o, &c->req);
					overridden = true;
				}
			}
			if (!overridden)
				continue; /* nothing to offload in this frame */
			if (!have_pkt) {
				set->pkts[i].data = copy;
				set->pkts[i].len = pk->len;
				have_pkt = true;
			}
			c->id = n;
			c->offload = OFD_OFFLOAD_TX_CSUM;
			c->npkts = 1;
			c->pkts = &set->pkts[i];
			c->src_file = file;
			c->src_index = pk->index;
			n++;
		}
		if (have_pkt)
			used += pk->len;
		else
			set->skipped_no_l4++;
	}
	set->ncases = n;
	set->nbytes = used;
	return 0;
}

void ofd_caseset_free(struct ofd_caseset *set)
{
	free(set->cases);
	free(set->pkts);
	free(set->bytes);
	memset(set, 0, sizeof(*set));
}
