/* fuzz_netaddr.c - the address and port texts of network rules
 * (lib/netaddr.c: fg_cidr_parse, fg_cidr_format, fg_cidr_match,
 * fg_port_range_parse).
 *
 * Input: one text (up to its first NUL). Properties:
 *  - a block that parses formats to a text that parses to the same block;
 *    its host bits are zero; the prefix is in range; an IPv4 block is
 *    IPv4-mapped with a prefix of at least 96;
 *  - an IPv4 address (no ':', no '/') parses exactly when glibc's strict
 *    inet_pton accepts it, to the same bytes;
 *  - fg_cidr_match: the block's own address matches; flipping one bit inside
 *    the prefix does not, one outside still does;
 *  - a port range parses exactly when the grammar of lib/netaddr.h says so,
 *    to the same bounds; its bounds are inside it, the ports beside it not.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz_util.h"
#include "netaddr.h"

static void fail_text(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_netaddr: input \"");
	fuzz_print_bytes(stderr, text, strlen(text));
	fprintf(stderr, "\"\n");
	fuzz_fail("%s", what);
}

static bool same_cidr(const struct fg_cidr *a, const struct fg_cidr *b)
{
	return memcmp(a->addr, b->addr, 16) == 0 && a->prefix == b->prefix && a->v4 == b->v4 &&
	       a->any == b->any;
}

static struct fg_endpoint endpoint_of(const uint8_t addr[16], bool v4)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct fg_endpoint ep;
	memset(&ep, 0, sizeof(ep));
	ep.family = v4 ? FG_EP_INET : FG_EP_INET6;
	memcpy(ep.addr, addr, 16);
	ep.is_v4 = v4 || memcmp(addr, mapped, 12) == 0;
	return ep;
}

static void check_cidr(const char *text)
{
	struct fg_cidr c;
	struct fg_error err = { { 0 } };
	int rc = fg_cidr_parse(text, &c, &err);
	if (strchr(text, ':') == NULL && strchr(text, '/') == NULL &&
	    strncmp(text, "any", 3) != 0) {
		uint8_t bytes[4];
		bool glibc = inet_pton(AF_INET, text, bytes) == 1;
		if (glibc != (rc == 0))
			fail_text(glibc ? "fg_cidr_parse rejects what inet_pton accepts"
					: "fg_cidr_parse accepts what inet_pton rejects",
				  text);
		if (rc == 0 && memcmp(c.addr + 12, bytes, 4) != 0)
			fail_text("fg_cidr_parse and inet_pton read different bytes", text);
	}
	if (rc != 0) {
		if (err.msg[0] == '\0' || memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
			fail_text("fg_cidr_parse failed without a message", text);
		return;
	}
	if (c.prefix < 0 || c.prefix > 128 || (c.v4 && c.prefix < 96))
		fail_text("fg_cidr_parse: prefix out of range", text);
	char formatted[128];
	fg_cidr_format(&c, formatted, sizeof(formatted));
	struct fg_cidr again;
	if (fg_cidr_parse(formatted, &again, &err) != 0 || !same_cidr(&c, &again)) {
		fprintf(stderr, "formatted as \"%s\" (%s)\n", formatted, err.msg);
		fail_text("fg_cidr_format's text does not parse back to the same block", text);
	}
	if (c.any)
		return;
	for (int bit = 0; bit < 128; bit++) {
		uint8_t addr[16];
		memcpy(addr, c.addr, 16);
		if (bit >= c.prefix && (addr[bit / 8] >> (7 - bit % 8)) & 1)
			fail_text("fg_cidr_parse left a host bit set", text);
		struct fg_endpoint own = endpoint_of(addr, c.v4);
		if (bit == 0 && !fg_cidr_match(&c, &own))
			fail_text("a block does not match its own address", text);
		addr[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		struct fg_endpoint other = endpoint_of(addr, c.v4);
		bool inside = bit < c.prefix;
		/* An IPv4 block matches IPv4 (or IPv4-mapped) endpoints only, and
		 * an IPv6 block never matches them, even inside its prefix. */
		bool expect = !inside && other.is_v4 == c.v4;
		if (fg_cidr_match(&c, &other) != expect) {
			fprintf(stderr, "bit %d flipped\n", bit);
			fail_text(inside ? "a block matches an address outside it"
					 : "a block misses an address inside it",
				  text);
		}
	}
}

/* The grammar of lib/netaddr.h: "*", "any", N or N-N, decimal without sign
 * or leading zeros, at most 65535, low <= high. */
static long ref_port(const char *s, size_t n)
{
	if (n == 0 || n > 5 || (s[0] == '0' && n > 1))
		return -1;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? v : -1;
}

static bool ref_port_range(const char *text, long *low, long *high)
{
	if (strcmp(text, "*") == 0 || strcmp(text, "any") == 0) {
		*low = 0;
		*high = 65535;
		return true;
	}
	const char *dash = strchr(text, '-');
	size_t n = dash != NULL ? (size_t)(dash - text) : strlen(text);
	*low = ref_port(text, n);
	*high = dash != NULL ? ref_port(dash + 1, strlen(dash + 1)) : *low;
	return *low >= 0 && *high >= 0 && *low <= *high;
}

static void check_ports(const char *text)
{
	struct fg_port_range r;
	struct fg_error err = { { 0 } };
	int rc = fg_port_range_parse(text, &r, &err);
	long low, high;
	bool ref = ref_port_range(text, &low, &high);
	if ((rc == 0) != ref)
		fail_text(ref ? "fg_port_range_parse rejects a valid range"
			      : "fg_port_range_parse accepts an invalid range",
			  text);
	if (!ref)
		return;
	if (r.low != low || r.high != high)
		fail_text("fg_port_range_parse reads other bounds", text);
	if (!fg_port_range_contains(&r, r.low) || !fg_port_range_contains(&r, r.high) ||
	    (r.low > 0 && fg_port_range_contains(&r, (uint16_t)(r.low - 1))) ||
	    (r.high < 65535 && fg_port_range_contains(&r, (uint16_t)(r.high + 1))))
		fail_text("fg_port_range_contains disagrees with the bounds", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	if (text == NULL)
		return 0;
	check_cidr(text);
	check_ports(text);
	free(text);
	return 0;
}
