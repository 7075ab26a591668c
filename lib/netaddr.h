/* netaddr.h - socket addresses, CIDR blocks and port ranges for network rules.
 *
 * One address form for both IP families: IPv4 addresses are kept as
 * IPv4-mapped IPv6 (::ffff:a.b.c.d), because a connect() on an AF_INET6
 * socket to ::ffff:10.0.0.1 reaches the IPv4 host 10.0.0.1. An IPv4 rule
 * must therefore catch both spellings, and an IPv6 rule neither.
 */
#ifndef FG_NETADDR_H
#define FG_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fg_error.h"

enum fg_endpoint_family { FG_EP_INET, FG_EP_INET6, FG_EP_UNIX, FG_EP_OTHER };

/* A decoded struct sockaddr, as a traced program passed it. */
struct fg_endpoint {
	enum fg_endpoint_family family;
	int raw_family;	     /* AF_* as given; -1 when len cannot hold one */
	uint8_t addr[16];    /* IPv6 form; IPv4 stored as IPv4-mapped ::ffff:a.b.c.d */
	bool is_v4;	     /* the address is IPv4 or IPv4-mapped IPv6 */
	uint16_t port;	     /* host order */
	uint32_t scope_id;   /* AF_INET6 only: sin6_scope_id, 0 when the caller left it out */
	bool unix_abstract;  /* abstract unix socket (leading NUL) */
	bool unix_unnamed;   /* autobind / unnamed (addrlen == sizeof(sa_family_t)) */
	char unix_path[109]; /* NUL-terminated; for abstract: the name without the leading
			      * NUL, which may itself contain NULs: see unix_path_len */
	size_t unix_path_len;
};

/* Room fg_endpoint_format needs for any endpoint: an abstract name of 107
 * bytes, each shown as \xNN, after "unix-abstract:@". */
enum { FG_ENDPOINT_FORMAT_SIZE = 448 };

/* Decodes `len` bytes at `buf` the way the kernel reads a sockaddr passed
 * to connect, bind or sendto. Any bytes and any length are safe: -1 with a
 * message when the length is out of range for the family or above
 * sizeof(struct sockaddr_storage). Unknown families decode as FG_EP_OTHER
 * (not an error: the policy decides). An AF_UNIX path ends at its first
 * NUL or at len; an abstract name is all of len. */
int fg_endpoint_decode(const void *buf, size_t len, struct fg_endpoint *out, struct fg_error *err);

/* "127.0.0.1:8080", "[::1]:443", "[::ffff:10.0.0.1]:80", "[fe80::1%2]:22",
 * "unix:/run/x.sock", "unix-abstract:@name", "unix-unnamed", "family:16".
 * Bytes below 0x20, 0x7f and '\' in unix names are shown as \xNN, so the
 * text is unambiguous and has no NUL. Truncates to fit `size`. */
void fg_endpoint_format(const struct fg_endpoint *ep, char *buf, size_t size);

struct fg_cidr {
	uint8_t addr[16]; /* IPv6 form, host bits zero; IPv4 as ::ffff:a.b.c.d */
	int prefix;	  /* 0..128 in IPv6 terms: IPv4 10.0.0.0/8 has 104 */
	bool v4;	  /* an IPv4 block: matches IPv4 and IPv4-mapped endpoints only */
	bool any;	  /* "any": every IPv4 and IPv6 endpoint */
};

/* Parses "10.0.0.0/8", "127.0.0.1" (a /32), "::1" (a /128), "fe80::/10",
 * "::ffff:10.0.0.0/104" (the same as 10.0.0.0/8), "any", "any4" (every
 * IPv4 address) or "any6" (every IPv6 address that is not IPv4-mapped).
 * Rejects host bits beyond the prefix, out-of-range prefixes, octets with
 * leading zeros (read as octal by some tools), zone indexes, spaces. */
int fg_cidr_parse(const char *text, struct fg_cidr *out, struct fg_error *err);

/* Only AF_INET and AF_INET6 endpoints can match. An IPv6 block never
 * matches an IPv4 endpoint, even one whose mapped form falls inside it
 * (::/0 is every IPv6 address, not every address): IPv4 destinations are
 * matched by IPv4 blocks (or IPv6 blocks within ::ffff:0:0/96) and "any". */
bool fg_cidr_match(const struct fg_cidr *c, const struct fg_endpoint *ep);

/* Writes the block back as text: "10.0.0.0/8", "fe80::/10", "any". */
void fg_cidr_format(const struct fg_cidr *c, char *buf, size_t size);

struct fg_port_range {
	uint16_t low, high;
};

/* "8080", "1000-2000" (inclusive), "*" or "any" (0-65535). Rejects signs,
 * spaces, leading zeros, values above 65535 and reversed ranges. */
int fg_port_range_parse(const char *text, struct fg_port_range *out, struct fg_error *err);

bool fg_port_range_contains(const struct fg_port_range *r, uint16_t port);

#endif
