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
#include "ofd_offload.h"
#include "ofd_randcase.h"

int ofd_txcsum_request(const uint8_t *frame, uint32_t len, enum ofd_req_kind kind,
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

static int txcsum_derive(const struct ofd_corpus *corpus, unsigned int requests,
			 const struct ofd_spec *spec, struct ofd_caseset *set,
			 char *err, size_t err_len)
{
	uint32_t i, nkinds = 0, n = 0;
	size_t bytes = 0, used = 0;
	int kind;

	for (kind = 0; kind <= OFD_REQ_LEGACY; kind++)
		if (requests & (1u << kind))
			nkinds++;
	for (i = 0; i < corpus->npkts; i++)
		bytes += corpus->pkts[i].len;
	if (ofd_caseset_prepare(set, (size_t)corpus->npkts * nkinds + 1,
				(size_t)corpus->npkts + 1, bytes + 1))
		return -ENOMEM;

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
			if (ofd_txcsum_request(pk->data, pk->len, kind, &c->req, copy)) {
				memset(&c->req, 0, sizeof(c->req));
				c->req.kind = (uint8_t)kind;
			} else {
				overridden = true; /* has a derived request */
			}
			if (ofd_overrides_apply(spec, file, pk->index, kind, &c->req))
				overridden = true;
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
			set->skipped++;
	}
	set->ncases = n;
	set->nbytes = used;
	return 0;
}

static int txcsum_random(uint64_t seed, uint64_t index, uint8_t *buf,
			 uint32_t cap, struct ofd_pkt *pkts, unsigned int maxpkts,
			 struct ofd_case *c)
{
	if (!maxpkts)
		return -EINVAL;
	return ofd_randcase_make(seed, index, OFD_OFFLOAD_TX_CSUM, buf, cap, pkts, c);
}

static const struct ofd_corpus_scenario txcsum_scenarios[] = {
	{ "tx-csum/base.pcap", "L2 x L3 x L4 x payload sizes",
	  ofd_corpus_gen_foreach, OFD_CORPUS_GEN_BASE },
	{ "tx-csum/ipv6-ext.pcap", "IPv6 extension-header chains and SRv6",
	  ofd_corpus_gen_foreach, OFD_CORPUS_GEN_IPV6_EXT },
	{ "tx-csum/tunnels.pcap", "VXLAN, GENEVE, GRE, IPIP; inner checksums",
	  ofd_corpus_gen_foreach, OFD_CORPUS_GEN_TUNNELS },
	{ "tx-csum/edge.pcap", "zero sums, fields at the frame end, padding, ICMP",
	  ofd_corpus_gen_foreach, OFD_CORPUS_GEN_EDGE },
	{ "tx-csum/srh-final.pcap", "routing headers where sender and receiver could disagree on the final destination",
	  ofd_corpus_gen_foreach, OFD_CORPUS_GEN_SRH_FINAL },
};

const struct ofd_offload_cases ofd_cases_tx_csum = {
	.requests = (1u << OFD_REQ_VNET) | (1u << OFD_REQ_LEGACY),
	.derive = txcsum_derive,
	/* One frame out, the input with its checksum written: at most what
	 * the kernel engine sends as one skb (65539 bytes, csum_start + 20 +
	 * OFD_KPATH_GSO_SIZE through OFD_KPATH_NOT_GSO); or, for a request a
	 * spec override made GSO, the kernel's segments: 64 KiB of payload
	 * plus their headers. */
	.max_output_bytes = 72 * 1024,
	.random = txcsum_random,
	.scenarios = txcsum_scenarios,
	.nscenarios = OFD_ARRAY_SIZE(txcsum_scenarios),
};
