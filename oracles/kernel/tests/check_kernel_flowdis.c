// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_kernel_flowdis.c - the kernel's built-in flow dissector against
 * ours as BPF, compared inside the kernel through the rx hash of frames
 * received in the kernel engine's namespace (kernel_flowdis.c).
 *
 * Expected values are kernel-rx.md's: 5.2 for the hash (SipHash of the
 * keys under a per-boot key, symmetric in addresses and in ports, never
 * 0), 5.1 and 5.4 for which keys each dissector fills.
 *
 * Cases:
 *  hash_is_keys     without BPF: one frame twice hashes the same, its
 *                   reverse direction too (__flow_hash_consistentify),
 *                   another port not; never 0
 *  builtin_vs_bpf   the frame set of ofd_flowdis_frames.h, built-in then
 *                   BPF attached to the namespace: equal hashes where 5.4
 *                   says the hashed keys coincide (IPv4 with options and
 *                   fragments, IPv6 with a flow label, IP-in-IP, MPLS);
 *                   different ones where it says they do not: IPv6 with
 *                   label 0 (the reference stops after the IPv6 header
 *                   under STOP_AT_FLOW_LABEL whatever the label), a VLAN
 *                   tag (no VLAN key in BPF), a GRE key (not recorded),
 *                   SCTP ports, a TCP doff below 5 and an IPv6 Routing
 *                   header (the C dissector gets ports, ours drops).
 *                   Every frame's outcome is printed. Then the built-in
 *                   hashes again: the program was detached.
 *
 * Root only (namespace, tap, BPF): otherwise the tests say so and pass.
 */
#include <stdio.h>
#include <string.h>

#include "kernel_test_util.h"
#include "ofd_images.h"
#include "ofd_kernel_flowdis.h"
#include "ofd_flowdis_frames.h"

static struct ofd_engine *kopen(void)
{
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	struct ofd_engine *e = NULL;
	char msg[512], why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "kernel_flowdis: skipped: %s\n", why);
		return NULL;
	}
	ck_assert_msg(!ofd_engine__open("kernel", &eo, &e, msg, sizeof(msg)), "%s", msg);
	return e;
}

static void rxhash(struct ofd_engine *e, int prog_fd, const uint8_t *const *f,
		   const uint32_t *l, unsigned int n, uint32_t *h)
{
	const char *why;
	int err = ofd_kernel_rxhash(e, prog_fd, f, l, n, h, &why);

	ck_assert_msg(!err, "rxhash: %s: %s", why ? why : "?", strerror(-err));
}

static void swap(uint8_t *a, uint8_t *b, unsigned int n)
{
	uint8_t t[16];

	memcpy(t, a, n);
	memcpy(a, b, n);
	memcpy(b, t, n);
}

START_TEST(hash_is_keys)
{
	struct fd_case c[FD_MAX_CASES];
	struct fd_frame rev, port;
	const uint8_t *f[4];
	uint32_t l[4], h[4];
	struct ofd_engine *e = kopen();

	if (!e)
		return;
	fd_cases(c);
	ck_assert_str_eq(c[0].name, "ipv4/tcp");
	rev = port = c[0].f;
	swap(rev.b + 26, rev.b + 30, 4); /* saddr <-> daddr */
	swap(rev.b + 34, rev.b + 36, 2); /* sport <-> dport */
	port.b[37]++;                    /* dport 80 -> 81 */
	f[0] = f[1] = c[0].f.b;
	f[2] = rev.b;
	f[3] = port.b;
	l[0] = l[1] = l[2] = l[3] = c[0].f.n;
	rxhash(e, -1, f, l, 4, h);
	ck_assert_uint_ne(h[0], 0);
	ck_assert_uint_eq(h[0], h[1]);
	ck_assert_uint_eq(h[0], h[2]);
	ck_assert_uint_ne(h[0], h[3]);
	ofd_engine__close(e);
}
END_TEST

/*
 * Which frames hash alike under both dissectors, by kernel-rx.md 5.1 and
 * 5.4. The kernel dissects with its own flags (STOP_AT_FLOW_LABEL), not
 * a case's: frames that differ only by flags hash the same. A verdict
 * is not hashed either: the C dissector's good ARP and bad IHL 4 hash
 * like our drops, which leave the same keys.
 */
static const char *const alike[] = {
	"ipv4/tcp", "ipv4+options/udp", "ipv4/tcp+options", "ipv4 ihl 4",
	"ipv4 first fragment", "ipv4 later fragment", "ipv4/icmp", "ipv4/udplite",
	"ipv6/udp label", "ipv6/icmpv6",
	"ipv4/gre stop encap", /* GRE without a key: no GRE_KEYID either way */
	"ipv4/ipip/tcp", "mpls", "arp",
};
static const struct {
	const char *name, *why;
} unlike[] = {
	{ "vlan/ipv4/udp", "a BPF dissector fills no VLAN key" },
	{ "qinq ad+q/ipv6/tcp", "a BPF dissector fills no VLAN key" },
	{ "q+q", "a BPF dissector fills no VLAN key" },
	{ "ad+ipv4", "a BPF dissector fills no VLAN key" },
	{ "ipv4/gre csum key seq/ipv4/udp", "the GRE key is not recorded by BPF" },
	{ "ipv4/gre teb/ipv6/tcp", "the GRE key is not recorded by BPF" },
	{ "ipv4/tcp doff 4", "the C dissector takes ports without looking at doff, ours drops" },
	{ "ipv4/tcp options cut", "the C dissector takes ports without looking at doff, ours drops" },
	{ "ipv6/ipv4/udp", "ours stops at a zero flow label, C goes on to the inner IPv4" },
	{ "ipv4/sctp", "the C dissector takes SCTP ports, ours drops" },
	{ "ipv6/routing", "the C dissector follows a Routing header, ours drops" },
	/* skb_get_hash asks for STOP_AT_FLOW_LABEL: the reference, and so
	 * ours, stops after the IPv6 header even when the label is 0; the C
	 * dissector stops only on a label and goes on to the ports. */
	{ "ipv6/udp no label stop", "ours stops at a zero flow label, C goes on" },
	{ "ipv6/hbh/dstopts/tcp", "ours stops at a zero flow label, C goes on" },
	{ "ipv6 first fragment", "ours stops at a zero flow label, C goes on" },
	{ "ipv6 later fragment", "ours stops at a zero flow label, C goes on" },
	{ "ipv6/ipv6/udp", "ours stops at a zero flow label, C goes on" },
};

static int expect(const char *name, const char **why)
{
	size_t i;

	for (i = 0; i < OFD_ARRAY_SIZE(alike); i++)
		if (!strcmp(name, alike[i]))
			return 1;
	for (i = 0; i < OFD_ARRAY_SIZE(unlike); i++)
		if (!strcmp(name, unlike[i].name)) {
			*why = unlike[i].why;
			return 0;
		}
	return -1;
}

START_TEST(builtin_vs_bpf)
{
	struct fd_case c[FD_MAX_CASES];
	const uint8_t *f[FD_MAX_CASES];
	uint32_t l[FD_MAX_CASES], hc[FD_MAX_CASES], hb[FD_MAX_CASES], hc2[FD_MAX_CASES];
	unsigned int n, i, same = 0, checked = 0;
	struct ofd_bpfimg *img;
	struct ofd_engine *e = kopen();
	char why[640];

	if (!e)
		return;
	ck_assert_msg(!ofd_bpfimg__open(NULL, &img, why, sizeof(why)), "%s", why);
	n = fd_cases(c);
	for (i = 0; i < n; i++) {
		f[i] = c[i].f.b;
		l[i] = c[i].f.n;
	}
	rxhash(e, -1, f, l, n, hc);
	rxhash(e, ofd_bpfimg_prog_fd(img), f, l, n, hb);
	rxhash(e, -1, f, l, n, hc2);
	for (i = 0; i < n; i++) {
		const char *cause = "";
		int want = expect(c[i].name, &cause);

		ck_assert_msg(hc2[i] == hc[i], "%s: built-in hash changed after detach", c[i].name);
		same += hc[i] == hb[i];
		printf("kernel_flowdis: %-32s built-in %08x bpf %08x %s%s%s\n", c[i].name, hc[i],
		       hb[i], hc[i] == hb[i] ? "alike" : "differ",
		       want == 0 ? ": " : want < 0 ? " (not asserted)" : "", cause);
		if (want < 0)
			continue;
		checked++;
		ck_assert_msg((hc[i] == hb[i]) == (want == 1), "%s: built-in %08x, bpf %08x: %s",
			      c[i].name, hc[i], hb[i], want ? "should hash alike" : cause);
	}
	printf("kernel_flowdis: built-in and BPF dissector hash %u of %u frames alike "
	       "(%u checked against kernel-rx.md 5.4: all as predicted)\n", same, n, checked);
	ofd_bpfimg__free(img);
	ofd_engine__close(e);
}
END_TEST

static Suite *kernel_flowdis_suite(void)
{
	Suite *s = suite_create("kernel_flowdis");
	TCase *tc = tcase_create("rxhash");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hash_is_keys);
	tcase_add_test(tc, builtin_vs_bpf);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(kernel_flowdis_suite)
