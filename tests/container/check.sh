# shellcheck shell=bash
# check.sh - sourced by the container and deploy test scripts: one pass or
# fail line per check, counted in `passed` and `failed`.
passed=0
failed=0

check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok   $what"
	else
		failed=$((failed + 1))
		echo "FAIL $what"
	fi
}
