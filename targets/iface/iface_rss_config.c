// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface_rss_config.c - a NIC's RSS configuration read back
 * (rss_readback.c) as the model's (struct ofd_rss_config), the model
 * settings that say it on the command line, and the device's answer for
 * one frame as an rss record (iface_rss.h).
 *
 * The model takes a Toeplitz key, a field set of s d f n l per flow
 * type, one input transform and a power-of-two table. Anything else a
 * device reports is a reason, by name, never approximated: a driver that
 * hashes the VLAN or L3 protocol, discards a flow type, or has a table
 * the model's 512 entries cannot hold. A large table that repeats with
 * a shorter power-of-two period (ice's 2048 entries over 4 queues) gives
 * every hash the same queue as its period does, so it is folded.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "iface_rss.h"
#include "ofd_xdp_rxhash.h"

#define RXH_KNOWN (OFD_RXH_IP_SRC | OFD_RXH_IP_DST | OFD_RXH_L4_B_0_1 | OFD_RXH_L4_B_2_3)
#define RXH_DISCARD_BIT (1ull << 31)

static bool flow_is_v6(int i)
{
	return i == 2 || i == 3 || i == 5; /* tcp6 udp6 ipv6 */
}

/* Input bytes field set f hashes: the key must be 4 longer. */
static uint32_t tuple_len(uint32_t f, bool v6)
{
	uint32_t n = 0;

	n += (f & OFD_RXH_IP_SRC) ? (v6 ? 16 : 4) : 0;
	n += (f & OFD_RXH_IP_DST) ? (v6 ? 16 : 4) : 0;
	n += (v6 && (f & OFD_RXH_IP6_FL)) ? 4 : 0;
	n += (f & OFD_RXH_L4_B_0_1) ? 2 : 0;
	n += (f & OFD_RXH_L4_B_2_3) ? 2 : 0;
	return n;
}

/* The smallest power-of-two period of a power-of-two table. */
static uint32_t table_period(const uint32_t *t, uint32_t n)
{
	uint32_t p, i;

	for (p = 1; p < n; p <<= 1) {
		for (i = p; i < n; i++)
			if (t[i] != t[i & (p - 1)])
				break;
		if (i == n)
			return p;
	}
	return n;
}

static int fields_of(const struct ofd_rss_readback *rb, struct iface_rss_dev *d, char *why,
		     size_t why_len)
{
	int i;

	for (i = 0; i < OFD_RSS_NFLOWS; i++) {
		uint64_t f = rb->fields[i];
		uint64_t known = RXH_KNOWN | (flow_is_v6(i) ? OFD_RXH_IP6_FL : 0);

		d->flow_err[i] = rb->fields_err[i];
		if (rb->fields_err[i]) {
			d->flows_unread |= 1u << i;
			continue;
		}
		if (f & RXH_DISCARD_BIT) {
			snprintf(why, why_len,
				 "rss: %s discards %s frames (RXH_DISCARD): the model hashes every flow type",
				 rb->ifname, ofd_rss_rb_flow_name[i]);
			return -EOPNOTSUPP;
		}
		if (f & ~known) {
			snprintf(why, why_len,
				 "rss: %s hashes %s on RXH_* bits 0x%llx beyond s d f n%s (the L2 "
				 "destination, VLAN or L3 protocol): the model does not",
				 rb->ifname, ofd_rss_rb_flow_name[i],
				 (unsigned long long)(f & ~known), flow_is_v6(i) ? " l" : "");
			return -EOPNOTSUPP;
		}
		d->cfg.fields[i] = (uint32_t)f;
		if (d->cfg.keylen < tuple_len((uint32_t)f, flow_is_v6(i)) + 4) {
			snprintf(why, why_len,
				 "rss: %s's %u-byte key is shorter than its %s fields need (%u)",
				 rb->ifname, d->cfg.keylen, ofd_rss_rb_flow_name[i],
				 tuple_len((uint32_t)f, flow_is_v6(i)) + 4);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

int iface_rss_config_from(const struct ofd_rss_readback *rb, struct iface_rss_dev *d,
			  char *why, size_t why_len)
{
	uint32_t n = rb->indir_size, p, i;

	memset(d, 0, sizeof(*d));
	if (rb->key_size < 5 || rb->key_size > OFD_RSS_KEY_MAX) {
		snprintf(why, why_len, "rss: %s's key is %u bytes, the model takes 5 to %d",
			 rb->ifname, rb->key_size, OFD_RSS_KEY_MAX);
		return -EOPNOTSUPP;
	}
	memcpy(d->cfg.key, rb->key, rb->key_size);
	d->cfg.keylen = rb->key_size;
	if (!n || (n & (n - 1)) || n > OFD_RSS_RB_INDIR_MAX) {
		snprintf(why, why_len,
			 "rss: %s's indirection table has %u entries, not a power of two: "
			 "its queue of a hash is not indir[hash %% n] as the model takes it",
			 rb->ifname, n);
		return -EOPNOTSUPP;
	}
	p = n > OFD_RSS_INDIR_MAX ? table_period(rb->indir, n) : n;
	if (p > OFD_RSS_INDIR_MAX) {
		snprintf(why, why_len,
			 "rss: %s's indirection table has %u entries that do not repeat within "
			 "%d, the most the model holds",
			 rb->ifname, n, OFD_RSS_INDIR_MAX);
		return -EOPNOTSUPP;
	}
	d->device_indir_size = n;
	d->cfg.indir_size = p;
	memcpy(d->cfg.indir, rb->indir, p * sizeof(uint32_t));
	if (!rb->rx_rings) {
		snprintf(why, why_len, "rss: %s reports no rx ring (ETHTOOL_GRXRINGS)", rb->ifname);
		return -EOPNOTSUPP;
	}
	d->cfg.nqueues = rb->rx_rings;
	for (i = 0; i < p; i++)
		if (d->cfg.indir[i] >= rb->rx_rings) {
			snprintf(why, why_len,
				 "rss: %s's indirection table names queue %u of %u rx rings",
				 rb->ifname, d->cfg.indir[i], rb->rx_rings);
			return -EOPNOTSUPP;
		}
	switch (rb->input_xfrm) {
	case 0: d->cfg.xfrm = OFD_RSS_XFRM_NONE; break;
	case OFD_RSS_RB_XFRM_SYM_XOR: d->cfg.xfrm = OFD_RSS_XFRM_SYM_XOR; break;
	case OFD_RSS_RB_XFRM_SYM_OR_XOR: d->cfg.xfrm = OFD_RSS_XFRM_SYM_OR_XOR; break;
	default:
		snprintf(why, why_len, "rss: %s reports input_xfrm 0x%x: more than one transform",
			 rb->ifname, rb->input_xfrm);
		return -EOPNOTSUPP;
	}
	if (fields_of(rb, d, why, why_len))
		return -EOPNOTSUPP;
	if (ofd_toeplitz_init(&d->tab, d->cfg.key, d->cfg.keylen)) {
		snprintf(why, why_len, "rss: %s's key: no Toeplitz tables", rb->ifname);
		return -EOPNOTSUPP;
	}
	d->cfg.fast = &d->tab;
	return 0;
}

/* Append piece to out[0, len) at *at: -ENOSPC when it does not fit. */
static int append(char *out, size_t len, size_t *at, const char *piece)
{
	size_t n = strlen(piece);

	if (n >= len - *at)
		return -ENOSPC;
	memcpy(out + *at, piece, n + 1);
	*at += n;
	return 0;
}

static const char *const flow_names[OFD_RSS_NFLOWS] = {
	"tcp4", "udp4", "tcp6", "udp6", "ipv4", "ipv6",
};

static void letters_of(uint32_t f, char l[8])
{
	static const struct { uint32_t bit; char c; } map[] = {
		{ OFD_RXH_IP_SRC, 's' }, { OFD_RXH_IP_DST, 'd' }, { OFD_RXH_L4_B_0_1, 'f' },
		{ OFD_RXH_L4_B_2_3, 'n' }, { OFD_RXH_IP6_FL, 'l' },
	};
	size_t i, k = 0;

	for (i = 0; i < OFD_ARRAY_SIZE(map); i++)
		if (f & map[i].bit)
			l[k++] = map[i].c;
	l[k] = '\0';
}

/* Key bytes the field sets of cfg (flows in skip aside) read. */
static uint32_t key_needed(const struct ofd_rss_config *cfg, uint32_t skip)
{
	uint32_t n = 0, t;
	int i;

	for (i = 0; i < OFD_RSS_NFLOWS; i++) {
		if (skip & 1u << i)
			continue;
		t = tuple_len(cfg->fields[i], flow_is_v6(i)) + 4;
		n = t > n ? t : n;
	}
	return n;
}

bool iface_rss_ethtool_fix(const struct iface_rss_dev *d, const struct ofd_rss_config *want,
			   const char *port, char *out, size_t len)
{
	uint32_t key_size = d->cfg.keylen;
	static const char *const xfrm[] = { "none", "symmetric-xor", "symmetric-or-xor" };
	char piece[96];
	size_t at = 0;
	uint32_t i;

	if (!len)
		return false;
	out[0] = '\0';
	/* the model's key, as many bytes as the device's key holds */
	if (key_size < key_needed(want, d->flows_unread))
		return false;
	snprintf(piece, sizeof(piece), "ethtool -X %s hfunc toeplitz hkey ", port);
	if (append(out, len, &at, piece))
		return false;
	for (i = 0; i < key_size; i++) {
		snprintf(piece, sizeof(piece), "%s%02x", i ? ":" : "",
			 i < want->keylen ? want->key[i] : 0);
		if (append(out, len, &at, piece))
			return false;
	}
	snprintf(piece, sizeof(piece), " equal %u xfrm %s", want->nqueues,
		 xfrm[want->xfrm < 3 ? want->xfrm : 0]);
	if (append(out, len, &at, piece))
		return false;
	for (i = 0; i < OFD_RSS_NFLOWS; i++) {
		char l[8];

		if ((d->flows_unread & 1u << i) || d->cfg.fields[i] == want->fields[i])
			continue;
		letters_of(want->fields[i], l);
		snprintf(piece, sizeof(piece), "; ethtool -N %s rx-flow-hash %s %s", port,
			 flow_names[i], l);
		if (append(out, len, &at, piece))
			return false;
	}
	return true;
}

bool iface_rss_config_same(const struct ofd_rss_config *a, const struct ofd_rss_config *b,
			   uint32_t skip, char *why, size_t why_len)
{
	uint32_t n = a->indir_size > b->indir_size ? a->indir_size : b->indir_size, i;
	int k;

	/* Toeplitz over n input bytes reads key bytes [0, n + 4) only: a
	 * 40-byte key is a 52-byte one where the field sets read 40 or less */
	uint32_t ka = key_needed(a, skip), kb = key_needed(b, skip), kn = ka > kb ? ka : kb;

	if (a->keylen < kn || b->keylen < kn || memcmp(a->key, b->key, kn)) {
		snprintf(why, why_len, "the key differs in the %u bytes the field sets read", kn);
		return false;
	}
	for (k = 0; k < OFD_RSS_NFLOWS; k++)
		if (!(skip & 1u << k) && a->fields[k] != b->fields[k]) {
			snprintf(why, why_len, "the %s field sets differ", ofd_rss_rb_flow_name[k]);
			return false;
		}
	if (a->xfrm != b->xfrm) {
		snprintf(why, why_len, "the input transforms differ");
		return false;
	}
	if (!a->indir_size || !b->indir_size) {
		snprintf(why, why_len, "an empty indirection table");
		return false;
	}
	for (i = 0; i < n; i++)
		if (a->indir[i & (a->indir_size - 1)] != b->indir[i & (b->indir_size - 1)]) {
			snprintf(why, why_len, "the indirection tables differ at entry %u", i);
			return false;
		}
	return true;
}

/* The flow type a driver's rss_type names, where it names one. */
static uint8_t flow_of(uint32_t t, uint8_t model_flow)
{
	bool v4 = t & OFD_XDP_RSS_L3_IPV4, v6 = t & OFD_XDP_RSS_L3_IPV6;
	bool m4 = model_flow == OFD_RSS_FLOW_TCP4 || model_flow == OFD_RSS_FLOW_UDP4 ||
		  model_flow == OFD_RSS_FLOW_IPV4;
	bool m6 = model_flow == OFD_RSS_FLOW_TCP6 || model_flow == OFD_RSS_FLOW_UDP6 ||
		  model_flow == OFD_RSS_FLOW_IPV6;

	if (v4 == v6) /* no family (L4_ANY alone, none) or both: not said */
		return model_flow;
	if (t & OFD_XDP_RSS_L4_TCP)
		return v4 ? OFD_RSS_FLOW_TCP4 : OFD_RSS_FLOW_TCP6;
	if (t & OFD_XDP_RSS_L4_UDP)
		return v4 ? OFD_RSS_FLOW_UDP4 : OFD_RSS_FLOW_UDP6;
	/* the family only: any flow type of it is what the driver said */
	if (v4 ? m4 : m6)
		return model_flow;
	return v4 ? OFD_RSS_FLOW_IPV4 : OFD_RSS_FLOW_IPV6;
}

static const char queue_why[] =
	"rss: the driver recorded no rx queue for the frame (skb_record_rx_queue) on a device "
	"with more than one ring";
static const char l4_lost_why[] =
	"rss: tp_rxhash is not the model's L4 hash: a different L4-typed device hash and an "
	"L3-typed or missing one (replaced by the kernel's siphash, kernel-rx.md 5.2) look "
	"alike without the device's XDP rx-hash kfunc";

int iface_rss_answer(const struct iface_rss_rec *r, const struct ofd_rss_out *m,
		     struct ofd_rss_out *o, const char **why)
{
	if (!r->queue_known) {
		*why = queue_why;
		return 0;
	}
	o->queue = (uint16_t)r->queue;
	if (r->has_type) {
		/* The descriptor's own hash and type, before the kernel. */
		if (r->err) {
			/* -ENODATA: the device gave this frame no hash */
			o->hash = 0;
			o->hash_type = OFD_RSS_HASH_NONE;
			o->flow_type = OFD_RSS_FLOW_NONE;
			return 1;
		}
		o->hash = r->hash;
		/* XDP has no L2 bit (XDP_RSS_TYPE_L2 is NONE): a hash with
		 * no type bits is over L2 or nothing, by its value */
		o->hash_type = (r->rss_type & OFD_XDP_RSS_L4) ? OFD_RSS_HASH_L4 :
			       (r->rss_type & (OFD_XDP_RSS_L3_IPV4 | OFD_XDP_RSS_L3_IPV6)) ?
								     OFD_RSS_HASH_L3 :
			       r->hash ? OFD_RSS_HASH_L2 : OFD_RSS_HASH_NONE;
		o->flow_type = flow_of(r->rss_type, m->flow_type);
		return 1;
	}
	/* tp_rxhash: skb_get_hash(). A value equal to the model's nonzero
	 * hash is the device's, and survived because it was L4-typed (an
	 * L3-typed one is replaced; the kernel's siphash equals a Toeplitz
	 * value by a 2^-32 chance). */
	o->flow_type = m->flow_type; /* not reported without XDP: not judged */
	if (m->hash && r->hash == m->hash) {
		o->hash = r->hash;
		o->hash_type = OFD_RSS_HASH_L4;
		return 1;
	}
	if (m->hash_type == OFD_RSS_HASH_L4) {
		*why = l4_lost_why;
		return 0;
	}
	/* The model's hash is L3-typed or none: the kernel replaces such a
	 * hash, so the value is not the device's to judge; its queue is. */
	o->hash = m->hash;
	o->hash_type = m->hash_type;
	return 1;
}
