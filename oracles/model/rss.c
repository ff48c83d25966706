// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rss.c - the model of rss: the receive hash and queue a correct NIC
 * gives a frame (ofd_rss.h), from kernel-rx.md 5 and 6.
 *
 * The tuple is the one the kernel's flow dissector reports
 * (ofd_model_dissect, no input flags): a tunnel's inner addresses, which
 * overwrite the outer ones (IP-in-IP, SIT, GRE; VXLAN and GENEVE are plain
 * UDP to the dissector, so their outer tuple), the ports only when the
 * packet is not a fragment (skb_flow_get_ports), so a fragment is hashed
 * on its 2-tuple under its IP flow type, the IPv6 flow label when the
 * field set asks for it (RXH_IP6_FL). The flow type picks the field set;
 * the input transform and Toeplitz (the byte-table form, the tables built
 * once per engine open) give the hash; the indirection table the queue.
 *
 * hash_type: a driver reports PKT_HASH_TYPE_L4 when the hash covers the
 * L4 ports, L3 when it covers addresses alone. Kernel-rx.md 5.2: the
 * kernel keeps an L4 hash and replaces an L3 one with its own siphash at
 * the first skb_get_hash(), so the type is part of what a device answers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "ofd_dissect.h"
#include "ofd_rss.h"

/* 12 bytes after Microsoft's 40 to make netdev_rss_key's 52: any bytes
 * would do, Microsoft's vectors use only the first 40. */
static const uint8_t key_tail[12] = { 0x3b, 0x5c, 0x7e, 0x91, 0x0a, 0xd4,
				      0x62, 0xef, 0x18, 0xc3, 0x45, 0xa7 };

static const enum ofd_rss_flow_type flow_order[OFD_RSS_NFLOWS] = {
	OFD_RSS_FLOW_TCP4, OFD_RSS_FLOW_UDP4, OFD_RSS_FLOW_TCP6,
	OFD_RSS_FLOW_UDP6, OFD_RSS_FLOW_IPV4, OFD_RSS_FLOW_IPV6,
};
static const char *const flow_names[OFD_RSS_NFLOWS] = {
	"tcp4", "udp4", "tcp6", "udp6", "ipv4", "ipv6",
};

int ofd_rss_flow_index(enum ofd_rss_flow_type ft)
{
	int i;

	for (i = 0; i < OFD_RSS_NFLOWS; i++)
		if (flow_order[i] == ft)
			return i;
	return -1;
}

const char *ofd_rss_flow_name(enum ofd_rss_flow_type ft)
{
	int i = ofd_rss_flow_index(ft);

	return i < 0 ? "none" : flow_names[i];
}

const char *ofd_rss_hash_type_name(enum ofd_rss_hash_type t)
{
	static const char *const n[] = { "none", "l2", "l3", "l4" };

	return t < OFD_ARRAY_SIZE(n) ? n[t] : "?";
}

void ofd_rss_config_indir(struct ofd_rss_config *cfg)
{
	ofd_rss_indir_default(cfg->indir, cfg->indir_size, cfg->nqueues);
}

void ofd_rss_config_default(struct ofd_rss_config *cfg)
{
	const uint32_t sd = OFD_RXH_IP_SRC | OFD_RXH_IP_DST, sdfn = sd | OFD_RXH_L4;

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->key, ofd_rss_key_microsoft, sizeof(ofd_rss_key_microsoft));
	memcpy(cfg->key + sizeof(ofd_rss_key_microsoft), key_tail, sizeof(key_tail));
	cfg->keylen = sizeof(ofd_rss_key_microsoft) + sizeof(key_tail);
	cfg->fields[0] = sdfn; /* tcp4 */
	cfg->fields[1] = sd;   /* udp4 */
	cfg->fields[2] = sdfn; /* tcp6 */
	cfg->fields[3] = sd;   /* udp6 */
	cfg->fields[4] = sd;   /* ipv4 */
	cfg->fields[5] = sd;   /* ipv6 */
	cfg->xfrm = OFD_RSS_XFRM_NONE;
	cfg->indir_size = 128;
	cfg->nqueues = 4;
	ofd_rss_config_indir(cfg);
}

static struct ofd_rss_config shared_cfg;
static struct ofd_toeplitz shared_tab;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_init(void)
{
	ofd_rss_config_default(&shared_cfg);
	if (!ofd_toeplitz_init(&shared_tab, shared_cfg.key, shared_cfg.keylen))
		shared_cfg.fast = &shared_tab;
}

const struct ofd_rss_config *ofd_rss_config_shared(void)
{
	pthread_once(&shared_once, shared_init);
	return &shared_cfg;
}

int ofd_rss_fields_parse(const char *letters, uint32_t *fields)
{
	uint32_t f = 0;
	const char *p;

	for (p = letters; *p; p++) {
		switch (*p) {
		case 's': f |= OFD_RXH_IP_SRC; break;
		case 'd': f |= OFD_RXH_IP_DST; break;
		case 'f': f |= OFD_RXH_L4_B_0_1; break;
		case 'n': f |= OFD_RXH_L4_B_2_3; break;
		case 'l': f |= OFD_RXH_IP6_FL; break;
		default: return -EINVAL;
		}
	}
	*fields = f;
	return 0;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int parse_key(const char *s, struct ofd_rss_config *cfg)
{
	uint32_t n = 0;

	while (*s) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0 || n == OFD_RSS_KEY_MAX)
			return -EINVAL;
		cfg->key[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (*s == ':')
			s++;
		else if (*s)
			return -EINVAL;
	}
	if (n < 5)
		return -EINVAL;
	cfg->keylen = n;
	return 0;
}

/* "udp4=sdfn,tcp6=sd": each named flow type's set replaced; '+' separates
 * too, for -t/-r ENGINE:key=value,... where a comma ends the value. */
static int parse_hash(const char *s, struct ofd_rss_config *cfg)
{
	char buf[256], *save = NULL, *tok;
	int i;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",+", &save); tok; tok = strtok_r(NULL, ",+", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			return -EINVAL;
		*eq = '\0';
		for (i = 0; i < OFD_RSS_NFLOWS; i++)
			if (!strcmp(tok, flow_names[i]))
				break;
		if (i == OFD_RSS_NFLOWS || ofd_rss_fields_parse(eq + 1, &cfg->fields[i]))
			return -EINVAL;
	}
	return 0;
}

static int parse_count(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v == 0 || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int ofd_rss_params(const struct ofd_engine_opts *o, struct ofd_rss_config *cfg,
		   char *why, size_t why_len)
{
	const char *v;
	int i;

	ofd_rss_config_default(cfg);
	if (!o)
		return 0;
	if ((v = ofd_engine_param(o, "rss_key")) && parse_key(v, cfg)) {
		snprintf(why, why_len, "rss_key: 5 to %d bytes as aa:bb:..., not '%s'",
			 OFD_RSS_KEY_MAX, v);
		return -EINVAL;
	}
	if ((v = ofd_engine_param(o, "rss_hash")) && parse_hash(v, cfg)) {
		snprintf(why, why_len,
			 "rss_hash: flow=letters,... (tcp4 udp4 tcp6 udp6 ipv4 ipv6; s d f n l), not '%s'",
			 v);
		return -EINVAL;
	}
	if ((v = ofd_engine_param(o, "rss_xfrm"))) {
		if (!strcmp(v, "none"))
			cfg->xfrm = OFD_RSS_XFRM_NONE;
		else if (!strcmp(v, "sym-xor"))
			cfg->xfrm = OFD_RSS_XFRM_SYM_XOR;
		else if (!strcmp(v, "sym-or-xor"))
			cfg->xfrm = OFD_RSS_XFRM_SYM_OR_XOR;
		else {
			snprintf(why, why_len, "rss_xfrm: none, sym-xor or sym-or-xor, not '%s'", v);
			return -EINVAL;
		}
	}
	if ((v = ofd_engine_param(o, "rss_table")) &&
	    (parse_count(v, OFD_RSS_INDIR_MAX, &cfg->indir_size) ||
	     (cfg->indir_size & (cfg->indir_size - 1)))) {
		snprintf(why, why_len, "rss_table: a power of two up to %d, not '%s'",
			 OFD_RSS_INDIR_MAX, v);
		return -EINVAL;
	}
	if ((v = ofd_engine_param(o, "rss_queues")) && parse_count(v, 65535, &cfg->nqueues)) {
		snprintf(why, why_len, "rss_queues: 1 to 65535, not '%s'", v);
		return -EINVAL;
	}
	/* Toeplitz needs input length + 4 key bytes: a key too short for a
	 * field set would hash nothing, which no device accepts either */
	for (i = 0; i < OFD_RSS_NFLOWS; i++) {
		enum ofd_rss_flow_type ft = flow_order[i];
		bool v6 = ft == OFD_RSS_FLOW_TCP6 || ft == OFD_RSS_FLOW_UDP6 ||
			  ft == OFD_RSS_FLOW_IPV6;
		uint32_t f = cfg->fields[i], n = 0;

		n += (f & OFD_RXH_IP_SRC) ? (v6 ? 16 : 4) : 0;
		n += (f & OFD_RXH_IP_DST) ? (v6 ? 16 : 4) : 0;
		n += (v6 && (f & OFD_RXH_IP6_FL)) ? 4 : 0;
		n += (f & OFD_RXH_L4_B_0_1) ? 2 : 0;
		n += (f & OFD_RXH_L4_B_2_3) ? 2 : 0;
		if (cfg->keylen < n + 4) {
			snprintf(why, why_len, "rss_key: %u bytes, %s's fields need %u",
				 cfg->keylen, flow_names[i], n + 4);
			return -EINVAL;
		}
	}
	ofd_rss_config_indir(cfg);
	return 0;
}

void ofd_rss_out_put(const struct ofd_rss_out *o, uint8_t out[OFD_RSS_REC_LEN])
{
	out[0] = (uint8_t)(o->hash >> 24);
	out[1] = (uint8_t)(o->hash >> 16);
	out[2] = (uint8_t)(o->hash >> 8);
	out[3] = (uint8_t)o->hash;
	out[4] = o->hash_type;
	out[5] = o->flow_type;
	out[6] = (uint8_t)(o->queue >> 8);
	out[7] = (uint8_t)o->queue;
}

int ofd_rss_out_get(const uint8_t *in, size_t len, struct ofd_rss_out *o)
{
	if (len != OFD_RSS_REC_LEN)
		return -EINVAL;
	o->hash = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | in[3];
	o->hash_type = in[4];
	o->flow_type = in[5];
	o->queue = (uint16_t)(in[6] << 8 | in[7]);
	return 0;
}

static bool is_ipv6_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60; /* HBH, Routing, DstOpts */
}

/* The flow type of keys k; ports counted only when the dissector could
 * take them (not a fragment), unless the device takes them anyway. */
static enum ofd_rss_flow_type flow_type_of(const struct ofd_flow_keys *k, bool frag_ports)
{
	bool v6 = k->addr_proto == 0x86dd;
	bool l4 = frag_ports || !(k->flags & OFD_FK_IS_FRAGMENT);

	if (k->addr_proto != 0x0800 && !v6)
		return OFD_RSS_FLOW_NONE;
	if (l4 && k->ip_proto == 6)
		return v6 ? OFD_RSS_FLOW_TCP6 : OFD_RSS_FLOW_TCP4;
	if (l4 && k->ip_proto == 17)
		return v6 ? OFD_RSS_FLOW_UDP6 : OFD_RSS_FLOW_UDP4;
	return v6 ? OFD_RSS_FLOW_IPV6 : OFD_RSS_FLOW_IPV4;
}

static bool l4_flow(enum ofd_rss_flow_type ft)
{
	return ft == OFD_RSS_FLOW_TCP4 || ft == OFD_RSS_FLOW_UDP4 || ft == OFD_RSS_FLOW_TCP6 ||
	       ft == OFD_RSS_FLOW_UDP6;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Where the network header starts behind at most two VLAN tags, or 0
 * when a third tag follows or the tags run past len (l2_limit). */
static uint32_t l3_behind_two_tags(const uint8_t *frame, uint32_t len, uint16_t *et)
{
	uint32_t off = 12;
	int tags = 0;

	*et = rd16(frame + 12);
	while (*et == 0x8100 || *et == 0x88a8) {
		if (++tags > 2 || off + 6 > len)
			return 0;
		off += 4;
		*et = rd16(frame + off);
	}
	return off + 2;
}

/* Whether an IPv6 header at ip6 has an extension-header chain (Hop-by-
 * Hop, Routing, Fragment, Destination Options, AH) that runs past len. */
static bool ipv6_chain_cut(const uint8_t *frame, uint32_t len, uint32_t ip6)
{
	uint32_t p = ip6 + 40, hl;
	uint8_t nh;

	if (ip6 + 40 > len)
		return false; /* no addresses: nothing is hashed either way */
	nh = frame[ip6 + 6];
	while (is_ipv6_ext(nh) || nh == 44 || nh == 51) {
		if (p + 2 > len)
			return true;
		hl = nh == 44 ? 8u : nh == 51 ? (frame[p + 1] + 2u) * 4 : (frame[p + 1] + 1u) * 8;
		if (hl > len - p)
			return true;
		nh = frame[p];
		p += hl;
	}
	return false;
}

/* A parser reading fixed headers: the whole TCP or UDP header, or no
 * ports (l4_whole). */
static bool l4_header_cut(const struct ofd_flow_keys *k, enum ofd_rss_flow_type ft, uint32_t len)
{
	uint32_t need = ft == OFD_RSS_FLOW_TCP4 || ft == OFD_RSS_FLOW_TCP6 ? 20 : 8;

	return k->thoff > len || len - k->thoff < need;
}

int ofd_rss_compute(const struct ofd_rss_config *cfg, const struct ofd_rss_bends *b,
		    const uint8_t *frame, uint32_t len, struct ofd_rss_out *o)
{
	static const struct ofd_rss_bends none;
	struct ofd_dissect_rules rules = ofd_dissect_rules_kernel;
	struct ofd_flow_keys k;
	struct ofd_rss_flow f;
	uint8_t in[OFD_RSS_TUPLE_MAX + 4];
	enum ofd_rss_xfrm xfrm;
	uint32_t fields;
	size_t n;
	int idx, ret;

	if (!b)
		b = &none;
	memset(o, 0, sizeof(*o));
	if (b->frag_ports)
		rules.frag_ports = OFD_DIS_FRAG_PORTS_ALL;
	/* a device hashing the outer header of a tunnel is the dissector
	 * stopped at the encapsulation: outer addresses, the tunnel's own
	 * protocol (4, 41, 47), no ports */
	ret = ofd_model_dissect_rules(&rules, frame, len,
				      b->outer_tuple ? OFD_FK_F_STOP_AT_ENCAP : 0, &k);
	if (ret == -EINVAL)
		return ret;
	if (ret) /* TIPC, batman-adv: no IP tuple a NIC hashes */
		return 0;
	if (b->l2_limit || b->ipv6_chain_whole) {
		uint16_t et;
		uint32_t l3 = l3_behind_two_tags(frame, len, &et);

		if (b->l2_limit && (!l3 || (et != 0x0800 && et != 0x86dd)))
			return 0;
		if (b->ipv6_chain_whole && l3 && et == 0x86dd && ipv6_chain_cut(frame, len, l3))
			return 0;
	}
	o->flow_type = (uint8_t)flow_type_of(&k, b->frag_ports);
	if (b->l4_whole && l4_flow(o->flow_type) && l4_header_cut(&k, o->flow_type, len)) {
		o->flow_type = k.addr_proto == 0x86dd ? OFD_RSS_FLOW_IPV6 : OFD_RSS_FLOW_IPV4;
		k.sport = k.dport = 0;
	}
	idx = ofd_rss_flow_index(o->flow_type);
	if (idx < 0)
		return 0;
	fields = cfg->fields[idx];
	memset(&f, 0, sizeof(f));
	f.v6 = k.addr_proto == 0x86dd;
	memcpy(f.src, k.src, 16);
	memcpy(f.dst, k.dst, 16);
	f.sport[0] = (uint8_t)(k.sport >> 8);
	f.sport[1] = (uint8_t)k.sport;
	f.dport[0] = (uint8_t)(k.dport >> 8);
	f.dport[1] = (uint8_t)k.dport;
	if (b->exthdr_l4 && f.v6 && (o->flow_type == OFD_RSS_FLOW_TCP6 ||
				     o->flow_type == OFD_RSS_FLOW_UDP6)) {
		/* k.nhoff is the IPv6 header whose addresses were taken; the
		 * device reads its "ports" where that header ends */
		uint32_t nh = k.nhoff;

		if (nh <= len && len - nh >= 44 && is_ipv6_ext(frame[nh + 6])) {
			memcpy(f.sport, frame + nh + 40, 2);
			memcpy(f.dport, frame + nh + 42, 2);
		}
	}
	xfrm = b->sym_xor ? OFD_RSS_XFRM_SYM_XOR : (enum ofd_rss_xfrm)cfg->xfrm;
	/* src | dst | flow label (RXH_IP6_FL: 20 bits in a 32-bit word, our
	 * order: drivers define it, the kernel does not) | sport | dport */
	n = ofd_rss_tuple(&f, fields & (OFD_RXH_IP_SRC | OFD_RXH_IP_DST), xfrm, in);
	if (f.v6 && (fields & OFD_RXH_IP6_FL)) {
		in[n++] = 0;
		in[n++] = (uint8_t)(k.flow_label >> 16 & 0xf);
		in[n++] = (uint8_t)(k.flow_label >> 8);
		in[n++] = (uint8_t)k.flow_label;
	}
	n += ofd_rss_tuple(&f, fields & OFD_RXH_L4, xfrm, in + n);
	if (!n) /* an empty field set: classified, not hashed (type none) */
		return 0;
	if (cfg->fast && n <= cfg->fast->npos)
		o->hash = ofd_toeplitz_fast(cfg->fast, in, n);
	else
		o->hash = ofd_toeplitz(cfg->key, cfg->keylen, in, n);
	o->hash_type = (fields & OFD_RXH_L4) && l4_flow(o->flow_type) ? OFD_RSS_HASH_L4 :
									 OFD_RSS_HASH_L3;
	o->queue = (uint16_t)ofd_rss_queue(cfg->indir, cfg->indir_size, o->hash);
	return 0;
}

void ofd_rss_case(const struct ofd_rss_config *cfg, const struct ofd_rss_bends *b,
		  const struct ofd_case *c, struct ofd_result *res)
{
	struct ofd_rss_out o;
	struct ofd_frame *f;
	uint8_t *out;

	if (c->npkts != 1) {
		ofd_result_unsupported(res, "rss takes exactly one frame");
		return;
	}
	if (ofd_rss_compute(cfg, b, c->pkts[0].data, c->pkts[0].len, &o)) {
		ofd_result_reject(res, OFD_REASON_FRAME_TOO_SHORT, OFD_STAGE_SUBMIT);
		return;
	}
	f = ofd_result_add_new(res, OFD_RSS_REC_LEN, &out);
	if (!f) {
		ofd_result_unsupported(res, "no room for the rss record in the result slot");
		return;
	}
	ofd_rss_out_put(&o, out);
	memset(&f->meta, 0, sizeof(f->meta));
}

/* ---------------- the model engine's rss ---------------- */

/* The configuration and its Toeplitz tables: built at engine open, so a
 * case only reads them. */
struct model_rss {
	struct ofd_rss_config cfg;
	struct ofd_toeplitz tab;
};

static int model_rss_open(const struct ofd_engine_opts *o, void **state)
{
	struct model_rss *m = malloc(sizeof(*m));
	char why[256];
	int err;

	if (!m)
		return -ENOMEM;
	err = ofd_rss_params(o, &m->cfg, why, sizeof(why));
	if (err) {
		ofd_pr_warn("model: %s\n", why);
		free(m);
		return err;
	}
	if (!ofd_toeplitz_init(&m->tab, m->cfg.key, m->cfg.keylen))
		m->cfg.fast = &m->tab;
	*state = m;
	return 0;
}

static void model_rss_run_with(const void *state, const struct ofd_case *c,
			       struct ofd_result *res)
{
	const struct model_rss *m = state;

	ofd_rss_case(m ? &m->cfg : ofd_rss_config_shared(), NULL, c, res);
}

static void model_rss_run(const struct ofd_case *c, struct ofd_result *res)
{
	ofd_rss_case(ofd_rss_config_shared(), NULL, c, res);
}

static void model_rss_close(void *state)
{
	free(state);
}

const struct model_offload ofd_model_rss = {
	.run = model_rss_run,
	.open = model_rss_open,
	.run_with = model_rss_run_with,
	.close = model_rss_close,
};
