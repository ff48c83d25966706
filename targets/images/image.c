// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * image.c - what the engines of a program's two images share
 * (ofd_images.h): where the images are, the identity they carry, the keys
 * a run gives, and the answer to a dissect case.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ofd_images.h"

int ofd_img_id_parse(const char *s, size_t len, struct ofd_img_id *id)
{
	char buf[128];
	size_t n = strnlen(s, len), i;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(id, 0, sizeof(*id));
	if (sscanf(buf, "%31s %15s %64s", id->name, id->version, id->sha256) != 3)
		return -EINVAL;
	if (strlen(id->sha256) != 64)
		return -EINVAL;
	for (i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", id->sha256[i]))
			return -EINVAL;
	return 0;
}

int ofd_img_path(const char *file, char *out, size_t len)
{
	/* Where `make` puts them, then where `make install` does (like the
	 * plugins: <libdir>/offdiff/progs beside <bindir>). */
	static const char *const under_exe[] = { "progs", "../lib/offdiff/progs" };
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	for (i = 0; i < OFD_ARRAY_SIZE(under_exe); i++) {
		if ((size_t)snprintf(out, len, "%s/%s/%s", exe, under_exe[i], file) >= len)
			return -ENAMETOOLONG;
		if (!access(out, R_OK))
			return 0;
	}
	/* Neither: name the build's folder in the caller's message. */
	snprintf(out, len, "%s/%s/%s", exe, under_exe[0], file);
	return 0;
}

void ofd_img_keys(const struct bpf_flow_keys *bk, int retval, struct ofd_flow_keys *k)
{
	memset(k, 0, sizeof(*k));
	/* BPF_OK is success; anything else (BPF_DROP) is the dissector's
	 * false (bpf_flow_dissect's callers). */
	k->status = retval == BPF_OK ? OFD_FK_GOOD : OFD_FK_BAD;
	k->have = OFD_FK_HAVE_BASIC | OFD_FK_HAVE_ADDRS | OFD_FK_HAVE_PORTS |
		  OFD_FK_HAVE_FLOW_LABEL;
	k->flags = (bk->is_frag ? OFD_FK_IS_FRAGMENT : 0) |
		   (bk->is_first_frag ? OFD_FK_FIRST_FRAG : 0) |
		   (bk->is_encap ? OFD_FK_ENCAPSULATION : 0);
	k->ip_proto = bk->ip_proto;
	k->nhoff = bk->nhoff;
	k->thoff = bk->thoff;
	k->n_proto = ntohs(bk->n_proto);
	/* Addresses only for the two families __skb_flow_bpf_to_target
	 * copies. */
	if (bk->addr_proto == 0x0800) {
		k->addr_proto = bk->addr_proto;
		memcpy(k->src, &bk->ipv4_src, 4);
		memcpy(k->dst, &bk->ipv4_dst, 4);
	} else if (bk->addr_proto == 0x86dd) {
		k->addr_proto = bk->addr_proto;
		memcpy(k->src, bk->ipv6_src, 16);
		memcpy(k->dst, bk->ipv6_dst, 16);
	}
	k->sport = ntohs(bk->sport);
	k->dport = ntohs(bk->dport);
	k->flow_label = ntohl(bk->flow_label);
}

int ofd_img_answer(void *img, ofd_img_run_fn run, const struct ofd_case *c,
		   struct ofd_result *res)
{
	struct bpf_flow_keys bk;
	struct ofd_flow_keys k;
	uint8_t *out;
	int retval, err;

	if (c->offload != OFD_OFFLOAD_DISSECT) {
		ofd_result_unsupported(res, "a flow dissector image answers dissect only");
		return 0;
	}
	if (c->npkts != 1 || c->pkts[0].len < OFD_IMG_MIN_LEN) {
		ofd_result_unsupported(res, "BPF_PROG_TEST_RUN needs a whole Ethernet header");
		return 0;
	}
	if (c->pkts[0].len > OFD_IMG_MAX_LEN) {
		ofd_result_unsupported(res, "BPF_PROG_TEST_RUN takes a flow dissector's frame in one page (4096 bytes)");
		return 0;
	}
	/* OFD_FK_F_* are the BPF_FLOW_DISSECTOR_F_* values. */
	err = run(img, c->pkts[0].data, c->pkts[0].len,
		  c->req.rx_flags & (BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG |
				     BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL |
				     BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP),
		  &bk, &retval);
	if (err) {
		ofd_result_fault(res, OFD_REASON_FAULT_ENGINE, "the image's run failed");
		res->err = err;
		return 0;
	}
	ofd_img_keys(&bk, retval, &k);
	if (!ofd_result_add_new(res, OFD_FLOW_KEYS_LEN, &out)) {
		ofd_result_fault(res, OFD_REASON_FAULT_ENGINE, "no room for the keys in the result");
		return 0;
	}
	ofd_flow_keys_put(&k, out);
	return 0;
}

void ofd_img_info(const struct ofd_img_id *id, struct ofd_engine_info *info)
{
	snprintf(info->program, sizeof(info->program), "%s %s", id->name, id->version);
	snprintf(info->program_hash, sizeof(info->program_hash), "%s", id->sha256);
}
