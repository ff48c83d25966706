// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_randcase.c - the random case generator (harness/cases/random.c).
 *
 * Layers are located with the parser; every checksum is recomputed by
 * plain 16-bit summation and a bitwise CRC32c (corpus_test_util.h, shared
 * with check_corpus_gen.c, which tests the bundled corpus).
 *
 * Cases:
 *  randcase: (seed, index) fixes the case whatever else was generated;
 *            seeds differ; a small cap only shortens frames; over 10,000
 *            draws every frame kind and request category appears, CORRECT
 *            is about 60% (64% drawn less 7% SCTP) and each of its cases
 *            is exactly what the stack derives (csum_start at the parsed innermost L4, offsets
 *            16/6/2, the seed fold16(pseudo), a not-really-GSO gso_size),
 *            NO_CSUM frames carry valid checksums, and the perturbations
 *            reach every validation step (csum_start < 20, odd and
 *            past-the-frame offsets, hdr_len past the frame, invalid gso
 *            types, gso_size 0 and 0xffff, frames shorter than 14/20/34);
 *            SRH segments-left 0 with DA != Segment List[0] and routing
 *            types 0/2 are drawn, and CORRECT seeds the former over the
 *            Destination Address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_randcase.h"
#include "ofd_test.h"
#include "corpus_test_util.h"

/* ---- randcase ---------------------------------------------------- */

#define RC_CAP 9216

struct rc {
	uint8_t buf[RC_CAP];
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct ofd_randcase_info info;
};

static void rc_make(struct rc *r, uint64_t seed, uint64_t idx, uint32_t cap)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(ofd_randcase_make_ex(seed, idx, OFD_OFFLOAD_TX_CSUM, r->buf,
					      cap, &r->pkt, &r->c, &r->info), 0);
}

static bool rc_equal(const struct rc *a, const struct rc *b)
{
	return a->pkt.len == b->pkt.len &&
	       !memcmp(a->buf, b->buf, a->pkt.len) &&
	       !memcmp(&a->c.req, &b->c.req, sizeof(a->c.req)) &&
	       a->info.req == b->info.req && a->info.frame == b->info.frame;
}

START_TEST(test_rc_deterministic)
{
	static struct rc a, b, c;
	uint64_t i;
	unsigned int differ = 0;

	for (i = 0; i < 200; i++) {
		rc_make(&a, 42, i, RC_CAP);
		/* something else in between */
		rc_make(&c, 7, 1000 + i, RC_CAP);
		rc_make(&b, 42, i, RC_CAP);
		ck_assert_msg(rc_equal(&a, &b), "index %llu", (unsigned long long)i);
		ck_assert_ptr_eq(a.c.pkts, &a.pkt);
		ck_assert_ptr_eq(a.pkt.data, a.buf);
		ck_assert_uint_eq(a.c.npkts, 1);
		ck_assert_uint_eq(a.c.id, i);
		ck_assert_uint_eq(a.c.src_index, i);
		ck_assert_ptr_null(a.c.src_file);
		ck_assert_uint_eq(a.c.offload, OFD_OFFLOAD_TX_CSUM);
		ck_assert_uint_eq(a.c.req.kind, OFD_REQ_VNET);
		ck_assert_uint_eq(a.c.req.csum_type, OFD_CSUM_INET);
		rc_make(&c, 43, i, RC_CAP);
		differ += !rc_equal(&a, &c);
	}
	ck_assert_uint_ge(differ, 190);

	/* A small cap shortens frames but draws the same case. */
	for (i = 0; i < 500; i++) {
		rc_make(&a, 9, i, RC_CAP);
		rc_make(&b, 9, i, 256);
		ck_assert_uint_le(b.pkt.len, 256);
		ck_assert_uint_eq(a.info.req, b.info.req);
		ck_assert_uint_eq(a.info.frame, b.info.frame);
		ck_assert_uint_eq(a.info.l4_proto, b.info.l4_proto);
	}
	ck_assert_int_eq(ofd_randcase_make(1, 1, OFD_OFFLOAD_TSO, a.buf, RC_CAP,
					   &a.pkt, &a.c), -EOPNOTSUPP);
	ck_assert_int_eq(ofd_randcase_make(1, 1, OFD_OFFLOAD_TX_CSUM, a.buf, 63,
					   &a.pkt, &a.c), -EINVAL);
	ck_assert_str_eq(ofd_randcase_req_name(OFD_RC_REQ_BAD_START), "bad-start");
	ck_assert_str_eq(ofd_randcase_frame_name(OFD_RC_FRAME_SHORT), "short");
}
END_TEST

/* A CORRECT case is what the stack derives (kernel-tx.md 1, 3.3). */
static void check_correct(const struct rc *r)
{
	const struct ofd_vnet_hdr *v = &r->c.req.vnet;
	const uint8_t *d = r->buf;
	uint32_t len = r->pkt.len, after;
	struct ofd_parsed p;
	const struct ofd_layer *l4;
	const uint8_t *dst6;
	uint16_t seed, done;
	uint32_t acc;
	int ip, fo;
	uint8_t t;

	ofd_parse(d, len, 0, &p);
	ck_assert_int_ge(p.l4, 0);
	l4 = &p.layer[p.l4];
	fo = csum_off(l4->proto);
	ck_assert_int_gt(fo, 0);
	ck_assert_uint_eq(v->flags, OFD_VNET_F_NEEDS_CSUM);
	ck_assert_uint_eq(v->csum_start, l4->off);
	ck_assert_uint_eq(v->csum_offset, (uint32_t)fo);
	ck_assert(v->hdr_len == 0 || v->hdr_len == l4->off + l4->len);
	after = len - v->csum_start;
	t = v->gso_type;
	if (t) {
		bool v6 = p.layer[p.l3].proto == OFD_P_IPV6;

		ck_assert(l4->proto == OFD_P_TCP ? t == (v6 ? 4 : 1) :
			  l4->proto == OFD_P_UDP ? t == 3 || t == 5 : false);
		ck_assert_uint_ge(v->gso_size, after);
		ck_assert_uint_lt(v->gso_size, 0xffff);
	}

	/* The field holds fold16(pseudo), 0 for ICMPv4. */
	ip = ip_of(&p, p.l4, d, &dst6);
	ck_assert_int_ge(ip, 0);
	seed = l4->proto == OFD_P_ICMP ? 0 :
	       ofd_test_fold(pseudo(d + p.layer[ip].off, dst6, after,
				 pseudo_proto(l4->proto)));
	ck_assert_uint_eq(rd16(d + l4->off + fo), seed);

	/* Completing it as skb_checksum_help does gives a valid packet. */
	acc = ofd_test_sum(d + l4->off, after, 0);
	done = (uint16_t)~ofd_test_fold(acc);
	if (!done)
		done = 0xffff;
	ck_assert_uint_eq(l4_fold(d, len, &p, p.l4, fo, done), 0xffff);
	if (r->info.zero_sum)
		ck_assert_uint_eq(done, 0xffff);
}

/* NO_CSUM frames carry their finished checksum. */
static void check_no_csum(const struct rc *r)
{
	const uint8_t *d = r->buf;
	struct ofd_parsed p;
	const struct ofd_layer *l4;
	int fo;

	ck_assert(!(r->c.req.vnet.flags & OFD_VNET_F_NEEDS_CSUM));
	ck_assert_uint_eq(r->c.req.vnet.gso_type, 0);
	ofd_parse(d, r->pkt.len, 0, &p);
	ck_assert_int_ge(p.l4, 0);
	l4 = &p.layer[p.l4];
	if (l4->proto == OFD_P_SCTP) {
		const uint8_t *s = d + l4->off;

		ck_assert_uint_eq(s[8] | s[9] << 8 | s[10] << 16 | (uint32_t)s[11] << 24,
				  crc32c_bitwise(s, r->pkt.len - l4->off, 8));
		return;
	}
	fo = csum_off(l4->proto);
	ck_assert_uint_eq(l4_fold(d, r->pkt.len, &p, p.l4, fo, rd16(d + l4->off + fo)),
			  0xffff);
}

enum {
	F_START_LT20, F_START_PAST, F_OFF_ODD, F_FIELD_PAST, F_HDRLEN_PAST,
	F_GSO_INVALID, F_GSO_NOT_REALLY, F_GSO_REAL, F_GSO_SIZE0, F_GSO_BYFRAGS,
	F_FLAGS0, F_FLAGS2, F_FLAGS3, F_LEN_LT14, F_LEN_LT20, F_LEN_LT34,
	F_ZERO_SUM, F_JUMBO, F_TCP, F_UDP, F_SCTP, F_ICMP, F_ICMPV6, F_VXLAN,
	F_GENEVE, F_GRE, F_IPIP, F_SRH, F__N
};
static const char *const feat_names[F__N] = {
	"csum_start < 20", "csum_start past the frame", "odd csum_offset",
	"field past the frame", "hdr_len past the frame", "invalid gso_type",
	"valid gso, not really GSO", "valid gso, really GSO", "gso_size 0",
	"gso_size 0xffff", "flags 0", "flags 2", "flags 3", "len < 14",
	"14 <= len < 20", "20 <= len < 34", "zero-sum payload", "len > 1514",
	"tcp", "udp", "sctp", "icmp", "icmpv6", "vxlan", "geneve", "gre",
	"ipip", "srh",
};

static bool valid_gso(uint8_t t)
{
	uint8_t lo = t & 0x7f;

	return t == 0 || lo == 1 || lo == 3 || lo == 4 || lo == 5;
}

START_TEST(test_rc_distribution)
{
	static struct rc r;
	unsigned int req[OFD_RC_REQ__N] = { 0 }, frame[OFD_RC_FRAME__N] = { 0 };
	unsigned int feat[F__N] = { 0 }, i, n = 10000;

	for (i = 0; i < n; i++) {
		const struct ofd_vnet_hdr *v = &r.c.req.vnet;
		uint32_t len;

		rc_make(&r, 0x0ffd1ff, i, RC_CAP);
		len = r.pkt.len;
		ck_assert_uint_le(len, OFD_RANDCASE_MAX_FRAME);
		ck_assert_uint_lt(r.info.req, OFD_RC_REQ__N);
		ck_assert_uint_lt(r.info.frame, OFD_RC_FRAME__N);
		req[r.info.req]++;
		frame[r.info.frame]++;
		if (r.info.frame == OFD_RC_FRAME_WELLFORMED) {
			ck_assert_uint_eq(len, r.info.full_len);
			if (r.info.req == OFD_RC_REQ_CORRECT)
				check_correct(&r);
			if (r.info.req == OFD_RC_REQ_NO_CSUM)
				check_no_csum(&r);
		} else {
			ck_assert_uint_le(len, r.info.full_len > 128 ?
					       r.info.full_len : 128);
		}
		feat[F_START_LT20] += (v->flags & 1) && v->csum_start < 20;
		feat[F_START_PAST] += (v->flags & 1) && v->csum_start >= len;
		feat[F_OFF_ODD] += (v->flags & 1) && (v->csum_offset & 1);
		feat[F_FIELD_PAST] += (v->flags & 1) && v->csum_start < len &&
				      v->csum_start + v->csum_offset + 2u > len;
		feat[F_HDRLEN_PAST] += v->hdr_len > len;
		feat[F_GSO_INVALID] += !valid_gso(v->gso_type);
		if (v->gso_type && valid_gso(v->gso_type)) {
			feat[F_GSO_NOT_REALLY] += v->gso_size != 0xffff &&
						  v->gso_size >= len - v->csum_start;
			feat[F_GSO_REAL] += v->gso_size && v->csum_start < len &&
					    v->gso_size < len - v->csum_start - 8;
			feat[F_GSO_SIZE0] += v->gso_size == 0;
			feat[F_GSO_BYFRAGS] += v->gso_size == 0xffff;
		}
		feat[F_FLAGS0] += v->flags == 0;
		feat[F_FLAGS2] += v->flags == 2;
		feat[F_FLAGS3] += v->flags == 3;
		feat[F_LEN_LT14] += len < 14;
		feat[F_LEN_LT20] += len >= 14 && len < 20;
		feat[F_LEN_LT34] += len >= 20 && len < 34;
		feat[F_ZERO_SUM] += r.info.zero_sum;
		feat[F_JUMBO] += len > 1514;
		feat[F_TCP] += r.info.l4_proto == OFD_P_TCP;
		feat[F_UDP] += r.info.l4_proto == OFD_P_UDP;
		feat[F_SCTP] += r.info.l4_proto == OFD_P_SCTP;
		feat[F_ICMP] += r.info.l4_proto == OFD_P_ICMP;
		feat[F_ICMPV6] += r.info.l4_proto == OFD_P_ICMPV6;
		feat[F_VXLAN] += r.info.tunnel == OFD_P_VXLAN;
		feat[F_GENEVE] += r.info.tunnel == OFD_P_GENEVE;
		feat[F_GRE] += r.info.tunnel == OFD_P_GRE;
		feat[F_IPIP] += r.info.tunnel == OFD_P_IPV4 ||
				r.info.tunnel == OFD_P_IPV6;
		if (r.info.frame == OFD_RC_FRAME_WELLFORMED) {
			struct ofd_parsed p;
			uint32_t k;

			ofd_parse(r.buf, len, 0, &p);
			for (k = 0; k < p.nlayers; k++)
				feat[F_SRH] += p.layer[k].proto == OFD_P_SRH;
		}
	}
	for (i = 0; i < OFD_RC_REQ__N; i++)
		ck_assert_msg(req[i] > 0, "no %s request",
			      ofd_randcase_req_name((enum ofd_randcase_req)i));
	for (i = 0; i < OFD_RC_FRAME__N; i++)
		ck_assert_msg(frame[i] > 0, "no %s frame",
			      ofd_randcase_frame_name((enum ofd_randcase_frame)i));
	for (i = 0; i < F__N; i++)
		ck_assert_msg(feat[i] > 0, "never drew %s", feat_names[i]);
	/* ~60% CORRECT (64% drawn, less the 7% SCTP frames: 59.5%). */
	ck_assert_msg(req[OFD_RC_REQ_CORRECT] > n * 57 / 100 &&
		      req[OFD_RC_REQ_CORRECT] < n * 62 / 100,
		      "CORRECT %u of %u", req[OFD_RC_REQ_CORRECT], n);
	ck_assert_msg(frame[OFD_RC_FRAME_WELLFORMED] > n * 82 / 100 &&
		      frame[OFD_RC_FRAME_WELLFORMED] < n * 88 / 100,
		      "wellformed %u of %u", frame[OFD_RC_FRAME_WELLFORMED], n);
}
END_TEST

/* ---- random routing shapes --------------------------------------- */

/* Random cases draw the disputed shapes too, and a CORRECT request seeds
 * an SRH with segments left 0 over the Destination Address (the live
 * kernel's reading), computed here with the naive RFC 1071 sum. */
START_TEST(test_rc_routing_shapes)
{
	static struct rc r;
	unsigned int seen[RS__N] = { 0 }, checked = 0;
	uint64_t i;

	for (i = 0; i < 20000; i++) {
		struct ofd_parsed p;
		int hit, fo;

		rc_make(&r, 1, i, RC_CAP);
		if (r.info.frame != OFD_RC_FRAME_WELLFORMED)
			continue;
		ofd_parse(r.buf, r.pkt.len, 0, &p);
		hit = rs_shapes(r.buf, &p, seen);
		if (hit < 0 || r.info.req != OFD_RC_REQ_CORRECT || p.l4 < 0 ||
		    (fo = csum_off(p.layer[p.l4].proto)) < 0 ||
		    p.layer[p.l4].proto == OFD_P_ICMP)
			continue;
		{
			const struct ofd_layer *l4 = &p.layer[p.l4];
			int ip = p.l4 - 1;
			uint32_t l4len = l4->proto == OFD_P_UDP ?
				rd16(r.buf + l4->off + 4) : r.pkt.len - l4->off;

			while (p.layer[ip].proto != OFD_P_IPV6)
				ip--;
			ck_assert_uint_eq(rd16(r.buf + l4->off + (uint32_t)fo),
					  ofd_test_fold(pseudo(r.buf + p.layer[ip].off, NULL,
							       l4len, pseudo_proto(l4->proto))));
			checked++;
		}
	}
	ck_assert_uint_gt(checked, 10);
	ck_assert_uint_gt(seen[RS_SRH_SL0_DA_OTHER], 20);
	ck_assert_uint_gt(seen[RS_T0_SL0], 0);
	ck_assert_uint_gt(seen[RS_T0_SL], 0);
	ck_assert_uint_gt(seen[RS_T2], 0);
}
END_TEST

static Suite *randcase_suite(void)
{
	Suite *s = suite_create("randcase");
	TCase *rc = tcase_create("randcase");

	tcase_set_timeout(rc, 120);
	tcase_add_test(rc, test_rc_deterministic);
	tcase_add_test(rc, test_rc_distribution);
	tcase_add_test(rc, test_rc_routing_shapes);
	suite_add_tcase(s, rc);
	return s;
}

OFD_TEST_SUITE(randcase_suite)
