// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_iface_rx_csum.c - rx-csum (and rss on a veth) through the iface target's
 * receive direction (iface_rx_csum.c).
 *
 *  - What a veth hands up, read by the test's own sockets, not offdiff's:
 *    a frame the peer injects with AF_PACKET is CHECKSUM_NONE (packet_snd
 *    without a vnet request) and veth does no checksum validation of its
 *    own, so with the port's GRO off it comes up with vnet flags 0; with
 *    GRO on and the peer's TSO off (veth_skb_is_eligible_for_gro,
 *    kernel-rx.md 7.2) software GRO validates it and it comes up
 *    DATA_VALID (kernel-rx.md 1.8). The second is why iface turns GRO off
 *    for rx-csum.
 *  - Through iface on that pair: rx-gro is off on the port while the
 *    target is open and back on after (it was on before); a frame whose
 *    TCP checksum is bad comes back NONE, its input bytes, one frame (what
 *    the kernel showed above: no flag); a good one is unsupported, because
 *    flags 0 there could be NONE or CHECKSUM_COMPLETE (kernel-rx.md 7.3).
 *  - Through the virtual NIC: rx-csum and rss are unsupported with the
 *    reasons (tun drops DATA_VALID on write and sets no hash, 7.1). That
 *    a hash written in a 20-byte virtio_net_hdr_v1_hash (TUNSETVNETHDRSZ
 *    20, hash_report TCPv4) does not reach skb->hash is the running
 *    kernel's word: tp_rxhash of a TPACKET_V3 ring (TP_FT_REQ_FILL_RXHASH,
 *    skb_get_hash) on the tap is not the written value.
 *
 *  - The visibility rules on read-backs made by hand (no device here says
 *    DATA_VALID with GRO off): on one layer DATA_VALID is level 0; on a
 *    VXLAN frame (two layers) it is unsupported while the outer UDP
 *    checksum verifies (the level could mean either) and level 0 when it
 *    is bad (wrong at any level); nothing up is a drop, two frames are
 *    unsupported.
 *
 * Root only (but the rules); without it the tests say so and pass.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "ethtool_test_util.h"
#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_rx_csum.h"

/* iface_rx_csum.c (iface_internal.h) */
int iface_rx_csum_answer(const struct ofd_case *c, struct ofd_result *res);

extern const struct ofd_engine_ops ofd_engine_iface;

#define FLEN (14 + 20 + 20 + 32)

static bool root(void)
{
	return et_root("iface_rx_csum");
}

static void ns_setup(void)
{
	et_iface_setup("ifcs");
}

/* A TCP/IPv4 frame with 32 bytes of payload; its TCP checksum right, or
 * one off when bad. Sums by the test's own ofd_test_sum. */
static void tcp4_frame(uint8_t *f, bool bad)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0xcc, 1 }, src[6] = { 0x02, 0, 0, 0, 0xcc, 2 };
	uint8_t ph[12];
	uint16_t c;
	int i;

	memset(f, 0, FLEN);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 20 + 20 + 32;
	f[22] = 64;
	f[23] = 6;
	memcpy(f + 26, (uint8_t[]){ 10, 0, 0, 1, 10, 0, 0, 2 }, 8);
	c = ofd_test_fold(ofd_test_sum(f + 14, 20, 0));
	f[24] = (uint8_t)(~c >> 8);
	f[25] = (uint8_t)~c;
	f[34] = 0x30, f[35] = 0x39, f[36] = 0, f[37] = 80; /* ports 12345 -> 80 */
	f[41] = 1;                                       /* seq 1 */
	f[46] = 0x50, f[47] = 0x18;                      /* doff 5, PSH ACK */
	f[48] = 0xff;
	for (i = 0; i < 32; i++)
		f[54 + i] = (uint8_t)i;
	memcpy(ph, f + 26, 8);
	ph[8] = 0, ph[9] = 6, ph[10] = 0, ph[11] = 20 + 32;
	c = (uint16_t)~ofd_test_fold(ofd_test_sum(f + 34, 20 + 32, ofd_test_sum(ph, 12, 0)));
	if (bad)
		c ^= 1;
	f[50] = (uint8_t)(c >> 8);
	f[51] = (uint8_t)c;
}

static int pkt_sock(const char *port, bool vnet)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	char err[256] = "";
	int fd, s, one = 1;

	ck_assert_msg(ofd_netns_open(et_ns, &fd, err, sizeof(err)) == 0, "%s", err);
	s = ofd_netns_socket(fd, AF_PACKET, SOCK_RAW, 0);
	close(fd);
	ck_assert_int_ge(s, 0);
	if (vnet)
		ck_assert_int_eq(setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)), 0);
	{
		struct ifreq ifr = { 0 };

		ck_assert_int_eq(et_ioctl(port, SIOCGIFINDEX, &ifr), 0);
		sll.sll_ifindex = ifr.ifr_ifindex;
	}
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return s;
}

/* Send a good frame on b, read it on a: its vnet flags as the kernel
 * filled them (virtio_net_hdr_from_skb). */
static int kernel_flags(const char *a, const char *b)
{
	uint8_t f[FLEN], buf[10 + 2048];
	int rx = pkt_sock(a, true), tx = pkt_sock(b, false), flags = -1;

	tcp4_frame(f, false);
	ck_assert_int_eq(send(tx, f, FLEN, 0), FLEN);
	for (;;) {
		struct pollfd p = { .fd = rx, .events = POLLIN };
		ssize_t n;

		ck_assert_msg(poll(&p, 1, 2000) == 1, "the frame did not come up %s", a);
		n = recv(rx, buf, sizeof(buf), 0);
		if (n == 10 + FLEN && !memcmp(buf + 10 + 6, f + 6, 6)) {
			flags = buf[0];
			break;
		}
	}
	close(rx);
	close(tx);
	return flags;
}

START_TEST(veth_hands_up_none)
{
	char *text;

	if (!root())
		return;
	et_veth("kc0", "kc1");
	ck_assert_int_eq(ofd_test_run(&text, true, "ip -n %s link set kc0 up && ip -n %s link set kc1 up",
				      et_ns, et_ns), 0);
	free(text);
	/* GRO off on the receiving end: veth's own claim, which is none. */
	et_set("kc0", ETHTOOL_SGRO, 0);
	ck_assert_int_eq(kernel_flags("kc0", "kc1"), 0);
	/* GRO on and an eligible sender: the kernel validates and says so. */
	et_set("kc0", ETHTOOL_SGRO, 1);
	et_set("kc1", ETHTOOL_STSO, 0);
	ck_assert_int_eq(kernel_flags("kc0", "kc1"), 2 /* VIRTIO_NET_HDR_F_DATA_VALID */);
}
END_TEST


#define PROBE_HASH 0x12345678u

static int tap_hash_probe(void *arg)
{
	struct tpacket_req3 req = { .tp_block_size = 1 << 16, .tp_block_nr = 4,
				    .tp_frame_size = 2048, .tp_frame_nr = 4 * 32,
				    .tp_retire_blk_tov = 10,
				    .tp_feature_req_word = TP_FT_REQ_FILL_RXHASH };
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	uint8_t hdr[20] = { 0 }, f[FLEN];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { f, FLEN } };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int tap, s, v = TPACKET_V3, sz = 20, one = 1, tries;
	uint32_t *out = arg, blk;
	uint8_t *ring;

	tap = open("/dev/net/tun", O_RDWR);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "tcs0");
	if (tap < 0 || ioctl(tap, TUNSETIFF, &ifr) || ioctl(tap, TUNSETVNETHDRSZ, &sz) ||
	    ioctl(tap, TUNSETVNETLE, &one))
		return -1;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ifr.ifr_flags = IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) || ioctl(s, SIOCGIFINDEX, &ifr))
		return -2;
	close(s);
	sll.sll_ifindex = ifr.ifr_ifindex;
	s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (s < 0 || setsockopt(s, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(s, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return -3;
	ring = mmap(NULL, (size_t)req.tp_block_size * req.tp_block_nr, PROT_READ | PROT_WRITE,
		    MAP_SHARED, s, 0);
	if (ring == MAP_FAILED || bind(s, (struct sockaddr *)&sll, sizeof(sll)))
		return -4;
	/* virtio_net_hdr_v1 (12 bytes, nothing asked), then hash_value and
	 * hash_report little endian: TCPv4. */
	hdr[12] = PROBE_HASH & 0xff, hdr[13] = (PROBE_HASH >> 8) & 0xff;
	hdr[14] = (PROBE_HASH >> 16) & 0xff, hdr[15] = PROBE_HASH >> 24;
	hdr[16] = 2 /* VIRTIO_NET_HASH_REPORT_TCPv4 */;
	tcp4_frame(f, false);
	if (writev(tap, iov, 2) != (ssize_t)sizeof(hdr) + FLEN)
		return -5;
	for (tries = 0; tries < 50; tries++) {
		for (blk = 0; blk < req.tp_block_nr; blk++) {
			struct tpacket_block_desc *bd =
				(void *)(ring + (size_t)blk * req.tp_block_size);
			struct tpacket3_hdr *h;
			uint32_t k;

			if (!(bd->hdr.bh1.block_status & TP_STATUS_USER))
				continue;
			h = (void *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
			for (k = 0; k < bd->hdr.bh1.num_pkts; k++) {
				const uint8_t *d = (const uint8_t *)h + h->tp_mac;

				if (h->tp_snaplen == FLEN && !memcmp(d + 6, f + 6, 6)) {
					*out = h->hv1.tp_rxhash;
					munmap(ring, (size_t)req.tp_block_size * req.tp_block_nr);
					close(s);
					close(tap);
					return 0;
				}
				h = (void *)((uint8_t *)h + h->tp_next_offset);
			}
			bd->hdr.bh1.block_status = TP_STATUS_KERNEL;
		}
		usleep(20000);
	}
	return -6;
}

START_TEST(tun_takes_no_hash)
{
	char err[256] = "";
	uint32_t h = PROBE_HASH;
	int fd, e;

	if (!root())
		return;
	ck_assert_msg(ofd_netns_open(et_ns, &fd, err, sizeof(err)) == 0, "%s", err);
	e = ofd_netns_run(fd, tap_hash_probe, &h);
	close(fd);
	ck_assert_msg(e == 0, "probe step %d", e);
	/* Filled (the kernel's siphash is never 0, 5.2), and not ours. */
	ck_assert_uint_ne(h, 0);
	ck_assert_msg(h != PROBE_HASH, "the written hash reached skb->hash: use it for rss");
}
END_TEST

static void *open_iface(struct ofd_engine_param *p, unsigned int np, uint32_t caps)
{
	struct ofd_engine_opts o = { .caps = caps, .profile_dir = "specs/profiles",
				     .params = p, .nparams = np };
	void *priv = NULL;

	ck_assert_int_eq(ofd_engine_iface.open(&o, &priv), 0);
	return priv;
}

static void run1(void *priv, enum ofd_offload off, uint8_t *f, struct ofd_result *r)
{
	struct ofd_pkt pkt = { .data = f, .len = FLEN };
	struct ofd_case c = { .id = 1, .offload = off, .npkts = 1, .pkts = &pkt };
	struct ofd_result *rs[1] = { r };

	ofd_result_reset(r);
	ck_assert_int_eq(ofd_engine_iface.run(priv, &c, rs, 1), 0);
}

START_TEST(veth_rx_csum)
{
	struct ofd_engine_param p[] = { { "netns", et_ns }, { "port", "rc0" }, { "peer", "rc1" } };
	uint8_t good[FLEN], bad[FLEN], out[FLEN];
	struct ofd_result *r;
	void *priv;

	if (!root())
		return;
	et_veth("rc0", "rc1");
	et_set("rc0", ETHTOOL_SGRO, 1);
	ck_assert_int_eq(ofd_result__new(1 << 16, &r), 0);
	tcp4_frame(good, false);
	tcp4_frame(bad, true);
	priv = open_iface(p, 3, OFD_CAP(OFD_OFFLOAD_RX_CSUM));
	ck_assert_msg(et_get("rc0", ETHTOOL_GGRO) == 0, "rx-gro left on for rx-csum");

	run1(priv, OFD_OFFLOAD_RX_CSUM, bad, r);
	ck_assert_msg(r->status == OFD_RES_OK, "status %u (%s)", r->status,
		      r->detail ? r->detail : "");
	ck_assert_uint_eq(r->nframes, 1);
	ck_assert(r->frame[0].meta.has & OFD_META_CSUM_STATE);
	/* veth_hands_up_none: the kernel gives no flag, so NONE. */
	ck_assert_uint_eq(r->frame[0].meta.csum_state, OFD_CSUM_STATE_NONE);
	ck_assert_uint_eq(r->frame[0].len, FLEN);
	ofd_frame_materialize(&r->frame[0], out);
	ck_assert_mem_eq(out, bad, FLEN);

	run1(priv, OFD_OFFLOAD_RX_CSUM, good, r);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r->detail, "CHECKSUM_COMPLETE look alike"));

	run1(priv, OFD_OFFLOAD_RSS, good, r);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	/* a campaign without rss opens no rss (check_iface_rss.c runs it) */
	ck_assert_ptr_nonnull(strstr(r->detail, "opened without rss"));
	ck_assert_uint_lt(strlen(r->detail), 200);

	ofd_engine_iface.close(priv);
	ck_assert_msg(et_get("rc0", ETHTOOL_GGRO) == 1, "rx-gro not put back");
	ofd_result__free(r);
}
END_TEST

START_TEST(vnic_unsupported)
{
	struct ofd_engine_param p[] = { { "vnic", "conformant" } };
	uint8_t good[FLEN];
	struct ofd_result *r;
	void *priv;

	if (!root())
		return;
	ck_assert_int_eq(ofd_result__new(1 << 16, &r), 0);
	tcp4_frame(good, false);
	priv = open_iface(p, 1, OFD_CAP(OFD_OFFLOAD_RX_CSUM) | OFD_CAP(OFD_OFFLOAD_RSS));
	run1(priv, OFD_OFFLOAD_RX_CSUM, good, r);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r->detail, "tun ignores VIRTIO_NET_HDR_F_DATA_VALID on write"));
	run1(priv, OFD_OFFLOAD_RSS, good, r);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r->detail, "tun sets no skb->hash"));
	ck_assert_uint_lt(strlen(r->detail), 200);
	ofd_engine_iface.close(priv);
	ofd_result__free(r);
}
END_TEST


/* A read-back of frame f as iface_rx.c keeps it: vnet flags as read. */
static void readback(struct ofd_result *r, const uint8_t *f, uint32_t len, uint8_t flags,
		     unsigned int n)
{
	unsigned int i;

	ofd_result_reset(r);
	for (i = 0; i < n; i++) {
		struct ofd_frame *fr = ofd_result_add_ref(r, f, len);

		ck_assert_ptr_nonnull(fr);
		memset(&fr->meta, 0, sizeof(fr->meta));
		fr->meta.has = OFD_META_VNET | OFD_META_CSUM_STATE;
		fr->meta.vnet.flags = flags;
	}
}

/* tcp4_frame inside VXLAN (UDP 4789) over IPv4; outer UDP checksum
 * given. */
#define VLEN (14 + 20 + 8 + 8 + FLEN)
static void vxlan_frame(uint8_t *f, uint16_t ucsum)
{
	uint16_t c;

	memset(f, 0, VLEN);
	tcp4_frame(f + 50, false);
	memcpy(f, f + 50, 12);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)((VLEN - 14) >> 8), f[17] = (uint8_t)(VLEN - 14);
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, (uint8_t[]){ 10, 1, 0, 1, 10, 1, 0, 2 }, 8);
	c = (uint16_t)~ofd_test_fold(ofd_test_sum(f + 14, 20, 0));
	f[24] = (uint8_t)(c >> 8), f[25] = (uint8_t)c;
	f[34] = 0xc0, f[35] = 0x01, f[36] = 0x12, f[37] = 0xb5; /* -> 4789 */
	f[38] = (uint8_t)((VLEN - 34) >> 8), f[39] = (uint8_t)(VLEN - 34);
	f[40] = (uint8_t)(ucsum >> 8), f[41] = (uint8_t)ucsum;
	f[42] = 0x08; /* VNI valid */
}

START_TEST(visibility_rules)
{
	uint8_t t[FLEN], v[VLEN];
	struct ofd_pkt pkt = { .data = t, .len = FLEN };
	struct ofd_case c = { .id = 1, .offload = OFD_OFFLOAD_RX_CSUM, .npkts = 1, .pkts = &pkt };
	struct ofd_rxcsum a;
	struct ofd_result *r;

	ck_assert_int_eq(ofd_result__new(1 << 16, &r), 0);
	tcp4_frame(t, false);
	readback(r, t, FLEN, 2 /* DATA_VALID */, 1);
	ck_assert_int_eq(iface_rx_csum_answer(&c, r), 0);
	ck_assert_uint_eq(r->status, OFD_RES_OK);
	ck_assert_uint_eq(r->frame[0].meta.has, OFD_META_CSUM_STATE);
	ck_assert_uint_eq(r->frame[0].meta.csum_state, OFD_CSUM_STATE_UNNECESSARY);
	ck_assert_uint_eq(r->frame[0].meta.csum_level, 0);

	readback(r, t, FLEN, 0, 0);
	iface_rx_csum_answer(&c, r);
	ck_assert_uint_eq(r->status, OFD_RES_REJECTED);
	readback(r, t, FLEN, 0, 2);
	iface_rx_csum_answer(&c, r);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);

	/* Two layers: the outer UDP checksum 0 (IPv4: none, it counts as
	 * verified) and the inner TCP one. */
	vxlan_frame(v, 0);
	ofd_rx_csum_analyse(v, VLEN, &a);
	ck_assert_uint_eq(a.n, 2);
	pkt.data = v, pkt.len = VLEN;
	readback(r, v, VLEN, 2, 1);
	iface_rx_csum_answer(&c, r);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r->detail, "csum_level"));
	/* The outer checksum wrong (0x1234 is not its sum): vouching for it
	 * is wrong at any level. */
	vxlan_frame(v, 0x1234);
	ofd_rx_csum_analyse(v, VLEN, &a);
	ck_assert_uint_eq(a.layer[0].status, OFD_RXCSUM_BAD);
	readback(r, v, VLEN, 2, 1);
	iface_rx_csum_answer(&c, r);
	ck_assert_uint_eq(r->status, OFD_RES_OK);
	ck_assert_uint_eq(r->frame[0].meta.csum_state, OFD_CSUM_STATE_UNNECESSARY);
	ck_assert_uint_eq(r->frame[0].meta.csum_level, 0);
	ofd_result__free(r);
}
END_TEST

static Suite *iface_rx_csum_suite(void)
{
	Suite *s = suite_create("iface_rx_csum");
	TCase *tc = tcase_create("rx");

	tcase_add_unchecked_fixture(tc, ns_setup, et_iface_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, veth_hands_up_none);
	tcase_add_test(tc, veth_rx_csum);
	tcase_add_test(tc, vnic_unsupported);
	tcase_add_test(tc, tun_takes_no_hash);
	tcase_add_test(tc, visibility_rules);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(iface_rx_csum_suite);
