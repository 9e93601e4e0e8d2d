/*
 * cli/cmd_serve.c: `pressroom serve`: the site over HTTP until SIGINT or
 * SIGTERM, then a clean stop (requests under way are finished).
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "../http/http.h"
#include "../media/media.h"
#include "../site/site.h"
#include "cli.h"

#define MAX_RESPONSE ((size_t)64 << 20)

static int parse_options(int argc, char **argv, struct config *over,
                         bool *listen, bool *threads)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"threads", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const struct cli_command *cmd = &cli_cmd_serve;
	int64_t n;
	int ch;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (!optarg[0] || !strchr(optarg, ':') ||
			    strlen(optarg) >= sizeof over->listen)
				return cli_usage_error(cmd,
				                       "--listen: expected "
				                       "HOST:PORT, like "
				                       "127.0.0.1:8080");
			memcpy(over->listen, optarg, strlen(optarg) + 1);
			*listen = true;
			break;
		case 't':
			if (!str_to_i64(str_c(optarg), 1, 1024, &n))
				return cli_usage_error(cmd,
				                       "--threads: expected "
				                       "a number from 1 to "
				                       "1024");
			over->threads = (long)n;
			*threads = true;
			break;
		case 'h': return cli_help(cmd);
		default: return cli_bad_option(cmd, ch, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument %s",
		                       argv[optind]);
	return -1;
}

/* "http://HOST:PORT/" with the port actually bound. */
static void server_url(char *out, size_t n, const char *listen, int port)
{
	const char *colon = strrchr(listen, ':');
	int host_len = colon ? (int)(colon - listen) : (int)strlen(listen);

	snprintf(out, n, "http://%.*s:%d/", host_len, listen, port);
}

/* Serves until SIGINT or SIGTERM, which the caller has blocked. */
static int serve(struct cli *c, const struct config *cfg, sigset_t *stop)
{
	struct http_config hc = {0};
	struct http_server *h = NULL;
	struct pr_error e = {0};
	struct site *site = NULL;
	char url[128];
	int sig = 0;

	if (site_open(&site, cfg, c->data, &e) != PR_OK)
		return cli_fail(&e);
	hc.listen = cfg->listen;
	hc.threads = (int)cfg->threads;
	hc.cache_bytes = (size_t)cfg->cache_mb << 20;
	hc.access_log = cfg->access_log;
	hc.max_body = MAX_RESPONSE;
	hc.upload_prefix = "/admin";
	hc.upload_max = (size_t)cfg->upload_max_mb << 20;
	hc.handler = site_handle;
	hc.generation = site_generation;
	hc.error_page = site_error_page;
	hc.ctx = site;
	if (http_start(&h, &hc, &e) != PR_OK) {
		site_free(site);
		return cli_fail(&e);
	}
	server_url(url, sizeof url, cfg->listen, http_port(h));
	log_info("serving %s at %s", c->data, url);
	sigwait(stop, &sig);
	log_info("stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
	http_stop(h);
	site_free(site);
	return CLI_OK;
}

static int run(struct cli *c, int argc, char **argv)
{
	struct config cfg, over = {0};
	bool listen = false, threads = false;
	struct pr_error e = {0};
	sigset_t stop;
	int rc;

	if ((rc = parse_options(argc, argv, &over, &listen, &threads)) >= 0)
		return rc;
	if (cli_config(c, &cfg, &e) != PR_OK)
		return cli_fail(&e);
	if (listen)
		memcpy(cfg.listen, over.listen, sizeof cfg.listen);
	if (threads)
		cfg.threads = over.threads;
	if (!pr_time_set_zone(cfg.timezone))
		return cli_failf("%s: timezone: unknown time zone \"%s\"",
		                 c->conf, cfg.timezone);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cli_media(&cfg, &e) != PR_OK) /* its threads inherit the mask */
		return cli_fail(&e);
	rc = serve(c, &cfg, &stop);
	media_shutdown();
	return rc;
}

const struct cli_command cli_cmd_serve = {
    .name = "serve",
    .synopsis = "[--listen HOST:PORT] [--threads N]",
    .summary = "serve the site over HTTP",
    .help = "Serves the site of DIR until SIGINT or SIGTERM. Settings "
            "come from\nDIR/pressroom.conf when there is one; these "
            "options override it.\n\n"
            "options:\n"
            "  --listen HOST:PORT    the address to listen on, like "
            "127.0.0.1:8080\n"
            "                        (port 0: any free port; the log says "
            "which)\n"
            "  --threads N           worker threads\n",
    .run = run,
};
