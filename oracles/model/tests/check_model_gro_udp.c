// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_gro_udp.c - UDP, fraglist and VXLAN GRO on the model and
 * the kernel engine under their gro settings (gro_udp, vxlan): every
 * rule of kernel-rx.md 2.2 and 3 (and 1.11's fraglist TCP) as a train
 * whose outcome the fact sheet gives, on the model, then on the live
 * kernel with the same settings (the same outcomes, and model == kernel
 * frame for frame), then the completed packet's fields as 2.2, 3 and 7.3
 * describe them. GENEVE (the model's geneve=on) is checked against the
 * fact sheet only: the kernel engine's kernel has no CONFIG_GENEVE.
 */
#include <check.h>

#include "gro_test_util.h"
#include "ofd_csum.h"

/* M_GENEVE last: the kernel engine has no such setting */
enum { M_OFF, M_FWD, M_FLIST, M_VXLAN, M_GENEVE, M__N };

static const struct ofd_engine_param mode_params[M__N][1] = {
	[M_OFF] = { { "gro_udp", "off" } },
	[M_FWD] = { { "gro_udp", "forward" } },
	[M_FLIST] = { { "gro_udp", "fraglist" } },
	[M_VXLAN] = { { "vxlan", "on" } },
	[M_GENEVE] = { { "geneve", "on" } },
};
static const char *const mode_name[M__N] = { "off", "forward", "fraglist", "vxlan",
					     "geneve" };

struct urow {
	uint8_t mode;
	struct grow r;
};

#define P(n) { .payload = n }
#define U4(nm, ...) { .name = nm, .udp = 1, __VA_ARGS__ }
#define U6(nm, ...) { .name = nm, .udp = 1, .v6 = 1, __VA_ARGS__ }
#define VX(nm, ...) { .name = nm, .tun = 8, __VA_ARGS__ }

static const struct urow rows[] = {
	/* 2.1: a default device aggregates no UDP */
	{ M_OFF, U4("udp4 off: 3 x 100", .n = 3, .g = { P(100), P(100), P(100) },
		    .nout = 3, .out = { 100, 100, 100 }) },
	/* 2.2 with rx-udp-gro-forwarding: one flow's datagrams merge,
	 * gso_size the first's */
	{ M_FWD, U4("udp4 fwd: 3 x 100", .n = 3, .g = { P(100), P(100), P(100) },
		    .nout = 1, .out = { 300 }, .gso0 = 100) },
	{ M_FWD, U6("udp6 fwd: 3 x 100", .n = 3, .g = { P(100), P(100), P(100) },
		    .nout = 1, .out = { 300 }, .gso0 = 100) },
	/* a shorter final datagram is merged, then P flushed */
	{ M_FWD, U4("udp4 fwd: 100, 50, 100", .n = 3, .g = { P(100), P(50), P(100) },
		    .nout = 2, .out = { 150, 100 }, .gso0 = 100) },
	/* S.ulen > first_ulen: P flushed, S held on its own */
	{ M_FWD, U4("udp4 fwd: 50, 100", .n = 2, .g = { P(50), P(100) },
		    .nout = 2, .out = { 50, 100 }) },
	/* Odd one in the middle: it never joins P, so the third segment's IPv4
 * ID follows the first's (9), else the ID rule (1.5) ends P too. */
#define THIRD(n) { .payload = n, .id = 9 }
/* a zero checksum: S flushed through, P untouched (S overtakes) */
	{ M_FWD, U4("udp4 fwd: zero checksum in the middle", .n = 3,
		    .g = { P(100), { .payload = 100, .bad_csum = 3 }, THIRD(100) },
		    .nout = 2, .out = { 100, 200 }) },
	{ M_FWD, U6("udp6 fwd: zero checksum in the middle", .n = 3,
		    .g = { P(100), { .payload = 100, .bad_csum = 3 }, THIRD(100) },
		    .nout = 2, .out = { 100, 200 }) },
	/* a bad checksum: bypass (2.1) */
	{ M_FWD, U4("udp4 fwd: bad checksum in the middle", .n = 3,
		    .g = { P(100), { .payload = 100, .bad_csum = 1 }, THIRD(100) },
		    .nout = 2, .out = { 100, 200 }) },
	/* uh->len != the bytes left: S flushed through alone */
	{ M_FWD, U4("udp4 fwd: uh->len short in the middle", .n = 3,
		    .g = { P(100), { .payload = 100, .ulen_adj = -1 }, THIRD(100) },
		    .nout = 2, .out = { 100, 200 }) },
	{ M_FWD, U6("udp6 fwd: uh->len long in the middle", .n = 3,
		    .g = { P(100), { .payload = 100, .ulen_adj = 1 }, P(100) },
		    .nout = 2, .out = { 100, 200 }) },
	/* Ethernet padding: uh->len != the bytes left (and IP flush) */
	{ M_FWD, U4("udp4 fwd: padded in the middle", .n = 3,
		    .g = { P(4), { .payload = 4, .pad = 1 }, THIRD(4) },
		    .nout = 2, .out = { 4, 8 }) },
	/* the network flush (1.5): P flushed, S held */
	{ M_FWD, U4("udp4 fwd: TTL", .n = 2, .g = { P(100), { .payload = 100, .ttl = 63 } },
		    .nout = 2, .out = { 100, 100 }) },
	{ M_FWD, U4("udp4 fwd: IDs 8, 10", .n = 2, .g = { P(100), { .payload = 100, .id = 10 } },
		    .nout = 2, .out = { 100, 100 }) },
	{ M_FWD, U6("udp6 fwd: traffic class", .n = 2,
		    .g = { P(100), { .payload = 100, .tos = 4 } }, .nout = 2, .out = { 100, 100 }) },
	/* ports differ: another flow, both held */
	{ M_FWD, U4("udp4 fwd: other port in the middle", .n = 3,
		    .g = { P(100), { .payload = 100, .flow = 1 }, P(100) },
		    .nout = 2, .out = { 200, 100 }, .gso0 = 100) },
	{ M_FWD, U4("udp4 fwd: a flush point", .n = 2, .g = { P(100), P(100) },
		    .flush_after = 1, .nout = 2, .out = { 100, 100 }) },
	/* 2.2 with rx-gro-list: the same merges, fraglist */
	{ M_FLIST, U4("udp4 fraglist: 3 x 100", .n = 3, .g = { P(100), P(100), P(100) },
		      .nout = 1, .out = { 300 }, .gso0 = 100) },
	{ M_FLIST, U6("udp6 fraglist: 100, 50, 100", .n = 3, .g = { P(100), P(50), P(100) },
		      .nout = 2, .out = { 150, 100 }, .gso0 = 100) },
	{ M_FLIST, U4("udp4 fraglist: zero checksum in the middle", .n = 3,
		      .g = { P(100), { .payload = 100, .bad_csum = 3 }, THIRD(100) },
		      .nout = 2, .out = { 100, 200 }) },
	/* the reserved IPv4 bit: IP marks S flush and GRO leaves its
	 * checksum unvalidated; skb_gro_receive refuses S and P ends, but
	 * fraglist first finds S's checksum state unlike P's and passes S
	 * alone, P still held for the third (2.2) */
	{ M_FWD, U4("udp4 fwd: reserved bit in the middle", .n = 3,
		    .g = { P(100), { .payload = 100, .evil = 1 }, THIRD(100) },
		    .nout = 3, .out = { 100, 100, 100 }) },
	{ M_FLIST, U4("udp4 fraglist: reserved bit in the middle", .n = 3,
		      .g = { P(100), { .payload = 100, .evil = 1 }, THIRD(100) },
		      .nout = 2, .out = { 100, 200 }) },
	/* 1.11: rx-gro-list makes TCP without a socket fraglist: every flag
	 * must be equal, so PSH on the last is not merged (plain GRO merges
	 * it and ends the flow, 1.6) */
	{ M_FLIST, { .name = "tcp4 fraglist: PSH on the last", .n = 3,
		     .g = { P(100), P(100), { .payload = 100, .flags = 0x18 } },
		     .nout = 2, .out = { 200, 100 }, .gso0 = 100 } },
	{ M_OFF, { .name = "tcp4 plain: PSH on the last", .n = 3,
		   .g = { P(100), P(100), { .payload = 100, .flags = 0x18 } },
		   .nout = 1, .out = { 300 }, .gso0 = 100 } },
	{ M_FLIST, { .name = "tcp6 fraglist: 3 x 100", .v6 = 1, .n = 3,
		     .g = { P(100), P(100), P(100) }, .nout = 1, .out = { 300 }, .gso0 = 100 } },
	/* 3: VXLAN GRO with a VXLAN socket; none without one */
	{ M_OFF, VX("vxlan off: 3 x 100", .n = 3, .g = { P(100), P(100), P(100) },
		    .nout = 3, .out = { 100, 100, 100 }) },
	{ M_VXLAN, VX("vxlan: 3 x 100", .n = 3, .g = { P(100), P(100), P(100) },
		      .nout = 1, .out = { 300 }, .gso0 = 100) },
	{ M_VXLAN, VX("vxlan6 in 4: 2 x 100", .v6 = 1, .n = 2, .g = { P(100), P(100) },
		      .nout = 1, .out = { 200 }, .gso0 = 100) },
	{ M_VXLAN, VX("vxlan: outer checksums both filled", .n = 2,
		      .g = { { .payload = 100, .ocsum = 1 }, { .payload = 100, .ocsum = 1 } },
		      .nout = 1, .out = { 200 }, .gso0 = 100) },
	/* flags and VNI must be equal, the inner MAC header too, outer
	 * checksums both zero or both not: else another flow, both held */
	{ M_VXLAN, VX("vxlan: VNI", .n = 2, .g = { P(100), { .payload = 100, .vni = 1 } },
		      .nout = 2, .out = { 100, 100 }) },
	{ M_VXLAN, VX("vxlan: flags", .n = 2, .g = { P(100), { .payload = 100, .vxflags = 4 } },
		      .nout = 2, .out = { 100, 100 }) },
	{ M_VXLAN, VX("vxlan: inner MAC", .n = 2, .g = { P(100), { .payload = 100, .imac = 1 } },
		      .nout = 2, .out = { 100, 100 }) },
	{ M_VXLAN, VX("vxlan: outer checksum zero, then filled", .n = 2,
		      .g = { P(100), { .payload = 100, .ocsum = 1 } },
		      .nout = 2, .out = { 100, 100 }) },
	/* the inner TCP rules: a sequence gap */
	{ M_VXLAN, VX("vxlan: inner sequence gap", .n = 2,
		      .g = { P(100), { .payload = 100, .seq_adj = 1 } },
		      .nout = 2, .out = { 100, 100 }) },
	/* 3, GENEVE (model only): the whole header with its options equal,
	 * version 0 and no OAM; no socket without geneve=on */
	{ M_OFF, { .name = "geneve off: 2 x 100", .tun = 9, .n = 2, .g = { P(100), P(100) },
		   .nout = 2, .out = { 100, 100 } } },
	{ M_GENEVE, { .name = "geneve: 3 x 100", .tun = 9, .n = 3,
		      .g = { P(100), P(100), P(100) }, .nout = 1, .out = { 300 }, .gso0 = 100 } },
	{ M_GENEVE, { .name = "geneve: option bytes", .tun = 9, .n = 2,
		      .g = { P(100), { .payload = 100, .gopt = 1 } }, .nout = 2,
		      .out = { 100, 100 } } },
	{ M_GENEVE, { .name = "geneve: option length", .tun = 9, .n = 2,
		      .g = { P(100), { .payload = 100, .gopt = 2 } }, .nout = 2,
		      .out = { 100, 100 } } },
	{ M_GENEVE, { .name = "geneve: VNI", .tun = 9, .n = 2,
		      .g = { P(100), { .payload = 100, .vni = 1 } }, .nout = 2,
		      .out = { 100, 100 } } },
	/* OAM: S goes up alone, P stays held and takes the third (which
	 * follows the first: its sequence number and ID) */
	{ M_GENEVE, { .name = "geneve: OAM in the middle", .tun = 9, .n = 3,
		      .g = { P(100), { .payload = 100, .gopt = 3 },
			     { .payload = 100, .id = 9, .seq_adj = -100 } },
		      .nout = 2, .out = { 100, 200 } } },
};

/* 45 datagrams of 1456 (the 45th does not fit 64 KB) and 65 of 100 (64
 * at most, which a tap's 64-frame poll enforces as well), 2.2. */
static void big_row(unsigned int k, struct urow *u)
{
	unsigned int i;

	memset(u, 0, sizeof(*u));
	u->mode = k & 1 ? M_FLIST : M_FWD;
	u->r.udp = 1;
	u->r.name = k < 2 ? "udp4: 45 x 1456" : "udp4: 65 x 100";
	u->r.n = k < 2 ? 45 : 65;
	for (i = 0; i < u->r.n; i++)
		u->r.g[i].payload = k < 2 ? 1456 : 100;
	u->r.nout = 2;
	u->r.out[0] = k < 2 ? 44 * 1456 : 64 * 100;
	u->r.out[1] = k < 2 ? 1456 : 100;
	u->r.gso0 = k < 2 ? 1456 : 100;
}

#define NROWS (OFD_ARRAY_SIZE(rows) + 4)

static const struct urow *row_at(unsigned int i, struct urow *tmp)
{
	if (i < OFD_ARRAY_SIZE(rows))
		return &rows[i];
	big_row(i - (unsigned int)OFD_ARRAY_SIZE(rows), tmp);
	return tmp;
}

/* The rows of one mode into b (their row numbers in idx). */
static unsigned int add_mode(struct gbench *b, unsigned int mode, unsigned int *idx)
{
	struct urow tmp;
	unsigned int i, n = 0;

	gb_reset(b);
	for (i = 0; i < NROWS; i++)
		if (row_at(i, &tmp)->mode == mode) {
			gb_add(b, &row_at(i, &tmp)->r);
			idx[n++] = i;
		}
	return n;
}

/* The outcome kernel-rx.md gives: frames, their payloads, gso_size. */
static unsigned int check_outcome(const char *who, const struct grow *r,
				  const struct ofd_result *res)
{
	unsigned int j;
	bool ok = res->status == OFD_RES_OK && res->nframes == r->nout;

	for (j = 0; ok && j < r->nout; j++)
		ok = gt_payload(&res->frame[j]) == r->out[j];
	if (ok)
		ok = res->frame[0].meta.vnet.gso_size == r->gso0;
	if (!ok) {
		fprintf(stderr, "model_gro_udp: %s: %s not as kernel-rx.md says\n", r->name, who);
		dump(who, res);
	}
	return !ok;
}

START_TEST(rules)
{
	struct gbench *b = gb_new();
	unsigned int mode, i, n, idx[NROWS], bad = 0;
	struct urow tmp;

	for (mode = 0; mode < M__N; mode++) {
		n = add_mode(b, mode, idx);
		gb_model_with(b, mode_params[mode], 1);
		for (i = 0; i < n; i++)
			bad += check_outcome("model", &row_at(idx[i], &tmp)->r, b->m[i]);
	}
	ck_assert_msg(!bad, "%u trains not as kernel-rx.md says (above)", bad);
	gb_free(b);
}
END_TEST

/* The same trains on the kernel engine under the same settings: the
 * outcomes kernel-rx.md gives, and the model's frames exactly. */
START_TEST(kernel)
{
	struct gbench *b = gb_new();
	unsigned int mode, i, n, idx[NROWS], bad = 0, runs = 0;
	struct urow tmp;

	for (mode = 0; mode < M_GENEVE; mode++) {
		if (!gb_kernel_open_with(b, "model_gro_udp", mode_params[mode], 1))
			break;
		n = add_mode(b, mode, idx);
		gb_model_with(b, mode_params[mode], 1);
		gb_kernel(b);
		runs++;
		for (i = 0; i < n; i++) {
			const struct grow *r = &row_at(idx[i], &tmp)->r;

			if (b->k[i]->status == OFD_RES_UNSUPPORTED && i == 0) {
				fprintf(stderr, "model_gro_udp: no gro on the kernel engine here: %s\n",
					b->k[i]->detail ? b->k[i]->detail : "?");
				break;
			}
			bad += check_outcome("kernel", r, b->k[i]);
			if (!agree(b->m[i], b->k[i])) {
				fprintf(stderr, "model_gro_udp: %s (%s): model and kernel disagree\n",
					r->name, mode_name[mode]);
				dump("kernel", b->k[i]);
				dump("model", b->m[i]);
				bad++;
			}
		}
		ofd_engine_kernel.close(b->kpriv);
		b->kpriv = NULL;
	}
	ck_assert_msg(!bad, "%u disagreements (above)", bad);
	gb_free(b);
}
END_TEST

/* ---- the completed packet (2.2, 3, 1.11, 7.3) --------------------- */

static uint16_t be16f(const struct ofd_frame *f, uint32_t at)
{
	return (uint16_t)(ofd_frame_byte(f, at) << 8 | ofd_frame_byte(f, at + 1));
}

/* Pseudo-header seed of the IPv4 header at ip in frame f, for an L4
 * length: what CHECKSUM_PARTIAL leaves in the field (kernel-rx.md 1.9). */
static uint16_t seed4(const struct ofd_frame *f, uint32_t ip, uint8_t proto, uint32_t l4len)
{
	uint8_t s[4], d[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		s[i] = ofd_frame_byte(f, ip + 12 + i);
		d[i] = ofd_frame_byte(f, ip + 16 + i);
	}
	return ofd_fold16(ofd_pseudo_v4(s, d, l4len, proto));
}

/* gso_udp: forward's aggregate, the fraglist one, fraglist TCP, VXLAN,
 * each 3 x 100 over IPv4; res from the model or the kernel; in: the
 * first input frame. */
static void check_fields(const char *who, unsigned int which, const struct ofd_result *res,
			 const struct ofd_pkt *in)
{
	const struct ofd_frame *f;
	const struct ofd_vnet_hdr *v;
	uint16_t first_check;

	ck_assert_msg(res->status == OFD_RES_OK && res->nframes == 1, "%s %u: %u frames",
		      who, which, res->nframes);
	f = &res->frame[0];
	v = &f->meta.vnet;
	switch (which) {
	case 0: /* forward: udp_gro_complete_segment, CHECKSUM_PARTIAL */
		ck_assert_uint_eq(f->len, 14 + 20 + 8 + 300);
		ck_assert_uint_eq(be16f(f, 16), 20 + 8 + 300);        /* IP tot_len */
		ck_assert_uint_eq(be16f(f, 34 + 4), 8 + 300);         /* uh->len: the total */
		ck_assert_uint_eq(be16f(f, 34 + 6), seed4(f, 14, 17, 308)); /* the seed */
		ck_assert_uint_eq(v->flags, OFD_VNET_F_NEEDS_CSUM);
		ck_assert_uint_eq(v->gso_type, OFD_VNET_GSO_UDP_L4);
		ck_assert_uint_eq(v->gso_size, 100);
		ck_assert_uint_eq(v->csum_start, 34);
		ck_assert_uint_eq(v->csum_offset, 6);
		break;
	case 1: /* fraglist: UNNECESSARY raised, the checksum left alone;
		 * virtio finds UDP_L4 beside FRAGLIST (7.3's failing
		 * recvmsg does not happen) */
		first_check = (uint16_t)(in->data[34 + 6] << 8 | in->data[34 + 7]);
		ck_assert_uint_eq(be16f(f, 34 + 4), 8 + 300);
		ck_assert_uint_eq(be16f(f, 34 + 6), first_check);
		ck_assert_uint_eq(v->flags, OFD_VNET_F_DATA_VALID);
		ck_assert_uint_eq(v->gso_type, OFD_VNET_GSO_UDP_L4);
		ck_assert_uint_eq(v->gso_size, 100);
		ck_assert_uint_eq(v->csum_start, 0);
		break;
	case 2: /* fraglist TCP (1.11): FRAGLIST|TCPV4, the checksum kept */
		first_check = (uint16_t)(in->data[34 + 16] << 8 | in->data[34 + 17]);
		ck_assert_uint_eq(be16f(f, 16), 20 + 20 + 300);
		ck_assert_uint_eq(be16f(f, 34 + 16), first_check);
		ck_assert_uint_eq(v->flags, OFD_VNET_F_DATA_VALID);
		ck_assert_uint_eq(v->gso_type, OFD_VNET_GSO_TCPV4);
		ck_assert_uint_eq(v->gso_size, 100);
		break;
	default: /* VXLAN: outer lengths, inner IP and TCP completed; the
		  * inner type only (7.3); outer checksum 0 stays 0 */
		ck_assert_uint_eq(be16f(f, 16), f->len - 14);         /* outer tot_len */
		ck_assert_uint_eq(be16f(f, 34 + 4), f->len - 34);     /* outer uh->len */
		ck_assert_uint_eq(be16f(f, 34 + 6), 0);
		ck_assert_uint_eq(be16f(f, 64 + 2), 20 + 20 + 300);   /* inner tot_len */
		ck_assert_uint_eq(be16f(f, 84 + 16), seed4(f, 64, 6, 320));
		ck_assert_uint_eq(v->flags, OFD_VNET_F_NEEDS_CSUM);
		ck_assert_uint_eq(v->gso_type, OFD_VNET_GSO_TCPV4);
		ck_assert_uint_eq(v->gso_size, 100);
		ck_assert_uint_eq(v->csum_start, 84);
		ck_assert_uint_eq(v->csum_offset, 16);
		break;
	}
}

static const struct {
	unsigned int mode;
	struct grow r;
} field_rows[] = {
	{ M_FWD, U4("fields: udp fwd", .n = 3, .g = { P(100), P(100), P(100) }) },
	{ M_FLIST, U4("fields: udp fraglist", .n = 3, .g = { P(100), P(100), P(100) }) },
	{ M_FLIST, { .name = "fields: tcp fraglist", .n = 3, .g = { P(100), P(100), P(100) } } },
	{ M_VXLAN, VX("fields: vxlan", .n = 3, .g = { P(100), P(100), P(100) }) },
};

START_TEST(fields)
{
	struct gbench *b = gb_new();
	const unsigned int w = (unsigned int)_i;
	const unsigned int mode = field_rows[w].mode;

	gb_add(b, &field_rows[w].r);
	gb_model_with(b, mode_params[mode], 1);
	check_fields("model", w, b->m[0], &b->t[0].pkt[0]);
	if (gb_kernel_open_with(b, "model_gro_udp fields", mode_params[mode], 1)) {
		gb_kernel(b);
		if (b->k[0]->status == OFD_RES_UNSUPPORTED)
			fprintf(stderr, "model_gro_udp: no gro on the kernel engine here: %s\n",
				b->k[0]->detail ? b->k[0]->detail : "?");
		else
			check_fields("kernel", w, b->k[0], &b->t[0].pkt[0]);
	}
	gb_free(b);
}
END_TEST

/* A setting neither engine knows the value of is refused. */
START_TEST(bad_settings)
{
	static const struct ofd_engine_param bad[][1] = {
		{ { "gro_udp", "on" } }, { { "vxlan", "yes" } }, { { "geneve", "1" } },
	};

	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO), .nparams = 1 };
	char why[256];
	void *priv = NULL;
	unsigned int i;

	for (i = 0; i < OFD_ARRAY_SIZE(bad); i++) {
		o.params = bad[i];
		ck_assert_int_eq(ofd_engine_model.open(&o, &priv), -EINVAL);
	}
	/* GENEVE is the model's alone: the kernel engine refuses it */
	if (ofd_engine_kernel.probe(why, sizeof(why)))
		return;
	o.params = mode_params[M_GENEVE];
	ck_assert_int_eq(ofd_engine_kernel.open(&o, &priv), -EINVAL);
}
END_TEST

static Suite *model_gro_udp_suite(void)
{
	Suite *s = suite_create("model_gro_udp");
	TCase *tc = tcase_create("gro_udp");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, rules);
	tcase_add_test(tc, kernel);
	tcase_add_loop_test(tc, fields, 0, (int)OFD_ARRAY_SIZE(field_rows));
	tcase_add_test(tc, bad_settings);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_gro_udp_suite)
