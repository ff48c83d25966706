// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * case_file.c - case.yaml, the replayable description of one case.
 *
 *   offdiff_case: 1
 *   offload: tx-csum
 *   reference: model
 *   target: {engine: emu, profile: srv6-ipv6-dst.yaml}
 *   input: input.pcap            # the frames as handed to the engines
 *   source: {file: corpus/tx-csum/ipv6-ext.pcap, packet: 17}
 *   request: {kind: legacy, csum_type: inet, legacy: [ipv6, tcp], flags: 1,
 *             gso_type: 0, gso_size: 0, hdr_len: 0, csum_start: 94,
 *             csum_offset: 16, skb_gso: []}
 *   mask: []
 *   verdict: discrepancy         # what the run saw
 *
 * skb_gso (a tso request the stack built: skb_shinfo(skb)->gso_type) is a
 * list of the kernel's SKB_GSO_* names in lower case, without the prefix:
 * [tcpv4, udp_tunnel_csum, tcp_fixedid]; "fixedid", "fixedid_inner",
 * "accecn" and "ecn" are read as the TCP_ ones. A file without it (tx-csum,
 * written before tso) has none.
 *
 * Relative paths are relative to the case file's directory. Written with
 * libyaml's emitter (yaml_emit.c): any path or mask text round-trips.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_gro.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_yaml.h"
#include "ofd_yaml_emit.h"

static const struct {
	const char *name;
	uint8_t bit;
} legacy_bits[] = {
	{ "ipv4", OFD_LEGACY_IPV4 }, { "ipv6", OFD_LEGACY_IPV6 },
	{ "tcp", OFD_LEGACY_TCP },   { "udp", OFD_LEGACY_UDP },
	{ "sctp", OFD_LEGACY_SCTP }, { "tunnel", OFD_LEGACY_TUNNEL },
};

static const struct {
	const char *name;
	uint32_t bit;
} skb_gso_bits[] = {
	{ "tcpv4", OFD_SKB_GSO_TCPV4 },
	{ "dodgy", OFD_SKB_GSO_DODGY },
	{ "tcp_ecn", OFD_SKB_GSO_TCP_ECN },
	{ "tcpv6", OFD_SKB_GSO_TCPV6 },
	{ "gre", OFD_SKB_GSO_GRE },
	{ "gre_csum", OFD_SKB_GSO_GRE_CSUM },
	{ "ipxip4", OFD_SKB_GSO_IPXIP4 },
	{ "ipxip6", OFD_SKB_GSO_IPXIP6 },
	{ "udp_tunnel", OFD_SKB_GSO_UDP_TUNNEL },
	{ "udp_tunnel_csum", OFD_SKB_GSO_UDP_TUNNEL_CSUM },
	{ "partial", OFD_SKB_GSO_PARTIAL },
	{ "udp", OFD_SKB_GSO_UDP },
	{ "udp_l4", OFD_SKB_GSO_UDP_L4 },
	{ "tcp_accecn", OFD_SKB_GSO_TCP_ACCECN },
	{ "tcp_fixedid", OFD_SKB_GSO_TCP_FIXEDID },
	{ "tcp_fixedid_inner", OFD_SKB_GSO_TCP_FIXEDID_INNER },
	/* read only: the short forms */
	{ "ecn", OFD_SKB_GSO_TCP_ECN },
	{ "accecn", OFD_SKB_GSO_TCP_ACCECN },
	{ "fixedid", OFD_SKB_GSO_TCP_FIXEDID },
	{ "fixedid_inner", OFD_SKB_GSO_TCP_FIXEDID_INNER },
};
#define SKB_GSO_WRITTEN 16 /* the first entries: one name per bit */

/* The replay hint is a comment: the emitter writes none, so it goes
 * first, on one line whatever the path holds. */
static void hint_comment(FILE *f, const char *path)
{
	const char *base = strrchr(path, '/'), *end = path + strlen(path);

	/* A report writes DIR/.case.yaml.tmp and renames it to DIR/case.yaml
	 * (rfile.c): the hint names the file the reader will find. */
	base = base ? base + 1 : path;
	if (base[0] == '.' && end - base > 5 && !strcmp(end - 4, ".tmp"))
		end -= 4;
	else
		base = NULL;
	fputs("# offdiff reproducer: run `offdiff replay ", f);
	for (; path < end; path++) {
		if (path == base)
			continue; /* the leading dot of the temporary name */
		fputc(*path == '\n' || *path == '\r' ? ' ' : *path, f);
	}
	fputs("`\n", f);
}

int ofd_case_write_yaml(const char *path, const struct ofd_case *c,
			const char *reference, const struct ofd_target_desc *t,
			const char *input_pcap, const struct ofd_mask *mask,
			enum ofd_verdict expected)
{
	FILE *f = fopen(path, "w");
	struct ofd_yemit y;
	size_t i;
	int err;

	if (!f)
		return -errno;
	hint_comment(f, path);
	ofd_yemit_open(&y, f);
	ofd_yemit_map(&y, false);
	ofd_yemit_kv_uint(&y, "offdiff_case", 1);
	ofd_yemit_kv_str(&y, "offload", ofd_offload_name(c->offload));
	/* The id the run gave it: a target that misbehaves on chosen cases
	 * (a plugin's crash_on) sees the same one again. */
	ofd_yemit_kv_uint(&y, "id", c->id);
	ofd_yemit_kv_str(&y, "reference", reference ? reference : "model");
	ofd_yemit_plain(&y, "target");
	ofd_yemit_map(&y, false);
	ofd_yemit_kv_str(&y, "engine", t && t->engine ? t->engine : "emu");
	if (t && (t->profile_path || t->profile))
		ofd_yemit_kv_str(&y, "profile", t->profile_path ? t->profile_path : t->profile);
	for (i = 0; t && i < t->nparams; i++)
		ofd_yemit_kv_str(&y, t->params[i].key, t->params[i].value);
	ofd_yemit_end_map(&y);
	ofd_yemit_kv_str(&y, "input", input_pcap);
	ofd_yemit_plain(&y, "source");
	ofd_yemit_map(&y, false);
	ofd_yemit_kv_str(&y, "file", c->src_file ? c->src_file : "");
	ofd_yemit_kv_uint(&y, "packet", c->src_index);
	ofd_yemit_end_map(&y);
	ofd_yemit_plain(&y, "request");
	ofd_yemit_map(&y, false);
	ofd_yemit_kv_plain(&y, "kind", c->req.kind == OFD_REQ_LEGACY ? "legacy" : "vnet");
	ofd_yemit_kv_plain(&y, "csum_type",
			   c->req.csum_type == OFD_CSUM_CRC32C ? "crc32c" : "inet");
	ofd_yemit_plain(&y, "legacy");
	ofd_yemit_seq(&y, true);
	for (i = 0; i < OFD_ARRAY_SIZE(legacy_bits); i++)
		if (c->req.legacy & legacy_bits[i].bit)
			ofd_yemit_plain(&y, legacy_bits[i].name);
	ofd_yemit_end_seq(&y);
	ofd_yemit_kv_uint(&y, "flags", c->req.vnet.flags);
	ofd_yemit_kv_uint(&y, "gso_type", c->req.vnet.gso_type);
	ofd_yemit_kv_uint(&y, "gso_size", c->req.vnet.gso_size);
	ofd_yemit_kv_uint(&y, "hdr_len", c->req.vnet.hdr_len);
	ofd_yemit_kv_uint(&y, "csum_start", c->req.vnet.csum_start);
	ofd_yemit_kv_uint(&y, "csum_offset", c->req.vnet.csum_offset);
	ofd_yemit_plain(&y, "skb_gso");
	ofd_yemit_seq(&y, true);
	for (i = 0; i < SKB_GSO_WRITTEN; i++)
		if (c->req.skb_gso & skb_gso_bits[i].bit)
			ofd_yemit_plain(&y, skb_gso_bits[i].name);
	ofd_yemit_end_seq(&y);
	if (c->req.rx_flags)
		ofd_yemit_kv_uint(&y, "rx_flags", c->req.rx_flags);
	ofd_yemit_end_map(&y);
	ofd_yemit_plain(&y, "mask");
	ofd_yemit_seq(&y, true);
	for (i = 0; mask && i < mask->n; i++)
		ofd_yemit_str(&y, mask->fields[i]);
	ofd_yemit_end_seq(&y);
	ofd_yemit_kv_plain(&y, "verdict", ofd_verdict_name(expected));
	ofd_yemit_end_map(&y);
	errno = 0;
	err = ofd_yemit_close(&y);
	/* The emitter says -EIO; errno says why (ENOSPC): keep the reason. */
	if (err == -EIO && errno)
		err = -errno;
	if (fclose(f) && !err)
		err = errno ? -errno : -EIO;
	return err;
}

static char *resolve(const char *case_path, const char *rel)
{
	const char *slash = strrchr(case_path, '/');
	char buf[PATH_MAX];

	if (rel[0] == '/' || !slash)
		return strdup(rel);
	snprintf(buf, sizeof(buf), "%.*s/%s", (int)(slash - case_path), case_path, rel);
	return strdup(buf);
}

/* A required request field of at most max; the caller narrows it. */
static int get_field(const struct ofd_ynode *map, const char *key, uint32_t max,
		     uint32_t *v, char *err, size_t err_len)
{
	const struct ofd_ynode *n = ofd_ymap_get(map, key);

	if (!n)
		return ofd_yerr(err, err_len, map, "request: missing '%s'", key);
	return ofd_y_u32(n, key, max, v, err, err_len);
}

static int read_request(const struct ofd_ynode *rq, struct ofd_request *req,
			char *err, size_t err_len)
{
	static const char *const keys[] = { "kind", "csum_type", "legacy", "flags",
		"gso_type", "gso_size", "hdr_len", "csum_start", "csum_offset",
		"skb_gso", "rx_flags", NULL };
	const struct ofd_ynode *n;
	const char *s;
	uint32_t f[6];
	size_t i, k;
	int ret;

	if (!rq || rq->type != OFD_Y_MAP)
		return ofd_yerr(err, err_len, rq, "request: expected a map");
	ret = ofd_y_check_keys(rq, "request", keys, err, err_len);
	if (ret)
		return ret;
	memset(req, 0, sizeof(*req));
	n = ofd_ymap_get(rq, "kind");
	if (n) {
		if ((ret = ofd_y_str(n, "kind", &s, err, err_len)))
			return ret;
		if (!strcmp(s, "legacy"))
			req->kind = OFD_REQ_LEGACY;
		else if (strcmp(s, "vnet"))
			return ofd_yerr(err, err_len, n, "kind: expected vnet or legacy, got '%s'", s);
	}
	n = ofd_ymap_get(rq, "csum_type");
	if (n) {
		if ((ret = ofd_y_str(n, "csum_type", &s, err, err_len)))
			return ret;
		if (!strcmp(s, "crc32c"))
			req->csum_type = OFD_CSUM_CRC32C;
		else if (strcmp(s, "inet"))
			return ofd_yerr(err, err_len, n, "csum_type: expected inet or crc32c, got '%s'", s);
	}
	n = ofd_ymap_get(rq, "legacy");
	if (n) {
		if (n->type != OFD_Y_SEQ)
			return ofd_yerr(err, err_len, n, "legacy: expected a sequence");
		for (i = 0; i < n->n; i++) {
			if ((ret = ofd_y_str(n->items[i], "legacy", &s, err, err_len)))
				return ret;
			for (k = 0; k < OFD_ARRAY_SIZE(legacy_bits); k++)
				if (!strcmp(s, legacy_bits[k].name))
					break;
			if (k == OFD_ARRAY_SIZE(legacy_bits))
				return ofd_yerr(err, err_len, n->items[i], "legacy: unknown bit '%s'", s);
			req->legacy |= legacy_bits[k].bit;
		}
	}
	n = ofd_ymap_get(rq, "skb_gso");
	if (n) {
		if (n->type != OFD_Y_SEQ)
			return ofd_yerr(err, err_len, n, "skb_gso: expected a sequence of SKB_GSO names");
		for (i = 0; i < n->n; i++) {
			if ((ret = ofd_y_str(n->items[i], "skb_gso", &s, err, err_len)))
				return ret;
			for (k = 0; k < OFD_ARRAY_SIZE(skb_gso_bits); k++)
				if (!strcmp(s, skb_gso_bits[k].name))
					break;
			if (k == OFD_ARRAY_SIZE(skb_gso_bits))
				return ofd_yerr(err, err_len, n->items[i],
						"skb_gso: unknown bit '%s' (e.g. tcpv4, tcpv6, udp_l4, tcp_ecn, udp_tunnel_csum, gre, ipxip4, tcp_fixedid)",
						s);
			req->skb_gso |= skb_gso_bits[k].bit;
		}
	}
	if ((ret = get_field(rq, "flags", 0xff, &f[0], err, err_len)) ||
	    (ret = get_field(rq, "gso_type", 0xff, &f[1], err, err_len)) ||
	    (ret = get_field(rq, "gso_size", 0xffff, &f[2], err, err_len)) ||
	    (ret = get_field(rq, "hdr_len", 0xffff, &f[3], err, err_len)) ||
	    (ret = get_field(rq, "csum_start", 0xffff, &f[4], err, err_len)) ||
	    (ret = get_field(rq, "csum_offset", 0xffff, &f[5], err, err_len)))
		return ret;
	req->vnet.flags = (uint8_t)f[0];
	req->vnet.gso_type = (uint8_t)f[1];
	req->vnet.gso_size = (uint16_t)f[2];
	req->vnet.hdr_len = (uint16_t)f[3];
	req->vnet.csum_start = (uint16_t)f[4];
	req->vnet.csum_offset = (uint16_t)f[5];
	n = ofd_ymap_get(rq, "rx_flags");
	if (n) {
		if ((ret = ofd_y_u32(n, "rx_flags", 0xff, &f[0], err, err_len)))
			return ret;
		req->rx_flags = (uint8_t)f[0];
	}
	return 0;
}

/* "offdiff_case: 1": a file of another format version is not read as
 * this one (a later version may mean something else by the same keys). */
static int check_version(const struct ofd_ynode *root, char *err, size_t err_len)
{
	const struct ofd_ynode *n = ofd_ymap_get(root, "offdiff_case");
	uint32_t v;
	int ret;

	if (!n)
		return ofd_yerr(err, err_len, root,
				"missing 'offdiff_case' (the case format version, 1)");
	if ((ret = ofd_y_u32(n, "offdiff_case", UINT32_MAX, &v, err, err_len)))
		return ret;
	if (v != 1)
		return ofd_yerr(err, err_len, n,
				"offdiff_case: version %u is not supported (this offdiff reads 1)", v);
	return 0;
}

/* Masked fields, checked as a spec's are: a name the diff never gives
 * would mask nothing, silently. */
static int read_mask(const struct ofd_ynode *n, struct ofd_loaded_case *lc,
		     char *err, size_t err_len)
{
	const char *s;
	size_t i;
	int ret;

	if (!n)
		return 0;
	if (n->type != OFD_Y_SEQ)
		return ofd_yerr(err, err_len, n, "mask: expected a sequence of field names");
	if (!n->n)
		return 0;
	lc->mask = calloc(n->n, sizeof(*lc->mask));
	if (!lc->mask)
		return -ENOMEM;
	for (i = 0; i < n->n; i++) {
		if ((ret = ofd_y_str(n->items[i], "mask", &s, err, err_len)))
			return ret;
		if (!ofd_mask_entry_known(s))
			return ofd_yerr(err, err_len, n->items[i],
					"mask: unknown field '%s' (e.g. ipv4.id, tcp.checksum, srh.segment[0], payload)",
					s);
		lc->mask[lc->nmask] = strdup(s);
		if (!lc->mask[lc->nmask])
			return -ENOMEM;
		lc->nmask++;
	}
	return 0;
}

static int read_verdict(const struct ofd_ynode *n, int *expected, char *err,
			size_t err_len)
{
	const char *s;
	int ret, v;

	if ((ret = ofd_y_str(n, "verdict", &s, err, err_len)))
		return ret;
	for (v = 0; v < OFD_V__MAX; v++)
		if (!strcmp(s, ofd_verdict_name(v))) {
			*expected = v;
			return 0;
		}
	return ofd_yerr(err, err_len, n,
			"verdict: unknown verdict '%s' (equal, discrepancy, both-rejected, one-rejected, target-fault, unsupported)",
			s);
}

/* The target's settings: every key of its map but engine and profile,
 * checked against the engine's keys when it opens. */
static int read_target_params(const struct ofd_ynode *t, struct ofd_loaded_case *lc, char *err,
			      size_t err_len)
{
	size_t i;

	lc->params = calloc(t->n ? t->n : 1, sizeof(*lc->params));
	if (!lc->params)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		const char *v;
		int ret;

		if (!strcmp(t->keys[i], "engine") || !strcmp(t->keys[i], "profile"))
			continue;
		if ((ret = ofd_y_str(t->items[i], t->keys[i], &v, err, err_len)))
			return ret;
		lc->params[lc->nparams].key = strdup(t->keys[i]);
		lc->params[lc->nparams].value = strdup(v);
		if (!lc->params[lc->nparams].key || !lc->params[lc->nparams].value)
			return -ENOMEM;
		lc->nparams++;
	}
	return 0;
}

static int read_id(const struct ofd_ynode *n, uint64_t *id, char *err, size_t err_len)
{
	const char *s;
	char *end;
	int ret = ofd_y_str(n, "id", &s, err, err_len);

	if (ret)
		return ret;
	errno = 0;
	*id = strtoull(s, &end, 10);
	if (!s[0] || *end || errno || s[0] == '-')
		return ofd_yerr(err, err_len, n, "id: expected a case number, not '%s'", s);
	return 0;
}

/* text NULL: read the file at path; else parse text, named path. */
static int case_read(const char *path, const char *text, size_t len,
		     struct ofd_loaded_case *lc, char *err, size_t err_len)
{
	static const char *const keys[] = { "offdiff_case", "offload", "id", "reference",
		"target", "input", "source", "request", "mask", "verdict", NULL };
	struct ofd_ynode *root = NULL;
	const struct ofd_ynode *n, *t;
	struct ofd_corpus corpus = { 0 };
	const char *s;
	char *input = NULL;
	uint32_t i;
	int ret, off;

	memset(lc, 0, sizeof(*lc));
	lc->expected = -1;
	if (text)
		ret = ofd_yaml_load_string(path, text, len, &root, err, err_len);
	else
		ret = ofd_yaml_load_file(path, &root, err, err_len);
	if (ret)
		return ret;
	if (root->type != OFD_Y_MAP) {
		ret = ofd_yerr(err, err_len, root, "a case file is a map");
		goto out;
	}
	if ((ret = ofd_y_check_keys(root, "case", keys, err, err_len)))
		goto out;
	if ((ret = check_version(root, err, err_len)))
		goto out;
	n = ofd_ymap_get(root, "offload");
	if (!n) {
		ret = ofd_yerr(err, err_len, root, "missing 'offload'");
		goto out;
	}
	if ((ret = ofd_y_str(n, "offload", &s, err, err_len)))
		goto out;
	off = ofd_offload_from_name(s);
	if (off < 0) {
		ret = ofd_yerr(err, err_len, n, "offload: unknown offload '%s'", s);
		goto out;
	}
	lc->c.offload = (uint32_t)off;
	n = ofd_ymap_get(root, "reference");
	if (n && (ret = ofd_y_str(n, "reference", &s, err, err_len)))
		goto out;
	lc->reference = strdup(n ? s : "model");
	t = ofd_ymap_get(root, "target");
	if (!t || t->type != OFD_Y_MAP) {
		ret = ofd_yerr(err, err_len, t ? t : root, "target: expected a map with engine and profile");
		goto out;
	}
	n = ofd_ymap_get(t, "engine");
	if (!n) {
		ret = ofd_yerr(err, err_len, t, "target: missing 'engine'");
		goto out;
	}
	if ((ret = ofd_y_str(n, "engine", &s, err, err_len)))
		goto out;
	lc->engine = strdup(s);
	n = ofd_ymap_get(t, "profile");
	if (n) {
		if ((ret = ofd_y_str(n, "profile", &s, err, err_len)))
			goto out;
		lc->profile = strchr(s, '/') || strstr(s, ".yaml") ? resolve(path, s) : strdup(s);
	}
	if ((ret = read_target_params(t, lc, err, err_len)))
		goto out;
	n = ofd_ymap_get(root, "id");
	if (n && (ret = read_id(n, &lc->c.id, err, err_len)))
		goto out;
	n = ofd_ymap_get(root, "input");
	if (!n) {
		ret = ofd_yerr(err, err_len, root, "missing 'input'");
		goto out;
	}
	if ((ret = ofd_y_str(n, "input", &s, err, err_len)))
		goto out;
	input = resolve(path, s);
	ret = ofd_corpus_load(&corpus, input, err, err_len);
	if (ret)
		goto out;
	n = ofd_ymap_get(root, "request");
	if (!n) {
		ret = ofd_yerr(err, err_len, root, "missing 'request'");
		goto out;
	}
	if ((ret = read_request(n, &lc->c.req, err, err_len)))
		goto out;
	n = ofd_ymap_get(root, "source");
	if (n && n->type != OFD_Y_MAP) {
		ret = ofd_yerr(err, err_len, n, "source: expected a map with file and packet");
		goto out;
	}
	if (n) {
		const struct ofd_ynode *fnode = ofd_ymap_get(n, "file");
		const struct ofd_ynode *pnode = ofd_ymap_get(n, "packet");

		if (fnode && !ofd_y_str(fnode, "file", &s, err, err_len) && s[0])
			lc->src_file = strdup(s);
		if (pnode && (ret = ofd_y_u32(pnode, "packet", UINT32_MAX, &lc->c.src_index, err, err_len)))
			goto out;
	}
	if ((ret = read_mask(ofd_ymap_get(root, "mask"), lc, err, err_len)))
		goto out;
	n = ofd_ymap_get(root, "verdict");
	if (n && (ret = read_verdict(n, &lc->expected, err, err_len)))
		goto out;
	/* Own the frames: the corpus storage goes away below. */
	lc->pkts = calloc(corpus.npkts, sizeof(*lc->pkts));
	lc->bufs = calloc(corpus.npkts, sizeof(*lc->bufs));
	if (!lc->pkts || !lc->bufs) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < corpus.npkts; i++) {
		lc->bufs[i] = malloc(corpus.pkts[i].len ? corpus.pkts[i].len : 1);
		if (!lc->bufs[i]) {
			ret = -ENOMEM;
			goto out;
		}
		lc->c.npkts = i + 1; /* so that a failure below frees it */
		memcpy(lc->bufs[i], corpus.pkts[i].data, corpus.pkts[i].len);
		lc->pkts[i].data = lc->bufs[i];
		lc->pkts[i].len = corpus.pkts[i].len;
	}
	lc->c.npkts = corpus.npkts;
	lc->c.pkts = lc->pkts;
	lc->c.src_file = lc->src_file;
	/* A receive offload's train: its flush points from the input's
	 * timestamps, as the report stamped them (ofd_gro.h). */
	if (ofd_offload_get(lc->c.offload) &&
	    ofd_offload_get(lc->c.offload)->dir == OFD_DIR_RX)
		ofd_gro_train_flags(&corpus, lc->pkts);
	ret = 0;
out:
	ofd_corpus_free(&corpus);
	free(input);
	ofd_yaml_free(root);
	if (ret)
		ofd_loaded_case_free(lc);
	return ret;
}

int ofd_case_read_yaml(const char *path, struct ofd_loaded_case *lc, char *err,
		       size_t err_len)
{
	return case_read(path, NULL, 0, lc, err, err_len);
}

int ofd_case_parse_yaml(const char *path, const char *text, size_t len,
			struct ofd_loaded_case *lc, char *err, size_t err_len)
{
	return case_read(path, text ? text : "", len, lc, err, err_len);
}

void ofd_loaded_case_free(struct ofd_loaded_case *lc)
{
	size_t i;

	for (i = 0; lc->bufs && i < lc->c.npkts; i++)
		free(lc->bufs[i]);
	for (i = 0; i < lc->nmask; i++)
		free(lc->mask[i]);
	free(lc->mask);
	free(lc->bufs);
	free(lc->pkts);
	free(lc->reference);
	free(lc->engine);
	free(lc->profile);
	free(lc->src_file);
	for (i = 0; i < lc->nparams; i++) {
		free((char *)lc->params[i].key);
		free((char *)lc->params[i].value);
	}
	free(lc->params);
	memset(lc, 0, sizeof(*lc));
}
