#include "netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The kernel accepts an AF_INET6 address without sin6_scope_id (the size in
 * RFC 2133), so a policy must too or such calls would slip past as errors. */
enum { SIN6_LEN_NO_SCOPE = offsetof(struct sockaddr_in6, sin6_scope_id) };

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static bool is_v4_mapped(const uint8_t addr[16])
{
	return memcmp(addr, v4_mapped_prefix, sizeof(v4_mapped_prefix)) == 0;
}

int fg_endpoint_decode(const void *buf, size_t len, struct fg_endpoint *out, struct fg_error *err)
{
	memset(out, 0, sizeof(*out));
	out->family = FG_EP_OTHER;
	out->raw_family = -1;
	if (buf == NULL && len > 0)
		return fg_error_set(err, "socket address: no buffer for %zu bytes", len);
	if (len < sizeof(sa_family_t))
		return fg_error_set(
		    err, "socket address of %zu bytes is too short to hold its family", len);
	/* The kernel's own limit (move_addr_to_kernel). */
	if (len > sizeof(struct sockaddr_storage))
		return fg_error_set(err,
				    "socket address of %zu bytes is longer than any (at most %zu)",
				    len, sizeof(struct sockaddr_storage));
	/* A zeroed copy: bytes beyond len read as zero, as in the kernel's. */
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, buf, len);
	out->raw_family = ss.ss_family;

	switch (ss.ss_family) {
	case AF_INET: {
		if (len < sizeof(struct sockaddr_in))
			return fg_error_set(err,
					    "AF_INET socket address of %zu bytes is too short "
					    "(needs %zu)",
					    len, sizeof(struct sockaddr_in));
		struct sockaddr_in in;
		memcpy(&in, &ss, sizeof(in));
		out->family = FG_EP_INET;
		memcpy(out->addr, v4_mapped_prefix, sizeof(v4_mapped_prefix));
		memcpy(out->addr + 12, &in.sin_addr, 4);
		out->is_v4 = true;
		out->port = ntohs(in.sin_port);
		return 0;
	}
	case AF_INET6: {
		if (len < SIN6_LEN_NO_SCOPE)
			return fg_error_set(err,
					    "AF_INET6 socket address of %zu bytes is too short "
					    "(needs %d)",
					    len, (int)SIN6_LEN_NO_SCOPE);
		struct sockaddr_in6 in6;
		memcpy(&in6, &ss, sizeof(in6));
		out->family = FG_EP_INET6;
		memcpy(out->addr, &in6.sin6_addr, 16);
		out->is_v4 = is_v4_mapped(out->addr);
		out->port = ntohs(in6.sin6_port);
		/* The kernel reads sin6_scope_id only when len holds all of it
		 * (tcp_v6_connect, __inet6_bind, udpv6_sendmsg): the bytes of a
		 * partial one are ignored, so they must not show here either. */
		out->scope_id = len >= sizeof(struct sockaddr_in6) ? in6.sin6_scope_id : 0;
		return 0;
	}
	case AF_UNIX: {
		if (len > sizeof(struct sockaddr_un))
			return fg_error_set(err,
					    "AF_UNIX socket address of %zu bytes is longer than "
					    "struct sockaddr_un (%zu)",
					    len, sizeof(struct sockaddr_un));
		struct sockaddr_un un;
		memcpy(&un, &ss, sizeof(un));
		size_t n = len - offsetof(struct sockaddr_un, sun_path);
		out->family = FG_EP_UNIX;
		if (n == 0) {
			out->unix_unnamed = true;
		} else if (un.sun_path[0] == '\0') {
			/* Abstract: the name is every byte after the NUL, NULs
			 * included; its length comes from len alone. */
			out->unix_abstract = true;
			out->unix_path_len = n - 1;
			memcpy(out->unix_path, un.sun_path + 1, n - 1);
		} else {
			/* A path need not be NUL-terminated within len: the
			 * kernel ends it at len. */
			out->unix_path_len = strnlen(un.sun_path, n);
			memcpy(out->unix_path, un.sun_path, out->unix_path_len);
		}
		out->unix_path[out->unix_path_len] = '\0';
		return 0;
	}
	default:
		return 0;
	}
}

/* Appends to a buffer that may be too small: the text is cut, always
 * terminated, and never overflows. */
struct text_out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct text_out *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (o->len + 1 >= o->size)
			return;
		o->buf[o->len++] = *s;
		o->buf[o->len] = '\0';
	}
}

static void put_name(struct text_out *o, const char *name, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		char one[5];
		if (c < 0x20 || c == 0x7f || c == '\\')
			snprintf(one, sizeof(one), "\\x%02x", c);
		else
			snprintf(one, sizeof(one), "%c", c);
		put(o, one);
	}
}

/* The address alone: "10.0.0.1" for IPv4 endpoints, IPv6 text otherwise. */
static void format_address(const uint8_t addr[16], bool as_v4, char *buf, size_t size)
{
	if (as_v4)
		inet_ntop(AF_INET, addr + 12, buf, (socklen_t)size);
	else
		inet_ntop(AF_INET6, addr, buf, (socklen_t)size);
}

void fg_endpoint_format(const struct fg_endpoint *ep, char *buf, size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	struct text_out o = { buf, size, 0 };
	char addr[INET6_ADDRSTRLEN];
	char tail[32];
	switch (ep->family) {
	case FG_EP_INET:
		format_address(ep->addr, true, addr, sizeof(addr));
		put(&o, addr);
		snprintf(tail, sizeof(tail), ":%u", ep->port);
		put(&o, tail);
		return;
	case FG_EP_INET6:
		format_address(ep->addr, false, addr, sizeof(addr));
		put(&o, "[");
		put(&o, addr);
		if (ep->scope_id != 0) {
			snprintf(tail, sizeof(tail), "%%%u", (unsigned)ep->scope_id);
			put(&o, tail);
		}
		snprintf(tail, sizeof(tail), "]:%u", ep->port);
		put(&o, tail);
		return;
	case FG_EP_UNIX:
		if (ep->unix_unnamed) {
			put(&o, "unix-unnamed");
			return;
		}
		put(&o, ep->unix_abstract ? "unix-abstract:@" : "unix:");
		put_name(&o, ep->unix_path,
			 ep->unix_path_len < sizeof(ep->unix_path) ? ep->unix_path_len
								   : sizeof(ep->unix_path) - 1);
		return;
	case FG_EP_OTHER:
	default:
		snprintf(tail, sizeof(tail), "family:%d", ep->raw_family);
		put(&o, tail);
		return;
	}
}

/* Longest text worth looking at: an IPv6 address with an IPv4 tail and a
 * prefix is 45 + 4 bytes. */
enum { CIDR_TEXT_MAX = 64 };

/* Dotted quad, strictly: four decimal octets, no leading zeros (inet_aton
 * and many tools read 010 as octal 8), nothing else. */
static int parse_ipv4(const char *text, const char *whole, uint8_t out[4], struct fg_error *err)
{
	const char *s = text;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (*s != '.')
				goto bad;
			s++;
		}
		const char *start = s;
		unsigned value = 0;
		while (*s >= '0' && *s <= '9' && s - start < 4)
			value = value * 10 + (unsigned)(*s++ - '0');
		size_t digits = (size_t)(s - start);
		if (digits == 0 || digits > 3 || value > 255)
			goto bad;
		if (digits > 1 && *start == '0')
			return fg_error_set(err,
					    "\"%s\": the octet %.*s has a leading zero, which some "
					    "tools read as octal; write %u",
					    whole, (int)digits, start, value);
	}
	if (*s != '\0')
		goto bad;
	/* Checked above; inet_pton does the conversion. */
	if (inet_pton(AF_INET, text, out) != 1)
		goto bad;
	return 0;
bad:
	return fg_error_set(err,
			    "\"%s\" is not an IPv4 address (expected four numbers from 0 to 255 "
			    "such as 10.0.0.0)",
			    whole);
}

/* A decimal number without sign, spaces or leading zeros; -1 if not. */
static long parse_decimal(const char *s, long max)
{
	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	long value = 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		value = value * 10 + (*s - '0');
		if (value > max)
			return -1;
	}
	return value;
}

static void apply_prefix(uint8_t addr[16], int prefix)
{
	for (int i = 0; i < 16; i++) {
		int bits = prefix - i * 8;
		if (bits >= 8)
			continue;
		addr[i] &= bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
}

void fg_cidr_format(const struct fg_cidr *c, char *buf, size_t size)
{
	if (size == 0)
		return;
	if (c->any) {
		snprintf(buf, size, "any");
		return;
	}
	char addr[INET6_ADDRSTRLEN];
	format_address(c->addr, c->v4, addr, sizeof(addr));
	snprintf(buf, size, "%s/%d", addr, c->v4 ? c->prefix - 96 : c->prefix);
}

int fg_cidr_parse(const char *text, struct fg_cidr *out, struct fg_error *err)
{
	memset(out, 0, sizeof(*out));
	if (text == NULL || text[0] == '\0')
		return fg_error_set(err, "empty address: expected an address or block such as "
					 "10.0.0.0/8 or ::1, or any, any4 or any6");
	if (strcmp(text, "any") == 0) {
		out->any = true;
		return 0;
	}
	if (strcmp(text, "any4") == 0) {
		memcpy(out->addr, v4_mapped_prefix, sizeof(v4_mapped_prefix));
		out->prefix = 96;
		out->v4 = true;
		return 0;
	}
	if (strcmp(text, "any6") == 0)
		return 0;
	size_t len = strlen(text);
	if (len >= CIDR_TEXT_MAX)
		return fg_error_set(err, "\"%.*s...\" is too long for an address", CIDR_TEXT_MAX,
				    text);
	char addr_text[CIDR_TEXT_MAX];
	memcpy(addr_text, text, len + 1);
	char *slash = strchr(addr_text, '/');
	if (slash != NULL)
		*slash = '\0';

	bool v6 = strchr(addr_text, ':') != NULL;
	if (v6) {
		if (strchr(addr_text, '%') != NULL)
			return fg_error_set(err,
					    "\"%s\": zone indexes (%%...) are not supported in "
					    "address rules",
					    text);
		if (inet_pton(AF_INET6, addr_text, out->addr) != 1)
			return fg_error_set(err,
					    "\"%s\" is not an IPv6 address (expected a form such "
					    "as fe80::/10 or ::1)",
					    text);
	} else {
		memcpy(out->addr, v4_mapped_prefix, sizeof(v4_mapped_prefix));
		if (parse_ipv4(addr_text, text, out->addr + 12, err) < 0)
			return -1;
	}

	int max = v6 ? 128 : 32;
	int prefix = max;
	if (slash != NULL) {
		const char *digits = slash + 1;
		if (digits[0] == '\0')
			return fg_error_set(err, "\"%s\": missing prefix length after '/'", text);
		long value = parse_decimal(digits, 999);
		if (value < 0)
			return fg_error_set(err,
					    "\"%s\": the prefix length must be a number from 0 "
					    "to %d without leading zeros",
					    text, max);
		if (value > max)
			return fg_error_set(err,
					    "\"%s\": prefix length /%ld is out of range for %s "
					    "(0 to %d)",
					    text, value, v6 ? "IPv6" : "IPv4", max);
		prefix = (int)value;
	}
	out->prefix = v6 ? prefix : prefix + 96;
	out->v4 = !v6 || (out->prefix >= 96 && is_v4_mapped(out->addr));

	uint8_t masked[16];
	memcpy(masked, out->addr, sizeof(masked));
	apply_prefix(masked, out->prefix);
	if (memcmp(masked, out->addr, sizeof(masked)) != 0) {
		/* Most likely a typo for the block or a host meant as a /32:
		 * refuse rather than guess which. */
		char addr[INET6_ADDRSTRLEN];
		format_address(masked, !v6, addr, sizeof(addr));
		return fg_error_set(err, "%s has host bits set; did you mean %s/%d?", text, addr,
				    prefix);
	}
	return 0;
}

bool fg_cidr_match(const struct fg_cidr *c, const struct fg_endpoint *ep)
{
	if (ep->family != FG_EP_INET && ep->family != FG_EP_INET6)
		return false;
	if (c->any)
		return true;
	if (c->v4 != ep->is_v4)
		return false;
	int full = c->prefix / 8;
	int bits = c->prefix % 8;
	if (memcmp(c->addr, ep->addr, (size_t)full) != 0)
		return false;
	if (bits == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - bits));
	return (c->addr[full] & mask) == (ep->addr[full] & mask);
}

int fg_port_range_parse(const char *text, struct fg_port_range *out, struct fg_error *err)
{
	out->low = 0;
	out->high = 0;
	if (text == NULL || text[0] == '\0')
		return fg_error_set(err, "empty port: expected a port such as 443, a range such "
					 "as 1000-2000, or any");
	if (strcmp(text, "*") == 0 || strcmp(text, "any") == 0) {
		out->high = 65535;
		return 0;
	}
	/* "65535-65535" is the longest valid text. */
	char copy[16];
	size_t len = strlen(text);
	if (len >= sizeof(copy))
		return fg_error_set(err, "\"%.16s...\" is not a port or port range", text);
	memcpy(copy, text, len + 1);
	char *dash = strchr(copy, '-');
	if (dash != NULL)
		*dash = '\0';
	long low = parse_decimal(copy, 65535);
	long high = dash != NULL ? parse_decimal(dash + 1, 65535) : low;
	if (low < 0 || high < 0)
		return fg_error_set(err,
				    "\"%s\" is not a port or port range: expected numbers from 0 "
				    "to 65535 without leading zeros, as in 443 or 1000-2000",
				    text);
	if (low > high)
		return fg_error_set(err, "port range \"%s\" is reversed: write %ld-%ld", text, high,
				    low);
	out->low = (uint16_t)low;
	out->high = (uint16_t)high;
	return 0;
}

bool fg_port_range_contains(const struct fg_port_range *r, uint16_t port)
{
	return port >= r->low && port <= r->high;
}
