// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_correlate.c - the wire correlator (targets/wire/correlate.c): which
 * awaited case a frame read off a wire belongs to.
 *
 * The frames a device should emit are built here from the rules, never
 * taken from the correlator or the model: a CHECKSUM_PARTIAL request asks
 * the device to store ~fold(sum of [csum_start, end)) at csum_start +
 * csum_offset (RFC 1071 over the bytes as the stack left them, the
 * pseudo-header seed included), computed with the tests' own naive sum
 * (ofd_test_sum, independent of csum.c).
 *
 * Cases:
 *  exact         the device's frame, byte for byte, goes to its case
 *  bad_csum      a wrong checksum, a wrong length field, a wrong IP ID
 *                still leave a frame with its case; a frame whose
 *                addresses differ is foreign
 *  foreign       ARP and an IPv6 neighbour solicitation match nothing
 *  same_input    two requests on one frame (different csum_start): each
 *                device frame goes to its own request, in either order
 *  ties          identical cases: the earliest still awaiting wins, then
 *                the earliest of the complete ones
 *  rejected      a request the kernel rejects expects its input frame
 *  longer_hdr    a header 4 bytes longer: tail-aligned, still the case;
 *                a trailer that changes both keys: only the window scan
 *                finds it (index_only peek does not)
 *  skip          a skipped case matches nothing and counts as done
 */
#include <string.h>

#include "ofd.h"
#include "ofd_test.h"
#include "ofd_pktbuild.h"
#include "ofd_correlate.h"

static struct ofd_correlator *corr;

static void setup(void)
{
	char err[256] = "";

	ck_assert_msg(!ofd_corr_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM), &corr, err, sizeof(err)),
		      "%s", err);
}

static void teardown(void)
{
	ofd_corr_free(corr);
	corr = NULL;
}

struct tf {
	uint8_t b[256];
	uint32_t len, l4;
	struct ofd_pkt pkt;
};

/* eth/ipv4/udp with a payload of n bytes starting at `first`, the UDP
 * field holding the stack's seed (CHECKSUM_PARTIAL input). */
static void build_udp(struct tf *f, uint32_t n, uint16_t sport)
{
	struct ofd_pktb b;
	int l4;

	ofd_pktb_init(&b, f->b, sizeof(f->b));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	l4 = ofd_pktb_udp(&b, sport, 53);
	ofd_pktb_payload(&b, n);
	b.layer[l4].csum = OFD_PKTB_CSUM_SEED;
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	f->len = b.len;
	f->l4 = b.layer[l4].off;
	f->pkt = (struct ofd_pkt){ .data = f->b, .len = f->len };
}

static void vnet_case(struct ofd_case *c, const struct tf *f, uint16_t start,
		      uint16_t off)
{
	memset(c, 0, sizeof(*c));
	c->offload = OFD_OFFLOAD_TX_CSUM;
	c->npkts = 1;
	c->pkts = &f->pkt;
	c->req.kind = OFD_REQ_VNET;
	c->req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	c->req.vnet.csum_start = start;
	c->req.vnet.csum_offset = off;
}

/* What a conformant device emits: in[start, len) summed, complemented,
 * stored at start + off (a 0 result goes out as 0xffff). */
static void device_out(const struct tf *in, uint16_t start, uint16_t off, uint8_t *out)
{
	uint16_t v;

	memcpy(out, in->b, in->len);
	v = (uint16_t)~ofd_test_fold(ofd_test_sum(in->b + start, in->len - start, 0));
	if (!v)
		v = 0xffff;
	ofd_put_be16(out + start + off, v);
}

START_TEST(exact)
{
	struct tf f;
	struct ofd_case c;
	uint8_t out[256];

	build_udp(&f, 32, 1000);
	vnet_case(&c, &f, (uint16_t)f.l4, 6);
	device_out(&f, (uint16_t)f.l4, 6, out);
	ck_assert_int_eq(ofd_corr_expect(corr, &c, 1), 0);
	ck_assert_uint_eq(ofd_corr_expected(corr, 0), 1);
	ck_assert(!ofd_corr_all_done(corr));
	/* The model's frame is the device's frame. */
	{
		uint32_t len;
		const uint8_t *e = ofd_corr_expected_frame(corr, 0, 0, &len);

		ck_assert_uint_eq(len, f.len);
		ck_assert_mem_eq(e, out, len);
	}
	ck_assert_int_eq(ofd_corr_match(corr, out, f.len), 0);
	ck_assert_uint_eq(ofd_corr_matched(corr, 0), 1);
	ck_assert(ofd_corr_all_done(corr));
}
END_TEST

START_TEST(bad_csum)
{
	struct tf f;
	struct ofd_case c;
	uint8_t out[256], bad[256];

	build_udp(&f, 32, 1000);
	vnet_case(&c, &f, (uint16_t)f.l4, 6);
	device_out(&f, (uint16_t)f.l4, 6, out);
	ck_assert_int_eq(ofd_corr_expect(corr, &c, 1), 0);

	memcpy(bad, out, f.len);
	bad[f.l4 + 6] ^= 0x5a;                  /* UDP checksum */
	ck_assert_int_eq(ofd_corr_match(corr, bad, f.len), 0);
	memcpy(bad, out, f.len);
	bad[f.l4 + 5] ^= 0x01;                  /* UDP length */
	bad[14 + 3] ^= 0x02;                    /* IPv4 total length */
	ck_assert_int_eq(ofd_corr_match(corr, bad, f.len), 0);
	memcpy(bad, out, f.len);
	bad[14 + 4] ^= 0xff;                    /* IPv4 ID */
	bad[14 + 6] ^= 0x40;                    /* DF */
	bad[14 + 10] ^= 0xff;                   /* header checksum */
	ck_assert_int_eq(ofd_corr_match(corr, bad, f.len), 0);
	/* Padded by the wire to a longer frame with zeros. */
	memcpy(bad, out, f.len);
	memset(bad + f.len, 0, 20);
	ck_assert_int_eq(ofd_corr_match(corr, bad, f.len + 20), 0);
	ck_assert_uint_eq(ofd_corr_matched(corr, 0), 4);
	/* Devices never rewrite Ethernet addresses. */
	memcpy(bad, out, f.len);
	bad[11] ^= 0x01;
	ck_assert_int_eq(ofd_corr_match(corr, bad, f.len), -1);
}
END_TEST

START_TEST(foreign)
{
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
	};
	/* ICMPv6 neighbour solicitation for 2001:db8::2 (RFC 4861 4.3), to
	 * its solicited-node group 33:33:ff:00:00:02. */
	static const uint8_t ns[86] = {
		0x33, 0x33, 0xff, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd,
		0x60, 0, 0, 0, 0, 32, 58, 255,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2,
		135, 0, 0x12, 0x34, 0, 0, 0, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		1, 1, 2, 0, 0, 0, 0, 1,
	};
	struct tf f;
	struct ofd_case c;

	build_udp(&f, 32, 1000);
	vnet_case(&c, &f, (uint16_t)f.l4, 6);
	ck_assert_int_eq(ofd_corr_expect(corr, &c, 1), 0);
	ck_assert_int_eq(ofd_corr_match(corr, arp, sizeof(arp)), -1);
	ck_assert_int_eq(ofd_corr_match(corr, ns, sizeof(ns)), -1);
	ck_assert_int_eq(ofd_corr_match(corr, arp, 5), -1);
	ck_assert_int_eq(ofd_corr_match(corr, arp, 0), -1);
	ck_assert_uint_eq(ofd_corr_matched(corr, 0), 0);
}
END_TEST

START_TEST(same_input)
{
	struct tf f;
	struct ofd_case c[2];
	uint8_t a[256], b[256];
	int order;

	/* A: the UDP checksum. B: a sum from the payload's start stored at
	 * its first bytes (a generic request may point anywhere). */
	build_udp(&f, 32, 1000);
	vnet_case(&c[0], &f, (uint16_t)f.l4, 6);
	vnet_case(&c[1], &f, (uint16_t)(f.l4 + 8), 0);
	device_out(&f, (uint16_t)f.l4, 6, a);
	device_out(&f, (uint16_t)(f.l4 + 8), 0, b);
	ck_assert_mem_ne(a, b, f.len);
	for (order = 0; order < 2; order++) {
		ck_assert_int_eq(ofd_corr_expect(corr, c, 2), 0);
		if (order) {
			ck_assert_int_eq(ofd_corr_match(corr, b, f.len), 1);
			ck_assert_int_eq(ofd_corr_match(corr, a, f.len), 0);
		} else {
			ck_assert_int_eq(ofd_corr_match(corr, a, f.len), 0);
			ck_assert_int_eq(ofd_corr_match(corr, b, f.len), 1);
		}
		ck_assert(ofd_corr_all_done(corr));
	}
}
END_TEST

START_TEST(ties)
{
	struct tf f;
	struct ofd_case c[2];
	uint8_t a[256];

	build_udp(&f, 20, 1000);
	vnet_case(&c[0], &f, (uint16_t)f.l4, 6);
	c[1] = c[0];
	device_out(&f, (uint16_t)f.l4, 6, a);
	ck_assert_int_eq(ofd_corr_expect(corr, c, 2), 0);
	ck_assert_int_eq(ofd_corr_match(corr, a, f.len), 0);
	ck_assert_int_eq(ofd_corr_match(corr, a, f.len), 1);
	/* Both complete: a third copy is an extra frame of the first. */
	ck_assert_int_eq(ofd_corr_match(corr, a, f.len), 0);
	ck_assert_uint_eq(ofd_corr_matched(corr, 0), 2);
}
END_TEST

START_TEST(rejected)
{
	struct tf f, g;
	struct ofd_case c[2];
	uint8_t a[256];

	/* csum_offset beyond the frame: virtio_net_hdr validation refuses
	 * it, so its expectation is the input. */
	build_udp(&f, 16, 1000);
	build_udp(&g, 40, 2000);
	vnet_case(&c[0], &f, (uint16_t)f.l4, 200);
	vnet_case(&c[1], &g, (uint16_t)g.l4, 6);
	ck_assert_int_eq(ofd_corr_expect(corr, c, 2), 0);
	ck_assert_int_eq(ofd_corr_model(corr, 0)->status, OFD_RES_REJECTED);
	ck_assert_int_eq(ofd_corr_model(corr, 1)->status, OFD_RES_OK);
	ck_assert_uint_eq(ofd_corr_expected(corr, 0), 1);
	device_out(&g, (uint16_t)g.l4, 6, a);
	ck_assert_int_eq(ofd_corr_match(corr, a, g.len), 1);
	ck_assert_int_eq(ofd_corr_match(corr, f.b, f.len), 0);
}
END_TEST

START_TEST(longer_hdr)
{
	struct tf f;
	struct ofd_case c;
	uint8_t out[256], longer[300];
	uint32_t s;

	build_udp(&f, 64, 1000);
	vnet_case(&c, &f, (uint16_t)f.l4, 6);
	device_out(&f, (uint16_t)f.l4, 6, out);
	ck_assert_int_eq(ofd_corr_expect(corr, &c, 1), 0);
	/* Four bytes of IPv4 options inserted: the tail still lines up. */
	memcpy(longer, out, 34);
	memset(longer + 34, 1, 4);
	memcpy(longer + 38, out + 34, f.len - 34);
	longer[14] = 0x46;
	ck_assert_int_eq(ofd_corr_peek(corr, longer, f.len + 4, true, &s), 0);
	ck_assert_uint_ge(s, f.len - 34);
	/* Two trailer bytes after the frame as it was: neither the tail
	 * nor the payload count (the flow key) is the expected frame's. */
	memcpy(longer, out, f.len);
	longer[f.len] = 0x55;
	longer[f.len + 1] = 0x55;
	ck_assert_int_eq(ofd_corr_peek(corr, longer, f.len + 2, true, &s), -1);
	ck_assert_int_eq(ofd_corr_match(corr, longer, f.len + 2), 0);
}
END_TEST

START_TEST(skip)
{
	struct tf f;
	struct ofd_case c[2];
	uint8_t a[256];

	build_udp(&f, 20, 1000);
	vnet_case(&c[0], &f, (uint16_t)f.l4, 6);
	c[1] = c[0];
	device_out(&f, (uint16_t)f.l4, 6, a);
	ck_assert_int_eq(ofd_corr_expect(corr, c, 2), 0);
	ofd_corr_skip(corr, 0);
	ck_assert_int_eq(ofd_corr_match(corr, a, f.len), 1);
	ck_assert(ofd_corr_all_done(corr));
	/* A new window forgets the old one. */
	ck_assert_int_eq(ofd_corr_expect(corr, c, 1), 0);
	ck_assert(!ofd_corr_all_done(corr));
	ck_assert_int_eq(ofd_corr_match(corr, a, f.len), 0);
	ck_assert_int_eq(ofd_corr_expect(corr, c, 0), 0);
	ck_assert(ofd_corr_all_done(corr));
	ck_assert_int_eq(ofd_corr_match(corr, a, f.len), -1);
}
END_TEST

static Suite *correlate_suite(void)
{
	Suite *s = suite_create("correlate");
	TCase *tc = tcase_create("match");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exact);
	tcase_add_test(tc, bad_csum);
	tcase_add_test(tc, foreign);
	tcase_add_test(tc, same_input);
	tcase_add_test(tc, ties);
	tcase_add_test(tc, rejected);
	tcase_add_test(tc, longer_hdr);
	tcase_add_test(tc, skip);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(correlate_suite)
