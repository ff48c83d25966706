// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * faulty.c - the example plugin with faults on chosen cases, for the tests
 * and for anyone who wants to see fault isolation work:
 *
 *   offdiff run -t plugin:path=faulty,crash_on=3,hang_on=5,garbage_on=7
 *
 * crash_on   case ids (a+b+c) on which run() dereferences NULL (SIGSEGV)
 * hang_on    case ids on which run() never returns
 * abort_on   case ids on which run() calls abort() (SIGABRT)
 * exit_on    case ids on which run() calls exit(3) behind the host's back
 * garbage_on case ids on which run() returns a malformed result, of the
 *            kind `garbage` says: frame (a frame outside the buffer,
 *            default), status (an unknown status), frames (more frames than
 *            max_frames), detail (an unterminated detail), buf (the buffer
 *            pointer changed)
 * Every other case is the example's correct tx-csum. OFD_FAULTY_ABI=N in
 * the environment makes it claim plugin ABI version N.
 */
#define OFD_EXAMPLE_NO_ENTRY
#include "../example/example.c"

#include <signal.h>
#include <unistd.h>

#define MAX_IDS 32

struct faulty {
	struct example ex;
	uint64_t crash[MAX_IDS], hang[MAX_IDS], abrt[MAX_IDS], ex_it[MAX_IDS], garbage[MAX_IDS];
	unsigned int ncrash, nhang, nabrt, nexit, ngarbage;
	char garbage_kind[16];
};

static int parse_ids(const char *v, uint64_t *ids, unsigned int *n, char *err, size_t err_len)
{
	char *end;

	for (*n = 0; *v; v = *end ? end + 1 : end) {
		if (*n == MAX_IDS) {
			snprintf(err, err_len, "at most %d case ids per key", MAX_IDS);
			return -1;
		}
		ids[(*n)++] = strtoull(v, &end, 0);
		if (end == v || (*end && *end != '+')) {
			snprintf(err, err_len, "'%s': case ids are numbers joined by '+'", v);
			return -1;
		}
	}
	return 0;
}

static int has_id(const uint64_t *ids, unsigned int n, uint64_t id)
{
	while (n--)
		if (ids[n] == id)
			return 1;
	return 0;
}

static int faulty_open(const struct ofd_plugin_open_opts *o, void **priv, char *err,
		       size_t err_len)
{
	struct faulty *f = calloc(1, sizeof(*f));
	uint32_t i;
	int bad = 0;

	if (!f) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	snprintf(f->garbage_kind, sizeof(f->garbage_kind), "frame");
	for (i = 0; i < o->nparams && !bad; i++) {
		const char *k = o->params[i].key, *v = o->params[i].value;

		if (!strcmp(k, "crash_on"))
			bad = parse_ids(v, f->crash, &f->ncrash, err, err_len);
		else if (!strcmp(k, "hang_on"))
			bad = parse_ids(v, f->hang, &f->nhang, err, err_len);
		else if (!strcmp(k, "abort_on"))
			bad = parse_ids(v, f->abrt, &f->nabrt, err, err_len);
		else if (!strcmp(k, "exit_on"))
			bad = parse_ids(v, f->ex_it, &f->nexit, err, err_len);
		else if (!strcmp(k, "garbage_on"))
			bad = parse_ids(v, f->garbage, &f->ngarbage, err, err_len);
		else if (!strcmp(k, "garbage"))
			snprintf(f->garbage_kind, sizeof(f->garbage_kind), "%s", v);
	}
	if (bad) {
		free(f);
		return -1;
	}
	*priv = f;
	return 0;
}

static void garbage(const char *kind, struct ofd_plugin_result *r)
{
	if (!strcmp(kind, "status")) {
		r->status = 7;
	} else if (!strcmp(kind, "frames")) {
		r->nframes = r->max_frames + 1;
	} else if (!strcmp(kind, "detail")) {
		r->status = OFD_PLUGIN_UNSUPPORTED;
		memset(r->detail, 'x', sizeof(r->detail));
	} else if (!strcmp(kind, "buf")) {
		static uint8_t elsewhere[64];

		r->buf = elsewhere;
	} else {
		r->frames[0].off = r->buf_cap - 10;
		r->frames[0].len = 4096;
	}
}

static int faulty_run(void *priv, const struct ofd_plugin_case *c, struct ofd_plugin_result *r)
{
	struct faulty *f = priv;
	int ret;

	if (has_id(f->crash, f->ncrash, c->id))
		*(volatile int *)(uintptr_t)0 = 1;
	if (has_id(f->hang, f->nhang, c->id))
		for (;;)
			pause();
	if (has_id(f->abrt, f->nabrt, c->id))
		abort();
	if (has_id(f->ex_it, f->nexit, c->id))
		exit(3);
	ret = example_run(&f->ex, c, r);
	if (!ret && has_id(f->garbage, f->ngarbage, c->id))
		garbage(f->garbage_kind, r);
	return ret;
}

static const struct ofd_plugin_param_doc faulty_params[] = {
	{ "crash_on", "case ids (a+b) on which to crash with SIGSEGV" },
	{ "hang_on", "case ids on which never to return" },
	{ "abort_on", "case ids on which to abort()" },
	{ "exit_on", "case ids on which to exit(3)" },
	{ "garbage_on", "case ids on which to return a malformed result" },
	{ "garbage", "frame|status|frames|detail|buf: which malformation" },
	{ NULL, NULL },
};

static const struct ofd_plugin faulty_plugin = {
	.size = sizeof(struct ofd_plugin),
	.abi_version = OFD_PLUGIN_ABI_VERSION,
	.name = "faulty",
	.desc = "the example plugin, crashing, hanging or lying on chosen cases",
	.offloads = OFD_PLUGIN_CAP(OFD_PLUGIN_TX_CSUM),
	.params = faulty_params,
	.open = faulty_open,
	.run = faulty_run,
	.identity = example_identity,
	.close = example_close,
};

/* OFD_FAULTY_ABI=N claims ABI version N, for the host's refusal test. */
OFD_PLUGIN_EXPORT const struct ofd_plugin *ofd_plugin_v1(void)
{
	static struct ofd_plugin other;
	const char *abi = getenv("OFD_FAULTY_ABI");

	if (!abi)
		return &faulty_plugin;
	other = faulty_plugin;
	other.abi_version = (uint32_t)strtoul(abi, NULL, 0);
	return &other;
}
