/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * tso_cases_test_util.h - what check_tso_cases.c and check_tso_gen.c
 * share: one frame as a corpus, derived; naive pseudo-header folds; the
 * tunnel frames.
 */
#ifndef OFD_TSO_CASES_TEST_UTIL_H
#define OFD_TSO_CASES_TEST_UTIL_H

#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_pktbuild.h"
#include "ofd_test.h"

#define BUF 70000

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* fold16 of the pseudo-header of the IP header at ip, naive. */
static inline uint16_t pseudo_fold(const uint8_t *ip, uint8_t proto, uint32_t l4len)
{
	uint32_t acc;

	if (ip[0] >> 4 == 4)
		acc = ofd_test_sum(ip + 12, 8, 0);
	else
		acc = ofd_test_sum(ip + 8, 32, 0);
	acc += proto + (l4len >> 16) + (l4len & 0xffff);
	return ofd_test_fold(acc);
}

/* One frame as a corpus; derive it into set. */
struct one {
	struct ofd_corpus corpus;
	struct ofd_corpus_pkt pk;
	char *files[1];
	struct ofd_caseset set;
	uint8_t buf[BUF];
	uint32_t len;
};

static inline void derive(struct one *o, const struct ofd_spec *spec)
{
	char err[256] = "";

	memset(&o->corpus, 0, sizeof(o->corpus));
	o->files[0] = "t.pcap";
	o->pk.data = o->buf;
	o->pk.len = o->len;
	o->pk.file = 0;
	o->pk.index = 7;
	o->corpus.nfiles = 1;
	o->corpus.files = o->files;
	o->corpus.npkts = 1;
	o->corpus.pkts = &o->pk;
	ck_assert_msg(ofd_cases_derive(&o->corpus, OFD_CAP(OFD_OFFLOAD_TSO),
				       (1u << OFD_REQ_VNET) | (1u << OFD_REQ_LEGACY),
				       spec, &o->set, err, sizeof(err)) == 0, "%s", err);
}

static inline struct ofd_pktb *pb_start(struct one *o)
{
	static struct ofd_pktb b;

	ofd_pktb_init(&b, o->buf, sizeof(o->buf));
	return &b;
}

static inline void pb_end(struct one *o, struct ofd_pktb *b)
{
	ck_assert_int_eq(ofd_pktb_finish(b), 0);
	o->len = b->len;
}

static inline uint32_t count_kind(const struct ofd_caseset *s, int kind)
{
	uint32_t i, n = 0;

	for (i = 0; i < s->ncases; i++)
		n += s->cases[i].req.kind == kind;
	return n;
}


enum { TV_VXLAN, TV_VXLAN_CSUM, TV_GENEVE_CSUM, TV_GRE_CSUM, TV_4IN6, TV_6IN4 };

/* The tunnel frame of kind k, inner TCP with 2000 bytes. */
static inline void tunnel_frame(struct one *o, int k, int *outer_l4, int *inner_l4)
{
	struct ofd_pktb *b = pb_start(o);
	int u = -1;

	ofd_pktb_eth(b, NULL, NULL, 0);
	if (k == TV_GRE_CSUM || k == TV_4IN6)
		ofd_pktb_ipv6(b, NULL);
	else
		ofd_pktb_ipv4(b, NULL);
	switch (k) {
	case TV_VXLAN:
	case TV_VXLAN_CSUM:
		u = ofd_pktb_udp(b, 5555, 4789);
		ofd_pktb_vxlan(b, 1);
		ofd_pktb_eth(b, NULL, NULL, 0);
		break;
	case TV_GENEVE_CSUM:
		u = ofd_pktb_udp(b, 5555, 6081);
		ofd_pktb_geneve(b, 1, 8);
		ofd_pktb_eth(b, NULL, NULL, 0);
		break;
	case TV_GRE_CSUM:
		ofd_pktb_gre(b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY, 9, 0);
		break;
	default:
		break;
	}
	if (u >= 0 && k != TV_VXLAN)
		b->layer[u].csum = OFD_PKTB_CSUM_FULL;
	if (k == TV_VXLAN || k == TV_6IN4 || k == TV_GENEVE_CSUM)
		ofd_pktb_ipv6(b, NULL);
	else
		ofd_pktb_ipv4(b, NULL);
	*inner_l4 = ofd_pktb_tcp(b, NULL);
	*outer_l4 = u;
	ofd_pktb_payload(b, 2000);
	*outer_l4 = u >= 0 ? (int)b->layer[u].off : -1;
	*inner_l4 = (int)b->layer[*inner_l4].off;
	pb_end(o, b);
}

#endif
