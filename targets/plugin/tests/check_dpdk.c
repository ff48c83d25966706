// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_dpdk.c - the DPDK plugin (targets/plugin/dpdk/, build/plugins/dpdk.so)
 * on frames whose right output the specification gives: RFC 1071 sums
 * computed here byte by byte (ofd_test_sum, independent of DPDK and of
 * csum.c) and the kernel's segmentation rules (kernel-tx.md 5.2, 5.3).
 *
 * Cases:
 *  csum_tcp4        a TCPv4 frame, both request kinds: the checksum RFC 1071
 *                   gives, every other byte untouched
 *  csum_zero        a TCP and a UDP frame whose checksum is 0x0000: vhost's
 *                   fallback (GENERIC) writes 0xffff as the kernel does;
 *                   rte_ipv4_udptcp_cksum_mbuf (PROTOCOL) maps 0 to 0xffff
 *                   for UDP only (docs/dpdk-findings.md, zero-not-mapped)
 *  tso_tcp4         4000 bytes at gso_size 1448 from a 2 KB-mbuf chain,
 *                   both kinds: three segments with the kernel's sequence
 *                   numbers, IPv4 IDs (+1, wrapping), lengths, FIN/PSH on
 *                   the last only, valid IPv4 and TCP checksums
 *  tso_odd_chain    the DPDK bug the campaign found: a segment whose payload
 *                   crosses an input mbuf at an odd offset gets a wrong TCP
 *                   checksum (rte_raw_cksum_mbuf drops the carries of a
 *                   piece summed at an odd offset), the others are right;
 *                   with rx_buf=8192 (no chain) every one is right
 *  unsupported      TCP/IPv6 segmentation and SCTP CRC32c: UNSUPPORTED with
 *                   the library's limit named
 *  campaign         `offdiff run specs/dpdk.yaml`, then dpdk-gro.yaml: exit 1,
 *                   no target-fault, no class docs/dpdk-findings.md lacks
 * The rte_gro trains are check_dpdk_gro.c's (suite dpdk_gro).
 *
 * dpdk.so is built when libdpdk-dev is installed (always in CI); without it
 * the cases print why and pass (Check has no skip), except under CI=true,
 * where its absence fails (dpdk_test_util.h). The in-process cases are
 * left out of sanitized builds: DPDK's EAL is not built for ASan's
 * address space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "dpdk_test_util.h"

/* One case; returns the result (frames in pl->buf). */
static struct ofd_plugin_result plug_run(struct plug *pl, uint32_t offload, const uint8_t *f,
					 uint32_t len, const struct ofd_plugin_request *req)
{
	struct ofd_plugin_pkt pk = { f, len, 0 };
	struct ofd_plugin_case c = { .size = sizeof(c), .offload = offload, .npkts = 1,
				     .pkts = &pk, .req = *req };
	struct ofd_plugin_result r = { .size = sizeof(r), .buf = pl->buf, .buf_cap = 1u << 20,
				       .max_frames = 4096, .frames = pl->frames };
	int ret = pl->p->run(pl->priv, &c, &r);

	ck_assert_int_eq(ret, 0);
	return r;
}

static struct ofd_plugin_request csum_req(int kind, uint8_t proto, uint16_t off)
{
	struct ofd_plugin_request q = { .kind = (uint8_t)kind };

	q.proto = OFD_PLUGIN_PROTO_IPV4 | proto;
	q.vnet.flags = OFD_PLUGIN_VNET_F_NEEDS_CSUM;
	q.vnet.csum_start = L4OFF;
	q.vnet.csum_offset = off;
	return q;
}

/* The output is the input with the 2 bytes at field replaced by want. */
static void expect_patched(struct plug *pl, const struct ofd_plugin_result *r, const uint8_t *in,
			   uint32_t len, uint32_t field, uint16_t want)
{
	const uint8_t *out = pl->buf + pl->frames[0].off;

	ck_assert_int_eq(r->status, OFD_PLUGIN_OK);
	ck_assert_uint_eq(r->nframes, 1);
	ck_assert_uint_eq(pl->frames[0].len, len);
	ck_assert_msg(get16(out + field) == want, "checksum %#06x, want %#06x", get16(out + field),
		      want);
	ck_assert_int_eq(memcmp(out, in, field), 0);
	ck_assert_int_eq(memcmp(out + field + 2, in + field + 2, len - field - 2), 0);
}

START_TEST(csum_tcp4)
{
	static uint8_t f[2048];
	struct ofd_plugin_request q;
	struct ofd_plugin_result r;
	struct plug pl;
	uint32_t len;
	uint16_t want;
	int kind;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	len = tcp4_frame(f, 333, 0x1234, 0x18, -1);
	want = l4_csum4(f, len, 6, 16);
	for (kind = OFD_PLUGIN_REQ_GENERIC; kind <= OFD_PLUGIN_REQ_PROTOCOL; kind++) {
		q = csum_req(kind, OFD_PLUGIN_PROTO_TCP, 16);
		r = plug_run(&pl, OFD_PLUGIN_TX_CSUM, f, len, &q);
		expect_patched(&pl, &r, f, len, L4OFF + 16, want);
	}
	plug_close(&pl);
}
END_TEST

START_TEST(csum_zero)
{
	static uint8_t f[2048];
	struct ofd_plugin_request q;
	struct ofd_plugin_result r;
	struct plug pl;
	uint32_t len, end;
	uint16_t c;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	/* TCP: the last two payload bytes set to the checksum the frame has
	 * with them 0 make the sum 0xffff, the checksum 0x0000. */
	len = tcp4_frame(f, 32, 1, 0x18, -1);
	end = len - 2;
	put16(f + end, 0);
	c = l4_csum4(f, len, 6, 16);
	put16(f + end, c);
	ck_assert_uint_eq(l4_csum4(f, len, 6, 16), 0);
	q = csum_req(OFD_PLUGIN_REQ_GENERIC, OFD_PLUGIN_PROTO_TCP, 16);
	r = plug_run(&pl, OFD_PLUGIN_TX_CSUM, f, len, &q);
	expect_patched(&pl, &r, f, len, L4OFF + 16, 0xffff); /* vhost, as the kernel */
	q = csum_req(OFD_PLUGIN_REQ_PROTOCOL, OFD_PLUGIN_PROTO_TCP, 16);
	r = plug_run(&pl, OFD_PLUGIN_TX_CSUM, f, len, &q);
	expect_patched(&pl, &r, f, len, L4OFF + 16, 0x0000); /* rte_ip.h: UDP only */

	/* The same bytes as UDP (length 40, the field at +6 seeded). */
	f[ETH + 9] = 17;
	put16(f + ETH + 10, 0);
	put16(f + ETH + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(f + ETH, IP4, 0)));
	put16(f + L4OFF + 4, (uint16_t)(len - L4OFF));
	put16(f + end, 0);
	put16(f + L4OFF + 6, 0);
	c = l4_csum4(f, len, 17, 6);
	put16(f + end, c);
	ck_assert_uint_eq(l4_csum4(f, len, 17, 6), 0);
	put16(f + L4OFF + 6, ofd_test_fold(pseudo4(f + ETH, 17, len - L4OFF)));
	q = csum_req(OFD_PLUGIN_REQ_GENERIC, OFD_PLUGIN_PROTO_UDP, 6);
	r = plug_run(&pl, OFD_PLUGIN_TX_CSUM, f, len, &q);
	expect_patched(&pl, &r, f, len, L4OFF + 6, 0xffff);
	q = csum_req(OFD_PLUGIN_REQ_PROTOCOL, OFD_PLUGIN_PROTO_UDP, 6);
	r = plug_run(&pl, OFD_PLUGIN_TX_CSUM, f, len, &q);
	expect_patched(&pl, &r, f, len, L4OFF + 6, 0xffff);
	plug_close(&pl);
}
END_TEST

static struct ofd_plugin_request tso_req(int kind, uint16_t gso)
{
	struct ofd_plugin_request q = csum_req(kind, OFD_PLUGIN_PROTO_TCP, 16);

	q.vnet.gso_type = OFD_PLUGIN_VNET_GSO_TCPV4;
	q.vnet.gso_size = gso;
	q.vnet.hdr_len = L4OFF + TCPH;
	if (kind == OFD_PLUGIN_REQ_PROTOCOL)
		q.skb_gso = OFD_PLUGIN_SKB_GSO_TCPV4;
	return q;
}

/* Segment i of a TCPv4 super-packet (payload bytes, gso) against the
 * kernel's rules; returns whether its TCP checksum is valid. */
static bool check_segment(const struct plug *pl, uint32_t i, uint32_t n, const uint8_t *in,
			  uint32_t payload, uint16_t gso)
{
	const uint8_t *s = pl->buf + pl->frames[i].off, *ip = s + ETH, *t = ip + IP4;
	uint32_t seg_pl = i + 1 < n ? gso : payload - (n - 1) * gso;
	uint32_t len = pl->frames[i].len;

	ck_assert_uint_eq(len, L4OFF + TCPH + seg_pl);
	ck_assert_int_eq(memcmp(s, in, ETH), 0);
	ck_assert_uint_eq(get16(ip + 2), IP4 + TCPH + seg_pl);
	ck_assert_uint_eq(get16(ip + 4), (uint16_t)(get16(in + ETH + 4) + i));
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(ip, IP4, 0)), 0xffff);
	ck_assert_uint_eq(get32(t + 4), get32(in + L4OFF + 4) + i * gso);
	ck_assert_uint_eq(t[13], i + 1 < n ? (in[L4OFF + 13] & ~0x09) : in[L4OFF + 13]);
	ck_assert_int_eq(memcmp(t + TCPH, in + L4OFF + TCPH + i * gso, seg_pl), 0);
	return ofd_test_fold(pseudo4(ip, 6, len - L4OFF) + ofd_test_sum(t, len - L4OFF, 0)) ==
	       0xffff;
}

START_TEST(tso_tcp4)
{
	static uint8_t f[8192];
	struct ofd_plugin_request q;
	struct ofd_plugin_result r;
	struct plug pl;
	uint32_t len, i;
	int kind;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	/* PSH|FIN|ACK, ID 0xfffe: IDs fffe, ffff, 0000. */
	len = tcp4_frame(f, 4000, 0xfffe, 0x19, -1);
	for (kind = OFD_PLUGIN_REQ_GENERIC; kind <= OFD_PLUGIN_REQ_PROTOCOL; kind++) {
		q = tso_req(kind, 1448);
		r = plug_run(&pl, OFD_PLUGIN_TSO, f, len, &q);
		ck_assert_msg(r.status == OFD_PLUGIN_OK, "status %u: %s", r.status, r.detail);
		ck_assert_uint_eq(r.nframes, 3);
		for (i = 0; i < 3; i++)
			ck_assert_msg(check_segment(&pl, i, 3, f, 4000, 1448),
				      "kind %d segment %u: bad TCP checksum", kind, i);
	}
	plug_close(&pl);
}
END_TEST

/* 4000 payload bytes of 0xff at gso_size 9 from 2 KB mbufs: the first
 * holds 2048 - 54 = 1994 payload bytes, so segment 221 takes 5 from it
 * and 4 from the next. rte_raw_cksum_mbuf sums the 4 at an odd offset as
 * rte_bswap16((uint16_t)tmp): 0xffff + 0xffff loses its carry. */
static void odd_chain(const char *rx_buf, bool chained)
{
	static uint8_t f[8192];
	struct ofd_plugin_request q;
	struct ofd_plugin_result r;
	struct plug pl;
	uint32_t len, i, n, bad = 0;

	plug_open(&pl, rx_buf);
	len = tcp4_frame(f, 4000, 0x100, 0x10, 0xff);
	q = tso_req(OFD_PLUGIN_REQ_PROTOCOL, 9);
	r = plug_run(&pl, OFD_PLUGIN_TSO, f, len, &q);
	n = r.nframes;
	ck_assert_msg(r.status == OFD_PLUGIN_OK, "status %u: %s", r.status, r.detail);
	ck_assert_uint_eq(n, (4000 + 8) / 9);
	for (i = 0; i < n; i++) {
		bool ok = check_segment(&pl, i, n, f, 4000, 9);

		if (!ok)
			bad++;
		ck_assert_msg(ok == !(chained && i == 221), "segment %u: checksum %s", i,
			      ok ? "valid" : "invalid");
	}
	ck_assert_uint_eq(bad, chained ? 1 : 0);
	plug_close(&pl);
}

START_TEST(tso_odd_chain)
{
	if (in_process_unavailable())
		return;
	odd_chain(NULL, true);
}
END_TEST

START_TEST(tso_no_chain)
{
	if (in_process_unavailable())
		return;
	odd_chain("8192", false);
}
END_TEST

START_TEST(unsupported)
{
	static uint8_t f[8192];
	struct ofd_plugin_request q;
	struct ofd_plugin_result r;
	struct plug pl;
	uint32_t len;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	len = tcp4_frame(f, 4000, 1, 0x10, -1);
	q = tso_req(OFD_PLUGIN_REQ_PROTOCOL, 1448);
	q.skb_gso = OFD_PLUGIN_SKB_GSO_TCPV6;
	r = plug_run(&pl, OFD_PLUGIN_TSO, f, len, &q);
	ck_assert_uint_eq(r.status, OFD_PLUGIN_UNSUPPORTED);
	ck_assert_msg(strstr(r.detail, "rte_gso 22.11 segments IPv4 only"), "%s", r.detail);
	q = csum_req(OFD_PLUGIN_REQ_GENERIC, OFD_PLUGIN_PROTO_SCTP, 8);
	q.csum_type = OFD_PLUGIN_CSUM_CRC32C;
	r = plug_run(&pl, OFD_PLUGIN_TX_CSUM, f, 100, &q);
	ck_assert_uint_eq(r.status, OFD_PLUGIN_UNSUPPORTED);
	ck_assert_msg(strstr(r.detail, "SCTP CRC32c"), "%s", r.detail);
	plug_close(&pl);
}
END_TEST

/* The classes docs/dpdk-findings.md explains, NULL-terminated. */
static const char *const known_classes[] = {
	"zero-not-mapped", "checksum-unexplained", "wrong-length",
	"segmentation-unexplained", "target-accepts-rejected", "cwr-every-segment",
	"ipv4-id-outer-instead-of-inner", NULL,
};
/* Its GRO section's (coalescing-unexplained: VXLAN, reordering). */
static const char *const known_gro_classes[] = {
	"earlier-flush", "not-resegmentable", "coalescing-unexplained", "merged-ecn-ce",
	"merged-tos-differs", "merged-ttl-differs", "merged-ip-id", "merged-across-flush", NULL,
};

/* `offdiff run SPEC ARGS`: exit 1, a DPDK 22.11 target, no target-fault,
 * more than min_equal equal cases, every class one of known. */
static void run_campaign(const char *spec, const char *args, long min_equal,
			 const char *const *known)
{
	char dir[64], path[700], *text;
	const char *r;
	json_t *sum, *t, *c;
	json_error_t je;
	size_t i, k;
	int rc;

	ofd_test_mkdtemp(dir, sizeof(dir), "dpdk");
	rc = ofd_test_run(&text, true, "%s run %s/specs/%s %s --out %s -q", ofd_test_offdiff(),
			  OFD_TEST_ROOT, spec, args, dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	r = strstr(text, "report: ");
	ck_assert_msg(r != NULL, "%s", text);
	snprintf(path, sizeof(path), "%.*s/summary.json", (int)strcspn(r + 8, "\n"), r + 8);
	sum = json_load_file(path, 0, &je);
	ck_assert_msg(sum != NULL, "%s: %s", path, je.text);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	ck_assert_msg(!strncmp(json_string_value(json_object_get(t, "version")), "DPDK 22.11.", 11),
		      "version %s", json_string_value(json_object_get(t, "version")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(t, "verdicts"),
							    "target-fault")), 0);
	ck_assert_int_gt(json_integer_value(json_object_get(json_object_get(t, "verdicts"),
							    "equal")), min_equal);
	json_array_foreach(json_object_get(t, "classes"), i, c) {
		const char *cls = json_string_value(json_object_get(c, "class"));
		bool found = false;

		for (k = 0; known[k]; k++)
			found |= !strcmp(cls, known[k]);
		ck_assert_msg(found, "class %s is not in docs/dpdk-findings.md", cls);
	}
	json_decref(sum);
	free(text);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ck_assert_int_eq(system(path), 0);
}

/* The transmit campaign, then the gro one judged by the model (equal to the
 * kernel on gro, no root needed): the trains rte_gro merges as Linux does
 * are equal (TCP/IPv4 rules, flows, flush points, 64 KB, UDP left alone). */
START_TEST(campaign)
{
	if (dpdk_absent())
		return;
	run_campaign("dpdk.yaml", "", 1500, known_classes);
	run_campaign("dpdk-gro.yaml", "--reference model", 60, known_gro_classes);
}
END_TEST

static Suite *dpdk_suite(void)
{
	Suite *s = suite_create("dpdk");
	TCase *tc = tcase_create("dpdk");

	/* Each case opens the EAL once in its own (forked) process. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, csum_tcp4);
	tcase_add_test(tc, csum_zero);
	tcase_add_test(tc, tso_tcp4);
	tcase_add_test(tc, tso_odd_chain);
	tcase_add_test(tc, tso_no_chain);
	tcase_add_test(tc, unsupported);
	tcase_add_test(tc, campaign);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(dpdk_suite);
