// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_selfcheck_dissect.c - the method of `selfcheck -f dissect`
 * (selfcheck_dissect.c): the model's keys against the kernel's built-in
 * flow dissector through the rx hash of a frame and of a probe built from
 * the keys.
 *
 * Expected values are kernel-rx.md 5's and the running kernel's:
 *  frame_set_agrees  the flow dissector's frame set (ofd_flowdis_frames.h):
 *                    the model is __skb_flow_dissect (5.1, 5.2), so every
 *                    frame the kernel can take agrees, each by a probe
 *                    (VLAN and GRE keys included: the probe carries them)
 *  wrong_keys_caught keys with one field bent disagree: a port changed
 *                    (the probe's hash differs), ports claimed where the
 *                    kernel has none (a later fragment, 5.1: the probes
 *                    name "ports"), a VLAN id changed, a GRE key dropped
 *  symmetric         the method's blind spot: addresses swapped still
 *                    agree (__flow_hash_consistentify, 5.2)
 *  not_handed        what never reaches the kernel: under 14 bytes, a tag
 *                    with under 2 bytes past it (skb_vlan_untag drops it)
 *  length_field      a length where the ethertype goes: the known cause
 *                    (eth_type_trans's ETH_P_802_2 in the skb path), and
 *                    past a tag (vlan_set_encap_proto's ETH_P_802_3)
 *  inner_length      n_proto 0 from an HSR tag's encapsulated protocol
 *                    (5.1: HSR skipped, then an unknown protocol): the
 *                    kernel's n_proto is the raw 0, and the probe carries
 *                    it in an HSR tag too (as an Ethernet type,
 *                    eth_type_trans would make it 0x0004: that probe was
 *                    the method's bug, shown by a random frame)
 *  pppoe_compressed  the model fix this check found: the running kernel
 *                    hashes PPPoE with the PPP protocol compressed to 0x21
 *                    like a bare PPPoE Ethernet header (n_proto 0x8864
 *                    alone), not like the IPv4 packet inside, while
 *                    kernel-rx.md 5.1 says it is handled; the model now
 *                    agrees, and an uncompressed 0x0021 is still IPv4;
 *                    the old model's keys disagree, n_proto named
 *  bpf_fallback      without a probe: our BPF dissector's keys equal the
 *                    model's for IPv4/TCP (5.4), so its hash with the
 *                    program attached equals the built-in one; a VLAN
 *                    frame stays undecided (5.4: no VLAN key in BPF)
 *
 * Root only (namespace, tap): otherwise the tests say so and pass.
 */
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_dissect_kernel.h"
#include "ofd_images.h"
#include "ofd_dissect.h"
#include "ofd_kernel.h"
#include "ofd_test.h"
#include "ofd_flowdis_frames.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static struct ofd_engine *kopen(void)
{
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	struct ofd_engine *e = NULL;
	char msg[512], why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "selfcheck_dissect: skipped: %s\n", why);
		return NULL;
	}
	ck_assert_msg(!ofd_engine__open("kernel", &eo, &e, msg, sizeof(msg)), "%s", msg);
	return e;
}

static void judge(struct ofd_engine *e, struct ofd_sd_item *it, unsigned int n)
{
	const char *why = NULL;
	int err = ofd_sd_judge(e, it, n, NULL, &why);

	ck_assert_msg(!err, "judge: %s: %d", why ? why : "?", err);
}

/* One frame of the set, by name. */
static const struct fd_frame *frame(const struct fd_case *c, unsigned int n, const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return &c[i].f;
	ck_abort_msg("no frame %s", name);
	return NULL;
}

START_TEST(frame_set_agrees)
{
	static struct fd_case c[FD_MAX_CASES];
	static struct ofd_sd_item it[FD_MAX_CASES];
	struct ofd_engine *e = kopen();
	unsigned int n, i, agree = 0;

	if (!e)
		return;
	n = fd_cases(c);
	memset(it, 0, sizeof(it));
	for (i = 0; i < n; i++) {
		it[i].frame = c[i].f.b;
		it[i].len = c[i].f.n;
	}
	judge(e, it, n);
	for (i = 0; i < n; i++) {
		printf("selfcheck_dissect: %-32s frame %08x probe %08x (%u bytes)\n", c[i].name,
		       it[i].hf, it[i].hp, it[i].plen);
		ck_assert_msg(it[i].verdict == OFD_SD_AGREE && it[i].method == OFD_SD_PROBE,
			      "%s: verdict %u method %u (%s)", c[i].name, it[i].verdict,
			      it[i].method, it[i].why ? it[i].why : "");
		/* a hash is never 0 (5.2), and the probe is another frame */
		ck_assert_uint_ne(it[i].hf, 0);
		ck_assert(it[i].plen != it[i].len || memcmp(it[i].probe, it[i].frame, it[i].len));
		agree++;
	}
	ck_assert_uint_eq(agree, n);
	ofd_engine__close(e);
}
END_TEST

START_TEST(wrong_keys_caught)
{
	static struct fd_case c[FD_MAX_CASES];
	struct ofd_sd_item it[4];
	struct ofd_engine *e = kopen();
	const struct fd_frame *f[4];
	unsigned int n, i;

	if (!e)
		return;
	n = fd_cases(c);
	f[0] = frame(c, n, "ipv4/tcp");
	f[1] = frame(c, n, "ipv4 later fragment");
	f[2] = frame(c, n, "vlan/ipv4/udp");
	f[3] = frame(c, n, "ipv4/gre csum key seq/ipv4/udp");
	memset(it, 0, sizeof(it));
	for (i = 0; i < 4; i++) {
		it[i].frame = f[i]->b;
		it[i].len = f[i]->n;
		ck_assert(!ofd_model_dissect(f[i]->b, f[i]->n, OFD_FK_F_STOP_AT_FLOW_LABEL,
					     &it[i].k));
		it[i].have_k = true;
	}
	ck_assert_uint_eq(it[0].k.dport, 80);
	it[0].k.dport = 81;
	/* 5.1: no ports on a fragment; claim some */
	ck_assert_uint_eq(it[1].k.sport, 0);
	it[1].k.sport = 1000;
	it[1].k.dport = 2000;
	ck_assert_uint_ne(it[2].k.vlan_tpid, 0);
	it[2].k.vlan_id ^= 1;
	ck_assert_uint_ne(it[3].k.gre_keyid, 0);
	it[3].k.gre_keyid = 0;
	judge(e, it, 4);
	for (i = 0; i < 4; i++)
		ck_assert_msg(it[i].verdict == OFD_SD_DISAGREE && it[i].hf != it[i].hp,
			      "bent keys %u: verdict %u", i, it[i].verdict);
	ck_assert_str_eq(it[1].field, "ports");
	ofd_engine__close(e);
}
END_TEST

START_TEST(symmetric)
{
	static struct fd_case c[FD_MAX_CASES];
	struct ofd_sd_item it = { 0 };
	struct ofd_engine *e = kopen();
	const struct fd_frame *f;
	uint8_t t[16];
	uint16_t p;

	if (!e)
		return;
	f = frame(c, fd_cases(c), "ipv4/tcp");
	it.frame = f->b;
	it.len = f->n;
	ck_assert(!ofd_model_dissect(f->b, f->n, OFD_FK_F_STOP_AT_FLOW_LABEL, &it.k));
	it.have_k = true;
	memcpy(t, it.k.src, 16);
	memcpy(it.k.src, it.k.dst, 16);
	memcpy(it.k.dst, t, 16);
	p = it.k.sport;
	it.k.sport = it.k.dport;
	it.k.dport = p;
	judge(e, &it, 1);
	ck_assert_uint_eq(it.verdict, OFD_SD_AGREE);
	ofd_engine__close(e);
}
END_TEST

START_TEST(not_handed)
{
	static const uint8_t tag19[19] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0,
					   0, 100, 0x08, 0, 0x45 };
	struct ofd_sd_item it[2];
	struct ofd_engine *e = kopen();

	if (!e)
		return;
	memset(it, 0, sizeof(it));
	it[0].frame = tag19;
	it[0].len = 13;
	it[1].frame = tag19;
	it[1].len = 19;
	judge(e, it, 2);
	ck_assert_uint_eq(it[0].verdict, OFD_SD_SKIPPED);
	ck_assert_uint_eq(it[1].verdict, OFD_SD_SKIPPED);
	ck_assert(strstr(it[1].why, "skb_vlan_untag"));
	ofd_engine__close(e);
}
END_TEST

START_TEST(length_field)
{
	/* 802.2 LLC: a length (46), then DSAP/SSAP */
	static const uint8_t llc[60] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0, 46, 0x42, 0x42, 3 };
	/* the same past a tag (vlan_set_encap_proto), and a raw 802.3
	 * frame (FF FF next: ETH_P_802_3) */
	static const uint8_t tagged[60] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0,
					    0, 5, 0, 42, 0xff, 0xff };
	struct ofd_sd_item it[2] = { { .frame = llc, .len = sizeof(llc) },
				     { .frame = tagged, .len = sizeof(tagged) } };
	struct ofd_engine *e = kopen();

	if (!e)
		return;
	judge(e, it, 2);
	ck_assert_uint_eq(it[0].k.n_proto, 46);
	ck_assert_uint_eq(it[0].verdict, OFD_SD_KNOWN);
	ck_assert_uint_eq(it[1].k.n_proto, 42);
	ck_assert_uint_eq(it[1].k.vlan_id, 5);
	ck_assert_uint_eq(it[1].verdict, OFD_SD_KNOWN);
	ofd_engine__close(e);
}
END_TEST

START_TEST(inner_length)
{
	/* Ethernet 0x892f, HSR tag (path/size 0x0028, sequence 1,
	 * encapsulated protocol 0), then an IPv4 header the walk never
	 * reaches */
	static const uint8_t hsr[40] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x89, 0x2f,
					 0, 0x28, 0, 1, 0, 0, 0x45, 0, 0, 20, 0, 7, 0x40, 0,
					 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };
	struct ofd_sd_item it = { .frame = hsr, .len = sizeof(hsr) };
	struct ofd_engine *e = kopen();

	if (!e)
		return;
	judge(e, &it, 1);
	ck_assert_uint_eq(it.k.n_proto, 0);
	ck_assert_uint_eq(it.k.addr_proto, 0);
	ck_assert_uint_eq(get16(it.probe + 12), 0x892f);
	ck_assert_msg(it.verdict == OFD_SD_AGREE, "verdict %u (%s)", it.verdict,
		      it.field ? it.field : "");
	ofd_engine__close(e);
}
END_TEST

START_TEST(pppoe_compressed)
{
	/* Ethernet 0x8864, PPPoE session (ver 1 type 1, code 0, session
	 * 0x1234, length), PPP protocol 0x21 (compressed) or 0x0021, then
	 * IPv4/UDP 10.0.0.1:1000 -> 10.0.0.2:2000 */
	static const uint8_t hdr[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x64 };
	static const uint8_t ip[28] = { 0x45, 0, 0, 28, 0, 7, 0x40, 0, 64, 17, 0, 0,
					10, 0, 0, 1, 10, 0, 0, 2, 0x03, 0xe8, 0x07, 0xd0,
					0, 8, 0, 0 };
	static const uint8_t pppoe[6] = { 0x11, 0, 0x12, 0x34, 0, 30 };
	uint8_t fr[2][64];
	struct ofd_sd_item it[3];
	struct ofd_engine *e = kopen();
	unsigned int i;

	if (!e)
		return;
	memset(it, 0, sizeof(it));
	for (i = 0; i < 2; i++) {
		uint32_t o = 20;

		memcpy(fr[i], hdr, 14);
		memcpy(fr[i] + 14, pppoe, 6);
		if (i)
			fr[i][o++] = 0x00;
		fr[i][o++] = 0x21;
		memcpy(fr[i] + o, ip, 28);
		it[i].frame = fr[i];
		it[i].len = o + 28;
	}
	it[2].frame = hdr;
	it[2].len = 14;
	judge(e, it, 3);
	/* the kernel's verdict first: the model before the fix disagrees
	 * on frame 0 ("basic.n_proto" and the rest) */
	for (i = 0; i < 3; i++)
		ck_assert_msg(it[i].verdict == OFD_SD_AGREE, "frame %u: verdict %u (%s)", i,
			      it[i].verdict, it[i].field ? it[i].field : "");
	/* the model: compressed is PPPoE alone, uncompressed IPv4/UDP */
	ck_assert_uint_eq(it[0].k.n_proto, 0x8864);
	ck_assert_uint_eq(it[0].k.addr_proto, 0);
	ck_assert_uint_eq(it[1].k.n_proto, 0x0800);
	ck_assert_uint_eq(it[1].k.dport, 2000);
	/* the kernel: compressed hashes like the bare PPPoE header */
	ck_assert_uint_eq(it[0].hf, it[2].hf);
	ck_assert_uint_ne(it[1].hf, it[2].hf);
	/* the old model's keys for the compressed frame (those of the IPv4
	 * inside, as for the uncompressed one): caught, and the probes say
	 * the kernel stopped at the PPPoE header */
	it[0].k = it[1].k;
	it[0].have_k = true;
	it[0].field = NULL;
	judge(e, it, 1);
	ck_assert_uint_eq(it[0].verdict, OFD_SD_DISAGREE);
	ck_assert_msg(!strncmp(it[0].field, "basic.n_proto", 13), "%s", it[0].field);
	ofd_engine__close(e);
}
END_TEST

START_TEST(bpf_fallback)
{
	static struct fd_case c[FD_MAX_CASES];
	struct ofd_sd_item it[2];
	struct ofd_engine *e = kopen();
	struct ofd_bpfimg *img;
	const char *why = NULL;
	char msg[640];
	unsigned int n, i;

	if (!e)
		return;
	ck_assert_msg(!ofd_bpfimg__open(NULL, &img, msg, sizeof(msg)), "%s", msg);
	n = fd_cases(c);
	memset(it, 0, sizeof(it));
	it[0].frame = frame(c, n, "ipv4/tcp")->b;
	it[0].len = frame(c, n, "ipv4/tcp")->n;
	it[1].frame = frame(c, n, "vlan/ipv4/udp")->b;
	it[1].len = frame(c, n, "vlan/ipv4/udp")->n;
	for (i = 0; i < 2; i++)
		it[i].no_probe = true;
	ck_assert(!ofd_sd_judge(e, it, 2, img, &why));
	ck_assert_uint_eq(it[0].method, OFD_SD_BPF);
	ck_assert_uint_eq(it[0].verdict, OFD_SD_AGREE);
	ck_assert_uint_eq(it[0].hf, it[0].hp);
	ck_assert_uint_eq(it[1].verdict, OFD_SD_UNDECIDED);
	ck_assert(strstr(it[1].field, "VLAN"));
	ofd_bpfimg__free(img);
	ofd_engine__close(e);
}
END_TEST

static Suite *selfcheck_dissect_suite(void)
{
	Suite *s = suite_create("selfcheck_dissect");
	TCase *tc = tcase_create("rxhash");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, frame_set_agrees);
	tcase_add_test(tc, wrong_keys_caught);
	tcase_add_test(tc, symmetric);
	tcase_add_test(tc, not_handed);
	tcase_add_test(tc, length_field);
	tcase_add_test(tc, inner_length);
	tcase_add_test(tc, pppoe_compressed);
	tcase_add_test(tc, bpf_fallback);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(selfcheck_dissect_suite)
