// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_rss.c - the rss model (oracles/model/rss.c) end to end: the
 * model engine opened as a campaign opens it, whole frames in, the hash
 * record out. Expected values are Microsoft's verification hashes
 * (rss_test_util.h) and the rules of kernel-rx.md 5-6, never the model's
 * own output:
 *
 *  - the TCP frames of the verification table hash to the table's 4-tuple
 *    value, typed L4, queue (hash & 127) % 4 (ethtool_rxfh_indir_default
 *    over the default 128 entries and 4 queues);
 *  - UDP hashes on the 2-tuple by default (udp4/udp6 sd), typed L3, and on
 *    the 4-tuple under rss_hash=udp4=sdfn,udp6=sdfn;
 *  - a first fragment hashes on its 2-tuple (the dissector takes no ports
 *    from a fragment), under its IP flow type;
 *  - VLAN tags and IPv6 extension headers are skipped, a tunnel's inner
 *    tuple is hashed (the dissector's inner addresses overwrite);
 *  - the flow label counts only on request (RXH_IP6_FL), and then as
 *    src | dst | label | ports;
 *  - sym-xor gives A->B and B->A one hash, the definition's over the
 *    transformed tuple; the table and queue settings move the queue;
 *  - no IP, no hash; a frame shorter than Ethernet is rejected.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd_offload.h"
#include "ofd_test.h"
#include "rss_test_util.h"

extern const struct ofd_engine_ops ofd_engine_model;

static struct ofd_result *res;
static void *eng; /* the model engine's state */
static uint8_t frame[512];

static void open_model(const struct ofd_engine_param *params, unsigned int n)
{
	struct ofd_engine_opts o = { .params = params, .nparams = n,
				     .caps = OFD_CAP(OFD_OFFLOAD_RSS) };

	if (eng)
		ofd_engine_model.close(eng);
	eng = NULL;
	ck_assert_int_eq(ofd_engine_model.open(&o, &eng), 0);
}

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(4096, &res), 0);
	open_model(NULL, 0);
}

static void teardown(void)
{
	ofd_result__free(res);
	res = NULL;
	if (eng)
		ofd_engine_model.close(eng);
	eng = NULL;
}

/* frame[0, len) through the open model engine. */
static void run(uint32_t len, struct ofd_rss_out *o)
{
	struct ofd_case c;
	struct ofd_pkt p;

	rt_case(&c, &p, frame, len);
	ofd_result_reset(res);
	ck_assert_int_eq(ofd_engine_model.run(eng, &c, &res, 1), 0);
	rt_record(res, o);
}

START_TEST(microsoft_tcp_frames)
{
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_out o;

	run(rt_frame(v, RT_TCP, 0, frame, sizeof(frame)), &o);
	ck_assert_uint_eq(o.hash, v->h4);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
	ck_assert_uint_eq(o.flow_type, v->v6 ? OFD_RSS_FLOW_TCP6 : OFD_RSS_FLOW_TCP4);
	ck_assert_uint_eq(o.queue, rt_queue(v->h4, 128, 4));
}
END_TEST

START_TEST(udp_two_tuple_by_default)
{
	static const struct ofd_engine_param p[] = { { "rss_hash", "udp4=sdfn+udp6=sdfn" } };
	const struct rt_vector *v = &rt_ms[_i];
	uint32_t len = rt_frame(v, RT_UDP, 0, frame, sizeof(frame));
	struct ofd_rss_out o;

	run(len, &o);
	ck_assert_uint_eq(o.hash, v->h2);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L3);
	ck_assert_uint_eq(o.flow_type, v->v6 ? OFD_RSS_FLOW_UDP6 : OFD_RSS_FLOW_UDP4);
	open_model(p, 1);
	run(len, &o);
	ck_assert_uint_eq(o.hash, v->h4);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
}
END_TEST

START_TEST(fragment_two_tuple)
{
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_out o;

	run(rt_frame(v, RT_FRAG_FIRST, 0, frame, sizeof(frame)), &o);
	ck_assert_uint_eq(o.hash, v->h2);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L3);
	ck_assert_uint_eq(o.flow_type, v->v6 ? OFD_RSS_FLOW_IPV6 : OFD_RSS_FLOW_IPV4);
	ck_assert_uint_eq(o.queue, rt_queue(v->h2, 128, 4));
}
END_TEST

START_TEST(headers_skipped_inner_tuple)
{
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_out o;

	run(rt_frame(v, RT_VLAN_TCP, 0, frame, sizeof(frame)), &o);
	ck_assert_uint_eq(o.hash, v->h4);
	run(rt_frame(v, RT_IPIP_TCP, 0, frame, sizeof(frame)), &o);
	ck_assert_uint_eq(o.hash, v->h4);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_L4);
	if (v->v6) {
		run(rt_frame(v, RT_HBH_TCP, 0, frame, sizeof(frame)), &o);
		ck_assert_uint_eq(o.hash, v->h4);
	}
}
END_TEST

START_TEST(flow_label_on_request)
{
	static const struct ofd_engine_param p[] = { { "rss_hash", "tcp6=sdfnl" } };
	static char key[3 * 40];
	struct ofd_engine_param pk[2];
	const struct rt_vector *v = &rt_ms[5 + _i];
	uint32_t len = rt_frame(v, RT_TCP, 0x9abcd, frame, sizeof(frame));
	uint8_t in[40];
	struct ofd_rss_out o;
	unsigned int i;

	/* a label is not hashed unless asked for */
	run(len, &o);
	ck_assert_uint_eq(o.hash, v->h4);
	/* asked for: src | dst | 0x0009abcd | sport | dport (44 bytes of key
	 * needed: the default's 52 hold it) */
	memcpy(in, v->src, 16);
	memcpy(in + 16, v->dst, 16);
	in[32] = 0x00;
	in[33] = 0x09;
	in[34] = 0xab;
	in[35] = 0xcd;
	in[36] = (uint8_t)(v->sport >> 8);
	in[37] = (uint8_t)v->sport;
	in[38] = (uint8_t)(v->dport >> 8);
	in[39] = (uint8_t)v->dport;
	open_model(p, 1);
	run(len, &o);
	{
		struct ofd_rss_config d;

		ofd_rss_config_default(&d);
		ck_assert_uint_eq(d.keylen, 52);
		ck_assert_mem_eq(d.key, ofd_rss_key_microsoft, 40);
		ck_assert_uint_eq(o.hash, ofd_toeplitz(d.key, d.keylen, in, 40));
	}
	ck_assert_uint_ne(o.hash, v->h4);
	/* Microsoft's bare 40-byte key cannot hash 40 bytes (Toeplitz needs
	 * input + 4 key bytes): that configuration is refused; with the
	 * label off it hashes the vectors */
	for (i = 0; i < 40; i++)
		snprintf(key + 3 * i, 4, "%02x%s", ofd_rss_key_microsoft[i], i < 39 ? ":" : "");
	pk[0] = p[0];
	pk[1].key = "rss_key";
	pk[1].value = key;
	{
		struct ofd_engine_opts eo = { .params = pk, .nparams = 2 };
		void *e = NULL;

		ck_assert_int_eq(ofd_engine_model.open(&eo, &e), -EINVAL);
	}
	open_model(pk + 1, 1);
	run(len, &o);
	ck_assert_uint_eq(o.hash, v->h4);
	run(rt_frame(v, RT_UDP, 0x9abcd, frame, sizeof(frame)), &o);
	ck_assert_uint_eq(o.hash, v->h2); /* udp6 keeps sd */
}
END_TEST

START_TEST(symmetric_xor)
{
	static const struct ofd_engine_param p[] = { { "rss_xfrm", "sym-xor" } };
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_out a, b;
	uint8_t in[36];
	size_t n;

	open_model(p, 1);
	run(rt_frame(v, RT_TCP, 0, frame, sizeof(frame)), &a);
	run(rt_frame(v, RT_REVERSE_TCP, 0, frame, sizeof(frame)), &b);
	ck_assert_uint_eq(a.hash, b.hash);
	ck_assert_uint_eq(a.queue, b.queue);
	n = rt_tuple4(v, true, in);
	ck_assert_uint_eq(a.hash, rt_toeplitz(in, n));
	/* plain Toeplitz: the two directions differ */
	open_model(NULL, 0);
	run(rt_frame(v, RT_REVERSE_TCP, 0, frame, sizeof(frame)), &b);
	ck_assert_uint_ne(b.hash, v->h4);
}
END_TEST

/* RXH_XFRM_SYM_OR_XOR feeds sip|dip, sip^dip, sp|dp, sp^dp (kernel-rx.md
 * 6, Documentation/networking/scaling.rst). */
START_TEST(symmetric_or_xor)
{
	static const struct ofd_engine_param p[] = { { "rss_xfrm", "sym-or-xor" } };
	const struct rt_vector *v = &rt_ms[_i];
	size_t a = v->v6 ? 16 : 4, i;
	uint8_t in[36], sp[2], dp[2];
	struct ofd_rss_out x, y;

	sp[0] = (uint8_t)(v->sport >> 8);
	sp[1] = (uint8_t)v->sport;
	dp[0] = (uint8_t)(v->dport >> 8);
	dp[1] = (uint8_t)v->dport;
	for (i = 0; i < a; i++) {
		in[i] = v->src[i] | v->dst[i];
		in[a + i] = v->src[i] ^ v->dst[i];
	}
	for (i = 0; i < 2; i++) {
		in[2 * a + i] = sp[i] | dp[i];
		in[2 * a + 2 + i] = sp[i] ^ dp[i];
	}
	open_model(p, 1);
	run(rt_frame(v, RT_TCP, 0, frame, sizeof(frame)), &x);
	run(rt_frame(v, RT_REVERSE_TCP, 0, frame, sizeof(frame)), &y);
	ck_assert_uint_eq(x.hash, rt_toeplitz(in, 2 * a + 4));
	ck_assert_uint_eq(y.hash, x.hash);
}
END_TEST

START_TEST(table_and_queues)
{
	static const struct ofd_engine_param p[] = { { "rss_table", "64" },
						     { "rss_queues", "3" } };
	static const struct ofd_engine_param bad[][1] = {
		{ { "rss_table", "100" } }, { { "rss_queues", "0" } },
		{ { "rss_key", "6d:5a" } }, { { "rss_hash", "tcp4=sdq" } },
		{ { "rss_xfrm", "xor" } },
	};
	struct ofd_engine_opts o = { .nparams = 1 };
	struct ofd_rss_out r;
	unsigned int i;
	void *e;

	open_model(p, 2);
	for (i = 0; i < (unsigned int)RT_NMS; i++) {
		run(rt_frame(&rt_ms[i], RT_TCP, 0, frame, sizeof(frame)), &r);
		ck_assert_uint_eq(r.queue, rt_queue(rt_ms[i].h4, 64, 3));
	}
	for (i = 0; i < OFD_ARRAY_SIZE(bad); i++) {
		o.params = bad[i];
		e = NULL;
		ck_assert_int_eq(ofd_engine_model.open(&o, &e), -EINVAL);
	}
}
END_TEST

START_TEST(no_ip_no_hash)
{
	struct ofd_pktb b;
	struct ofd_rss_out o;
	struct ofd_case c;
	struct ofd_pkt p;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0x0806);
	ofd_pktb_payload(&b, 28);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	run(b.len, &o);
	ck_assert_uint_eq(o.hash, 0);
	ck_assert_uint_eq(o.hash_type, OFD_RSS_HASH_NONE);
	ck_assert_uint_eq(o.flow_type, OFD_RSS_FLOW_NONE);
	ck_assert_uint_eq(o.queue, 0);
	rt_case(&c, &p, frame, 13);
	ofd_result_reset(res);
	ck_assert_int_eq(ofd_engine_model.run(eng, &c, &res, 1), 0);
	ck_assert_uint_eq(res->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res->reason, OFD_REASON_FRAME_TOO_SHORT);
}
END_TEST

static Suite *model_rss_suite(void)
{
	Suite *s = suite_create("model_rss");
	TCase *tc = tcase_create("rss");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, microsoft_tcp_frames, 0, RT_NMS);
	tcase_add_loop_test(tc, udp_two_tuple_by_default, 0, RT_NMS);
	tcase_add_loop_test(tc, fragment_two_tuple, 0, RT_NMS);
	tcase_add_loop_test(tc, headers_skipped_inner_tuple, 0, RT_NMS);
	tcase_add_loop_test(tc, flow_label_on_request, 0, 3);
	tcase_add_loop_test(tc, symmetric_xor, 0, RT_NMS);
	tcase_add_loop_test(tc, symmetric_or_xor, 0, RT_NMS);
	tcase_add_test(tc, table_and_queues);
	tcase_add_test(tc, no_ip_no_hash);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_rss_suite)
