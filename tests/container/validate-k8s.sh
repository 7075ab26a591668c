#!/usr/bin/env bash
# Validates deploy/k8s/ offline: kubernetes-validate (PyPI; it ships the
# Kubernetes JSON schemas) in strict mode against the oldest and newest
# Kubernetes versions it knows, a broken manifest that must be rejected (so a
# validator that accepts anything cannot pass), the ConfigMap generator's
# --check, and tests/container/check_k8s.py (policy equality, hardening).
# Usage: tests/container/validate-k8s.sh      (venv: FG_K8S_VENV, default
#        /tmp/fhirguard-k8s-venv, made on first use with pip)
# Ends with "k8s-validate: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${FG_K8S_VENV:-/tmp/fhirguard-k8s-venv}
validator_version=1.37.0

# shellcheck source=tests/container/check.sh
source tests/container/check.sh

if ! "$venv/bin/kubernetes-validate" --version 2>/dev/null | grep -q "$validator_version"; then
	echo "k8s-validate: installing kubernetes-validate $validator_version into $venv"
	if ! python3 -c 'import ensurepip' 2>/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			python3-venv >/dev/null
	fi
	rm -rf "$venv"
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q "kubernetes-validate==$validator_version"
fi
validate=("$venv/bin/kubernetes-validate" --strict --quiet)
manifests=(deploy/k8s/policy-configmap.yaml deploy/k8s/pvc.yaml deploy/k8s/deployment.yaml
	deploy/k8s/service.yaml)
# The oldest and the newest schema set the validator ships.
schemas=$(find "$("$venv/bin/python" -c 'import kubernetes_validate, os; print(os.path.dirname(kubernetes_validate.__file__))')/kubernetes-json-schema" \
	-maxdepth 1 -name 'v*-local-strict' -printf '%f\n' | sed 's/^v//; s/-local-strict$//' | sort -V)
oldest=$(head -1 <<<"$schemas")
newest=$(tail -1 <<<"$schemas")
for version in $oldest $newest; do
	for m in "${manifests[@]}"; do
		check "$m valid for Kubernetes $version (strict)" \
			"${validate[@]}" -k "$version" "$m"
	done
done

broken=$(mktemp /tmp/fhirguard-k8s-broken.XXXXXX.yaml)
trap 'rm -f "$broken"' EXIT
# A typo in a field name and a string where a boolean belongs.
sed -e 's/readOnlyRootFilesystem: true/readOnlyRootFileSystem: true/' \
	-e 's/runAsNonRoot: true/runAsNonRoot: "yes"/' deploy/k8s/deployment.yaml >"$broken"
check "a broken Deployment is rejected" \
	bash -c '! "$@" >/dev/null 2>&1' _ "${validate[@]}" -k "$newest" "$broken"

check "ConfigMap generated from the current policy" python3 deploy/k8s/gen-configmap.py --check
check "policy equality and hardening (check_k8s.py)" "$venv/bin/python" tests/container/check_k8s.py

echo "k8s-validate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
