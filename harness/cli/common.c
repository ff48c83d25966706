// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * common.c - the one grammar every command shares: errors, quoting of user
 * values, typo suggestions, strict numbers, the table-driven option parser
 * and the `offdiff <object> <verb>` dispatch (bpftool style, except that an
 * ambiguous prefix is an error instead of whatever the table lists first).
 *
 * The option parser is ours rather than getopt_long: getopt prints its own
 * two-line messages, cannot suggest, and needs a switch per command, which
 * is how the commands came to disagree on -h and unknown options.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_offload.h"

struct ofd_cli_globals ofd_g;

/* What the dispatcher is running, for ofd_cli_parse and messages. */
static const struct ofd_object *cur_obj;
static const struct ofd_verb *cur_verb;

/* ---- messages ---------------------------------------------------- */

void ofd_cli_err(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* One line whatever a lower layer or the user put in the text. */
	for (p = buf; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	fprintf(stderr, "offdiff: %s\n", buf);
}

#define Q_MAX 64

const char *ofd_cli_q(const char *s)
{
	/* Q_MAX characters, each at most 4 bytes escaped, quotes, "...". */
	static char bufs[4][Q_MAX * 4 + 8];
	static unsigned int next;
	char *b = bufs[next++ % 4], *o = b;
	size_t n;

	*o++ = '\'';
	for (n = 0; s && s[n] && n < Q_MAX; n++) {
		unsigned char c = (unsigned char)s[n];

		if (c < 0x20 || c == 0x7f || c == '\\' || c == '\'')
			o += sprintf(o, c == '\\' ? "\\\\" : c == '\'' ? "\\'" :
					c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	if (s && s[n])
		o += sprintf(o, "...");
	*o++ = '\'';
	*o = '\0';
	return b;
}

int ofd_cli_nothing_compared(uint64_t ncases, const char *reasons, const char *why_none)
{
	if (!ncases)
		ofd_cli_err("nothing compared: %s", why_none ? why_none : "no cases");
	else if (ncases == 1)
		ofd_cli_err("nothing compared: the only case skipped (%s)",
			    reasons && reasons[0] ? reasons : "no reason given");
	else
		ofd_cli_err("nothing compared: all %llu cases skipped (%s)",
			    (unsigned long long)ncases,
			    reasons && reasons[0] ? reasons : "no reason given");
	return OFD_EXIT_NOTHING_COMPARED;
}

/* ---- suggestions ------------------------------------------------- */

#define DIST_MAX 64

unsigned int ofd_cli_distance(const char *a, const char *b)
{
	/* Optimal string alignment: edits plus adjacent transpositions
	 * ("rnu" is one step from "run"), over the first DIST_MAX bytes. */
	static unsigned int d[DIST_MAX + 1][DIST_MAX + 1];
	size_t la = strnlen(a, DIST_MAX), lb = strnlen(b, DIST_MAX), i, j;

	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] != b[j - 1], v;

			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

void ofd_suggest_init(struct ofd_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = 3;
}

void ofd_suggest_add(struct ofd_suggest *s, const char *cand)
{
	unsigned int d = ofd_cli_distance(s->word, cand);

	if (d < s->dist && d < strlen(s->word)) {
		s->best = cand;
		s->dist = d;
	}
}

/* "; did you mean '--out'?" or "". */
static const char *did_you_mean(const struct ofd_suggest *s, const char *prefix)
{
	static char buf[128];

	if (!s->best)
		return "";
	snprintf(buf, sizeof(buf), "; did you mean '%s%s'?", prefix, s->best);
	return buf;
}

/* ---- color and JSON ---------------------------------------------- */

bool ofd_cli_color(void)
{
	const char *nc;

	if (ofd_g.color != OFD_COLOR_AUTO)
		return ofd_g.color == OFD_COLOR_ALWAYS;
	/* https://no-color.org: present and not empty disables color. */
	nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && nc[0]);
}

const char *ofd_cli_verdict(const char *word)
{
	static char bufs[4][96];
	static unsigned int next;
	char *b = bufs[next++ % 4];
	const char *sgr = "33"; /* yellow: benign or skipped */

	if (!ofd_cli_color())
		return word;
	if (!strcmp(word, "equal") || !strcmp(word, "ok"))
		sgr = "32";
	else if (!strcmp(word, "discrepancy") || !strcmp(word, "target-fault") ||
		 !strcmp(word, "disagreement"))
		sgr = "1;31";
	snprintf(b, sizeof(bufs[0]), "\033[%sm%s\033[0m", sgr, word);
	return b;
}

int ofd_cli_json_print(json_t *j)
{
	char *s;

	if (!j)
		return -ENOMEM;
	s = json_dumps(j, ofd_g.pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(j);
	if (!s)
		return -ENOMEM;
	printf("%s\n", s);
	free(s);
	return 0;
}

/* ---- numbers ----------------------------------------------------- */

int ofd_cli_u64(const char *cmd, const char *what, const char *s, uint64_t min,
		uint64_t max, uint64_t *out)
{
	const char *p = s;
	unsigned long long v;
	int base = 10;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	/* strtoull alone would take " 5", "+5" and "-5" (as 2^64 - 5). */
	if (!(base == 10 ? isdigit((unsigned char)*p) : isxdigit((unsigned char)*p)))
		goto nan;
	errno = 0;
	v = strtoull(p, &end, base);
	if (*end)
		goto nan;
	if (errno == ERANGE || v < min || v > max) {
		ofd_cli_err("%s%s%s: %s is out of range (%llu..%llu)", cmd, cmd[0] ? ": " : "",
			    what, ofd_cli_q(s), (unsigned long long)min, (unsigned long long)max);
		return -ERANGE;
	}
	*out = v;
	return 0;
nan:
	ofd_cli_err("%s%s%s: %s is not a non-negative integer", cmd, cmd[0] ? ": " : "",
		    what, ofd_cli_q(s));
	return -EINVAL;
}

/* ---- options ----------------------------------------------------- */

void ofd_strv_free(struct ofd_strv *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

/* Options every verb takes; their values live in ofd_g. Help is handled
 * before the table is searched. */
#define GOPT(k, n, kind, f, a, h) { n, k, kind, offsetof(struct ofd_cli_globals, f), a, h, 0, 0 }
static const struct ofd_opt common_opts[] = {
	GOPT('j', "json", OFD_OPT_FLAG, json, NULL, "data as JSON on stdout (compact)"),
	GOPT('p', "pretty", OFD_OPT_FLAG, pretty, NULL, "JSON, indented (implies --json)"),
	GOPT('q', "quiet", OFD_OPT_FLAG, quiet, NULL,
	     "no progress line or headers: errors and the result only"),
	GOPT(0, "color", OFD_OPT_COLOR, color, "WHEN",
	     "color verdict words: auto (stdout a terminal, NO_COLOR unset), always, never"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

/* What one parse is about: whose options, where their values go. */
struct pctx {
	const char *cmd;            /* "run", "profile show", "" (top level) */
	const struct ofd_opt *opts; /* the verb's, may be NULL */
	void *o;
	const struct ofd_opt *extra; /* top-level -V, or NULL */
	void *extra_o;
	bool stop_at_operand;       /* before the object or verb */
};

static const struct ofd_opt *const *tables(const struct pctx *c, void **bases)
{
	static const struct ofd_opt *t[4];

	t[0] = c->opts;
	bases[0] = c->o;
	t[1] = c->extra;
	bases[1] = c->extra_o;
	t[2] = common_opts;
	bases[2] = &ofd_g;
	t[3] = NULL;
	return t;
}

#define ERR(c, fmt, ...) \
	ofd_cli_err("%s%s" fmt, (c)->cmd, (c)->cmd[0] ? ": " : "", ##__VA_ARGS__)

/* find_opt's answer for an ambiguous prefix, already reported. */
static const struct ofd_opt ambiguous;

/* Find "--name" (exact, else an unambiguous prefix) or "-k". */
static const struct ofd_opt *find_opt(const struct pctx *c, const char *name, size_t len,
				      char key, void **base)
{
	const struct ofd_opt *const *t, *hit = NULL;
	void *bases[4], *hb = NULL;
	size_t i, k;

	t = tables(c, bases);
	for (k = 0; k < 3; k++)
		for (i = 0; t[k] && t[k][i].name; i++) {
			const struct ofd_opt *op = &t[k][i];

			if (key ? op->key == key :
				  strlen(op->name) == len && !strncmp(op->name, name, len)) {
				*base = bases[k];
				return op;
			}
		}
	if (key)
		return NULL;
	for (k = 0; k < 3; k++)
		for (i = 0; t[k] && t[k][i].name; i++) {
			if (strncmp(t[k][i].name, name, len))
				continue;
			if (hit) {
				ERR(c, "option %s is ambiguous (--%s, --%s)",
				    ofd_cli_q(name - 2), hit->name, t[k][i].name);
				return &ambiguous;
			}
			hit = &t[k][i];
			hb = bases[k];
		}
	*base = hb;
	return hit;
}

static void unknown_opt(const struct pctx *c, const char *arg, const char *name, size_t len)
{
	const struct ofd_opt *const *t;
	struct ofd_suggest s;
	void *bases[4];
	char word[DIST_MAX + 1];
	size_t i, k;

	snprintf(word, sizeof(word), "%.*s", (int)len, name);
	ofd_suggest_init(&s, word);
	t = tables(c, bases);
	for (k = 0; k < 3; k++)
		for (i = 0; t[k] && t[k][i].name; i++)
			ofd_suggest_add(&s, t[k][i].name);
	ofd_suggest_add(&s, "help");
	ERR(c, "unknown option %s%s", ofd_cli_q(arg), len ? did_you_mean(&s, "--") : "");
}

static int set_offload(const struct pctx *c, const char *optname, const char *val, int *dst)
{
	struct ofd_suggest s;
	int off = ofd_offload_from_name(val), i;

	if (off >= 0) {
		*dst = off;
		return 0;
	}
	ofd_suggest_init(&s, val);
	for (i = 0; i < OFD_OFFLOAD__MAX; i++) {
		const struct ofd_offload_ops *oo = ofd_offload_get((unsigned int)i);

		ofd_suggest_add(&s, oo->name);
		ofd_suggest_add(&s, oo->ethtool);
		ofd_suggest_add(&s, oo->ethtool_short);
	}
	ERR(c, "%s: unknown offload %s%s", optname, ofd_cli_q(val),
	    s.best ? did_you_mean(&s, "") : " (offdiff --help lists them)");
	return -EINVAL;
}

/* Store one option's value. */
static int set_opt(const struct pctx *c, const struct ofd_opt *op, void *base,
		   const char *val)
{
	char optname[80];
	void *dst = (char *)base + op->off;

	snprintf(optname, sizeof(optname), "--%s", op->name);
	switch (op->kind) {
	case OFD_OPT_FLAG:
		*(bool *)dst = true;
		return 0;
	case OFD_OPT_COLOR:
		if (!strcmp(val, "auto"))
			*(enum ofd_color *)dst = OFD_COLOR_AUTO;
		else if (!strcmp(val, "always"))
			*(enum ofd_color *)dst = OFD_COLOR_ALWAYS;
		else if (!strcmp(val, "never"))
			*(enum ofd_color *)dst = OFD_COLOR_NEVER;
		else {
			ERR(c, "%s: %s is not auto, always or never", optname, ofd_cli_q(val));
			return -EINVAL;
		}
		return 0;
	case OFD_OPT_STR:
		if (!val[0]) {
			ERR(c, "%s: empty %s", optname, op->arg);
			return -EINVAL;
		}
		*(const char **)dst = val;
		return 0;
	case OFD_OPT_STRV: {
		struct ofd_strv *sv = dst;
		const char **v = realloc(sv->v, (sv->n + 1) * sizeof(*v));

		if (!val[0]) {
			ERR(c, "%s: empty %s", optname, op->arg);
			return -EINVAL;
		}
		if (!v) {
			ERR(c, "%s", strerror(ENOMEM));
			return -ENOMEM;
		}
		v[sv->n++] = val;
		sv->v = v;
		return 0;
	}
	case OFD_OPT_U64:
		return ofd_cli_u64(c->cmd, optname, val, op->min, op->max, dst);
	case OFD_OPT_OFFLOAD:
		return set_offload(c, optname, val, dst);
	}
	return -EINVAL;
}

static void print_help(void)
{
	if (!cur_obj)
		ofd_cli_help_top(stdout);
	else if (!cur_verb)
		ofd_cli_help_object(stdout, cur_obj);
	else
		ofd_cli_help_verb(stdout, cur_obj, cur_verb);
}

/* One option at argv[*i]; may consume the next argument. */
static int parse_opt(const struct pctx *c, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *val = NULL;
	const struct ofd_opt *op;
	void *base = NULL;

	if (a[1] == '-') {
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);

		if (len == 4 && !strncmp(name, "help", 4)) {
			print_help();
			return -ECANCELED;
		}
		op = find_opt(c, name, len, 0, &base);
		if (op == &ambiguous)
			return -EINVAL;
		if (!op) {
			unknown_opt(c, a, name, len);
			return -EINVAL;
		}
		if (eq && op->kind == OFD_OPT_FLAG) {
			ERR(c, "option '--%s' takes no argument", op->name);
			return -EINVAL;
		}
		if (eq) {
			val = eq + 1;
		} else if (op->kind != OFD_OPT_FLAG) {
			if (*i + 1 >= argc) {
				ERR(c, "option '--%s' needs an argument (%s)", op->name, op->arg);
				return -EINVAL;
			}
			val = argv[++*i];
		}
		return set_opt(c, op, base, val);
	}
	/* A cluster of short options: -qj, -o DIR, -oDIR. */
	for (a++; *a; a++) {
		char s[3] = { '-', *a, '\0' };
		int e;

		if (*a == 'h') {
			print_help();
			return -ECANCELED;
		}
		op = find_opt(c, NULL, 0, *a, &base);
		if (!op) {
			unknown_opt(c, s, NULL, 0);
			return -EINVAL;
		}
		if (op->kind == OFD_OPT_FLAG) {
			set_opt(c, op, base, NULL);
			continue;
		}
		if (a[1]) {
			val = a + 1;
		} else {
			if (*i + 1 >= argc) {
				ERR(c, "option '-%c' needs an argument (%s)", *a, op->arg);
				return -EINVAL;
			}
			val = argv[++*i];
		}
		e = set_opt(c, op, base, val);
		return e;
	}
	return 0;
}

/* Options anywhere (or up to the first operand); operands are moved to
 * argv[1..]. Returns the operand count + 1 as the new argc, or -errno. */
static int parse_args(const struct pctx *c, int argc, char **argv)
{
	bool done = false;
	int i, nops = 1, e;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];

		if (done || a[0] != '-' || !a[1]) {
			if (c->stop_at_operand) {
				while (i < argc)
					argv[nops++] = argv[i++];
				break;
			}
			argv[nops++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			done = true;
			continue;
		}
		e = parse_opt(c, argc, argv, &i);
		if (e)
			return e;
	}
	return nops;
}

int ofd_cli_parse_exit(int err)
{
	return err == -ECANCELED ? OFD_EXIT_EQUAL : OFD_EXIT_USAGE;
}

int ofd_cli_parse(void *o, int *argc, char **argv)
{
	const struct ofd_verb *v = cur_verb;
	struct pctx c = { .cmd = ofd_cli_cmd_name(cur_obj, v), .opts = v->opts, .o = o };
	int n = parse_args(&c, *argc, argv);

	if (n < 0)
		return n;
	if ((ofd_g.json || ofd_g.pretty) && !(v->flags & OFD_VERB_JSON)) {
		ERR(&c, "no JSON output here (drop -j/-p)");
		return -EINVAL;
	}
	if ((unsigned int)(n - 1) < v->min_args) {
		ERR(&c, "missing %s (usage: offdiff %s [OPTIONS] %s)", v->operands, c.cmd,
		    v->operands);
		return -EINVAL;
	}
	if ((unsigned int)(n - 1) > v->max_args) {
		ERR(&c, "unexpected argument %s", ofd_cli_q(argv[1 + v->max_args]));
		return -EINVAL;
	}
	if (ofd_g.pretty)
		ofd_g.json = true;
	*argc = n;
	return 0;
}

/* ---- dispatch ---------------------------------------------------- */

/* Names of a table for suggestions and ambiguity, through a getter so the
 * same code walks objects and verbs. */
typedef const char *(*name_at_fn)(const void *tab, size_t i);

static const char *object_at(const void *tab, size_t i)
{
	const struct ofd_object *const *o = tab;

	return o[i] ? o[i]->name : NULL;
}

static const char *verb_at(const void *tab, size_t i)
{
	const struct ofd_verb *v = tab;

	return v[i].fn ? v[i].name : NULL;
}

/* Index of word in the table (exact, else unique prefix), or -1 after
 * one error line. what: "command" or "verb". */
static int lookup(const char *ctx, const char *what, const void *tab, name_at_fn at,
		  const char *word)
{
	size_t n = strlen(word), i;
	struct ofd_suggest s;
	int hit = -1;

	for (i = 0; at(tab, i); i++)
		if (!strcmp(at(tab, i), word))
			return (int)i;
	for (i = 0; at(tab, i); i++) {
		if (strncmp(at(tab, i), word, n))
			continue;
		if (hit >= 0) {
			char list[256] = "";
			size_t k;

			for (k = 0; at(tab, k); k++)
				if (!strncmp(at(tab, k), word, n))
					snprintf(list + strlen(list), sizeof(list) - strlen(list),
						 "%s%s", list[0] ? ", " : "", at(tab, k));
			ofd_cli_err("%s%s%s %s is ambiguous (%s)", ctx, ctx[0] ? ": " : "", what,
				    ofd_cli_q(word), list);
			return -1;
		}
		hit = (int)i;
	}
	if (hit >= 0)
		return hit;
	ofd_suggest_init(&s, word);
	for (i = 0; at(tab, i); i++)
		ofd_suggest_add(&s, at(tab, i));
	ofd_cli_err("%s%sunknown %s %s%s", ctx, ctx[0] ? ": " : "", what, ofd_cli_q(word),
		    did_you_mean(&s, ""));
	return -1;
}

struct top_opts {
	bool version;
};

static const struct ofd_opt top_opts[] = {
	OFD_OPT('V', "version", OFD_OPT_FLAG, struct top_opts, version, NULL,
		"offdiff's version and the libraries it runs with"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

const struct ofd_opt *ofd_cli_top_opts(void)
{
	return top_opts;
}

const struct ofd_opt *ofd_cli_common_opts(void)
{
	return common_opts;
}

static int run_verb(const struct ofd_object *obj, const struct ofd_verb *v, int argc,
		    char **argv)
{
	cur_obj = obj;
	cur_verb = v;
	return v->fn(argc, argv);
}

int ofd_cli_dispatch(int argc, char **argv)
{
	struct top_opts t = { 0 };
	struct pctx c = { .cmd = "", .extra = top_opts, .extra_o = &t,
			  .stop_at_operand = true };
	const struct ofd_object *obj;
	int n, k;

	/* Global options, before the object. */
	cur_obj = NULL;
	cur_verb = NULL;
	n = parse_args(&c, argc, argv);
	if (n < 0)
		return ofd_cli_parse_exit(n);
	if (ofd_g.pretty)
		ofd_g.json = true;
	if (t.version) {
		char *vargv[] = { "version", NULL };

		return run_verb(&ofd_obj_version, &ofd_obj_version.verbs[0], 1, vargv);
	}
	if (n < 2) {
		ofd_cli_err("missing command (see offdiff --help)");
		return OFD_EXIT_USAGE;
	}
	argc = n - 1;
	argv++;
	k = lookup("", "command", ofd_objects, object_at, argv[0]);
	if (k < 0)
		return OFD_EXIT_USAGE;
	obj = ofd_objects[k];
	if (!obj->verbs[0].name)
		return run_verb(obj, &obj->verbs[0], argc, argv);

	/* Options between the object and its verb: the common ones, -h. */
	cur_obj = obj;
	c.cmd = obj->name;
	c.extra = NULL;
	n = parse_args(&c, argc, argv);
	if (n < 0)
		return ofd_cli_parse_exit(n);
	if (ofd_g.pretty)
		ofd_g.json = true;
	if (n < 2) {
		ofd_cli_err("%s: missing verb (see offdiff %s --help)", obj->name, obj->name);
		return OFD_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help")) {
		ofd_cli_help_object(stdout, obj);
		return OFD_EXIT_EQUAL;
	}
	k = lookup(obj->name, "verb", obj->verbs, verb_at, argv[1]);
	if (k < 0)
		return OFD_EXIT_USAGE;
	return run_verb(obj, &obj->verbs[k], n - 1, argv + 1);
}

int ofd_cli_check_out(const char *dir)
{
	struct stat st;

	if (!dir[0]) {
		ofd_cli_err("--out '': an empty directory name (give one, e.g. --out reports)");
		return OFD_EXIT_USAGE;
	}
	if (!stat(dir, &st) && !S_ISDIR(st.st_mode)) {
		ofd_cli_err("--out %s: not a directory", ofd_cli_q(dir));
		return OFD_EXIT_USAGE;
	}
	return 0;
}
