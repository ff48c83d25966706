// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_iface_rss.c - rss through the iface target (iface_rss*.c,
 * rss_readback.c). No NIC with RSS is on this machine, so:
 *
 *  readback_veth    a veth has no get_rxfh: ETHTOOL_GRSSH answers
 *                   EOPNOTSUPP, the read-back says so in one line, and an
 *                   rss case through iface on the pair is unsupported
 *                   with that line.
 *  converter        a raw read-back with the kernel's defaults
 *                   (ethtool_rxfh_indir_default: indir[i] = i % rings)
 *                   and Microsoft's 40-byte key, field sets tcp4 sdfn,
 *                   udp4 sd: ofd_rss_compute under the converted
 *                   configuration gives Microsoft's verification values
 *                   (66.9.149.187:2794 -> 161.142.100.80:1766: IPv4
 *                   0x323e8fc2, with TCP ports 0x51ccc178) and the queue
 *                   indir[hash & 127]. A 2048-entry table (ice's size)
 *                   that repeats every 4 is folded, one over 6 rings
 *                   (no power-of-two period within 512) is refused, as
 *                   are RXH_VLAN and RXH_DISCARD; a refused GRXFH marks
 *                   its flow unread. The converted default is the model's
 *                   (its 52-byte key reads 40 bytes under the default
 *                   field sets); a flipped key bit, a udp4 sdfn set or a
 *                   2-queue table are not, and the ethtool line printed
 *                   for the user is exact.
 *  answer_rules     iface_rss_answer on hand-made read-backs: XDP types
 *                   to hash and flow types, the TPACKET_V3 fallback's
 *                   attributable and non-attributable cases; which frame
 *                   read back is the case's (padded, VLAN-stripped).
 *  xdp_on_veth      the XDP program on a veth pair in the test's
 *                   namespace (veth_xdp_rx_hash: skb_get_hash(), type
 *                   L4_ANY when skb->l4_hash, else NONE): for TCP, UDP
 *                   and port-less frames the hash read through XDP equals
 *                   tp_rxhash read through the TPACKET_V3 fanout group
 *                   for the same frames, and the kernel engine's own
 *                   flow hash of the frame (ofd_kernel_rxhash: same boot,
 *                   same hashrnd); the queue is 0.
 *  iface_on_veth    the whole rss path of the iface target on a veth pair,
 *                   with a read-back made by hand (veth has no RSS to read):
 *                   a device configured otherwise than the model's default
 *                   (the reference `run` opens) refuses to open; one that
 *                   cannot be made so (2 rings) has its cases unsupported
 *                   by name; on the default, a TCP
 *                   case sent from the peer comes back as the record of
 *                   the XDP read-back: the kernel's own flow hash (veth's
 *                   kfunc), L4, tcp4 (veth names no family: the model's),
 *                   queue 0. With rss_read=tpacket the case is unsupported:
 *                   veth records no rx queue for the fanout group.
 *
 * Root only for the namespace tests; without it they say so and pass.
 */
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include "ethtool_test_util.h"
#include "iface_internal.h"
#include "iface_rss.h"
#include "ofd.h"
#include "ofd_kernel_flowdis.h"
#include "ofd_netns.h"
#include "ofd_offload.h"
#include "ofd_port.h"
#include "ofd_xdp_rxhash.h"

extern const struct ofd_engine_ops ofd_engine_iface;
extern const struct ofd_engine_ops ofd_engine_kernel;

static bool root(void)
{
	return et_root("iface_rss");
}

static void ns_setup(void)
{
	et_iface_setup("ifrss");
}

/* Microsoft's RSS verification flow: 66.9.149.187:2794 -> 161.142.100.80:1766. */
#define MS_IPV4_HASH 0x323e8fc2u
#define MS_TCP4_HASH 0x51ccc178u

/* An Ethernet + IPv4 frame, proto 6 (TCP, 20-byte header), 17 (UDP) or
 * other (no L4 header), from src:sport to dst:dport; its length. */
static uint32_t ip4_frame(uint8_t *f, uint8_t proto, const uint8_t src[4],
			  const uint8_t dst[4], uint16_t sport, uint16_t dport)
{
	uint32_t l4 = proto == 6 ? 20 : proto == 17 ? 8 : 8, len = 14 + 20 + l4 + 16;

	memset(f, 0, len);
	memcpy(f, (uint8_t[]){ 0x02, 0, 0, 0, 0x55, 1, 0x02, 0, 0, 0, 0x55, 2 }, 12);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)((len - 14) >> 8);
	f[17] = (uint8_t)(len - 14);
	f[22] = 64;
	f[23] = proto;
	memcpy(f + 26, src, 4);
	memcpy(f + 30, dst, 4);
	f[34] = (uint8_t)(sport >> 8), f[35] = (uint8_t)sport;
	f[36] = (uint8_t)(dport >> 8), f[37] = (uint8_t)dport;
	if (proto == 6)
		f[46] = 0x50, f[47] = 0x10;
	else if (proto == 17)
		f[38] = (uint8_t)((l4 + 16) >> 8), f[39] = (uint8_t)(l4 + 16);
	return len;
}

static const uint8_t ms_src[4] = { 66, 9, 149, 187 }, ms_dst[4] = { 161, 142, 100, 80 };

/* The kernel's defaults for a 4-ring NIC with Microsoft's key. */
static void default_readback(struct ofd_rss_readback *rb, uint32_t size, uint32_t rings)
{
	uint32_t i;

	memset(rb, 0, sizeof(*rb));
	snprintf(rb->ifname, sizeof(rb->ifname), "nic0");
	rb->rx_rings = rings;
	rb->hfunc = OFD_RSS_RB_HFUNC_TOP;
	rb->key_size = 40;
	memcpy(rb->key, ofd_rss_key_microsoft, 40);
	rb->indir_size = size;
	for (i = 0; i < size; i++)
		rb->indir[i] = i % rings; /* ethtool_rxfh_indir_default */
	rb->fields[0] = OFD_RXH_IP_SRC | OFD_RXH_IP_DST | OFD_RXH_L4; /* tcp4 sdfn */
	rb->fields[1] = OFD_RXH_IP_SRC | OFD_RXH_IP_DST;              /* udp4 sd */
	rb->fields[2] = rb->fields[0];
	rb->fields[3] = rb->fields[1];
	rb->fields[4] = rb->fields[1];
	rb->fields[5] = rb->fields[1];
}

static struct ofd_rss_readback rb; /* 33 KB: not on the stack */
static struct iface_rss_dev dev, dev2;

START_TEST(readback_veth)
{
	struct ofd_engine_param p[] = { { "netns", et_ns }, { "port", "ra0" }, { "peer", "ra1" } };
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_RSS), .params = p, .nparams = 3 };
	static const char want[] = "ETHTOOL_GRSSH on ra0: Operation not supported: the device has no RSS";
	uint8_t f[128];
	struct ofd_pkt pkt = { .data = f };
	struct ofd_case c = { .offload = OFD_OFFLOAD_RSS, .npkts = 1, .pkts = &pkt };
	struct ofd_result *r, *rs[1];
	char why[256] = "";
	void *priv = NULL;
	int s;

	if (!root())
		return;
	et_veth("ra0", "ra1");
	s = et_sock();
	ck_assert_int_eq(ofd_rss_readback(s, "ra0", &rb, why, sizeof(why)), -EOPNOTSUPP);
	close(s);
	ck_assert_str_eq(why, want);
	ck_assert_int_eq(ofd_rss_readback(-1, "no-such-if0", &rb, why, sizeof(why)), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "ETHTOOL_GRSSH on no-such-if0: No such device"));

	ck_assert_int_eq(ofd_engine_iface.open(&eo, &priv), 0);
	ck_assert_int_eq(ofd_result__new(1 << 16, &r), 0);
	rs[0] = r;
	pkt.len = ip4_frame(f, 6, ms_src, ms_dst, 2794, 1766);
	ofd_result_reset(r);
	ck_assert_int_eq(ofd_engine_iface.run(priv, &c, rs, 1), 0);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	ck_assert_str_eq(r->detail, want);
	ofd_engine_iface.close(priv);
	ofd_result__free(r);
}
END_TEST

START_TEST(converter)
{
	struct ofd_rss_out o;
	uint8_t f[128];
	char why[320] = "", set[1024];
	uint32_t len, i;

	default_readback(&rb, 128, 4);
	ck_assert_msg(!iface_rss_config_from(&rb, &dev, why, sizeof(why)), "%s", why);
	ck_assert_uint_eq(dev.cfg.indir_size, 128);
	ck_assert_uint_eq(dev.cfg.nqueues, 4);
	ck_assert_ptr_eq(dev.cfg.fast, &dev.tab);

	len = ip4_frame(f, 6, ms_src, ms_dst, 2794, 1766);
	ck_assert_int_eq(ofd_rss_compute(&dev.cfg, NULL, f, len, &o), 0);
	ck_assert_uint_eq(o.hash, MS_TCP4_HASH);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
	ck_assert_uint_eq(o.flow_type, OFD_RSS_FLOW_TCP4);
	ck_assert_uint_eq(o.queue, (MS_TCP4_HASH & 127) % 4);
	len = ip4_frame(f, 17, ms_src, ms_dst, 2794, 1766);
	ck_assert_int_eq(ofd_rss_compute(&dev.cfg, NULL, f, len, &o), 0);
	ck_assert_uint_eq(o.hash, MS_IPV4_HASH);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L3);
	ck_assert_uint_eq(o.queue, (MS_IPV4_HASH & 127) % 4);

	/* Microsoft's 40-byte key is the model's 52-byte default where the
	 * default field sets read (36-byte tuples + 4): the same device. */
	ck_assert_msg(iface_rss_config_same(&dev.cfg, ofd_rss_config_shared(), 0, why,
					    sizeof(why)), "%s", why);
	rb.key[39] ^= 1;
	ck_assert(!iface_rss_config_from(&rb, &dev2, why, sizeof(why)));
	ck_assert(!iface_rss_config_same(&dev2.cfg, ofd_rss_config_shared(), 0, why, sizeof(why)));
	ck_assert_str_eq(why, "the key differs in the 40 bytes the field sets read");
	/* ... and what configures it back: the model's key in the device's
	 * 40 bytes, its table, its udp4 set */
	rb.key[39] ^= 1;
	rb.fields[1] |= OFD_RXH_L4;
	for (i = 0; i < 128; i++)
		rb.indir[i] = i % 2;
	ck_assert(!iface_rss_config_from(&rb, &dev2, why, sizeof(why)));
	ck_assert(!iface_rss_config_same(&dev2.cfg, ofd_rss_config_shared(), 0, why, sizeof(why)));
	ck_assert_str_eq(why, "the udp4 field sets differ");
	ck_assert(iface_rss_ethtool_fix(&dev2, ofd_rss_config_shared(), "nic0", set, sizeof(set)));
	{
		char want[512];
		size_t at;

		at = (size_t)snprintf(want, sizeof(want), "ethtool -X nic0 hfunc toeplitz hkey ");
		for (i = 0; i < 40; i++)
			at += (size_t)snprintf(want + at, sizeof(want) - at, "%s%02x", i ? ":" : "",
					       ofd_rss_key_microsoft[i]);
		snprintf(want + at, sizeof(want) - at,
			 " equal 4 xfrm none; ethtool -N nic0 rx-flow-hash udp4 sd");
		ck_assert_str_eq(set, want);
	}
	rb.fields[1] &= ~OFD_RXH_L4;
	ck_assert(!iface_rss_config_from(&rb, &dev2, why, sizeof(why)));
	ck_assert(!iface_rss_config_same(&dev2.cfg, ofd_rss_config_shared(), 0, why, sizeof(why)));
	ck_assert_str_eq(why, "the indirection tables differ at entry 2");

	/* ice's 2048 entries over 4 rings: period 4, every queue the same. */
	default_readback(&rb, 2048, 4);
	ck_assert_msg(!iface_rss_config_from(&rb, &dev2, why, sizeof(why)), "%s", why);
	ck_assert_uint_eq(dev2.cfg.indir_size, 4);
	ck_assert_uint_eq(dev2.device_indir_size, 2048);
	for (i = 0; i < 2048; i++)
		ck_assert_uint_eq(ofd_rss_queue(dev2.cfg.indir, dev2.cfg.indir_size, i * 2654435761u),
				  rb.indir[(i * 2654435761u) & 2047]);
	ck_assert(iface_rss_config_same(&dev.cfg, &dev2.cfg, 0, why, sizeof(why)));
	/* over 6 rings it does not repeat within 512 */
	default_readback(&rb, 2048, 6);
	ck_assert_int_eq(iface_rss_config_from(&rb, &dev2, why, sizeof(why)), -EOPNOTSUPP);
	ck_assert_ptr_nonnull(strstr(why, "2048 entries that do not repeat within 512"));
	/* RXH_VLAN (1 << 2), RXH_DISCARD (1 << 31) */
	default_readback(&rb, 128, 4);
	rb.fields[1] |= 1u << 2;
	ck_assert_int_eq(iface_rss_config_from(&rb, &dev2, why, sizeof(why)), -EOPNOTSUPP);
	ck_assert_ptr_nonnull(strstr(why, "hashes udp4 on RXH_* bits 0x4"));
	default_readback(&rb, 128, 4);
	rb.fields[4] = 1u << 31;
	ck_assert_int_eq(iface_rss_config_from(&rb, &dev2, why, sizeof(why)), -EOPNOTSUPP);
	ck_assert_ptr_nonnull(strstr(why, "discards ipv4 frames"));
	default_readback(&rb, 128, 4);
	rb.input_xfrm = OFD_RSS_RB_XFRM_SYM_XOR;
	rb.fields_err[5] = -EINVAL;
	ck_assert_msg(!iface_rss_config_from(&rb, &dev2, why, sizeof(why)), "%s", why);
	ck_assert_uint_eq(dev2.cfg.xfrm, OFD_RSS_XFRM_SYM_XOR);
	ck_assert_uint_eq(dev2.flows_unread, 1u << 5);
}
END_TEST

START_TEST(answer_rules)
{
	struct ofd_rss_out m = { .hash = MS_TCP4_HASH, .hash_type = OFD_RSS_HASH_L4,
				 .flow_type = OFD_RSS_FLOW_TCP4, .queue = 0 };
	struct iface_rss_rec r = { .hash = 0x1234, .has_type = true, .queue_known = true,
				   .queue = 3 };
	struct ofd_rss_out o;
	const char *why = NULL;

	/* XDP: L4_IPV4_TCP (25) */
	r.rss_type = OFD_XDP_RSS_L3_IPV4 | OFD_XDP_RSS_L4 | OFD_XDP_RSS_L4_TCP;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash, 0x1234);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
	ck_assert_uint_eq(o.flow_type, OFD_RSS_FLOW_TCP4);
	ck_assert_uint_eq(o.queue, 3);
	/* L3_IPV4 alone on a TCP frame: an L3 hash, the family agrees */
	r.rss_type = OFD_XDP_RSS_L3_IPV4;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L3);
	ck_assert_uint_eq(o.flow_type, OFD_RSS_FLOW_TCP4);
	/* L4_IPV6_UDP on an IPv4 TCP frame: the driver's flow type */
	r.rss_type = OFD_XDP_RSS_L3_IPV6 | OFD_XDP_RSS_L4 | OFD_XDP_RSS_L4_UDP;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.flow_type, OFD_RSS_FLOW_UDP6);
	/* no type bits: an L2 hash when there is one, else none */
	r.rss_type = 0;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L2);
	ck_assert_uint_eq(o.flow_type, OFD_RSS_FLOW_TCP4);
	r.hash = 0;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_NONE);
	/* -ENODATA: no hash */
	r.err = -ENODATA;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash, 0);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_NONE);

	/* TPACKET_V3: the model's hash is the device's, L4 */
	memset(&r, 0, sizeof(r));
	r.queue_known = true;
	r.queue = 1;
	r.hash = MS_TCP4_HASH;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash, MS_TCP4_HASH);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
	ck_assert_uint_eq(o.queue, 1);
	/* another value where the model's is L4: not attributable */
	r.hash = 0x9999;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "look alike"));
	/* the model's is L3: judged on the queue */
	m.hash = MS_IPV4_HASH;
	m.hash_type = OFD_RSS_HASH_L3;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash, MS_IPV4_HASH);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L3);
	ck_assert_uint_eq(o.queue, 1);
	/* the model's L3 hash read back: the device typed it L4 */
	r.hash = MS_IPV4_HASH;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 1);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
	/* frames read back: the case's own, padded, VLAN-stripped; not others */
	{
		uint8_t fr[128], tagged[132], pad[64];
		uint32_t n = ip4_frame(fr, 17, ms_src, ms_dst, 1, 2);

		ck_assert(iface_rss_frame_matches(fr, n, fr, n));
		memcpy(pad, fr, n);
		memset(pad + n, 0, sizeof(pad) - n); /* 58 bytes padded to 64 */
		ck_assert(iface_rss_frame_matches(fr, n, pad, sizeof(pad)));
		memcpy(tagged, fr, 12);
		memcpy(tagged + 12, (uint8_t[]){ 0x81, 0, 0, 7 }, 4);
		memcpy(tagged + 16, fr + 12, n - 12);
		ck_assert(iface_rss_frame_matches(tagged, n + 4, fr, n));
		ck_assert(!iface_rss_frame_matches(fr, n, tagged, n + 4));
		fr[30] ^= 1; /* another destination address */
		ck_assert(!iface_rss_frame_matches(fr, n, pad, sizeof(pad)));
		ck_assert(!iface_rss_frame_matches(fr, 12, fr, 12));
	}
	/* no queue recorded */
	r.queue_known = false;
	ck_assert_int_eq(iface_rss_answer(&r, &m, &o, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "no rx queue"));
}
END_TEST

static void et_link_up(const char *port)
{
	char *text;

	ck_assert_msg(ofd_test_run(&text, true, "ip -n %s link set %s up", et_ns, port) == 0, "%s",
		      text);
	free(text);
}

#define NFRAMES 4

START_TEST(xdp_on_veth)
{
	static const uint8_t a6[4] = { 10, 1, 2, 3 }, b6[4] = { 10, 9, 8, 7 };
	struct iface_rss_reader *xdp = NULL, *fan = NULL;
	struct iface_rss_rec rx[NFRAMES], rf[NFRAMES];
	struct ofd_engine_opts keo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	struct ofd_engine *ke = NULL;
	uint8_t frames[NFRAMES][128];
	const uint8_t *fp[NFRAMES];
	uint32_t lens[NFRAMES], kh[NFRAMES];
	struct ofd_vnet_hdr zero;
	char why[256] = "", msg[512] = "";
	const char *kwhy = NULL;
	int nsfd, port_ix, peer_ix, tx, s, i;
	unsigned int mtu;
	uint64_t others = 0;

	if (!root())
		return;
	et_veth("rx0", "rx1");
	et_link_up("rx0");
	et_link_up("rx1");
	ck_assert_int_eq(ofd_netns_open(et_ns, &nsfd, why, sizeof(why)), 0);
	s = et_sock();
	ck_assert_int_eq(ofd_port_lookup(s, "rx0", &port_ix, &mtu, why, sizeof(why)), 0);
	ck_assert_int_eq(ofd_port_lookup(s, "rx1", &peer_ix, &mtu, why, sizeof(why)), 0);
	close(s);
	/* XDP on the receiving end gives it NAPI (veth_xdp_rcv_skb runs
	 * the program on each skb the peer's veth_xmit hands over). */
	ck_assert_msg(!iface_rss_reader_xdp(nsfd, port_ix, &xdp, why, sizeof(why)), "%s", why);
	ck_assert(iface_rss_reader_is_xdp(xdp));
	ck_assert_msg(!iface_rss_reader_fanout(nsfd, port_ix, 4, &fan, why, sizeof(why)), "%s",
		      why);
	tx = ofd_port_open_tx(nsfd, peer_ix);
	ck_assert_int_ge(tx, 0);
	memset(&zero, 0, sizeof(zero));

	lens[0] = ip4_frame(frames[0], 6, ms_src, ms_dst, 2794, 1766);
	lens[1] = ip4_frame(frames[1], 17, ms_src, ms_dst, 53, 5353);
	lens[2] = ip4_frame(frames[2], 47, a6, b6, 0, 0); /* GRE number, no GRE header: no ports */
	lens[3] = ip4_frame(frames[3], 6, ms_dst, ms_src, 1766, 2794); /* frame 0 reversed */
	for (i = 0; i < NFRAMES; i++) {
		frames[i][11] = (uint8_t)(0x10 + i); /* each its own source MAC to match */
		fp[i] = frames[i];
		iface_rss_reader_drain(xdp);
		iface_rss_reader_drain(fan);
		ck_assert_int_eq(ofd_port_send(tx, &zero, frames[i], lens[i]), 0);
		ck_assert_int_eq(iface_rss_reader_next(xdp, frames[i], lens[i], 1000, &rx[i], &others), 1);
		ck_assert_int_eq(iface_rss_reader_next(fan, frames[i], lens[i], 1000, &rf[i], &others), 1);
		ck_assert_int_eq(rx[i].err, 0);
		ck_assert(rx[i].has_type && !rf[i].has_type);
		/* XDP ran first and set skb->hash; the tap's read is that hash */
		ck_assert_uint_eq(rx[i].hash, rf[i].hash);
		ck_assert_uint_ne(rx[i].hash, 0);
		ck_assert_uint_eq(rx[i].queue, 0);
		ck_assert_uint_eq(rx[i].len, lens[i]);
		ck_assert_uint_eq(rx[i].headlen, lens[i] < 64 ? lens[i] : 64);
		ck_assert_mem_eq(rx[i].head, frames[i], rx[i].headlen);
		/* veth: L4_ANY when the kernel's hash covered ports */
		ck_assert_uint_eq(rx[i].rss_type, i == 2 ? 0 : OFD_XDP_RSS_L4);
		/* the fanout group (4 rings here): veth records no rx queue
		 * (no skb_record_rx_queue), so socket 0 has every frame */
		ck_assert(!rf[i].queue_known);
	}
	close(tx);
	iface_rss_reader_close(xdp);
	iface_rss_reader_close(fan);
	close(nsfd);

	/* The kernel engine's own flow hash of each frame: equal. */
	if (ofd_engine_kernel.probe(msg, sizeof(msg))) {
		fprintf(stderr, "iface_rss: kernel hash not compared: %s\n", msg);
		return;
	}
	ck_assert_msg(!ofd_engine__open("kernel", &keo, &ke, msg, sizeof(msg)), "%s", msg);
	ck_assert_msg(!ofd_kernel_rxhash(ke, -1, fp, lens, NFRAMES, kh, &kwhy), "%s",
		      kwhy ? kwhy : "?");
	for (i = 0; i < NFRAMES; i++)
		ck_assert_msg(kh[i] == rx[i].hash, "frame %d: kernel 0x%08x, XDP 0x%08x", i, kh[i],
			      rx[i].hash);
	/* __flow_hash_consistentify: the reverse flow hashes the same */
	ck_assert_uint_eq(rx[0].hash, rx[3].hash);
	ofd_engine__close(ke);
}
END_TEST

START_TEST(iface_on_veth)
{
	struct ofd_engine_param p[4] = { { "netns", et_ns }, { "port", "rf0" }, { "peer", "rf1" } };
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_RSS), .params = p, .nparams = 3 };
	struct ofd_engine_opts keo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	uint8_t f[128], rec[OFD_RSS_REC_LEN];
	struct ofd_pkt pkt = { .data = f };
	struct ofd_case c = { .offload = OFD_OFFLOAD_RSS, .npkts = 1, .pkts = &pkt };
	struct ofd_result *r, *rs[1];
	struct ofd_engine *ke = NULL;
	struct ofd_rss_out o;
	char msg[512] = "";
	const char *kwhy = NULL;
	const uint8_t *fp[1] = { f };
	uint32_t kh;
	struct iface *ifc;
	void *priv = NULL;

	if (!root())
		return;
	et_veth("rf0", "rf1");
	ck_assert_int_eq(ofd_engine_iface.open(&eo, &priv), 0);
	ifc = priv;
	/* veth: no RSS, so the target has only the reason; now devices
	 * as if read back */
	ck_assert_ptr_nonnull(ifc->rss);
	iface_rss_close(ifc);
	/* another key: refused, the ethtool line printed */
	default_readback(&rb, 128, 4);
	snprintf(rb.ifname, sizeof(rb.ifname), "rf0");
	rb.key[0] ^= 0x80;
	ck_assert_int_eq(iface_rss_open_readback(ifc, &rb, 0, "", &eo), -EINVAL);
	iface_rss_close(ifc);
	/* two rings: the model's table over 4 queues cannot be set */
	default_readback(&rb, 128, 2);
	snprintf(rb.ifname, sizeof(rb.ifname), "rf0");
	ck_assert_int_eq(iface_rss_open_readback(ifc, &rb, 0, "", &eo), 0);
	pkt.len = ip4_frame(f, 6, ms_src, ms_dst, 2794, 1766);
	ck_assert_int_eq(ofd_result__new(1 << 16, &r), 0);
	rs[0] = r;
	ofd_result_reset(r);
	ck_assert_int_eq(ofd_engine_iface.run(priv, &c, rs, 1), 0);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r->detail, "cannot be made so (2 rx rings for the model's 4"));
	iface_rss_close(ifc);
	/* the model's default (Microsoft's key in 40 bytes, 4 rings) */
	default_readback(&rb, 128, 4);
	snprintf(rb.ifname, sizeof(rb.ifname), "rf0");
	ck_assert_int_eq(iface_rss_open_readback(ifc, &rb, 0, "", &eo), 0);

	ofd_result_reset(r);
	ck_assert_int_eq(ofd_engine_iface.run(priv, &c, rs, 1), 0);
	ck_assert_msg(r->status == OFD_RES_OK, "status %u: %s", r->status,
		      r->detail ? r->detail : "");
	ck_assert_uint_eq(r->nframes, 1);
	ck_assert_uint_eq(r->frame[0].len, OFD_RSS_REC_LEN);
	ofd_frame_materialize(&r->frame[0], rec);
	ck_assert_int_eq(ofd_rss_out_get(rec, sizeof(rec), &o), 0);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
	ck_assert_uint_eq(o.flow_type, OFD_RSS_FLOW_TCP4);
	ck_assert_uint_eq(o.queue, 0);
	/* veth's hash is the kernel's siphash, not Toeplitz */
	ck_assert_uint_ne(o.hash, MS_TCP4_HASH);

	/* The TPACKET_V3 read-back: veth records no rx queue (socket 0 of
	 * the fanout group), which on a 4-ring device is no queue at all:
	 * unsupported by name, before any hash rule (answer_rules has those). */
	iface_rss_close(ifc);
	p[eo.nparams].key = "rss_read";
	p[eo.nparams++].value = "tpacket";
	ck_assert_int_eq(iface_rss_open_readback(ifc, &rb, 0, "", &eo), 0);
	ofd_result_reset(r);
	ck_assert_int_eq(ofd_engine_iface.run(priv, &c, rs, 1), 0);
	ck_assert_uint_eq(r->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r->detail, "recorded no rx queue"));
	ofd_engine_iface.close(priv);
	ofd_result__free(r);

	if (ofd_engine_kernel.probe(msg, sizeof(msg))) {
		fprintf(stderr, "iface_rss: kernel hash not compared: %s\n", msg);
		return;
	}
	ck_assert_msg(!ofd_engine__open("kernel", &keo, &ke, msg, sizeof(msg)), "%s", msg);
	pkt.len = ip4_frame(f, 6, ms_src, ms_dst, 2794, 1766);
	ck_assert_msg(!ofd_kernel_rxhash(ke, -1, fp, &pkt.len, 1, &kh, &kwhy), "%s",
		      kwhy ? kwhy : "?");
	ck_assert_uint_eq(o.hash, kh);
	ofd_engine__close(ke);
}
END_TEST

static Suite *iface_rss_suite(void)
{
	Suite *s = suite_create("iface_rss");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, ns_setup, et_iface_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, readback_veth);
	tcase_add_test(tc, converter);
	tcase_add_test(tc, answer_rules);
	tcase_add_test(tc, xdp_on_veth);
	tcase_add_test(tc, iface_on_veth);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(iface_rss_suite);
