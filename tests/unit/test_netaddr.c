/* Unit tests for lib/netaddr.c: socket addresses, CIDR blocks, ports. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "netaddr.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* A sockaddr to build: the fields that apply to `family` are used. */
struct sockaddr_spec {
	int family;
	const char *addr; /* AF_INET, AF_INET6: text for inet_pton */
	uint16_t port;
	uint32_t scope_id;
	const char *sun; /* AF_UNIX: sun_path bytes, NULs allowed */
	size_t sun_len;
	int len; /* addrlen; 0: the natural size */
};

static size_t build_sockaddr(const struct sockaddr_spec *spec, struct sockaddr_storage *ss)
{
	size_t natural = sizeof(struct sockaddr_in);
	switch (spec->family) {
	case AF_INET: {
		struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(spec->port) };
		ck_assert_int_eq(inet_pton(AF_INET, spec->addr, &in.sin_addr), 1);
		memcpy(ss, &in, sizeof(in));
		break;
	}
	case AF_INET6: {
		struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
					    .sin6_port = htons(spec->port),
					    .sin6_scope_id = spec->scope_id };
		ck_assert_int_eq(inet_pton(AF_INET6, spec->addr, &in6.sin6_addr), 1);
		memcpy(ss, &in6, sizeof(in6));
		natural = sizeof(in6);
		break;
	}
	case AF_UNIX: {
		sa_family_t family = AF_UNIX;
		memcpy(ss, &family, sizeof(family));
		memcpy((char *)ss + offsetof(struct sockaddr_un, sun_path), spec->sun,
		       spec->sun_len);
		natural = offsetof(struct sockaddr_un, sun_path) + spec->sun_len;
		break;
	}
	default: {
		sa_family_t family = (sa_family_t)spec->family;
		memcpy(ss, &family, sizeof(family));
		break;
	}
	}
	return spec->len > 0 ? (size_t)spec->len : natural;
}

static int decode_spec(const struct sockaddr_spec *spec, struct fg_endpoint *ep,
		       struct fg_error *err)
{
	struct sockaddr_storage ss[2]; /* room for a length one past the limit */
	memset(ss, 0xa5, sizeof(ss));  /* garbage beyond what is set */
	size_t len = build_sockaddr(spec, ss);
	return fg_endpoint_decode(ss, len, ep, err);
}

struct decode_case {
	struct sockaddr_spec in;
	int rc;
	const char *text; /* fg_endpoint_format, or a part of the error message */
	int is_v4;	  /* -1: not checked */
};

static const char path_108[] = "/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock";
static const char abstract_107[] = "\0bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
				   "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
_Static_assert(sizeof(path_108) == 108 + 1, "a sun_path filled to the end");
_Static_assert(sizeof(abstract_107) == 108 + 1, "a NUL and a 107-byte name");

static const struct decode_case decode_cases[] = {
	{ { AF_INET, "127.0.0.1", 8080 }, 0, "127.0.0.1:8080", 1 },
	{ { AF_INET, "0.0.0.0", 0 }, 0, "0.0.0.0:0", 1 },
	{ { AF_INET, "255.255.255.255", 65535 }, 0, "255.255.255.255:65535", 1 },
	{ { AF_INET, "10.1.2.3", 53, .len = 15 }, -1, "too short (needs 16)", -1 },
	{ { AF_INET, "10.1.2.3", 53, .len = 128 }, 0, "10.1.2.3:53", 1 },
	{ { AF_INET, "10.1.2.3", 53, .len = 129 }, -1, "longer than any (at most 128)", -1 },
	{ { AF_INET6, "::1", 443 }, 0, "[::1]:443", 0 },
	{ { AF_INET6, "::ffff:10.0.0.1", 80 }, 0, "[::ffff:10.0.0.1]:80", 1 },
	{ { AF_INET6, "::10.0.0.1", 80 }, 0, "[::10.0.0.1]:80", 0 },
	{ { AF_INET6, "::", 0 }, 0, "[::]:0", 0 },
	{ { AF_INET6, "2001:db8::42", 8443, .len = 24 }, 0, "[2001:db8::42]:8443", 0 },
	{ { AF_INET6, "fe80::1", 22, .scope_id = 2 }, 0, "[fe80::1%2]:22", 0 },
	{ { AF_INET6, "fe80::1", 22, .scope_id = 2, .len = 24 }, 0, "[fe80::1]:22", 0 },
	{ { AF_INET6, "::1", 443, .len = 23 }, -1, "too short (needs 24)", -1 },
	{ { AF_INET6, "::1", 443, .len = 8 }, -1, "too short", -1 },
	{ { AF_INET6, "::1", 443, .len = 129 }, -1, "longer than any", -1 },
	{ { AF_UNIX, .sun = "/run/x.sock", .sun_len = 12 }, 0, "unix:/run/x.sock", -1 },
	{ { AF_UNIX, .sun = "/run/x.sock", .sun_len = 11 }, 0, "unix:/run/x.sock", -1 },
	{ { AF_UNIX, .sun = "/a\0junk", .sun_len = 7 }, 0, "unix:/a", -1 },
	{ { AF_UNIX, .sun = "/run/x.sock", .sun_len = 4 }, 0, "unix:/run", -1 },
	{ { AF_UNIX, .sun = "r", .sun_len = 1 }, 0, "unix:r", -1 },
	{ { AF_UNIX, .sun = "\0name", .sun_len = 5 }, 0, "unix-abstract:@name", -1 },
	{ { AF_UNIX, .sun = "\0a\0b", .sun_len = 4 }, 0, "unix-abstract:@a\\x00b", -1 },
	{ { AF_UNIX, .sun = "\0", .sun_len = 1 }, 0, "unix-abstract:@", -1 },
	{ { AF_UNIX, .sun = "", .sun_len = 0 }, 0, "unix-unnamed", -1 },
	{ { AF_UNIX, .sun = "/tmp/a\nb\\c", .sun_len = 10 }, 0, "unix:/tmp/a\\x0ab\\x5cc", -1 },
	{ { AF_UNIX, .sun = "/tmp/\xc3\xa9", .sun_len = 7 }, 0, "unix:/tmp/\xc3\xa9", -1 },
	{ { AF_UNIX, .sun = path_108, .sun_len = 108 }, 0, path_108, -1 },
	{ { AF_UNIX, .sun = abstract_107, .sun_len = 108 }, 0, abstract_107 + 1, -1 },
	{ { AF_UNIX, .sun = path_108, .sun_len = 108, .len = 111 }, -1, "sockaddr_un (110)", -1 },
	{ { AF_NETLINK, .len = 12 }, 0, "family:16", -1 },
	{ { AF_UNSPEC, .len = 16 }, 0, "family:0", -1 },
	{ { AF_PACKET, .len = 2 }, 0, "family:17", -1 },
	{ { 0xffff, .len = 128 }, 0, "family:65535", -1 },
	{ { AF_INET, "1.2.3.4", 1, .len = 1 }, -1, "too short to hold its family", -1 },
};

START_TEST(decode_table)
{
	const struct decode_case *c = &decode_cases[_i];
	struct fg_endpoint ep;
	struct fg_error err = { { 0 } };
	int rc = decode_spec(&c->in, &ep, &err);
	ck_assert_msg(rc == c->rc, "case %d: rc %d (%s)", _i, rc, err.msg);
	if (rc < 0) {
		ck_assert_msg(strstr(err.msg, c->text) != NULL, "case %d: \"%s\" lacks \"%s\"", _i,
			      err.msg, c->text);
		return;
	}
	char text[FG_ENDPOINT_FORMAT_SIZE];
	fg_endpoint_format(&ep, text, sizeof(text));
	if (strncmp(c->text, "unix", 4) == 0 || strncmp(c->text, "family", 6) == 0 ||
	    c->in.family != AF_UNIX)
		ck_assert_msg(strcmp(text, c->text) == 0, "case %d: \"%s\", expected \"%s\"", _i,
			      text, c->text);
	else /* long names given bare, without a prefix */
		ck_assert_msg(strstr(text, c->text) != NULL, "case %d: \"%s\" lacks \"%s\"", _i,
			      text, c->text);
	if (c->is_v4 >= 0)
		ck_assert_int_eq(ep.is_v4, c->is_v4);
	ck_assert_int_eq(ep.raw_family, c->in.family);
}
END_TEST

START_TEST(decode_fields)
{
	struct fg_endpoint ep;
	struct fg_error err;
	struct sockaddr_spec v4 = { AF_INET, "10.0.0.1", 8080 };
	ck_assert_int_eq(decode_spec(&v4, &ep, &err), 0);
	ck_assert_int_eq(ep.family, FG_EP_INET);
	ck_assert_uint_eq(ep.port, 8080);
	static const uint8_t mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1 };
	ck_assert_mem_eq(ep.addr, mapped, 16);

	struct sockaddr_spec v6 = { AF_INET6, "::ffff:10.0.0.1", 8080, .scope_id = 7 };
	ck_assert_int_eq(decode_spec(&v6, &ep, &err), 0);
	ck_assert_int_eq(ep.family, FG_EP_INET6);
	ck_assert(ep.is_v4);
	ck_assert_mem_eq(ep.addr, mapped, 16);
	ck_assert_uint_eq(ep.scope_id, 7);

	struct sockaddr_spec abstract = { AF_UNIX, .sun = "\0x\0y", .sun_len = 4 };
	ck_assert_int_eq(decode_spec(&abstract, &ep, &err), 0);
	ck_assert_int_eq(ep.family, FG_EP_UNIX);
	ck_assert(ep.unix_abstract && !ep.unix_unnamed);
	ck_assert_uint_eq(ep.unix_path_len, 3);
	ck_assert_mem_eq(ep.unix_path, "x\0y\0", 4);

	struct sockaddr_spec unnamed = { AF_UNIX, .sun = "", .sun_len = 0 };
	ck_assert_int_eq(decode_spec(&unnamed, &ep, &err), 0);
	ck_assert(ep.unix_unnamed && !ep.unix_abstract);
	ck_assert_uint_eq(ep.unix_path_len, 0);

	struct sockaddr_spec path = { AF_UNIX, .sun = "/run/x.sock", .sun_len = 11 };
	ck_assert_int_eq(decode_spec(&path, &ep, &err), 0);
	ck_assert(!ep.unix_unnamed && !ep.unix_abstract);
	ck_assert_uint_eq(ep.unix_path_len, 11);
	ck_assert_str_eq(ep.unix_path, "/run/x.sock");
}
END_TEST

START_TEST(decode_bad_buffers)
{
	struct fg_endpoint ep;
	struct fg_error err;
	ck_assert_int_eq(fg_endpoint_decode(NULL, 0, &ep, &err), -1);
	ck_assert_int_eq(fg_endpoint_decode(NULL, 16, &ep, &err), -1);
	ck_assert_int_eq(fg_endpoint_decode("", 0, &ep, NULL), -1);
	ck_assert_int_eq(fg_endpoint_decode("xx", SIZE_MAX, &ep, NULL), -1);
	/* A failed decode leaves an endpoint that nothing matches. */
	struct fg_cidr any;
	ck_assert_int_eq(fg_cidr_parse("any", &any, &err), 0);
	ck_assert(!fg_cidr_match(&any, &ep));
}
END_TEST

static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* Random bytes of every length around the limits: decoding either fails or
 * yields an endpoint whose fields are consistent and whose text fits. */
START_TEST(decode_random_bytes)
{
	static const sa_family_t families[] = { AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, 0xffff };
	uint32_t state = 0x9e3779b9;
	unsigned char buf[sizeof(struct sockaddr_storage) + 8];
	for (int round = 0; round < 20000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)next_random(&state);
		if (round % 4 != 0) /* mostly real families, sometimes random */
			memcpy(buf, &families[round % N_ELEMENTS(families)], sizeof(sa_family_t));
		if (round % 3 == 0)
			buf[2] = '\0'; /* abstract unix names */
		size_t len = next_random(&state) % sizeof(buf);
		struct fg_endpoint ep;
		struct fg_error err;
		if (fg_endpoint_decode(buf, len, &ep, &err) < 0) {
			ck_assert(len < 2 || len > sizeof(struct sockaddr_storage) ||
				  ep.raw_family == AF_INET || ep.raw_family == AF_INET6 ||
				  ep.raw_family == AF_UNIX);
			continue;
		}
		ck_assert_uint_le(ep.unix_path_len, sizeof(ep.unix_path) - 1);
		ck_assert_int_eq(ep.unix_path[ep.unix_path_len], '\0');
		char text[FG_ENDPOINT_FORMAT_SIZE];
		fg_endpoint_format(&ep, text, sizeof(text));
		ck_assert_uint_lt(strlen(text), sizeof(text) - 1); /* never cut */
	}
}
END_TEST

START_TEST(format_truncates)
{
	struct fg_endpoint ep;
	struct fg_error err;
	struct sockaddr_spec v6 = { AF_INET6, "2001:db8::1", 443 };
	ck_assert_int_eq(decode_spec(&v6, &ep, &err), 0);
	char buf[8];
	memset(buf, 'x', sizeof(buf));
	fg_endpoint_format(&ep, buf, 0);
	ck_assert_int_eq(buf[0], 'x');
	fg_endpoint_format(&ep, buf, 1);
	ck_assert_str_eq(buf, "");
	fg_endpoint_format(&ep, buf, 6);
	ck_assert_str_eq(buf, "[2001");
	struct sockaddr_spec un = { AF_UNIX, .sun = "\0\1\1\1", .sun_len = 4 };
	ck_assert_int_eq(decode_spec(&un, &ep, &err), 0);
	fg_endpoint_format(&ep, buf, sizeof(buf));
	ck_assert_str_eq(buf, "unix-ab");
}
END_TEST

struct cidr_case {
	const char *text;
	int rc;
	const char *result; /* fg_cidr_format, or a part of the error message */
	int prefix;	    /* in IPv6 terms; -1: not checked */
};

static const struct cidr_case cidr_cases[] = {
	{ "10.0.0.0/8", 0, "10.0.0.0/8", 104 },
	{ "127.0.0.1", 0, "127.0.0.1/32", 128 },
	{ "0.0.0.0/0", 0, "0.0.0.0/0", 96 },
	{ "192.168.1.128/25", 0, "192.168.1.128/25", 121 },
	{ "255.255.255.255/32", 0, "255.255.255.255/32", 128 },
	{ "::1", 0, "::1/128", 128 },
	{ "::", 0, "::/128", 128 },
	{ "::/0", 0, "::/0", 0 },
	{ "fe80::/10", 0, "fe80::/10", 10 },
	{ "2001:db8::/32", 0, "2001:db8::/32", 32 },
	{ "2001:DB8::/32", 0, "2001:db8::/32", 32 },
	{ "::ffff:10.0.0.0/104", 0, "10.0.0.0/8", 104 },
	{ "::ffff:0:0/96", 0, "0.0.0.0/0", 96 },
	{ "::fffe:0:0/95", 0, "::fffe:0:0/95", 95 },
	{ "::ffff:127.0.0.1", 0, "127.0.0.1/32", 128 },
	{ "any", 0, "any", 0 },
	{ "any4", 0, "0.0.0.0/0", 96 },
	{ "any6", 0, "::/0", 0 },
	{ "", -1, "empty address", -1 },
	{ NULL, -1, "empty address", -1 },
	{ "10.0.0.1/8", -1, "10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?", -1 },
	{ "192.168.1.1/24", -1, "did you mean 192.168.1.0/24?", -1 },
	{ "fe80::1/10", -1, "did you mean fe80::/10?", -1 },
	{ "::ffff:10.0.0.1/104", -1, "did you mean ::ffff:10.0.0.0/104?", -1 },
	{ "10.0.0.0/33", -1, "/33 is out of range for IPv4 (0 to 32)", -1 },
	{ "::/129", -1, "/129 is out of range for IPv6 (0 to 128)", -1 },
	{ "10.0.0.0/", -1, "missing prefix length", -1 },
	{ "10.0.0.0/-1", -1, "must be a number", -1 },
	{ "10.0.0.0/08", -1, "without leading zeros", -1 },
	{ "10.0.0.0/8/8", -1, "must be a number", -1 },
	{ "10.0.0.0/ 8", -1, "must be a number", -1 },
	{ "10.0.0.0/99999999999999999999", -1, "must be a number", -1 },
	{ "010.0.0.1", -1, "the octet 010 has a leading zero", -1 },
	{ "10.0.0.00", -1, "leading zero", -1 },
	{ "10.0.0", -1, "is not an IPv4 address", -1 },
	{ "10.0.0.0.0", -1, "is not an IPv4 address", -1 },
	{ "256.0.0.0", -1, "is not an IPv4 address", -1 },
	{ "1000.0.0.0", -1, "is not an IPv4 address", -1 },
	{ "1..2.3", -1, "is not an IPv4 address", -1 },
	{ "1.2.3.4 ", -1, "is not an IPv4 address", -1 },
	{ " 1.2.3.4", -1, "is not an IPv4 address", -1 },
	{ "0x7f.0.0.1", -1, "is not an IPv4 address", -1 },
	{ "-1.0.0.0", -1, "is not an IPv4 address", -1 },
	{ "ANY", -1, "is not an IPv4 address", -1 },
	{ "localhost", -1, "is not an IPv4 address", -1 },
	{ "fe80::1%eth0", -1, "zone indexes", -1 },
	{ "::g", -1, "is not an IPv6 address", -1 },
	{ ":::", -1, "is not an IPv6 address", -1 },
	{ "1:2:3:4:5:6:7:8:9", -1, "is not an IPv6 address", -1 },
	{ "::ffff:010.0.0.1", -1, "is not an IPv6 address", -1 },
	{ "/8", -1, "is not an IPv4 address", -1 },
	{ "1111:2222:3333:4444:5555:6666:7777:8888/128/128/128/128/128/128/128", -1, "too long",
	  -1 },
};

START_TEST(cidr_table)
{
	const struct cidr_case *c = &cidr_cases[_i];
	struct fg_cidr cidr;
	struct fg_error err = { { 0 } };
	int rc = fg_cidr_parse(c->text, &cidr, &err);
	ck_assert_msg(rc == c->rc, "\"%s\": rc %d (%s)", c->text ? c->text : "(null)", rc, err.msg);
	if (rc < 0) {
		ck_assert_msg(strstr(err.msg, c->result) != NULL, "\"%s\": \"%s\" lacks \"%s\"",
			      c->text ? c->text : "(null)", err.msg, c->result);
		return;
	}
	char text[64];
	fg_cidr_format(&cidr, text, sizeof(text));
	ck_assert_msg(strcmp(text, c->result) == 0, "\"%s\": \"%s\", expected \"%s\"", c->text,
		      text, c->result);
	if (c->prefix >= 0)
		ck_assert_int_eq(cidr.prefix, c->prefix);
}
END_TEST

struct match_case {
	const char *cidr;
	struct sockaddr_spec ep;
	bool expected;
};

static const struct match_case match_cases[] = {
	{ "10.0.0.0/8", { AF_INET, "10.1.2.3" }, true },
	{ "10.0.0.0/8", { AF_INET, "10.255.255.255" }, true },
	{ "10.0.0.0/8", { AF_INET, "11.0.0.0" }, false },
	{ "10.0.0.0/8", { AF_INET, "9.255.255.255" }, false },
	{ "10.0.0.0/8", { AF_INET6, "::ffff:10.1.2.3" }, true },
	{ "10.0.0.0/8", { AF_INET6, "::10.1.2.3" }, false },
	{ "10.0.0.0/8", { AF_INET6, "a00::" }, false },
	{ "127.0.0.1", { AF_INET, "127.0.0.1" }, true },
	{ "127.0.0.1", { AF_INET, "127.0.0.2" }, false },
	{ "127.0.0.1", { AF_INET6, "::ffff:127.0.0.1" }, true },
	{ "127.0.0.1", { AF_INET6, "::1" }, false },
	{ "192.168.1.128/25", { AF_INET, "192.168.1.200" }, true },
	{ "192.168.1.128/25", { AF_INET, "192.168.1.127" }, false },
	{ "0.0.0.0/0", { AF_INET, "1.2.3.4" }, true },
	{ "0.0.0.0/0", { AF_INET6, "::ffff:1.2.3.4" }, true },
	{ "0.0.0.0/0", { AF_INET6, "::1" }, false },
	{ "::/0", { AF_INET6, "::1" }, true },
	{ "::/0", { AF_INET6, "2001:db8::1" }, true },
	{ "::/0", { AF_INET, "1.2.3.4" }, false },
	{ "::/0", { AF_INET6, "::ffff:1.2.3.4" }, false },
	{ "::1", { AF_INET6, "::1" }, true },
	{ "::1", { AF_INET6, "::2" }, false },
	{ "fe80::/10", { AF_INET6, "fe80::1" }, true },
	{ "fe80::/10", { AF_INET6, "febf:ffff::1" }, true },
	{ "fe80::/10", { AF_INET6, "fec0::1" }, false },
	{ "::ffff:10.0.0.0/104", { AF_INET, "10.9.9.9" }, true },
	{ "::ffff:10.0.0.0/104", { AF_INET6, "::ffff:10.9.9.9" }, true },
	{ "::ffff:10.0.0.0/104", { AF_INET, "11.0.0.0" }, false },
	{ "::fffe:0:0/95", { AF_INET, "1.2.3.4" }, false },
	{ "::fffe:0:0/95", { AF_INET6, "::fffe:1.2.3.4" }, true },
	{ "255.255.255.255/32", { AF_INET, "255.255.255.255" }, true },
	{ "any", { AF_INET, "1.2.3.4" }, true },
	{ "any", { AF_INET6, "2001:db8::1" }, true },
	{ "any", { AF_INET6, "::ffff:1.2.3.4" }, true },
	{ "any", { AF_UNIX, .sun = "/run/x", .sun_len = 6 }, false },
	{ "any", { AF_NETLINK, .len = 12 }, false },
	{ "any4", { AF_INET, "1.2.3.4" }, true },
	{ "any4", { AF_INET6, "::ffff:1.2.3.4" }, true },
	{ "any4", { AF_INET6, "2001:db8::1" }, false },
	{ "any6", { AF_INET6, "2001:db8::1" }, true },
	{ "any6", { AF_INET6, "::" }, true },
	{ "any6", { AF_INET, "1.2.3.4" }, false },
	{ "any6", { AF_INET6, "::ffff:1.2.3.4" }, false },
};

START_TEST(match_table)
{
	const struct match_case *c = &match_cases[_i];
	struct fg_cidr cidr;
	struct fg_endpoint ep;
	struct fg_error err = { { 0 } };
	ck_assert_msg(fg_cidr_parse(c->cidr, &cidr, &err) == 0, "%s", err.msg);
	ck_assert_msg(decode_spec(&c->ep, &ep, &err) == 0, "%s", err.msg);
	char text[FG_ENDPOINT_FORMAT_SIZE];
	fg_endpoint_format(&ep, text, sizeof(text));
	ck_assert_msg(fg_cidr_match(&cidr, &ep) == c->expected, "%s vs %s: expected %s", c->cidr,
		      text, c->expected ? "a match" : "no match");
}
END_TEST

/* Every prefix length, against addresses one bit inside and outside. */
START_TEST(match_every_prefix)
{
	for (int prefix = 1; prefix <= 128; prefix++) {
		char text[64];
		snprintf(text, sizeof(text), "8000::/%d", prefix);
		struct fg_cidr cidr;
		struct fg_error err;
		ck_assert_msg(fg_cidr_parse(text, &cidr, &err) == 0, "%s", err.msg);
		struct fg_endpoint ep = { .family = FG_EP_INET6 };
		ep.addr[0] = 0x80;
		ck_assert(fg_cidr_match(&cidr, &ep));
		/* The last bit of the prefix set: outside. */
		int bit = prefix - 1;
		if (bit > 0) {
			ep.addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
			ck_assert_msg(!fg_cidr_match(&cidr, &ep), "/%d", prefix);
			ep.addr[bit / 8] &= (uint8_t) ~(0x80 >> (bit % 8));
		}
		/* The first bit after it set: inside. */
		if (prefix < 128) {
			ep.addr[prefix / 8] |= (uint8_t)(0x80 >> (prefix % 8));
			ck_assert_msg(fg_cidr_match(&cidr, &ep), "/%d", prefix);
		}
	}
}
END_TEST

struct port_case {
	const char *text;
	int rc;
	unsigned low, high; /* or a part of the error message in `error` */
	const char *error;
};

static const struct port_case port_cases[] = {
	{ "8080", 0, 8080, 8080, NULL },
	{ "0", 0, 0, 0, NULL },
	{ "1", 0, 1, 1, NULL },
	{ "65535", 0, 65535, 65535, NULL },
	{ "1000-2000", 0, 1000, 2000, NULL },
	{ "5-5", 0, 5, 5, NULL },
	{ "0-65535", 0, 0, 65535, NULL },
	{ "*", 0, 0, 65535, NULL },
	{ "any", 0, 0, 65535, NULL },
	{ "", -1, 0, 0, "empty port" },
	{ NULL, -1, 0, 0, "empty port" },
	{ "65536", -1, 0, 0, "not a port or port range" },
	{ "99999999999999999999", -1, 0, 0, "not a port or port range" },
	{ "-1", -1, 0, 0, "not a port" },
	{ "+1", -1, 0, 0, "not a port" },
	{ "080", -1, 0, 0, "without leading zeros" },
	{ "00", -1, 0, 0, "not a port" },
	{ "1000-", -1, 0, 0, "not a port" },
	{ "-2000", -1, 0, 0, "not a port" },
	{ "2000-1000", -1, 0, 0, "port range \"2000-1000\" is reversed: write 1000-2000" },
	{ "1-2-3", -1, 0, 0, "not a port" },
	{ " 80", -1, 0, 0, "not a port" },
	{ "80 ", -1, 0, 0, "not a port" },
	{ "8o", -1, 0, 0, "not a port" },
	{ "0x50", -1, 0, 0, "not a port" },
	{ "ANY", -1, 0, 0, "not a port" },
	{ "**", -1, 0, 0, "not a port" },
	{ "1000 - 2000", -1, 0, 0, "not a port" },
	{ "1000-65536", -1, 0, 0, "not a port" },
};

START_TEST(port_table)
{
	const struct port_case *c = &port_cases[_i];
	struct fg_port_range r;
	struct fg_error err = { { 0 } };
	int rc = fg_port_range_parse(c->text, &r, &err);
	ck_assert_msg(rc == c->rc, "\"%s\": rc %d (%s)", c->text ? c->text : "(null)", rc, err.msg);
	if (rc < 0) {
		ck_assert_msg(strstr(err.msg, c->error) != NULL, "\"%s\": \"%s\" lacks \"%s\"",
			      c->text ? c->text : "(null)", err.msg, c->error);
		return;
	}
	ck_assert_uint_eq(r.low, c->low);
	ck_assert_uint_eq(r.high, c->high);
}
END_TEST

START_TEST(port_contains)
{
	struct fg_port_range r;
	struct fg_error err;
	ck_assert_int_eq(fg_port_range_parse("1000-2000", &r, &err), 0);
	ck_assert(!fg_port_range_contains(&r, 999));
	ck_assert(fg_port_range_contains(&r, 1000));
	ck_assert(fg_port_range_contains(&r, 1500));
	ck_assert(fg_port_range_contains(&r, 2000));
	ck_assert(!fg_port_range_contains(&r, 2001));
	ck_assert_int_eq(fg_port_range_parse("443", &r, &err), 0);
	ck_assert(fg_port_range_contains(&r, 443));
	ck_assert(!fg_port_range_contains(&r, 444));
	ck_assert_int_eq(fg_port_range_parse("any", &r, &err), 0);
	ck_assert(fg_port_range_contains(&r, 0));
	ck_assert(fg_port_range_contains(&r, 65535));
	ck_assert_int_eq(fg_port_range_parse("65535", &r, &err), 0);
	ck_assert(fg_port_range_contains(&r, 65535));
	ck_assert(!fg_port_range_contains(&r, 0));
}
END_TEST

static Suite *netaddr_suite(void)
{
	Suite *s = suite_create("netaddr");
	TCase *tc = tcase_create("endpoint");
	tcase_add_loop_test(tc, decode_table, 0, (int)N_ELEMENTS(decode_cases));
	tcase_add_test(tc, decode_fields);
	tcase_add_test(tc, decode_bad_buffers);
	tcase_add_test(tc, decode_random_bytes);
	tcase_add_test(tc, format_truncates);
	suite_add_tcase(s, tc);
	tc = tcase_create("cidr");
	tcase_add_loop_test(tc, cidr_table, 0, (int)N_ELEMENTS(cidr_cases));
	tcase_add_loop_test(tc, match_table, 0, (int)N_ELEMENTS(match_cases));
	tcase_add_test(tc, match_every_prefix);
	suite_add_tcase(s, tc);
	tc = tcase_create("port");
	tcase_add_loop_test(tc, port_table, 0, (int)N_ELEMENTS(port_cases));
	tcase_add_test(tc, port_contains);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(netaddr_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
