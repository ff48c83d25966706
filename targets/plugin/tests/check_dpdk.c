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
 *  gro_*            trains through rte_gro whose output DPDK's source gives
 *                   (lib/gro, cited per case): a merge and a batch boundary,
 *                   IPv4 IDs, PSH handed back after the tables, IP options'
 *                   header bytes merged into the payload, padding trimmed,
 *                   IPv4 fragments reassembled
 *  campaign         `offdiff run specs/dpdk.yaml`, then dpdk-gro.yaml: exit 1,
 *                   no target-fault, no class docs/dpdk-findings.md lacks
 *
 * dpdk.so is built when libdpdk-dev is installed (always in CI); without it
 * the cases print why and pass (Check has no skip), except under CI=true,
 * where its absence fails. The in-process cases are left out of sanitized
 * builds: DPDK's EAL is not built for ASan's address space.
 */
#include <dlfcn.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd_plugin.h"
#include "ofd_test.h"

#define ETH 14
#define IP4 20
#define TCPH 20
#define L4OFF (ETH + IP4)

static char so_path[512];

/* build/plugins/dpdk.so next to $OFFDIFF, or why not. */
static bool dpdk_absent(void)
{
	char bin[512];

	snprintf(bin, sizeof(bin), "%s", ofd_test_offdiff());
	snprintf(so_path, sizeof(so_path), "%s/plugins/dpdk.so", dirname(bin));
	if (access(so_path, R_OK) == 0)
		return false;
	ck_assert_msg(!getenv("CI") || !*getenv("CI"),
		      "%s is missing in CI (make check installs libdpdk-dev there)", so_path);
	fprintf(stderr, "dpdk suite: not run: %s is absent (libdpdk-dev is not installed: "
			"scripts/ensure-deps.sh dpdk)\n", so_path);
	return true;
}

static bool in_process_unavailable(void)
{
#if defined(__SANITIZE_ADDRESS__)
	fprintf(stderr, "dpdk suite: in-process cases not run under ASan\n");
	return true;
#else
	return dpdk_absent();
#endif
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The pseudo-header sum of the IPv4 header at ip for an L4 of len bytes. */
static uint32_t pseudo4(const uint8_t *ip, uint8_t proto, uint32_t len)
{
	return ofd_test_sum(ip + 12, 8, 0) + proto + len;
}

/* eth / ipv4 (id) / tcp (flags) / payload, the checksum field seeded as
 * the stack does (kernel-tx.md 1: the folded pseudo-header sum); payload
 * byte i = fill < 0 ? (i * 7) & 0xff : fill. Returns the frame length. */
static uint32_t tcp4_frame(uint8_t *f, uint32_t payload, uint16_t id, uint8_t flags, int fill)
{
	uint8_t *ip = f + ETH, *t = ip + IP4;
	uint32_t i;

	memset(f, 0, L4OFF + TCPH + payload);
	memset(f, 0x02, 12);
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(IP4 + TCPH + payload));
	put16(ip + 4, id);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 192, ip[13] = 0, ip[14] = 2, ip[15] = 1;
	ip[16] = 192, ip[17] = 0, ip[18] = 2, ip[19] = 2;
	put16(ip + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(ip, IP4, 0)));
	put16(t, 40000);
	put16(t + 2, 80);
	put16(t + 4, 0x1234);
	put16(t + 6, 0x5678);
	put16(t + 8, 0x9abc);
	t[12] = 0x50;
	t[13] = flags;
	put16(t + 14, 65535);
	for (i = 0; i < payload; i++)
		t[TCPH + i] = (uint8_t)(fill < 0 ? (int)((i * 7) & 0xff) : fill);
	put16(t + 16, ofd_test_fold(pseudo4(ip, 6, TCPH + payload)));
	return L4OFF + TCPH + payload;
}

/* The RFC 1071 checksum of the L4 of an IPv4 frame, its field (at an even
 * offset fo into the L4) counted as 0. */
static uint16_t l4_csum4(const uint8_t *f, uint32_t len, uint8_t proto, uint32_t fo)
{
	const uint8_t *l4 = f + L4OFF;
	uint32_t n = len - L4OFF;
	uint32_t s = pseudo4(f + ETH, proto, n);

	s = ofd_test_sum(l4, fo, s);
	s = ofd_test_sum(l4 + fo + 2, n - fo - 2, s);
	return (uint16_t)~ofd_test_fold(s);
}

struct plug {
	void *dl;
	const struct ofd_plugin *p;
	void *priv;
	uint8_t *buf;
	struct ofd_plugin_frame *frames;
};

static void plug_open(struct plug *pl, const char *rx_buf)
{
	struct ofd_plugin_param prm = { "rx_buf", rx_buf };
	struct ofd_plugin_open_opts o = { .size = sizeof(o), .nparams = rx_buf ? 1 : 0,
					  .params = &prm };
	ofd_plugin_entry_fn entry;
	char err[256] = "";
	int ret;

	pl->dl = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(pl->dl != NULL, "dlopen: %s", dlerror());
	entry = (ofd_plugin_entry_fn)dlsym(pl->dl, OFD_PLUGIN_ENTRY_NAME);
	ck_assert_ptr_nonnull(entry);
	pl->p = entry();
	ck_assert_int_eq(pl->p->abi_version, OFD_PLUGIN_ABI_VERSION);
	ret = pl->p->open(&o, &pl->priv, err, sizeof(err));
	ck_assert_msg(ret == 0, "open: %d %s", ret, err);
	pl->buf = malloc(1u << 20);
	pl->frames = calloc(4096, sizeof(*pl->frames));
	ck_assert(pl->buf && pl->frames);
}

static void plug_close(struct plug *pl)
{
	pl->p->close(pl->priv);
	free(pl->buf);
	free(pl->frames);
}

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

/* ---- gro: rte_gro's own rules (lib/gro, v22.11.11) ---------------- */

#define GRO_PL 100u

/* Segment k of a TCP/IPv4 train: GRO_PL bytes at seq 1000 + k * GRO_PL,
 * ACK only, IPv4 ID id, DF unless no_df; checksums valid, as received. */
static uint32_t gro_seg(uint8_t *f, unsigned int k, uint16_t id, bool no_df)
{
	uint32_t len = tcp4_frame(f, GRO_PL, id, 0x10, (int)k + 1);
	uint8_t *ip = f + ETH, *t = f + L4OFF;

	if (no_df)
		ip[6] = 0;
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(ip, IP4, 0)));
	put16(t + 4, 0);
	put16(t + 6, (uint16_t)(1000 + k * GRO_PL));
	put16(t + 16, 0);
	put16(t + 16, l4_csum4(f, len, 6, 16));
	return len;
}

struct train {
	uint8_t f[8][256];
	struct ofd_plugin_pkt pk[8];
	unsigned int n;
};

static void train_add(struct train *tr, uint32_t len)
{
	tr->pk[tr->n] = (struct ofd_plugin_pkt){ tr->f[tr->n], len, 0 };
	tr->n++;
}

/* n segments of gro_seg, IDs ids[k] (8 + k when NULL). */
static void seg_train(struct train *tr, unsigned int n, const uint16_t *ids, bool no_df)
{
	unsigned int k;

	for (tr->n = 0, k = 0; k < n; k++)
		train_add(tr, gro_seg(tr->f[k], k, ids ? ids[k] : (uint16_t)(8 + k), no_df));
}

static struct ofd_plugin_result plug_train(struct plug *pl, const struct train *tr)
{
	struct ofd_plugin_case c = { .size = sizeof(c), .offload = OFD_PLUGIN_GRO,
				     .npkts = tr->n, .pkts = tr->pk };
	struct ofd_plugin_result r = { .size = sizeof(r), .buf = pl->buf, .buf_cap = 1u << 20,
				       .max_frames = 4096, .frames = pl->frames };

	ck_assert_int_eq(pl->p->run(pl->priv, &c, &r), 0);
	ck_assert_msg(r.status == OFD_PLUGIN_OK, "status %u: %s", r.status, r.detail);
	return r;
}

/* Output frame i holds packets first..last of tr merged: their first
 * headers, IPv4 length and header checksum updated, the payloads in
 * order, the TCP field the pseudo-header seed and CHECKSUM_PARTIAL
 * metadata (the virtio-user hand-off, dpdk_gro.c; kernel-rx.md 1.9 gives
 * the same seed); a single packet comes back as it went in. */
static void expect_run(const struct plug *pl, const struct train *tr, uint32_t i,
		       unsigned int first, unsigned int last)
{
	const struct ofd_plugin_frame *fr = &pl->frames[i];
	const uint8_t *o = pl->buf + fr->off, *in = tr->f[first];
	uint32_t l4 = TCPH + (last - first + 1) * GRO_PL;
	unsigned int k;

	ck_assert_uint_eq(fr->len, L4OFF + l4);
	if (first == last) {
		ck_assert_int_eq(memcmp(o, in, fr->len), 0);
		ck_assert_uint_eq(fr->meta.has, 0);
		return;
	}
	ck_assert_int_eq(memcmp(o, in, ETH + 2), 0);
	ck_assert_uint_eq(get16(o + ETH + 2), IP4 + l4);
	ck_assert_int_eq(memcmp(o + ETH + 4, in + ETH + 4, 6), 0);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(o + ETH, IP4, 0)), 0xffff);
	ck_assert_int_eq(memcmp(o + L4OFF, in + L4OFF, 16), 0);
	ck_assert_uint_eq(get16(o + L4OFF + 16), ofd_test_fold(pseudo4(o + ETH, 6, l4)));
	for (k = first; k <= last; k++)
		ck_assert_int_eq(memcmp(o + L4OFF + TCPH + (k - first) * GRO_PL,
					tr->f[k] + L4OFF + TCPH, GRO_PL), 0);
	ck_assert_uint_eq(fr->meta.has, OFD_PLUGIN_META_GSO | OFD_PLUGIN_META_CSUM);
	ck_assert_uint_eq(fr->meta.gso_size, GRO_PL);
	ck_assert_uint_eq(fr->meta.gso_segs, last - first + 1);
	ck_assert_uint_eq(fr->meta.gso_type, OFD_PLUGIN_SKB_GSO_TCPV4);
	ck_assert_uint_eq(fr->meta.csum_state, OFD_PLUGIN_CSUM_PARTIAL);
	ck_assert_uint_eq(fr->meta.csum_value, L4OFF | 16u << 16);
}

/* Contiguous ACK segments with DF merge (check_seq_option: same options,
 * sent_seq == item->sent_seq + len, the ID ignored when DF is set); a
 * flush point ends the burst (one rte_gro_reassemble_burst per batch). */
START_TEST(gro_merge)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	seg_train(&tr, 3, NULL, false);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	expect_run(&pl, &tr, 0, 0, 2);
	tr.pk[0].flags = OFD_PLUGIN_PKT_F_FLUSH_AFTER;
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 2);
	expect_run(&pl, &tr, 0, 0, 0);
	expect_run(&pl, &tr, 1, 1, 2);
	plug_close(&pl);
}
END_TEST

/* IPv4 IDs (check_seq_option): with DF the ID is ignored ("For the packet
 * whose DF bit is 1, IPv4 ID is ignored"): 8, 10, 11 merge, where Linux
 * 6.18 keeps 8 apart (kernel-rx.md 1.5); without DF it must grow by one
 * (ip_id == item->ip_id + 1): 8, 8 stay apart, where 6.18 merges a fixed
 * ID whatever DF says. */
START_TEST(gro_ip_id)
{
	static const uint16_t ids[3] = { 8, 10, 11 }, fixed[2] = { 8, 8 };
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	seg_train(&tr, 3, ids, false);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	expect_run(&pl, &tr, 0, 0, 2);
	seg_train(&tr, 2, fixed, true);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 2);
	expect_run(&pl, &tr, 0, 0, 0);
	expect_run(&pl, &tr, 1, 1, 1);
	plug_close(&pl);
}
END_TEST

/* A segment with PSH is never processed (gro_tcp4_reassemble: "Don't
 * process the packet which has FIN, SYN, RST, PSH, URG, ECE or CWR set")
 * and unprocessed packets come after everything the tables flush
 * (rte_gro_reassemble_burst: "Copy unprocessed packets"): of 5 segments
 * with PSH on the third, 1+2 and 4+5 merge and the third comes last. */
START_TEST(gro_psh_reorder)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	seg_train(&tr, 5, NULL, false);
	tr.f[2][L4OFF + 13] |= 0x08;
	put16(tr.f[2] + L4OFF + 16, 0);
	put16(tr.f[2] + L4OFF + 16, l4_csum4(tr.f[2], tr.pk[2].len, 6, 16));
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 3);
	expect_run(&pl, &tr, 0, 0, 1);
	expect_run(&pl, &tr, 1, 3, 4);
	expect_run(&pl, &tr, 2, 2, 2);
	plug_close(&pl);
}
END_TEST

/* merge_two_tcp4_packets strips the held packet's header length
 * (hdr_len = l2_offset + pkt_head->l2_len + l3_len + l4_len) from the
 * packet it appends, and nothing compares the IPv4 header lengths: a
 * second segment with 8 bytes of IPv4 options (Record Route) merges and
 * the last 8 bytes of its TCP header land in the payload. Linux passes a
 * packet with IP options by (kernel-rx.md 1.3). */
START_TEST(gro_ip_options)
{
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;
	const uint8_t *o;
	uint8_t *b;
	uint32_t len;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	tr.n = 0;
	train_add(&tr, gro_seg(tr.f[0], 0, 8, false));
	len = gro_seg(tr.f[1], 1, 9, false);
	b = tr.f[1];
	memmove(b + L4OFF + 8, b + L4OFF, len - L4OFF);
	memcpy(b + L4OFF, rr, sizeof(rr));
	b[ETH] = 0x47;
	put16(b + ETH + 2, (uint16_t)(get16(b + ETH + 2) + 8));
	put16(b + ETH + 10, 0);
	put16(b + ETH + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(b + ETH, IP4 + 8, 0)));
	train_add(&tr, len + 8);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	o = pl.buf + pl.frames[0].off;
	ck_assert_uint_eq(pl.frames[0].len, L4OFF + TCPH + 8 + 2 * GRO_PL);
	ck_assert_int_eq(memcmp(o + L4OFF + TCPH + GRO_PL, b + L4OFF + 8 + 12, 8), 0);
	ck_assert_int_eq(memcmp(o + L4OFF + TCPH + GRO_PL + 8, b + L4OFF + 8 + TCPH, GRO_PL), 0);
	plug_close(&pl);
}
END_TEST

/* gro_tcp4_reassemble trims the bytes past the IPv4 length ("trim the
 * tail padding bytes") before any test that hands a packet back: a
 * 2-byte segment padded to Ethernet's 60 bytes comes back as 56 bytes
 * (Linux keeps the frame and only flushes, kernel-rx.md 1.3). */
START_TEST(gro_pad_trim)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;
	uint32_t len;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	tr.n = 0;
	len = tcp4_frame(tr.f[0], 2, 8, 0x10, 0x55);
	put16(tr.f[0] + L4OFF + 16, 0);
	put16(tr.f[0] + L4OFF + 16, l4_csum4(tr.f[0], len, 6, 16));
	ck_assert_uint_eq(len, 56);
	memset(tr.f[0] + len, 0, 4);
	train_add(&tr, 60);
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	ck_assert_uint_eq(pl.frames[0].len, 56);
	ck_assert_int_eq(memcmp(pl.buf + pl.frames[0].off, tr.f[0], 56), 0);
	plug_close(&pl);
}
END_TEST

/* "UDP" GRO is IPv4 reassembly (gro_udp4_reassemble, any protocol: the
 * key is MACs, addresses, ID): fragments at offsets 0 (MF) and 56 come
 * back as one datagram, MF cleared (update_header), the IPv4 checksum the
 * hand-off's. Linux's GRO passes fragments by (kernel-rx.md 1.3). */
START_TEST(gro_ip_frags)
{
	static struct train tr;
	struct ofd_plugin_result r;
	struct plug pl;
	const uint8_t *o;
	unsigned int k;

	if (in_process_unavailable())
		return;
	plug_open(&pl, NULL);
	tr.n = 0;
	for (k = 0; k < 2; k++) {
		uint8_t *ip = tr.f[k] + ETH;

		train_add(&tr, tcp4_frame(tr.f[k], k ? 40 - TCPH : 56 - TCPH, 77, 0x10, (int)k + 1));
		ip[9] = 17;
		put16(ip + 6, k ? 56 / 8 : 0x2000);
		put16(ip + 10, 0);
		put16(ip + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(ip, IP4, 0)));
	}
	r = plug_train(&pl, &tr);
	ck_assert_uint_eq(r.nframes, 1);
	o = pl.buf + pl.frames[0].off;
	ck_assert_uint_eq(pl.frames[0].len, L4OFF + 96);
	ck_assert_uint_eq(get16(o + ETH + 2), IP4 + 96);
	ck_assert_uint_eq(get16(o + ETH + 6), 0);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(o + ETH, IP4, 0)), 0xffff);
	ck_assert_int_eq(memcmp(o + L4OFF, tr.f[0] + L4OFF, 56), 0);
	ck_assert_int_eq(memcmp(o + L4OFF + 56, tr.f[1] + L4OFF, 40), 0);
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
	tcase_add_test(tc, gro_merge);
	tcase_add_test(tc, gro_ip_id);
	tcase_add_test(tc, gro_psh_reorder);
	tcase_add_test(tc, gro_ip_options);
	tcase_add_test(tc, gro_pad_trim);
	tcase_add_test(tc, gro_ip_frags);
	tcase_add_test(tc, campaign);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(dpdk_suite);
