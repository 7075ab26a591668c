#!/usr/bin/env python3
"""Checks deploy/k8s/ beyond the schema: the ConfigMap holds exactly
policy/hapi-fhir.json, and the Deployment keeps the settings fhirguard and
the issue require. Needs PyYAML (the venv of validate-k8s.sh has it).
Prints one line per check and a summary; exit status 1 on any failure."""
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
results = []


def check(what, ok):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + what)


def load(name):
    docs = [d for d in yaml.safe_load_all((K8S / name).read_text(encoding="utf-8")) if d]
    assert len(docs) == 1, f"{name}: expected one document"
    return docs[0]


def main():
    policy_text = (ROOT / "policy" / "hapi-fhir.json").read_text(encoding="utf-8")
    configmap = load("policy-configmap.yaml")
    deployment = load("deployment.yaml")
    service = load("service.yaml")
    kustomization = load("kustomization.yaml")

    check("ConfigMap data equals policy/hapi-fhir.json byte for byte",
          configmap["data"].get("hapi-fhir.json") == policy_text)

    manifests = sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    check("kustomization lists every manifest", sorted(kustomization["resources"]) == manifests)

    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    pod_sc = pod.get("securityContext", {})
    sc = container.get("securityContext", {})
    check("runAsNonRoot with a numeric user", pod_sc.get("runAsNonRoot") is True
          and isinstance(pod_sc.get("runAsUser"), int) and pod_sc["runAsUser"] > 0)
    check("seccompProfile RuntimeDefault",
          pod_sc.get("seccompProfile", {}).get("type") == "RuntimeDefault")
    check("allowPrivilegeEscalation false", sc.get("allowPrivilegeEscalation") is False)
    check("capabilities drop ALL, add none",
          sc.get("capabilities", {}).get("drop") == ["ALL"]
          and not sc.get("capabilities", {}).get("add"))
    check("readOnlyRootFilesystem", sc.get("readOnlyRootFilesystem") is True)
    check("fhirguard is PID 1 (no shareProcessNamespace)",
          not pod.get("shareProcessNamespace", False))

    command = container["command"]
    check("command starts fhirguard with the policy and ends with --",
          command[:3] == ["/usr/local/bin/fhirguard", "--policy", "/etc/fhirguard/hapi-fhir.json"]
          and command[-1] == "--")
    check("-e 143 (the JVM's SIGTERM exit reported as 0)",
          any(command[i] in ("-e", "--remap-exit") and command[i + 1] == "143"
              for i in range(len(command) - 1)))
    grace = next((int(command[i + 1]) for i in range(len(command) - 1)
                  if command[i] == "--grace"), 5)
    period = pod.get("terminationGracePeriodSeconds", 30)
    # Jetty's stop timeout is 5 s; fhirguard then waits --grace before SIGKILL.
    check(f"--grace {grace} s + Jetty's 5 s stop fit in terminationGracePeriodSeconds {period}",
          5 + grace < period)
    check("args run the jar", container.get("args", [])[-2:] == ["-jar", "/app/fhir-server.jar"])

    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    check("policy mounted read-only from the ConfigMap at /etc/fhirguard",
          mounts.get("policy", {}).get("mountPath") == "/etc/fhirguard"
          and mounts["policy"].get("readOnly") is True
          and volumes.get("policy", {}).get("configMap", {}).get("name")
          == configmap["metadata"]["name"])
    check("writable data volume at /var/lib/fhir (policy rule fhir-data)",
          mounts.get("data", {}).get("mountPath") == "/var/lib/fhir"
          and not mounts["data"].get("readOnly"))
    check("writable tmp volume at /tmp", mounts.get("tmp", {}).get("mountPath") == "/tmp"
          and "emptyDir" in volumes.get("tmp", {}))

    probes = [container.get(p, {}) for p in ("readinessProbe", "livenessProbe")]
    check("readiness and liveness probes on /fhir/metadata",
          all(p.get("httpGet", {}).get("path") == "/fhir/metadata" for p in probes))
    limits = container.get("resources", {}).get("limits", {})
    check("resource limits (cpu, memory)", "cpu" in limits and "memory" in limits)
    check("container port 8080 (the policy's service-port rule)",
          [p["containerPort"] for p in container["ports"]] == [8080])
    check("Service selects the Deployment's pods",
          service["spec"]["selector"].items()
          <= deployment["spec"]["template"]["metadata"]["labels"].items())

    failures = len(results) - sum(results)
    print(f"k8s: {failures} of {len(results)} checks failed" if failures
          else f"k8s: all {len(results)} checks passed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
