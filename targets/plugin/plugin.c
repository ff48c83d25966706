// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * plugin.c - the `plugin` target: a device model in a shared object.
 *
 * The object speaks ofd_plugin.h, a small ABI of its own that shares no
 * struct with offdiff's internals, so a vendor's model built against one
 * release keeps working with the next. This file is the only place that
 * knows both sides: it loads the object, checks its ABI, turns each case
 * into the plugin's view of it (pointers to the case's own bytes, nothing
 * copied), lets the plugin write its frames straight into the result
 * slot's arena, and checks every number the plugin hands back before the
 * diff reads a byte. A result that does not check out is OFD_RES_FAULT
 * ("malformed result: ..."), a target-fault verdict.
 *
 * The engine carries OFD_F_ISOLATE: the registry runs it in a child
 * process (harness/run/isolate.c) so that a crash or a hang costs one case,
 * not the campaign. `isolate: off` runs it in-process, for a debugger.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ofd.h"
#include "ofd_plugin.h"

/* The case's packets and request are handed over as they are: the two
 * sides must agree on their layout, which these pin down. */
_Static_assert(sizeof(struct ofd_plugin_pkt) == sizeof(struct ofd_pkt) &&
		       offsetof(struct ofd_plugin_pkt, len) == offsetof(struct ofd_pkt, len) &&
		       offsetof(struct ofd_plugin_pkt, flags) == offsetof(struct ofd_pkt, flags),
	       "ofd_plugin_pkt must mirror ofd_pkt");
_Static_assert(sizeof(struct ofd_plugin_vnet_hdr) == sizeof(struct ofd_vnet_hdr),
	       "ofd_plugin_vnet_hdr must mirror ofd_vnet_hdr");
_Static_assert(OFD_PLUGIN_PROTO_IPV4 == OFD_LEGACY_IPV4 && OFD_PLUGIN_PROTO_IPV6 == OFD_LEGACY_IPV6 &&
		       OFD_PLUGIN_PROTO_TCP == OFD_LEGACY_TCP && OFD_PLUGIN_PROTO_UDP == OFD_LEGACY_UDP &&
		       OFD_PLUGIN_PROTO_SCTP == OFD_LEGACY_SCTP &&
		       OFD_PLUGIN_PROTO_TUNNEL == OFD_LEGACY_TUNNEL,
	       "protocol request bits are the legacy request bits");

_Static_assert(OFD_PLUGIN_SKB_GSO_TCPV4 == OFD_SKB_GSO_TCPV4 &&
		       OFD_PLUGIN_SKB_GSO_TCP_ECN == OFD_SKB_GSO_TCP_ECN &&
		       OFD_PLUGIN_SKB_GSO_TCPV6 == OFD_SKB_GSO_TCPV6 &&
		       OFD_PLUGIN_SKB_GSO_GRE == OFD_SKB_GSO_GRE &&
		       OFD_PLUGIN_SKB_GSO_GRE_CSUM == OFD_SKB_GSO_GRE_CSUM &&
		       OFD_PLUGIN_SKB_GSO_IPXIP4 == OFD_SKB_GSO_IPXIP4 &&
		       OFD_PLUGIN_SKB_GSO_IPXIP6 == OFD_SKB_GSO_IPXIP6 &&
		       OFD_PLUGIN_SKB_GSO_UDP_TUNNEL == OFD_SKB_GSO_UDP_TUNNEL &&
		       OFD_PLUGIN_SKB_GSO_UDP_TUNNEL_CSUM == OFD_SKB_GSO_UDP_TUNNEL_CSUM &&
		       OFD_PLUGIN_SKB_GSO_PARTIAL == OFD_SKB_GSO_PARTIAL &&
		       OFD_PLUGIN_SKB_GSO_UDP == OFD_SKB_GSO_UDP &&
		       OFD_PLUGIN_SKB_GSO_UDP_L4 == OFD_SKB_GSO_UDP_L4 &&
		       OFD_PLUGIN_SKB_GSO_TCP_ACCECN == OFD_SKB_GSO_TCP_ACCECN &&
		       OFD_PLUGIN_SKB_GSO_TCP_FIXEDID == OFD_SKB_GSO_TCP_FIXEDID &&
		       OFD_PLUGIN_SKB_GSO_TCP_FIXEDID_INNER == OFD_SKB_GSO_TCP_FIXEDID_INNER,
	       "skb_gso bits are Linux's, on both sides");

/* The ABI's offload numbers by offdiff's names (they never change). */
static const char *const plugin_offload_names[OFD_PLUGIN_OFFLOAD_MAX] = {
	[OFD_PLUGIN_TX_CSUM] = "tx-csum", [OFD_PLUGIN_TSO] = "tso",
	[OFD_PLUGIN_GRO] = "gro",         [OFD_PLUGIN_RX_CSUM] = "rx-csum",
	[OFD_PLUGIN_DISSECT] = "dissect", [OFD_PLUGIN_RSS] = "rss",
};

/* The smallest struct ofd_plugin a v1 plugin can hand over: through close. */
#define PLUGIN_V1_SIZE (offsetof(struct ofd_plugin, close) + sizeof(void (*)(void *)))

struct plugin_eng {
	void *dl;
	const struct ofd_plugin *p;
	void *priv;
	bool opened;
	/* enum ofd_offload -> the ABI's number, -1 when the plugin lacks it */
	int offload_map[OFD_OFFLOAD__MAX];
	struct ofd_plugin_frame *frames; /* OFD_MAX_FRAMES, once */
	char path[PATH_MAX];
	char unsupported[OFD_OFFLOAD__MAX][96];
	struct ofd_plugin_identity id;
};

/* Where a bare plugin name ("dpdk") is looked for: next to the binary
 * (build/plugins in the tree) and where make install puts plugins. */
static int plugin_resolve(const char *name, const char *base_dir, char *out, size_t len)
{
	static const char *const under_exe[] = { "plugins", "../lib/offdiff/plugins" };
	char exe[PATH_MAX];
	struct stat st;
	ssize_t n;
	size_t i;

	if (strchr(name, '/')) {
		if (name[0] != '/' && base_dir)
			snprintf(out, len, "%s/%s", base_dir, name);
		else
			snprintf(out, len, "%s", name);
		return stat(out, &st) ? -errno : 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -ENOENT;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	for (i = 0; i < OFD_ARRAY_SIZE(under_exe); i++) {
		snprintf(out, len, "%s/%s/%s.so", exe, under_exe[i], name);
		if (!stat(out, &st))
			return 0;
	}
	snprintf(out, len, "%s/plugins/%s.so", exe, name);
	return -ENOENT;
}

/* The plugin's own settings: every key but path, each one it declares. */
static int plugin_params(const struct plugin_eng *pe, const struct ofd_engine_opts *o,
			 struct ofd_plugin_param *out, uint32_t *n)
{
	const struct ofd_plugin_param_doc *d;
	unsigned int i;

	*n = 0;
	for (i = 0; i < o->nparams; i++) {
		if (!strcmp(o->params[i].key, "path"))
			continue;
		for (d = pe->p->params; d && d->key; d++)
			if (!strcmp(d->key, o->params[i].key))
				break;
		if (!d || !d->key) {
			char keys[256] = "";
			size_t off = 0;

			for (d = pe->p->params; d && d->key && off < sizeof(keys); d++)
				off += (size_t)snprintf(keys + off, sizeof(keys) - off, "%s%s",
							off ? ", " : "", d->key);
			ofd_pr_warn("plugin %s takes no '%s' (%s%s)\n", pe->p->name,
				    o->params[i].key, keys[0] ? "it takes " : "it takes no settings",
				    keys);
			return -EINVAL;
		}
		out[(*n)++] = (struct ofd_plugin_param){ o->params[i].key, o->params[i].value };
	}
	return 0;
}

static int plugin_load(struct plugin_eng *pe, const char *path)
{
	ofd_plugin_entry_fn entry;
	const struct ofd_plugin *p;

	pe->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!pe->dl) {
		ofd_pr_warn("plugin %s: %s\n", path, dlerror());
		return -ENOEXEC;
	}
	*(void **)&entry = dlsym(pe->dl, OFD_PLUGIN_ENTRY_NAME);
	if (!entry) {
		ofd_pr_warn("plugin %s: no %s() (is it an offdiff plugin? see docs/plugin-abi.md)\n",
			    path, OFD_PLUGIN_ENTRY_NAME);
		return -ENOEXEC;
	}
	p = entry();
	if (!p || p->size < PLUGIN_V1_SIZE) {
		ofd_pr_warn("plugin %s: %s() returned %s\n", path, OFD_PLUGIN_ENTRY_NAME,
			    p ? "a struct ofd_plugin too small for ABI 1" : "NULL");
		return -ENOEXEC;
	}
	if (p->abi_version != OFD_PLUGIN_ABI_VERSION) {
		ofd_pr_warn("plugin %s: built for plugin ABI %u, this offdiff speaks %u\n", path,
			    p->abi_version, OFD_PLUGIN_ABI_VERSION);
		return -ENOEXEC;
	}
	if (!p->name || !p->open || !p->run) {
		ofd_pr_warn("plugin %s: its struct ofd_plugin lacks %s\n", path,
			    !p->name ? "a name" : !p->open ? "open()" : "run()");
		return -ENOEXEC;
	}
	pe->p = p;
	return 0;
}

static void plugin_close(void *priv);

static int plugin_open(const struct ofd_engine_opts *o, void **priv)
{
	struct ofd_plugin_open_opts po = { .size = sizeof(po) };
	struct ofd_plugin_param *pp = NULL;
	const char *path = ofd_engine_param(o, "path");
	struct plugin_eng *pe;
	char err[256] = "";
	unsigned int off;
	int ret;

	if (!path) {
		ofd_pr_warn("plugin: which one? give path=FILE.so or path=NAME (e.g. -t plugin:path=example)\n");
		return -EINVAL;
	}
	pe = calloc(1, sizeof(*pe));
	if (!pe)
		return -ENOMEM;
	*priv = pe;
	ret = plugin_resolve(path, o->base_dir, pe->path, sizeof(pe->path));
	if (ret) {
		ofd_pr_warn("plugin %s: %s (%s)\n", path, strerror(-ret), pe->path);
		goto fail;
	}
	ret = plugin_load(pe, pe->path);
	if (ret)
		goto fail;
	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		int k;

		pe->offload_map[off] = -1;
		for (k = 0; k < OFD_PLUGIN_OFFLOAD_MAX; k++)
			if (!strcmp(plugin_offload_names[k], ofd_offload_name(off)) &&
			    (pe->p->offloads & OFD_PLUGIN_CAP(k)))
				pe->offload_map[off] = k;
		snprintf(pe->unsupported[off], sizeof(pe->unsupported[off]),
			 "%s does not implement %s", pe->p->name, ofd_offload_name(off));
		if (pe->offload_map[off] >= 0 && (o->caps & OFD_CAP(off)))
			po.offloads |= OFD_PLUGIN_CAP((unsigned int)pe->offload_map[off]);
	}
	pe->frames = calloc(OFD_MAX_FRAMES, sizeof(*pe->frames));
	pp = calloc(o->nparams ? o->nparams : 1, sizeof(*pp));
	ret = -ENOMEM;
	if (!pe->frames || !pp)
		goto fail;
	ret = plugin_params(pe, o, pp, &po.nparams);
	if (ret)
		goto fail;
	po.params = pp;
	po.base_dir = o->base_dir;
	ret = pe->p->open(&po, &pe->priv, err, sizeof(err));
	if (ret) {
		err[strcspn(err, "\n")] = '\0';
		ofd_pr_warn("plugin %s: %s\n", pe->p->name, err[0] ? err : strerror(ret < 0 ? -ret : EIO));
		ret = ret < 0 ? ret : -EIO;
		goto fail;
	}
	pe->opened = true;
	pe->id.size = sizeof(pe->id);
	if (pe->p->identity)
		pe->p->identity(pe->priv, &pe->id);
	pe->id.model[sizeof(pe->id.model) - 1] = '\0';
	pe->id.version[sizeof(pe->id.version) - 1] = '\0';
	pe->id.program_hash[sizeof(pe->id.program_hash) - 1] = '\0';
	free(pp);
	return 0;
fail:
	free(pp);
	plugin_close(pe);
	*priv = NULL;
	return ret;
}

/* The plugin's one line, kept in the arena past its frames so it lives as
 * long as the result (reports read it after the batch). */
static const char *keep_detail(struct ofd_result *r, const char *prefix, const char *text)
{
	uint32_t avail, n;
	uint8_t *d = ofd_result_arena_room(r, &avail);

	n = (uint32_t)strlen(prefix) + (uint32_t)strlen(text) + 1;
	if (!d || avail < n)
		return "(the plugin's message did not fit the result)";
	snprintf((char *)d, n, "%s%s", prefix, text);
	r->arena_used += n;
	return (const char *)d;
}

static void malformed(struct ofd_result *r, const char *why)
{
	ofd_result_fault(r, OFD_REASON_FAULT_MALFORMED, why);
}

#define META_KNOWN (OFD_PLUGIN_META_GSO | OFD_PLUGIN_META_CSUM | OFD_PLUGIN_META_HASH)

/* The virtio_net_hdr gso_type of a frame's SKB_GSO_* bits, as
 * virtio_net_hdr_from_skb maps them (kernel-rx.md 4). */
static uint8_t plugin_vnet_gso(uint32_t skb)
{
	uint8_t t = skb & OFD_PLUGIN_SKB_GSO_TCPV4 ? OFD_VNET_GSO_TCPV4 :
		    skb & OFD_PLUGIN_SKB_GSO_TCPV6 ? OFD_VNET_GSO_TCPV6 :
		    skb & OFD_PLUGIN_SKB_GSO_UDP_L4 ? OFD_VNET_GSO_UDP_L4 : OFD_VNET_GSO_NONE;

	if (t != OFD_VNET_GSO_NONE && (skb & OFD_PLUGIN_SKB_GSO_TCP_ECN))
		t |= OFD_VNET_GSO_ECN;
	return t;
}

/* Every number the plugin handed back, checked before anything reads the
 * frames; then the frames become the slot's, pointing into the arena. */
static void take_result(struct plugin_eng *pe, const struct ofd_plugin_result *pr,
			uint8_t *buf, struct ofd_result *r)
{
	uint32_t i, end = 0;

	if (memchr(pr->detail, '\0', sizeof(pr->detail)) == NULL)
		return malformed(r, "malformed result: detail is not a terminated string");
	switch (pr->status) {
	case OFD_PLUGIN_OK:
		break;
	case OFD_PLUGIN_REJECTED:
		ofd_result_reject(r, OFD_REASON_DEVICE, OFD_STAGE_XMIT);
		r->detail = keep_detail(r, "plugin: ", pr->detail[0] ? pr->detail : "refused");
		return;
	case OFD_PLUGIN_UNSUPPORTED:
		ofd_result_unsupported(r, NULL);
		r->detail = keep_detail(r, "", pr->detail[0] ? pr->detail : "unsupported (no reason given)");
		return;
	default:
		return malformed(r, "malformed result: status is none of OK, REJECTED, UNSUPPORTED");
	}
	if (pr->nframes > pr->max_frames || pr->buf != buf)
		return malformed(r, pr->buf != buf ? "malformed result: the output buffer pointer was changed"
						   : "malformed result: more frames than max_frames");
	for (i = 0; i < pr->nframes; i++) {
		const struct ofd_plugin_frame *pf = &pe->frames[i];

		if (pf->off > pr->buf_cap || pf->len > pr->buf_cap - pf->off)
			return malformed(r, "malformed result: a frame lies outside the output buffer");
		if (pf->meta.has & ~META_KNOWN)
			return malformed(r, "malformed result: a frame's meta.has has unknown bits");
		if ((pf->meta.has & OFD_PLUGIN_META_CSUM) &&
		    pf->meta.csum_state > OFD_PLUGIN_CSUM_PARTIAL)
			return malformed(r, "malformed result: unknown csum_state");
		if (pf->off + pf->len > end)
			end = pf->off + pf->len;
	}
	for (i = 0; i < pr->nframes; i++) {
		const struct ofd_plugin_frame *pf = &pe->frames[i];
		struct ofd_frame *f = ofd_result_add_ref(r, buf + pf->off, pf->len);
		const struct ofd_plugin_meta *m = &pf->meta;

		if (m->has & OFD_PLUGIN_META_GSO) {
			f->meta.has |= OFD_META_VNET;
			memset(&f->meta.vnet, 0, sizeof(f->meta.vnet));
			f->meta.vnet.gso_size = m->gso_size;
			f->meta.vnet.gso_type = plugin_vnet_gso(m->gso_type);
			/* the header the stack would read the frame with
			 * (virtio_net_hdr_from_skb, kernel-rx.md 4) */
			if ((m->has & OFD_PLUGIN_META_CSUM) &&
			    m->csum_state == OFD_PLUGIN_CSUM_PARTIAL) {
				f->meta.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
				f->meta.vnet.csum_start = (uint16_t)m->csum_value;
				f->meta.vnet.csum_offset = (uint16_t)(m->csum_value >> 16);
			} else if ((m->has & OFD_PLUGIN_META_CSUM) &&
				   m->csum_state == OFD_PLUGIN_CSUM_UNNECESSARY) {
				f->meta.vnet.flags = OFD_VNET_F_DATA_VALID;
			}
		}
		if (m->has & OFD_PLUGIN_META_CSUM) {
			f->meta.has |= OFD_META_CSUM_STATE;
			f->meta.csum_state = m->csum_state == OFD_PLUGIN_CSUM_UNNECESSARY
						     ? OFD_CSUM_STATE_UNNECESSARY
					     : m->csum_state == OFD_PLUGIN_CSUM_COMPLETE
						     ? OFD_CSUM_STATE_COMPLETE
					     : m->csum_state == OFD_PLUGIN_CSUM_PARTIAL
						     ? OFD_CSUM_STATE_PARTIAL
						     : OFD_CSUM_STATE_NONE;
			f->meta.csum_level = m->csum_level;
			f->meta.csum_value = m->csum_value;
		}
		if (m->has & OFD_PLUGIN_META_HASH) {
			f->meta.has |= OFD_META_RXHASH;
			f->meta.rxhash = m->rxhash;
			f->meta.hash_type = m->hash_type;
		}
	}
	r->arena_used += end;
}

static int plugin_run(void *priv, const struct ofd_case *cases,
		      struct ofd_result *const *results, unsigned int n)
{
	struct plugin_eng *pe = priv;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct ofd_case *c = &cases[i];
		struct ofd_result *r = results[i];
		struct ofd_plugin_case pc = {
			.size = sizeof(pc),
			.id = c->id,
			.npkts = c->npkts,
			.pkts = (const struct ofd_plugin_pkt *)c->pkts,
			.req = {
				.kind = c->req.kind == OFD_REQ_LEGACY ? OFD_PLUGIN_REQ_PROTOCOL
								      : OFD_PLUGIN_REQ_GENERIC,
				.csum_type = c->req.csum_type,
				.proto = c->req.legacy,
				.skb_gso = c->req.skb_gso,
			},
		};
		struct ofd_plugin_result pr = { .size = sizeof(pr) };
		uint32_t avail;
		uint8_t *buf;
		int err;

		if (c->offload >= OFD_OFFLOAD__MAX || pe->offload_map[c->offload] < 0) {
			ofd_result_unsupported(r, pe->unsupported[c->offload < OFD_OFFLOAD__MAX
									  ? c->offload : 0]);
			continue;
		}
		pc.offload = (uint32_t)pe->offload_map[c->offload];
		memcpy(&pc.req.vnet, &c->req.vnet, sizeof(pc.req.vnet));
		buf = ofd_result_arena_room(r, &avail);
		/* The detail strings also go in the arena: keep room for one. */
		pr.buf = buf;
		pr.buf_cap = avail > 256 ? avail - 256 : 0;
		pr.frames = pe->frames;
		pr.max_frames = OFD_MAX_FRAMES;
		err = pe->p->run(pe->priv, &pc, &pr);
		if (err) {
			ofd_result_fault(r, OFD_REASON_FAULT_ENGINE,
					 keep_detail(r, "the plugin's run() failed: ",
						     strerror(err < 0 ? -err : err)));
			r->err = err;
			continue;
		}
		take_result(pe, &pr, buf, r);
	}
	return 0;
}

static void plugin_info(void *priv, struct ofd_engine_info *info)
{
	struct plugin_eng *pe = priv;

	snprintf(info->profile, sizeof(info->profile), "%s", pe->p->name);
	if (pe->id.model[0])
		snprintf(info->version, sizeof(info->version), "%s%s%s%s%s", pe->id.model,
			 pe->id.version[0] ? " " : "", pe->id.version,
			 pe->id.program_hash[0] ? " " : "", pe->id.program_hash);
	else
		snprintf(info->version, sizeof(info->version), "plugin %s (%s)", pe->p->name,
			 pe->path);
}

static void plugin_close(void *priv)
{
	struct plugin_eng *pe = priv;

	if (!pe)
		return;
	if (pe->opened && pe->p->close)
		pe->p->close(pe->priv);
	/* Not dlclose(): a plugin's libraries (DPDK's EAL) may keep threads
	 * or atexit handlers that point into it; the process ends soon. */
	free(pe->frames);
	free(pe);
}

static const struct ofd_engine_param_doc plugin_param_docs[] = {
	{ "path", "the plugin: a FILE.so (relative to the spec's folder) or a NAME "
		  "found as plugins/NAME.so next to offdiff (example, faulty, dpdk)" },
	{ "*", "any key the plugin declares (docs/plugin-abi.md)" },
	{ NULL, NULL },
};

const struct ofd_engine_ops ofd_engine_plugin = {
	.name = "plugin",
	.desc = "a device model in a shared object (ofd_plugin.h), run in a child process",
	.flags = OFD_F_DEVICE | OFD_F_ISOLATE,
	.caps = (1u << OFD_OFFLOAD__MAX) - 1,
	.open = plugin_open,
	.run = plugin_run,
	.info = plugin_info,
	.close = plugin_close,
	.params = plugin_param_docs,
};
