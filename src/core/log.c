/* core/log.c: leveled log lines with untrusted text neutralised. */
#include "core.h"

#include <pthread.h>
#include <time.h>

static enum log_level log_level = LOG_INFO;
static FILE *log_stream;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level level)
{
	log_level = level;
}

void log_set_stream(FILE *f)
{
	log_stream = f;
}

static const char *level_name(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG: return "debug";
	case LOG_INFO: return "info";
	case LOG_WARN: return "warning";
	case LOG_ERROR: return "error";
	}
	return "?";
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[2048], stamp[PR_TIME_LEN];
	va_list ap;
	size_t i;
	int n;

	if (level < log_level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	for (i = 0; line[i] != '\0'; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	pr_time_format((int64_t)time(NULL), stamp);
	pthread_mutex_lock(&log_lock);
	fprintf(log_stream ? log_stream : stderr, "%s %s: %s\n", stamp,
	        level_name(level), line);
	fflush(log_stream ? log_stream : stderr);
	pthread_mutex_unlock(&log_lock);
}
