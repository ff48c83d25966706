// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * ci.c - junit.xml and results.ktap, the two documents CI systems read.
 *
 * Both hold the same tests, under the same names, so that every count
 * agrees (the tests check it with the consumers themselves: xmllint against
 * the JUnit format Jenkins' junit and xUnit plugins read, the kernel's kunit.py parse):
 *
 *   target (JUnit testsuite, KTAP test with subtests)
 *     "equal"                        pass, skipped when nothing was compared
 *     one test per class of finding  critical: failure; target-fault: error
 *                                    (KTAP: not ok); benign: pass
 *     "skipped by ENGINE: REASON"    one per skip reason: skipped
 *
 * Names never hold counts, so CI history tracks a test from run to run;
 * counts go to messages, system-out and KTAP diagnostics. JUnit failures +
 * errors = KTAP "not ok" leaves; JUnit skipped = KTAP "# SKIP" leaves.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

void ofdint_report_skip_name(const struct rskip *s, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "skipped by %s: %s", s->engine, s->reason);
	for (p = buf; *p; p++)
		if (*p == '#' || *p == '\n' || *p == '\r')
			*p = ' ';
}

static bool is_error(const struct rclass *c)
{
	return c->verdict == OFD_V_TARGET_FAULT;
}

static bool is_failure(const struct rclass *c)
{
	return !is_error(c) && c->severity == OFD_SEV_CRITICAL;
}

struct tcounts {
	size_t tests, failures, errors, skipped;
};

static struct tcounts target_counts(const struct rtarget *t)
{
	struct tcounts n = { .tests = 1 + t->nclasses + t->nskips, .skipped = t->nskips };
	size_t k;

	/* With nothing compared, "equal" is a skip too, not a pass. */
	n.skipped += ofdint_report_compared(t) == 0;
	for (k = 0; k < t->nclasses; k++) {
		n.failures += is_failure(&t->classes[k]);
		n.errors += is_error(&t->classes[k]);
	}
	return n;
}

static void xml_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		/* Attribute values normalise raw line breaks to spaces. */
		case '\n': fputs("&#10;", f); break;
		case '\t': fputs("&#9;", f); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f);
		}
	}
}

static void junit_case_open(FILE *f, const struct rtarget *t, const char *name)
{
	fprintf(f, "    <testcase classname=\"");
	xml_escape(f, t->label);
	fprintf(f, "\" name=\"");
	xml_escape(f, name);
	fprintf(f, "\">\n");
}

static void junit_suite(FILE *f, const struct ofd_report *r, const struct rtarget *t,
			const char *stamp)
{
	struct tcounts n = target_counts(t);
	char name[256];
	size_t k;
	int off;

	fprintf(f, "  <testsuite name=\"");
	xml_escape(f, t->label);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\" timestamp=\"%s\">\n",
		n.tests, n.failures, n.errors, n.skipped, t->seconds, stamp);
	fprintf(f, "    <properties>\n");
	fprintf(f, "      <property name=\"engine\" value=\"");
	xml_escape(f, t->engine);
	fprintf(f, "\"/>\n      <property name=\"version\" value=\"");
	xml_escape(f, t->version);
	fprintf(f, "\"/>\n");
	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (r->offloads & (1u << off))
			fprintf(f, "      <property name=\"offload\" value=\"%s\"/>\n"
				   "      <property name=\"ethtool\" value=\"%s\"/>\n",
				ofd_offload_name(off), ofd_offload_ethtool_name(off));
	fprintf(f, "    </properties>\n");

	junit_case_open(f, t, "equal");
	if (!ofdint_report_compared(t))
		fprintf(f, "      <skipped message=\"no case compared\"/>\n");
	fprintf(f, "      <system-out>%llu of %llu cases equal or rejected by both</system-out>\n",
		(unsigned long long)(t->counts[OFD_V_EQUAL] + t->counts[OFD_V_BOTH_REJECTED]),
		(unsigned long long)ofdint_report_total(t));
	fprintf(f, "    </testcase>\n");

	for (k = 0; k < t->nclasses; k++) {
		const struct rclass *c = &t->classes[k];
		const char *el = is_error(c) ? "error" : "failure";

		junit_case_open(f, t, c->cls);
		if (is_failure(c) || is_error(c)) {
			fprintf(f, "      <%s type=\"%s\" message=\"%s (%s): %llu case(s): ", el,
				ofd_verdict_name(c->verdict), ofd_offload_name(c->offload),
				ofd_offload_ethtool_name(c->offload), (unsigned long long)c->count);
			xml_escape(f, c->text);
			fprintf(f, "\">");
			xml_escape(f, c->example_diff);
			fprintf(f, "reproducer: ");
			xml_escape(f, c->example_dir);
			fprintf(f, "</%s>\n", el);
		} else {
			fprintf(f, "      <system-out>%llu benign case(s): ",
				(unsigned long long)c->count);
			xml_escape(f, c->text);
			fprintf(f, "</system-out>\n");
		}
		fprintf(f, "    </testcase>\n");
	}

	for (k = 0; k < t->nskips; k++) {
		const struct rskip *s = &t->skips[k];

		ofdint_report_skip_name(s, name, sizeof(name));
		junit_case_open(f, t, name);
		fprintf(f, "      <skipped message=\"");
		xml_escape(f, s->reason);
		fprintf(f, " (%llu cases)\"/>\n", (unsigned long long)s->count);
		fprintf(f, "    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n");
}

int ofdint_report_write_junit(struct ofd_report *r, double seconds)
{
	struct tcounts all = { 0 };
	char p[PATH_MAX + 16], tmp[PATH_MAX + 48], stamp[32];
	size_t i;
	FILE *f;

	snprintf(p, sizeof(p), "%s/junit.xml", r->dir);
	f = ofdint_report_create(r, p, tmp, sizeof(tmp));
	if (!f)
		return r->werr;
	/* Ant's form: local-free ISO 8601, UTC. */
	ofdint_report_iso_time(r->started, stamp, sizeof(stamp));
	stamp[strcspn(stamp, "Z")] = '\0';
	for (i = 0; i < r->ntargets; i++) {
		struct tcounts n = target_counts(&r->targets[i]);

		all.tests += n.tests;
		all.failures += n.failures;
		all.errors += n.errors;
	}
	/* The schema has no "skipped" on <testsuites>: the suites carry it. */
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<testsuites name=\"offdiff\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
		all.tests, all.failures, all.errors, seconds);
	for (i = 0; i < r->ntargets; i++)
		junit_suite(f, r, &r->targets[i], stamp);
	fprintf(f, "</testsuites>\n");
	return ofdint_report_finish(r, f, true, tmp, p);
}

/* A directive's text ends at the line: keep it on one. */
static void ktap_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/*
 * KTAP v1 (Documentation/dev-tools/ktap.rst): one test per target with
 * its subtests indented two spaces, a report's reproducer in the
 * diagnostic lines. A target that compared nothing is a SKIP, not an
 * "ok": nothing was shown to be equal.
 */
int ofdint_report_write_ktap(struct ofd_report *r)
{
	char p[PATH_MAX + 16], tmp[PATH_MAX + 48], name[256];
	size_t i, k;
	int off;
	FILE *f;

	snprintf(p, sizeof(p), "%s/results.ktap", r->dir);
	f = ofdint_report_create(r, p, tmp, sizeof(tmp));
	if (!f)
		return r->werr;
	fprintf(f, "KTAP version 1\n1..%zu\n# offdiff %s, reference %s (%s)", r->ntargets, OFD_VERSION,
		r->reference ? r->reference : "", r->ref_version ? r->ref_version : "");
	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (r->offloads & (1u << off))
			fprintf(f, ", offload %s (ethtool %s)", ofd_offload_name(off),
				ofd_offload_ethtool_name(off));
	fprintf(f, "\n");
	if (ofdint_report_state(r) != RSTATE_COMPLETE)
		fprintf(f, "# stopped after %llu of %llu cases\n",
			(unsigned long long)r->done, (unsigned long long)r->total);
	for (i = 0; i < r->ntargets; i++) {
		struct rtarget *t = &r->targets[i];
		struct tcounts n = target_counts(t);
		bool none = ofdint_report_compared(t) == 0;

		fprintf(f, "  KTAP version 1\n  # Subtest: %s\n  1..%zu\n", t->label, n.tests);
		fprintf(f, "  # equal: %llu of %llu cases\n  ok 1 equal%s\n",
			(unsigned long long)(t->counts[OFD_V_EQUAL] + t->counts[OFD_V_BOTH_REJECTED]),
			(unsigned long long)ofdint_report_total(t),
			none ? " # SKIP no case compared" : "");
		for (k = 0; k < t->nclasses; k++) {
			struct rclass *c = &t->classes[k];
			bool bad = is_failure(c) || is_error(c);

			fprintf(f, "  # %s: %s (%s): %llu x %s", c->cls, ofd_offload_name(c->offload),
				ofd_offload_ethtool_name(c->offload), (unsigned long long)c->count,
				bad ? "" : "benign: ");
			ktap_text(f, c->text);
			fprintf(f, " (e.g. %s)\n", c->example_dir[0] ? c->example_dir : "-");
			fprintf(f, "  %s %zu %s\n", bad ? "not ok" : "ok", k + 2, c->cls);
		}
		for (k = 0; k < t->nskips; k++) {
			ofdint_report_skip_name(&t->skips[k], name, sizeof(name));
			fprintf(f, "  ok %zu %s # SKIP %llu cases\n", t->nclasses + 2 + k, name,
				(unsigned long long)t->skips[k].count);
		}
		fprintf(f, "%s %zu %s", n.failures + n.errors ? "not ok" : "ok", i + 1, t->label);
		if (!n.failures && !n.errors && none) {
			fprintf(f, " # SKIP ");
			ktap_text(f, t->nskips ? t->skips[0].reason : "no cases");
		}
		fputc('\n', f);
	}
	return ofdint_report_finish(r, f, true, tmp, p);
}
