/* fuzz_sockaddr.c - raw socket addresses as a traced program passes them to
 * connect, bind and sendto: lib/netaddr.c (fg_endpoint_decode and
 * fg_endpoint_format), lib/decode.c (the audit line's "addr" object, read
 * from this process as the tracee) and lib/rules_eval.c (network rules).
 *
 * Input: the sockaddr bytes; their count is the addrlen. Properties:
 *  - fg_endpoint_decode reads only those bytes and agrees with a reference
 *    decoder written from struct sockaddr_* and the kernel's rules
 *    (a short or long address is an error; unknown families are not);
 *  - fg_endpoint_format always fits FG_ENDPOINT_FORMAT_SIZE, a smaller
 *    buffer gets a terminated prefix of the same text, and the text reads
 *    back to the same address (inet_pton; unix names unescaped);
 *  - fg_decode_args writes valid JSON in valid UTF-8;
 *  - network rules (a policy of this file and the shipped one) agree with a
 *    first-match reference evaluation.
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "decode.h"
#include "fuzz_util.h"
#include "glob.h"
#include "json_buf.h"
#include "netaddr.h"
#include "policy.h"
#include "rules.h"

static void dump_input(const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_sockaddr: %zu bytes:", size);
	for (size_t i = 0; i < size; i++)
		fprintf(stderr, " %02x", data[i]);
	fputc('\n', stderr);
}

/* ---- the reference decoder -------------------------------------------------- */

static void ref_decode(const uint8_t *d, size_t n, struct fg_endpoint *ep, bool *ok)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	memset(ep, 0, sizeof(*ep));
	ep->family = FG_EP_OTHER;
	ep->raw_family = -1;
	*ok = false;
	if (n < 2 || n > sizeof(struct sockaddr_storage))
		return;
	int family = d[0] | d[1] << 8; /* sa_family_t, little-endian */
	ep->raw_family = family;
	*ok = true;
	if (family == AF_INET) {
		*ok = n >= 16;
		if (!*ok)
			return;
		ep->family = FG_EP_INET;
		memcpy(ep->addr, mapped, 12);
		memcpy(ep->addr + 12, d + 4, 4);
		ep->is_v4 = true;
		ep->port = (uint16_t)(d[2] << 8 | d[3]);
	} else if (family == AF_INET6) {
		*ok = n >= 24; /* SIN6_LEN_RFC2133: sin6_scope_id may be left out */
		if (!*ok)
			return;
		ep->family = FG_EP_INET6;
		memcpy(ep->addr, d + 8, 16);
		ep->is_v4 = memcmp(d + 8, mapped, 12) == 0;
		ep->port = (uint16_t)(d[2] << 8 | d[3]);
		/* The kernel reads sin6_scope_id only when addrlen holds all of
		 * it (tcp_v6_connect, __inet6_bind, udpv6_sendmsg). */
		if (n >= 28)
			ep->scope_id = (uint32_t)d[24] | (uint32_t)d[25] << 8 |
				       (uint32_t)d[26] << 16 | (uint32_t)d[27] << 24;
	} else if (family == AF_UNIX) {
		*ok = n <= sizeof(struct sockaddr_un);
		if (!*ok)
			return;
		ep->family = FG_EP_UNIX;
		size_t len = n - 2;
		if (len == 0) {
			ep->unix_unnamed = true;
		} else if (d[2] == 0) {
			ep->unix_abstract = true;
			ep->unix_path_len = len - 1;
			memcpy(ep->unix_path, d + 3, len - 1);
		} else {
			const uint8_t *nul = memchr(d + 2, 0, len);
			ep->unix_path_len = nul != NULL ? (size_t)(nul - (d + 2)) : len;
			memcpy(ep->unix_path, d + 2, ep->unix_path_len);
		}
	}
}

static void compare_decode(const uint8_t *data, size_t size, const struct fg_endpoint *ep, int rc)
{
	struct fg_endpoint ref;
	bool ok;
	ref_decode(data, size, &ref, &ok);
	const char *what = NULL;
	if (ok != (rc == 0))
		what = ok ? "fg_endpoint_decode rejects a valid address"
			  : "fg_endpoint_decode accepts an invalid address";
	else if (!ok)
		return;
	else if (ep->family != ref.family || ep->raw_family != ref.raw_family)
		what = "family";
	else if ((ep->family == FG_EP_INET || ep->family == FG_EP_INET6) &&
		 (memcmp(ep->addr, ref.addr, 16) != 0 || ep->port != ref.port ||
		  ep->is_v4 != ref.is_v4))
		what = "address or port";
	else if (ep->family == FG_EP_INET6 && ep->scope_id != ref.scope_id)
		what = "sin6_scope_id (the kernel ignores it when addrlen is below 28)";
	else if (ep->family == FG_EP_UNIX &&
		 (ep->unix_unnamed != ref.unix_unnamed || ep->unix_abstract != ref.unix_abstract ||
		  ep->unix_path_len != ref.unix_path_len ||
		  memcmp(ep->unix_path, ref.unix_path, ref.unix_path_len) != 0 ||
		  ep->unix_path[ep->unix_path_len] != '\0'))
		what = "unix name";
	if (what != NULL) {
		dump_input(data, size);
		fuzz_fail("fg_endpoint_decode: %s differs from the reference", what);
	}
}

/* ---- formatting --------------------------------------------------------------- */

/* "\xNN" escapes back to bytes; false when the text is not what
 * fg_endpoint_format promises (a raw control byte, 0x7f or lone '\'). */
static bool unescape(const char *s, char *out, size_t *n)
{
	*n = 0;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			return false;
		if (c == '\\') {
			unsigned v;
			if (s[1] != 'x' || sscanf(s + 2, "%2x", &v) != 1 || strlen(s) < 4)
				return false;
			out[(*n)++] = (char)v;
			s += 3;
		} else {
			out[(*n)++] = (char)c;
		}
	}
	return true;
}

static bool reads_back(const struct fg_endpoint *ep, const char *text)
{
	char host[FG_ENDPOINT_FORMAT_SIZE];
	unsigned port;
	uint8_t addr[16];
	switch (ep->family) {
	case FG_EP_INET: {
		if (sscanf(text, "%15[0-9.]:%u", host, &port) != 2 || port != ep->port)
			return false;
		return inet_pton(AF_INET, host, addr) == 1 && memcmp(addr, ep->addr + 12, 4) == 0;
	}
	case FG_EP_INET6: {
		unsigned scope = 0;
		int got = sscanf(text, "[%63[0-9a-f:.]%%%u]:%u", host, &scope, &port);
		if (got != 3) {
			scope = 0;
			if (sscanf(text, "[%63[0-9a-f:.]]:%u", host, &port) != 2)
				return false;
		}
		return port == ep->port && scope == ep->scope_id &&
		       inet_pton(AF_INET6, host, addr) == 1 && memcmp(addr, ep->addr, 16) == 0;
	}
	case FG_EP_UNIX: {
		if (ep->unix_unnamed)
			return strcmp(text, "unix-unnamed") == 0;
		const char *prefix = ep->unix_abstract ? "unix-abstract:@" : "unix:";
		char name[FG_ENDPOINT_FORMAT_SIZE];
		size_t n;
		return strncmp(text, prefix, strlen(prefix)) == 0 &&
		       unescape(text + strlen(prefix), name, &n) && n == ep->unix_path_len &&
		       memcmp(name, ep->unix_path, n) == 0;
	}
	case FG_EP_OTHER:
	default: {
		int family;
		return sscanf(text, "family:%d", &family) == 1 && family == ep->raw_family;
	}
	}
}

static void check_format(const uint8_t *data, size_t size, const struct fg_endpoint *ep)
{
	char big[4 * FG_ENDPOINT_FORMAT_SIZE];
	fg_endpoint_format(ep, big, sizeof(big));
	size_t len = strlen(big);
	if (len >= FG_ENDPOINT_FORMAT_SIZE) {
		dump_input(data, size);
		fuzz_fail("fg_endpoint_format: %zu bytes do not fit FG_ENDPOINT_FORMAT_SIZE", len);
	}
	if (!reads_back(ep, big)) {
		dump_input(data, size);
		fuzz_fail("fg_endpoint_format: \"%s\" does not read back to the address", big);
	}
	/* Small buffers of exactly their size, so ASan sees any overflow. */
	size_t sizes[] = { 1, 2, len / 2 + 1, len, len + 1, FG_ENDPOINT_FORMAT_SIZE };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i] == 0 ? 1 : sizes[i];
		char *small = malloc(n);
		if (small == NULL)
			continue;
		fg_endpoint_format(ep, small, n);
		size_t want = len < n - 1 ? len : n - 1;
		if (memchr(small, '\0', n) == NULL || strlen(small) != want ||
		    memcmp(small, big, want) != 0) {
			dump_input(data, size);
			fuzz_fail("fg_endpoint_format into %zu bytes is not a prefix of \"%s\"", n,
				  big);
		}
		free(small);
	}
}

/* ---- the audit line's "addr" -------------------------------------------------- */

static void check_decode_args(const uint8_t *data, size_t size)
{
	static const long calls[] = { SYS_connect, SYS_bind };
	struct fg_syscall_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.tid = (pid_t)syscall(SYS_gettid);
	ev.pid = getpid();
	ev.nr = calls[size % 2];
	ev.args[0] = 3;
	ev.args[1] = (uint64_t)(uintptr_t)data;
	ev.args[2] = size;
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_decode_args(&ev, &b);
	if (b.failed || b.data == NULL)
		fuzz_fail("fg_decode_args: out of memory");
	cJSON *json = cJSON_ParseWithLength(b.data, b.len);
	if (json == NULL || !fuzz_valid_utf8((const unsigned char *)b.data, b.len)) {
		dump_input(data, size);
		fuzz_fail("fg_decode_args wrote invalid JSON or UTF-8: %s", b.data);
	}
	cJSON_Delete(json);
	fg_json_buf_free(&b);
}

/* ---- network rules ------------------------------------------------------------ */

static const char test_policy[] =
    "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}},\n"
    " \"network\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
    "  {\"id\": \"dbus\", \"operations\": [\"connect\"], \"protocols\": [\"unix-dgram\"],"
    "   \"unix\": \"@/org/freedesktop/*\", \"action\": \"allow\"},\n"
    "  {\"id\": \"pg\", \"operations\": [\"connect\"], \"protocols\": [\"unix-stream\"],"
    "   \"unix\": \"/run/postgresql/*.sock\", \"action\": \"allow\"},\n"
    "  {\"id\": \"any-unix-send\", \"operations\": [\"send\"],"
    "   \"protocols\": [\"unix-dgram\"], \"action\": \"allow\"},\n"
    "  {\"id\": \"metadata\", \"operations\": [\"connect\", \"send\"],"
    "   \"protocols\": [\"tcp\", \"udp\"], \"addresses\": [\"169.254.169.254\"],"
    "   \"action\": \"stop\"},\n"
    "  {\"id\": \"listen\", \"operations\": [\"bind\"], \"protocols\": [\"tcp\"],"
    "   \"addresses\": [\"0.0.0.0/0\", \"::/0\"], \"ports\": \"8080\", \"action\": \"allow\"},\n"
    "  {\"id\": \"dns\", \"operations\": [\"connect\", \"send\"], \"protocols\": [\"udp\"],"
    "   \"addresses\": [\"127.0.0.53\"], \"ports\": \"53\", \"action\": \"allow\"},\n"
    "  {\"id\": \"db\", \"operations\": [\"connect\"], \"protocols\": [\"tcp\"],"
    "   \"addresses\": [\"10.0.0.0/8\", \"fd00::/8\"], \"ports\": \"5432-5439\","
    "   \"action\": \"allow\"}\n"
    " ]}}\n";

static struct fg_policy policy_test;
static struct fg_policy policy_shipped;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct fg_error err;
	if (fg_policy_load_text(test_policy, strlen(test_policy), "fuzz_sockaddr", &policy_test,
				&err) < 0 ||
	    fg_policy_load_default(&policy_shipped, &err) < 0) {
		fprintf(stderr, "fuzz_sockaddr: %s\n", err.msg);
		exit(1);
	}
	return 0;
}

static bool in_block(const struct fg_endpoint *ep, const char *block)
{
	struct fg_cidr c;
	struct fg_error err;
	return fg_cidr_parse(block, &c, &err) == 0 && fg_cidr_match(&c, ep);
}

static bool unix_name_is(const struct fg_endpoint *ep, bool abstract, const char *pattern)
{
	if (ep->family != FG_EP_UNIX || ep->unix_unnamed || ep->unix_abstract != abstract ||
	    memchr(ep->unix_path, '\0', ep->unix_path_len) != NULL)
		return false;
	if (!abstract)
		return fg_glob_match(pattern, ep->unix_path);
	char name[2 + sizeof(ep->unix_path)];
	name[0] = '/';
	memcpy(name + 1, ep->unix_path, ep->unix_path_len + 1);
	char glob[64];
	snprintf(glob, sizeof(glob), "/%s", pattern);
	return fg_glob_match(glob, name);
}

/* test_policy, first match by hand. */
static const char *ref_rule(unsigned op, unsigned proto, const struct fg_endpoint *ep)
{
	bool inet = proto == FG_PROTO_TCP || proto == FG_PROTO_UDP;
	bool ip = ep->family == FG_EP_INET || ep->family == FG_EP_INET6;
	if (op == FG_NET_CONNECT && proto == FG_PROTO_UNIX_DGRAM &&
	    unix_name_is(ep, true, "/org/freedesktop/*"))
		return "dbus";
	if (op == FG_NET_CONNECT && proto == FG_PROTO_UNIX_STREAM &&
	    unix_name_is(ep, false, "/run/postgresql/*.sock"))
		return "pg";
	if (op == FG_NET_SEND && proto == FG_PROTO_UNIX_DGRAM && ep->family == FG_EP_UNIX)
		return "any-unix-send";
	if ((op == FG_NET_CONNECT || op == FG_NET_SEND) && inet && ip &&
	    in_block(ep, "169.254.169.254"))
		return "metadata";
	if (op == FG_NET_BIND && proto == FG_PROTO_TCP && ip && ep->port == 8080 &&
	    (in_block(ep, "0.0.0.0/0") || in_block(ep, "::/0")))
		return "listen";
	if ((op == FG_NET_CONNECT || op == FG_NET_SEND) && proto == FG_PROTO_UDP && ip &&
	    ep->port == 53 && in_block(ep, "127.0.0.53"))
		return "dns";
	if (op == FG_NET_CONNECT && proto == FG_PROTO_TCP && ip && ep->port >= 5432 &&
	    ep->port <= 5439 && (in_block(ep, "10.0.0.0/8") || in_block(ep, "fd00::/8")))
		return "db";
	return "network.default";
}

static void check_rules(const uint8_t *data, size_t size, const struct fg_endpoint *ep)
{
	static const unsigned ops[] = { FG_NET_CONNECT, FG_NET_BIND, FG_NET_SEND };
	static const unsigned protos[] = { FG_PROTO_TCP, FG_PROTO_UDP, FG_PROTO_UNIX_STREAM,
					   FG_PROTO_UNIX_DGRAM };
	for (size_t o = 0; o < 3; o++) {
		for (size_t p = 0; p < 4; p++) {
			struct fg_rule_decision d;
			fg_rules_check_net(&policy_shipped.sections, ops[o], protos[p], ep, &d);
			if (d.rule_id == NULL)
				fuzz_fail("fg_rules_check_net: no rule named");
			fg_rules_check_net(&policy_test.sections, ops[o], protos[p], ep, &d);
			const char *want = ref_rule(ops[o], protos[p], ep);
			if (d.rule_id == NULL || strcmp(d.rule_id, want) != 0) {
				dump_input(data, size);
				fuzz_fail("fg_rules_check_net: operation %u protocol %u: rule %s, "
					  "reference %s",
					  ops[o], protos[p], d.rule_id ? d.rule_id : "(null)",
					  want);
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_endpoint ep;
	struct fg_error err = { { 0 } };
	int rc = fg_endpoint_decode(data, size, &ep, &err);
	compare_decode(data, size, &ep, rc);
	check_decode_args(data, size);
	if (rc != 0) {
		if (err.msg[0] == '\0')
			fuzz_fail("fg_endpoint_decode failed without a message");
		return 0;
	}
	check_format(data, size, &ep);
	check_rules(data, size, &ep);
	return 0;
}
