// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * yaml_emit.c - YAML out through libyaml's emitter (see ofd_yaml_emit.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ofd_yaml_emit.h"

static void emit(struct ofd_yemit *y, yaml_event_t *ev, int made)
{
	if (!made) {
		y->err = y->err ? y->err : -ENOMEM;
		return;
	}
	/* yaml_emitter_emit takes the event, also on failure. */
	if (!yaml_emitter_emit(&y->e, ev))
		y->err = y->err ? y->err : -EIO;
}

int ofd_yemit_open(struct ofd_yemit *y, FILE *f)
{
	yaml_event_t ev;

	memset(y, 0, sizeof(*y));
	if (!yaml_emitter_initialize(&y->e)) {
		y->err = -ENOMEM;
		return y->err;
	}
	y->live = true;
	yaml_emitter_set_output_file(&y->e, f);
	yaml_emitter_set_unicode(&y->e, 1);
	/* No folding: one value, one line, as a person would write it. */
	yaml_emitter_set_width(&y->e, -1);
	yaml_emitter_set_indent(&y->e, 2);
	emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	emit(y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	return y->err;
}

int ofd_yemit_close(struct ofd_yemit *y)
{
	yaml_event_t ev;
	int err;

	if (!y->err) {
		emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
		emit(y, &ev, yaml_stream_end_event_initialize(&ev));
	}
	if (!y->err && !yaml_emitter_flush(&y->e))
		y->err = -EIO;
	err = y->err;
	if (y->live)
		yaml_emitter_delete(&y->e);
	y->live = false;
	return err;
}

void ofd_yemit_map(struct ofd_yemit *y, bool flow)
{
	yaml_event_t ev;

	if (!y->err)
		emit(y, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
			flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

void ofd_yemit_seq(struct ofd_yemit *y, bool flow)
{
	yaml_event_t ev;

	if (!y->err)
		emit(y, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
			flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
}

void ofd_yemit_end_map(struct ofd_yemit *y)
{
	yaml_event_t ev;

	if (!y->err)
		emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

void ofd_yemit_end_seq(struct ofd_yemit *y)
{
	yaml_event_t ev;

	if (!y->err)
		emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void scalar(struct ofd_yemit *y, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!y->err)
		emit(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
			(yaml_char_t *)s, (int)strlen(s), 1, 1, style));
}

/*
 * Would a YAML 1.1 resolver (PyYAML's, the widest) read this plain text as
 * something other than a string? Conservative: anything that starts like
 * a number, and the null and boolean words.
 */
static bool resolves_to_non_string(const char *s)
{
	static const char *const words[] = { "y", "n", "yes", "no", "true", "false",
		"on", "off", "null", "~", NULL };
	size_t i;

	if (!*s)
		return true;
	for (i = 0; words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return true;
	if (*s == '+' || *s == '-')
		s++;
	if (*s == '.')
		s++;
	return isdigit((unsigned char)*s) || !strncasecmp(s, "inf", 3) ||
	       !strncasecmp(s, "nan", 3);
}

void ofd_yemit_str(struct ofd_yemit *y, const char *s)
{
	s = s ? s : "";
	/* The emitter falls back to double quotes where single ones cannot
	 * hold the text (control characters, line breaks). */
	scalar(y, s, resolves_to_non_string(s) ? YAML_SINGLE_QUOTED_SCALAR_STYLE
					       : YAML_ANY_SCALAR_STYLE);
}

void ofd_yemit_plain(struct ofd_yemit *y, const char *s)
{
	scalar(y, s ? s : "", YAML_PLAIN_SCALAR_STYLE);
}

void ofd_yemit_uint(struct ofd_yemit *y, unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", v);
	scalar(y, buf, YAML_PLAIN_SCALAR_STYLE);
}

void ofd_yemit_kv_str(struct ofd_yemit *y, const char *key, const char *v)
{
	ofd_yemit_plain(y, key);
	ofd_yemit_str(y, v);
}

void ofd_yemit_kv_plain(struct ofd_yemit *y, const char *key, const char *v)
{
	ofd_yemit_plain(y, key);
	ofd_yemit_plain(y, v);
}

void ofd_yemit_kv_uint(struct ofd_yemit *y, const char *key,
		       unsigned long long v)
{
	ofd_yemit_plain(y, key);
	ofd_yemit_uint(y, v);
}
