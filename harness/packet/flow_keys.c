// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * flow_keys.c - the dissect offload's record (ofd_flow_keys.h): its wire
 * form and the field table the diff names differences by.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd_flow_keys.h"

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	return put16(put16(p, (uint16_t)(v >> 16)), (uint16_t)v);
}

static uint16_t get16(const uint8_t **p)
{
	uint16_t v = (uint16_t)((*p)[0] << 8 | (*p)[1]);

	*p += 2;
	return v;
}

static uint32_t get32(const uint8_t **p)
{
	uint32_t hi = get16(p);

	return hi << 16 | get16(p);
}

void ofd_flow_keys_put(const struct ofd_flow_keys *k, uint8_t out[OFD_FLOW_KEYS_LEN])
{
	uint8_t *p = out;

	*p++ = k->status;
	*p++ = k->have;
	*p++ = k->flags;
	*p++ = k->ip_proto;
	p = put16(p, k->nhoff);
	p = put16(p, k->thoff);
	p = put16(p, k->n_proto);
	p = put16(p, k->addr_proto);
	memcpy(p, k->src, 16);
	memcpy(p + 16, k->dst, 16);
	p += 32;
	p = put16(p, k->sport);
	p = put16(p, k->dport);
	p = put32(p, k->flow_label);
	p = put16(p, k->vlan_id);
	*p++ = k->vlan_prio;
	*p++ = 0;
	p = put16(p, k->vlan_tpid);
	put32(p, k->gre_keyid);
}

int ofd_flow_keys_get(const uint8_t *in, size_t len, struct ofd_flow_keys *k)
{
	const uint8_t *p = in;

	if (len != OFD_FLOW_KEYS_LEN)
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	k->status = *p++;
	k->have = *p++;
	k->flags = *p++;
	k->ip_proto = *p++;
	k->nhoff = get16(&p);
	k->thoff = get16(&p);
	k->n_proto = get16(&p);
	k->addr_proto = get16(&p);
	memcpy(k->src, p, 16);
	memcpy(k->dst, p + 16, 16);
	p += 32;
	k->sport = get16(&p);
	k->dport = get16(&p);
	k->flow_label = get32(&p);
	k->vlan_id = get16(&p);
	k->vlan_prio = *p++;
	p++;
	k->vlan_tpid = get16(&p);
	k->gre_keyid = get32(&p);
	return 0;
}

static int pr_status(const struct ofd_flow_keys *k, char *b, size_t n)
{
	return snprintf(b, n, "%s", k->status == OFD_FK_GOOD ? "good" : "bad");
}

static int pr_flags(const struct ofd_flow_keys *k, char *b, size_t n)
{
	return snprintf(b, n, "%s%s%s%s", k->flags & OFD_FK_IS_FRAGMENT ? "frag," : "",
			k->flags & OFD_FK_FIRST_FRAG ? "first," : "",
			k->flags & OFD_FK_ENCAPSULATION ? "encap," : "", k->flags ? "" : "none");
}

#define PR_NUM(field, fmt)                                                     \
	static int pr_##field(const struct ofd_flow_keys *k, char *b, size_t n) \
	{                                                                      \
		return snprintf(b, n, fmt, k->field);                          \
	}
PR_NUM(ip_proto, "%u")
PR_NUM(nhoff, "%u")
PR_NUM(thoff, "%u")
PR_NUM(n_proto, "0x%04x")
PR_NUM(addr_proto, "0x%04x")
PR_NUM(sport, "%u")
PR_NUM(dport, "%u")
PR_NUM(flow_label, "0x%05x")
PR_NUM(vlan_id, "%u")
PR_NUM(vlan_prio, "%u")
PR_NUM(vlan_tpid, "0x%04x")
PR_NUM(gre_keyid, "0x%08x")

static int pr_addr(const uint8_t *a, bool v6, char *b, size_t n)
{
	if (!v6)
		return snprintf(b, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return snprintf(b, n, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x",
			a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
			a[11], a[12], a[13], a[14], a[15]);
}

static int pr_src(const struct ofd_flow_keys *k, char *b, size_t n)
{
	return pr_addr(k->src, k->addr_proto == 0x86dd, b, n);
}

static int pr_dst(const struct ofd_flow_keys *k, char *b, size_t n)
{
	return pr_addr(k->dst, k->addr_proto == 0x86dd, b, n);
}

const struct ofd_flow_keys_field ofd_flow_keys_fields[] = {
	{ "status", OFD_FK_HAVE_BASIC, pr_status },
	{ "control.flags", OFD_FK_HAVE_BASIC, pr_flags },
	{ "control.nhoff", OFD_FK_HAVE_BASIC, pr_nhoff },
	{ "control.thoff", OFD_FK_HAVE_BASIC, pr_thoff },
	{ "basic.n_proto", OFD_FK_HAVE_BASIC, pr_n_proto },
	{ "basic.ip_proto", OFD_FK_HAVE_BASIC, pr_ip_proto },
	{ "addrs.proto", OFD_FK_HAVE_ADDRS, pr_addr_proto },
	{ "addrs.src", OFD_FK_HAVE_ADDRS, pr_src },
	{ "addrs.dst", OFD_FK_HAVE_ADDRS, pr_dst },
	{ "ports.src", OFD_FK_HAVE_PORTS, pr_sport },
	{ "ports.dst", OFD_FK_HAVE_PORTS, pr_dport },
	{ "flow_label", OFD_FK_HAVE_FLOW_LABEL, pr_flow_label },
	{ "vlan.id", OFD_FK_HAVE_VLAN, pr_vlan_id },
	{ "vlan.prio", OFD_FK_HAVE_VLAN, pr_vlan_prio },
	{ "vlan.tpid", OFD_FK_HAVE_VLAN, pr_vlan_tpid },
	{ "gre.keyid", OFD_FK_HAVE_GRE_KEYID, pr_gre_keyid },
};
const unsigned int ofd_flow_keys_nfields =
	sizeof(ofd_flow_keys_fields) / sizeof(ofd_flow_keys_fields[0]);
