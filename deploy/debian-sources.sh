# shellcheck shell=bash
# Sourced by deploy/ and tests/container/ scripts: the Debian mirrors this
# system's apt already uses, so that nothing names a mirror of its own.
#
# debian_sources CODENAME  prints "URI SUITE COMPONENTS..." for each enabled
#                          binary source whose suite is CODENAME or CODENAME-*
# debian_mirror CODENAME   prints the URI that serves the suite CODENAME itself
# debian_codename          prints this system's VERSION_CODENAME

debian_codename() {
	(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
}

debian_sources() {
	local codename=$1
	{
		# One-line style: deb [options] URI SUITE COMPONENTS...
		{ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
			sed -e 's/#.*//' -e 's/\[[^]]*\]//' |
			awk '$1 == "deb" { line = $2; for (i = 3; i <= NF; i++) line = line " " $i; print line }'
		# deb822 style: paragraphs with Types, URIs, Suites, Components.
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			awk 'BEGIN { RS = ""; FS = "\n" }
			{
				types = ""; uris = ""; suites = ""; comps = ""; enabled = "yes"
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^#/) continue
					split($i, kv, ":[ \t]*")
					key = tolower(kv[1]); value = substr($i, length(kv[1]) + 2)
					sub(/^[ \t]+/, "", value)
					if (key == "types") types = value
					else if (key == "uris") uris = value
					else if (key == "suites") suites = value
					else if (key == "components") comps = value
					else if (key == "enabled") enabled = tolower(value)
				}
				if (enabled == "no" || (" " types " ") !~ / deb /) next
				n = split(uris, u, " "); m = split(suites, s, " ")
				for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print u[a], s[b], comps
			}' "$f"
		done
	} | awk -v c="$codename" '$2 == c || index($2, c "-") == 1' | sort -u
}

debian_mirror() {
	debian_sources "$1" | awk -v c="$1" '$2 == c { print $1; exit }'
}
