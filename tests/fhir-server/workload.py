#!/usr/bin/env python3
"""Deterministic, self-checking FHIR R4 workload for the fhirguard fhir-server fixture.

    workload.py --base http://127.0.0.1:8080/fhir --requests 1000 [--seed 1] [--workers 1]

Drives at least --requests HTTP requests: create / read / vread / update / delete / search of
Patient, Observation, Encounter and Condition, plus batch and transaction Bundles (with
urn:uuid: references, conditional create and a transaction that must roll back). Every response
is checked (status code and content) against a client-side model. The last line printed is

    workload: N passed, M failed

(one unit per HTTP request) and the exit status is 1 if anything failed, 2 on bad usage.

Python 3 standard library only. The sequence of operations is fixed by --seed; the names and
identifiers carry a per-run tag (--tag, default random) so that runs against a data directory
that already holds data from earlier runs do not see each other's resources.
"""

import argparse
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

FHIR_JSON = "application/fhir+json"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
OBS_CODES = [
    ("8867-4", "Heart rate"),
    ("8310-5", "Body temperature"),
    ("29463-7", "Body weight"),
    ("8302-2", "Body height"),
    ("85354-9", "Blood pressure panel"),
    ("2339-0", "Glucose"),
]
COND_CODES = [
    ("44054006", "Diabetes mellitus type 2"),
    ("38341003", "Hypertensive disorder"),
    ("195967001", "Asthma"),
    ("35489007", "Depressive disorder"),
]
GIVEN_NAMES = ["Ann", "Bob", "Chloe", "Dmitri", "Eve", "Farah", "Gus", "Hana", "Ivo", "Jun"]
MAX_FAILURE_LINES = 40


class Req:
    """One HTTP request/response and the result of the checks made on it."""

    __slots__ = ("label", "method", "url", "status", "headers", "body", "errors")

    def __init__(self, label, method, url):
        self.label = label
        self.method = method
        self.url = url
        self.status = 0
        self.headers = {}
        self.body = None
        self.errors = []

    def check(self, cond, msg):
        if not cond:
            self.errors.append(msg)
        return cond

    @property
    def ok(self):
        return not self.errors


class Worker:
    def __init__(self, base, quota, seed, tag, timeout):
        self.base = base.rstrip("/")
        self.quota = quota
        self.rng = random.Random(seed)
        self.tag = tag
        self.timeout = timeout
        self.id_system = "urn:fhirguard:workload:%s:mrn" % tag
        self.code_system = "urn:fhirguard:workload:%s:code" % tag
        self.results = []
        self.serial = 0
        self.consecutive_conn_errors = 0
        self.aborted = None
        # client-side model of what this worker created
        self.patients = {}  # id -> dict(family, given, mrn, version, gender)
        self.observations = {}  # id -> dict(subject, code, status, version, value)
        self.encounters = {}  # id -> dict(subject, status, version)
        self.conditions = {}  # id -> dict(subject, code, version)
        self.deleted = []  # (type, id)
        self.op_counts = {}

    # ------------------------------------------------------------------ HTTP

    def http(self, label, method, path, body=None, expect=(200,), headers=None):
        url = path if path.startswith("http") else "%s/%s" % (self.base, path)
        r = Req(label, method, url)
        data = None
        hdrs = {"Accept": FHIR_JSON}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = FHIR_JSON + "; charset=utf-8"
        if headers:
            hdrs.update(headers)
        request = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        raw = b""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                r.status = resp.status
                r.headers = {k.lower(): v for k, v in resp.headers.items()}
                raw = resp.read()
            self.consecutive_conn_errors = 0
        except urllib.error.HTTPError as e:
            r.status = e.code
            r.headers = {k.lower(): v for k, v in e.headers.items()}
            raw = e.read()
            self.consecutive_conn_errors = 0
        except Exception as e:  # connection refused, reset, timeout ...
            r.errors.append("transport error: %s: %s" % (type(e).__name__, e))
            self.consecutive_conn_errors += 1
            if self.consecutive_conn_errors >= 20:
                self.aborted = "20 consecutive transport errors, last: %s" % e
        if raw:
            try:
                r.body = json.loads(raw.decode("utf-8"))
            except ValueError:
                r.errors.append("response is not JSON: %r" % raw[:200])
        if not r.errors:
            if r.check(r.status in expect, "status %s, expected %s" % (r.status, expect)):
                pass
            elif isinstance(r.body, dict) and r.body.get("resourceType") == "OperationOutcome":
                diags = [i.get("diagnostics", "") for i in r.body.get("issue", [])]
                r.errors.append("OperationOutcome: %s" % "; ".join(diags)[:300])
        self.results.append(r)
        return r

    @property
    def done(self):
        return len(self.results) >= self.quota or self.aborted is not None

    # ------------------------------------------------------------------ helpers

    def next_serial(self):
        self.serial += 1
        return self.serial

    def new_patient_body(self):
        n = self.next_serial()
        family = "%s-fam-%06d" % (self.tag, n)
        given = "%s%sgiv%06d" % (self.rng.choice(GIVEN_NAMES), self.tag, n)
        mrn = "MRN-%06d" % n
        gender = self.rng.choice(["male", "female", "other", "unknown"])
        body = {
            "resourceType": "Patient",
            "identifier": [{"system": self.id_system, "value": mrn}],
            "name": [{"use": "official", "family": family, "given": [given]}],
            "gender": gender,
            "birthDate": "19%02d-%02d-%02d"
            % (self.rng.randint(30, 99), self.rng.randint(1, 12), self.rng.randint(1, 28)),
        }
        model = {"family": family, "given": given, "mrn": mrn, "gender": gender, "version": 1}
        return body, model

    def patient_matches(self, res, model, r, what):
        r.check(res.get("resourceType") == "Patient", "%s: not a Patient" % what)
        names = res.get("name") or [{}]
        r.check(names[0].get("family") == model["family"],
                "%s: family %r != %r" % (what, names[0].get("family"), model["family"]))
        r.check((names[0].get("given") or [None])[0] == model["given"],
                "%s: given mismatch" % what)
        ids = res.get("identifier") or [{}]
        r.check(ids[0].get("value") == model["mrn"] and ids[0].get("system") == self.id_system,
                "%s: identifier mismatch" % what)
        r.check(res.get("gender") == model["gender"], "%s: gender mismatch" % what)
        r.check(str(res.get("meta", {}).get("versionId")) == str(model["version"]),
                "%s: versionId %r != %r" % (what, res.get("meta", {}).get("versionId"),
                                            model["version"]))
        r.check(bool(res.get("meta", {}).get("lastUpdated")), "%s: no meta.lastUpdated" % what)

    def new_observation_body(self, pid):
        code, display = self.rng.choice(OBS_CODES)
        value = round(self.rng.uniform(10, 200), 1)
        body = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [
                {"system": LOINC, "code": code, "display": display},
                {"system": self.code_system, "code": code},
            ]},
            "subject": {"reference": "Patient/%s" % pid},
            "effectiveDateTime": "2026-%02d-%02dT10:00:00Z"
            % (self.rng.randint(1, 11), self.rng.randint(1, 28)),
            "valueQuantity": {"value": value, "unit": "1", "system": "http://unitsofmeasure.org",
                              "code": "1"},
        }
        model = {"subject": pid, "code": code, "status": "final", "version": 1, "value": value}
        return body, model

    def observation_matches(self, res, model, r, what):
        r.check(res.get("resourceType") == "Observation", "%s: not an Observation" % what)
        r.check(res.get("subject", {}).get("reference") == "Patient/%s" % model["subject"],
                "%s: subject %r != Patient/%s" % (what, res.get("subject"), model["subject"]))
        codes = [c.get("code") for c in res.get("code", {}).get("coding", [])]
        r.check(model["code"] in codes, "%s: code mismatch" % what)
        r.check(res.get("status") == model["status"], "%s: status mismatch" % what)
        r.check(res.get("valueQuantity", {}).get("value") == model["value"],
                "%s: value mismatch" % what)
        r.check(str(res.get("meta", {}).get("versionId")) == str(model["version"]),
                "%s: versionId mismatch" % what)

    def new_encounter_body(self, pid):
        status = self.rng.choice(["planned", "in-progress", "finished"])
        body = {
            "resourceType": "Encounter",
            "status": status,
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                      "code": "AMB"},
            "subject": {"reference": "Patient/%s" % pid},
        }
        return body, {"subject": pid, "status": status, "version": 1}

    def new_condition_body(self, pid):
        code, display = self.rng.choice(COND_CODES)
        body = {
            "resourceType": "Condition",
            "clinicalStatus": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                "code": "active"}]},
            "code": {"coding": [{"system": SNOMED, "code": code, "display": display},
                                {"system": self.code_system, "code": code}]},
            "subject": {"reference": "Patient/%s" % pid},
        }
        return body, {"subject": pid, "code": code, "version": 1}

    def location_id(self, r, rtype):
        """Id from the Location header (.../Type/ID/_history/V), or from the body."""
        loc = r.headers.get("location") or r.headers.get("content-location") or ""
        parts = loc.split("/")
        if rtype in parts:
            i = parts.index(rtype)
            if i + 1 < len(parts):
                return parts[i + 1]
        if isinstance(r.body, dict) and r.body.get("resourceType") == rtype:
            return r.body.get("id")
        r.check(False, "no %s id in Location %r" % (rtype, loc))
        return None

    def pick(self, d):
        return self.rng.choice(sorted(d, key=lambda k: (len(k), k))) if d else None

    def search_all(self, label, path):
        """Runs a search, follows 'next' links; returns (set of ids, list of resources, reqs)."""
        ids, resources, reqs = set(), [], []
        url = path
        pages = 0
        while url and not self.aborted:
            r = self.http(label, "GET", url)
            reqs.append(r)
            pages += 1
            if not r.ok or not isinstance(r.body, dict):
                break
            if not r.check(r.body.get("resourceType") == "Bundle"
                           and r.body.get("type") == "searchset", "not a searchset Bundle"):
                break
            for e in r.body.get("entry", []):
                res = e.get("resource", {})
                if e.get("search", {}).get("mode", "match") != "match":
                    continue
                r.check(res.get("id") not in ids, "duplicate id %s across pages" % res.get("id"))
                ids.add(res.get("id"))
                resources.append(res)
            url = None
            for link in r.body.get("link", []):
                if link.get("relation") == "next":
                    url = link.get("url")
            if pages > 50:
                r.check(False, "more than 50 result pages")
                break
        return ids, resources, reqs

    def expect_ids(self, reqs, got, want, what):
        if reqs and reqs[-1].ok:
            last = reqs[-1]
            missing = sorted(set(want) - got)
            extra = sorted(got - set(want))
            last.check(not missing and not extra,
                       "%s: missing %s extra %s" % (what, missing[:5], extra[:5]))
            total = last.body.get("total") if isinstance(last.body, dict) else None
            if total is not None and len(reqs) == 1:
                last.check(total == len(got), "%s: total %s != %d entries" % (what, total,
                                                                             len(got)))

    # ------------------------------------------------------------------ operations

    def op_metadata(self):
        r = self.http("metadata", "GET", "metadata")
        if r.ok:
            r.check(r.body.get("resourceType") == "CapabilityStatement", "not a CapabilityStatement")
            r.check(r.body.get("fhirVersion") == "4.0.1", "fhirVersion %r" % r.body.get("fhirVersion"))
            types = {x.get("type") for rest in r.body.get("rest", []) for x in rest.get("resource", [])}
            r.check({"Patient", "Observation", "Encounter", "Condition"} <= types,
                    "CapabilityStatement lacks resource types: %s" % sorted(types))

    def op_create_patient(self):
        body, model = self.new_patient_body()
        r = self.http("create Patient", "POST", "Patient", body, expect=(201,))
        if r.ok:
            pid = self.location_id(r, "Patient")
            if pid:
                if isinstance(r.body, dict) and r.body.get("resourceType") == "Patient":
                    self.patient_matches(r.body, model, r, "create response")
                r.check(r.headers.get("etag", "").replace("W/", "").strip('"') == "1",
                        "ETag %r" % r.headers.get("etag"))
                self.patients[pid] = model
        return r

    def op_read_patient(self):
        pid = self.pick(self.patients)
        r = self.http("read Patient", "GET", "Patient/%s" % pid)
        if r.ok:
            self.patient_matches(r.body, self.patients[pid], r, "read")
            r.check(r.body.get("id") == pid, "id %r != %r" % (r.body.get("id"), pid))

    def op_vread_patient(self):
        pid = self.pick(self.patients)
        m = self.patients[pid]
        r = self.http("vread Patient", "GET", "Patient/%s/_history/%d" % (pid, m["version"]))
        if r.ok:
            self.patient_matches(r.body, m, r, "vread")

    def op_update_patient(self):
        pid = self.pick(self.patients)
        m = dict(self.patients[pid])
        n = self.next_serial()
        m["given"] = "%s%sgiv%06d" % (self.rng.choice(GIVEN_NAMES), self.tag, n)
        m["gender"] = self.rng.choice(["male", "female", "other", "unknown"])
        m["version"] += 1
        body = {
            "resourceType": "Patient",
            "id": pid,
            "identifier": [{"system": self.id_system, "value": m["mrn"]}],
            "name": [{"use": "official", "family": m["family"], "given": [m["given"]]}],
            "gender": m["gender"],
        }
        headers = None
        if self.rng.random() < 0.5:
            headers = {"If-Match": 'W/"%d"' % (m["version"] - 1)}
        r = self.http("update Patient", "PUT", "Patient/%s" % pid, body, expect=(200,),
                      headers=headers)
        if r.ok:
            self.patients[pid] = m
            if isinstance(r.body, dict) and r.body.get("resourceType") == "Patient":
                self.patient_matches(r.body, m, r, "update response")
            r.check(r.headers.get("etag", "").replace("W/", "").strip('"') == str(m["version"]),
                    "ETag %r, expected version %d" % (r.headers.get("etag"), m["version"]))

    def op_update_patient_conflict(self):
        pid = self.pick(self.patients)
        m = self.patients[pid]
        body = {"resourceType": "Patient", "id": pid,
                "identifier": [{"system": self.id_system, "value": m["mrn"]}],
                "name": [{"family": "should-not-be-stored"}]}
        self.http("update Patient stale If-Match", "PUT", "Patient/%s" % pid, body,
                  expect=(409, 412), headers={"If-Match": 'W/"%d"' % (m["version"] + 7)})

    def op_delete_patient(self):
        # delete a patient that has no observations/encounters/conditions of ours
        used = {o["subject"] for o in self.observations.values()}
        used |= {o["subject"] for o in self.encounters.values()}
        used |= {o["subject"] for o in self.conditions.values()}
        free = {k: v for k, v in self.patients.items() if k not in used}
        if not free:
            return self.op_create_patient()
        pid = self.pick(free)
        r = self.http("delete Patient", "DELETE", "Patient/%s" % pid, expect=(200, 204))
        if r.ok:
            del self.patients[pid]
            self.deleted.append(("Patient", pid))
            if not self.done:
                self.http("read deleted Patient", "GET", "Patient/%s" % pid, expect=(404, 410))

    def op_read_deleted(self):
        if not self.deleted:
            return self.op_read_missing()
        rtype, rid = self.rng.choice(self.deleted)
        self.http("read deleted %s" % rtype, "GET", "%s/%s" % (rtype, rid), expect=(404, 410))

    def op_read_missing(self):
        self.http("read missing Patient", "GET", "Patient/%s-nope-%d" % (self.tag,
                                                                          self.next_serial()),
                  expect=(404,))

    def op_search_patient_family(self):
        pid = self.pick(self.patients)
        m = self.patients[pid]
        ids, res, reqs = self.search_all("search Patient family",
                                         "Patient?family=%s" % urllib.parse.quote(m["family"]))
        self.expect_ids(reqs, ids, [pid], "family=%s" % m["family"])
        for x in res:
            if x.get("id") == pid and reqs[-1].ok:
                self.patient_matches(x, m, reqs[-1], "search family")

    def op_search_patient_name(self):
        pid = self.pick(self.patients)
        m = self.patients[pid]
        # name matches any part by prefix, case-insensitively: use a lower-cased given name
        ids, _, reqs = self.search_all("search Patient name",
                                       "Patient?name=%s" % urllib.parse.quote(m["given"].lower()))
        self.expect_ids(reqs, ids, [pid], "name=%s" % m["given"])

    def op_search_patient_given_exact(self):
        pid = self.pick(self.patients)
        m = self.patients[pid]
        ids, _, reqs = self.search_all(
            "search Patient given:exact",
            "Patient?given:exact=%s" % urllib.parse.quote(m["given"]))
        self.expect_ids(reqs, ids, [pid], "given:exact")

    def op_search_patient_identifier(self):
        pid = self.pick(self.patients)
        m = self.patients[pid]
        q = urllib.parse.quote("%s|%s" % (self.id_system, m["mrn"]), safe="")
        ids, res, reqs = self.search_all("search Patient identifier", "Patient?identifier=%s" % q)
        self.expect_ids(reqs, ids, [pid], "identifier=%s" % m["mrn"])

    def op_search_patient_all_of_run(self):
        # prefix search on the run tag: every live patient of this worker, paged
        q = urllib.parse.quote("%s-fam-" % self.tag)
        ids, _, reqs = self.search_all("search Patient family prefix",
                                       "Patient?family=%s&_count=20" % q)
        self.expect_ids(reqs, ids, list(self.patients), "family prefix (paged)")

    def op_create_observation(self):
        pid = self.pick(self.patients)
        body, model = self.new_observation_body(pid)
        r = self.http("create Observation", "POST", "Observation", body, expect=(201,))
        if r.ok:
            oid = self.location_id(r, "Observation")
            if oid:
                self.observations[oid] = model
                if isinstance(r.body, dict) and r.body.get("resourceType") == "Observation":
                    self.observation_matches(r.body, model, r, "create response")

    def op_read_observation(self):
        oid = self.pick(self.observations)
        r = self.http("read Observation", "GET", "Observation/%s" % oid)
        if r.ok:
            self.observation_matches(r.body, self.observations[oid], r, "read")

    def op_update_observation(self):
        oid = self.pick(self.observations)
        m = dict(self.observations[oid])
        m["status"] = self.rng.choice(["amended", "corrected", "final"])
        m["value"] = round(self.rng.uniform(10, 200), 1)
        m["version"] += 1
        body = {
            "resourceType": "Observation", "id": oid, "status": m["status"],
            "code": {"coding": [{"system": LOINC, "code": m["code"]},
                                {"system": self.code_system, "code": m["code"]}]},
            "subject": {"reference": "Patient/%s" % m["subject"]},
            "valueQuantity": {"value": m["value"], "unit": "1"},
        }
        r = self.http("update Observation", "PUT", "Observation/%s" % oid, body)
        if r.ok:
            self.observations[oid] = m
            if isinstance(r.body, dict) and r.body.get("resourceType") == "Observation":
                self.observation_matches(r.body, m, r, "update response")

    def op_delete_observation(self):
        oid = self.pick(self.observations)
        r = self.http("delete Observation", "DELETE", "Observation/%s" % oid, expect=(200, 204))
        if r.ok:
            del self.observations[oid]
            self.deleted.append(("Observation", oid))
            if not self.done:
                self.http("read deleted Observation", "GET", "Observation/%s" % oid,
                          expect=(404, 410))

    def obs_of(self, pid, code=None):
        return [k for k, v in self.observations.items()
                if v["subject"] == pid and (code is None or v["code"] == code)]

    def op_search_obs_subject(self):
        pid = self.pick({v["subject"]: 1 for v in self.observations.values()})
        form = self.rng.choice(["subject=Patient/%s", "patient=%s", "subject:Patient=%s"])
        ids, res, reqs = self.search_all("search Observation subject",
                                         "Observation?" + form % pid)
        self.expect_ids(reqs, ids, self.obs_of(pid), form % pid)
        for x in res:
            if x.get("id") in self.observations and reqs[-1].ok:
                self.observation_matches(x, self.observations[x["id"]], reqs[-1], "search")

    def op_search_obs_code(self):
        code, _ = self.rng.choice(OBS_CODES)
        q = urllib.parse.quote("%s|%s" % (self.code_system, code), safe="")
        ids, _, reqs = self.search_all("search Observation code", "Observation?code=%s" % q)
        want = [k for k, v in self.observations.items() if v["code"] == code]
        self.expect_ids(reqs, ids, want, "code=%s" % code)

    def op_search_obs_subject_code(self):
        oid = self.pick(self.observations)
        m = self.observations[oid]
        q = urllib.parse.quote("%s|%s" % (LOINC, m["code"]), safe="")
        ids, _, reqs = self.search_all(
            "search Observation subject+code",
            "Observation?subject=Patient/%s&code=%s" % (m["subject"], q))
        self.expect_ids(reqs, ids, self.obs_of(m["subject"], m["code"]), "subject+code")

    def op_create_encounter(self):
        pid = self.pick(self.patients)
        body, model = self.new_encounter_body(pid)
        r = self.http("create Encounter", "POST", "Encounter", body, expect=(201,))
        if r.ok:
            eid = self.location_id(r, "Encounter")
            if eid:
                self.encounters[eid] = model

    def op_read_encounter(self):
        eid = self.pick(self.encounters)
        m = self.encounters[eid]
        r = self.http("read Encounter", "GET", "Encounter/%s" % eid)
        if r.ok:
            r.check(r.body.get("subject", {}).get("reference") == "Patient/%s" % m["subject"],
                    "Encounter subject mismatch")
            r.check(r.body.get("status") == m["status"], "Encounter status mismatch")

    def op_search_encounter(self):
        pid = self.pick({v["subject"]: 1 for v in self.encounters.values()})
        param = self.rng.choice(["patient=%s", "subject=Patient/%s"])
        ids, _, reqs = self.search_all("search Encounter patient", "Encounter?" + param % pid)
        want = [k for k, v in self.encounters.items() if v["subject"] == pid]
        self.expect_ids(reqs, ids, want, "Encounter " + param % pid)

    def op_delete_encounter(self):
        eid = self.pick(self.encounters)
        r = self.http("delete Encounter", "DELETE", "Encounter/%s" % eid, expect=(200, 204))
        if r.ok:
            del self.encounters[eid]
            self.deleted.append(("Encounter", eid))

    def op_create_condition(self):
        pid = self.pick(self.patients)
        body, model = self.new_condition_body(pid)
        r = self.http("create Condition", "POST", "Condition", body, expect=(201,))
        if r.ok:
            cid = self.location_id(r, "Condition")
            if cid:
                self.conditions[cid] = model

    def op_search_condition(self):
        cid = self.pick(self.conditions)
        m = self.conditions[cid]
        if self.rng.random() < 0.5:
            q = "patient=%s" % m["subject"]
            want = [k for k, v in self.conditions.items() if v["subject"] == m["subject"]]
        else:
            q = "subject=Patient/%s&code=%s" % (
                m["subject"], urllib.parse.quote("%s|%s" % (SNOMED, m["code"]), safe=""))
            want = [k for k, v in self.conditions.items()
                    if v["subject"] == m["subject"] and v["code"] == m["code"]]
        ids, _, reqs = self.search_all("search Condition", "Condition?" + q)
        self.expect_ids(reqs, ids, want, "Condition " + q)

    def op_update_condition(self):
        cid = self.pick(self.conditions)
        m = dict(self.conditions[cid])
        m["version"] += 1
        body = {
            "resourceType": "Condition", "id": cid,
            "clinicalStatus": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                "code": "resolved"}]},
            "code": {"coding": [{"system": SNOMED, "code": m["code"]},
                                {"system": self.code_system, "code": m["code"]}]},
            "subject": {"reference": "Patient/%s" % m["subject"]},
        }
        r = self.http("update Condition", "PUT", "Condition/%s" % cid, body)
        if r.ok:
            self.conditions[cid] = m
            r.check(str(r.body.get("meta", {}).get("versionId")) == str(m["version"]),
                    "Condition versionId mismatch")

    # ------------------------------------------------------------------ bundles

    def op_batch(self):
        entries, expect = [], []  # expect: (kind, data)
        # 1-2 new patients
        for _ in range(self.rng.randint(1, 2)):
            body, model = self.new_patient_body()
            entries.append({"resource": body, "request": {"method": "POST", "url": "Patient"}})
            expect.append(("create-patient", model))
        # 1-2 observations on existing patients
        for _ in range(self.rng.randint(1, 2)):
            pid = self.pick(self.patients)
            body, model = self.new_observation_body(pid)
            entries.append({"resource": body, "request": {"method": "POST", "url": "Observation"}})
            expect.append(("create-obs", model))
        # read of an existing patient, and of a missing one (its own 404)
        pid = self.pick(self.patients)
        entries.append({"request": {"method": "GET", "url": "Patient/%s" % pid}})
        expect.append(("read-patient", pid))
        entries.append({"request": {"method": "GET",
                                    "url": "Patient/%s-missing-%d" % (self.tag, self.next_serial())}})
        expect.append(("missing", None))
        # a search by identifier
        spid = self.pick(self.patients)
        entries.append({"request": {"method": "GET", "url": "Patient?identifier=%s" % (
            urllib.parse.quote("%s|%s" % (self.id_system, self.patients[spid]["mrn"]), safe=""))}})
        expect.append(("search-patient", spid))
        # sometimes a delete of one of our observations
        if self.observations and self.rng.random() < 0.5:
            oid = self.pick(self.observations)
            entries.append({"request": {"method": "DELETE", "url": "Observation/%s" % oid}})
            expect.append(("delete-obs", oid))
        bundle = {"resourceType": "Bundle", "type": "batch", "entry": entries}
        r = self.http("batch Bundle", "POST", "", bundle)
        if not r.ok:
            return
        if not r.check(r.body.get("resourceType") == "Bundle"
                       and r.body.get("type") == "batch-response", "not a batch-response"):
            return
        out = r.body.get("entry", [])
        if not r.check(len(out) == len(entries), "batch: %d entries for %d requests"
                       % (len(out), len(entries))):
            return
        for (kind, data), e in zip(expect, out):
            status = e.get("response", {}).get("status", "")
            code = status.split(" ")[0]
            if kind in ("create-patient", "create-obs"):
                if not r.check(code == "201", "batch %s: status %r" % (kind, status)):
                    continue
                rtype = "Patient" if kind == "create-patient" else "Observation"
                loc = e["response"].get("location", "")
                parts = loc.split("/")
                if r.check(len(parts) >= 2 and parts[0] == rtype, "batch location %r" % loc):
                    (self.patients if rtype == "Patient" else self.observations)[parts[1]] = data
            elif kind == "read-patient":
                if r.check(code == "200", "batch read: status %r" % status):
                    self.patient_matches(e.get("resource", {}), self.patients[data], r, "batch read")
            elif kind == "missing":
                r.check(code == "404", "batch missing read: status %r" % status)
                r.check(e.get("response", {}).get("outcome", {}).get("resourceType")
                        == "OperationOutcome", "batch 404 without OperationOutcome")
            elif kind == "search-patient":
                sb = e.get("resource", {})
                got = [x.get("resource", {}).get("id") for x in sb.get("entry", [])]
                r.check(code == "200" and sb.get("type") == "searchset" and got == [data],
                        "batch search: status %r ids %s, expected [%s]" % (status, got, data))
            elif kind == "delete-obs":
                if r.check(code in ("200", "204"), "batch delete: status %r" % status):
                    self.observations.pop(data, None)
                    self.deleted.append(("Observation", data))

    def op_transaction(self):
        pbody, pmodel = self.new_patient_body()
        purl = "urn:uuid:%s" % uuid.UUID(int=self.rng.getrandbits(128))
        entries = [{"fullUrl": purl, "resource": pbody,
                    "request": {"method": "POST", "url": "Patient"}}]
        kinds = [("patient", pmodel)]
        for _ in range(self.rng.randint(1, 3)):
            obody, omodel = self.new_observation_body("X")
            obody["subject"] = {"reference": purl}
            entries.append({"fullUrl": "urn:uuid:%s" % uuid.UUID(int=self.rng.getrandbits(128)),
                            "resource": obody, "request": {"method": "POST", "url": "Observation"}})
            kinds.append(("obs", omodel))
        if self.rng.random() < 0.5:
            ebody, emodel = self.new_encounter_body("X")
            ebody["subject"] = {"reference": purl}
            entries.append({"resource": ebody, "request": {"method": "POST", "url": "Encounter"}})
            kinds.append(("enc", emodel))
        if self.rng.random() < 0.5:
            cbody, cmodel = self.new_condition_body("X")
            cbody["subject"] = {"reference": purl}
            entries.append({"resource": cbody, "request": {"method": "POST", "url": "Condition"}})
            kinds.append(("cond", cmodel))
        # conditional create of an existing patient: must not create a duplicate
        if self.patients and self.rng.random() < 0.4:
            epid = self.pick(self.patients)
            em = self.patients[epid]
            entries.append({"resource": {"resourceType": "Patient",
                                         "identifier": [{"system": self.id_system,
                                                         "value": em["mrn"]}]},
                            "request": {"method": "POST", "url": "Patient",
                                        "ifNoneExist": "identifier=%s|%s" % (self.id_system,
                                                                             em["mrn"])}})
            kinds.append(("ifnoneexist", epid))
        r = self.http("transaction Bundle", "POST", "", {"resourceType": "Bundle",
                                                         "type": "transaction", "entry": entries})
        if not r.ok:
            return
        if not r.check(r.body.get("type") == "transaction-response", "not a transaction-response"):
            return
        out = r.body.get("entry", [])
        if not r.check(len(out) == len(entries), "transaction: %d entries for %d"
                       % (len(out), len(entries))):
            return
        new_pid = None
        staged = []
        for (kind, model), e in zip(kinds, out):
            status = e.get("response", {}).get("status", "")
            loc = e.get("response", {}).get("location", "")
            parts = loc.split("/")
            if kind == "ifnoneexist":
                r.check(status.startswith("200") and len(parts) > 1 and parts[1] == model,
                        "ifNoneExist: status %r location %r, expected Patient/%s" % (status, loc,
                                                                                     model))
                continue
            if not r.check(status.startswith("201") and len(parts) > 1,
                           "transaction %s: status %r location %r" % (kind, status, loc)):
                return
            rid = parts[1]
            if kind == "patient":
                new_pid = rid
                self.patients[rid] = model
            else:
                ref = e.get("resource", {}).get("subject", {}).get("reference")
                r.check(ref == "Patient/%s" % new_pid,
                        "urn:uuid not resolved: subject %r, expected Patient/%s" % (ref, new_pid))
                model["subject"] = new_pid
                staged.append((kind, rid, model))
        for kind, rid, model in staged:
            {"obs": self.observations, "enc": self.encounters, "cond": self.conditions}[kind][rid] = model
        if new_pid and not self.done:
            ids, _, reqs = self.search_all("search Observation after transaction",
                                           "Observation?subject=Patient/%s" % new_pid)
            self.expect_ids(reqs, ids, self.obs_of(new_pid), "transaction observations")

    def op_failing_transaction(self):
        """A transaction whose last entry conflicts: nothing of it may be stored."""
        pbody, pmodel = self.new_patient_body()
        purl = "urn:uuid:%s" % uuid.UUID(int=self.rng.getrandbits(128))
        obody, _ = self.new_observation_body("X")
        obody["subject"] = {"reference": purl}
        pid = self.pick(self.patients)
        m = self.patients[pid]
        entries = [
            {"fullUrl": purl, "resource": pbody, "request": {"method": "POST", "url": "Patient"}},
            {"resource": obody, "request": {"method": "POST", "url": "Observation"}},
            {"resource": {"resourceType": "Patient", "id": pid, "name": [{"family": "nope"}]},
             "request": {"method": "PUT", "url": "Patient/%s" % pid,
                         "ifMatch": 'W/"%d"' % (m["version"] + 5)}},
        ]
        self.http("transaction that must fail", "POST", "",
                  {"resourceType": "Bundle", "type": "transaction", "entry": entries},
                  expect=(409, 412))
        if self.done:
            return
        q = urllib.parse.quote("%s|%s" % (self.id_system, pmodel["mrn"]), safe="")
        ids, _, reqs = self.search_all("search after rolled-back transaction",
                                       "Patient?identifier=%s" % q)
        self.expect_ids(reqs, ids, [], "rolled-back patient")
        if not self.done:
            r = self.http("read Patient after rolled-back transaction", "GET", "Patient/%s" % pid)
            if r.ok:
                self.patient_matches(r.body, m, r, "after rollback")

    # ------------------------------------------------------------------ driver

    OPS = [
        # (weight, name, needs)
        (14, "op_create_patient", ()),
        (8, "op_read_patient", ("patients",)),
        (2, "op_vread_patient", ("patients",)),
        (7, "op_update_patient", ("patients",)),
        (1, "op_update_patient_conflict", ("patients",)),
        (3, "op_delete_patient", ("patients",)),
        (6, "op_search_patient_family", ("patients",)),
        (3, "op_search_patient_name", ("patients",)),
        (2, "op_search_patient_given_exact", ("patients",)),
        (6, "op_search_patient_identifier", ("patients",)),
        (1, "op_search_patient_all_of_run", ("patients",)),
        (12, "op_create_observation", ("patients",)),
        (5, "op_read_observation", ("observations",)),
        (3, "op_update_observation", ("observations",)),
        (2, "op_delete_observation", ("observations",)),
        (6, "op_search_obs_subject", ("observations",)),
        (4, "op_search_obs_code", ("observations",)),
        (2, "op_search_obs_subject_code", ("observations",)),
        (3, "op_create_encounter", ("patients",)),
        (1, "op_read_encounter", ("encounters",)),
        (2, "op_search_encounter", ("encounters",)),
        (1, "op_delete_encounter", ("encounters",)),
        (3, "op_create_condition", ("patients",)),
        (2, "op_search_condition", ("conditions",)),
        (1, "op_update_condition", ("conditions",)),
        (4, "op_batch", ("patients",)),
        (4, "op_transaction", ()),
        (1, "op_failing_transaction", ("patients",)),
        (1, "op_read_deleted", ()),
        (1, "op_read_missing", ()),
    ]

    def run(self):
        self.op_metadata()
        # a small base population first, so that every kind of operation has something to use
        for name in ["op_create_patient", "op_create_patient", "op_create_observation",
                     "op_create_encounter", "op_create_condition", "op_transaction", "op_batch"]:
            if self.done:
                break
            self._do(name)
        weights = [w for w, _, _ in self.OPS]
        while not self.done:
            _, name, needs = self.rng.choices(self.OPS, weights=weights)[0]
            if any(not getattr(self, n) for n in needs):
                name = "op_create_patient" if "patients" in needs or not self.patients \
                    else "op_create_observation"
            self._do(name)

    def _do(self, name):
        self.op_counts[name] = self.op_counts.get(name, 0) + 1
        try:
            getattr(self, name)()
        except Exception as e:  # a bug in a check must show up as a failure, not a crash
            r = Req(name, "-", "-")
            r.errors.append("client exception %s: %s" % (type(e).__name__, e))
            self.results.append(r)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="http://127.0.0.1:8080/fhir",
                    help="FHIR base URL (default %(default)s)")
    ap.add_argument("--requests", type=int, default=1000,
                    help="at least this many HTTP requests (default %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    ap.add_argument("--workers", type=int, default=1,
                    help="concurrent client threads, each with its own share (default 1)")
    ap.add_argument("--tag", default=None,
                    help="run tag used in names/identifiers (default: random, letters only)")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request timeout, s")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every failure")
    args = ap.parse_args(argv)
    if args.requests < 1 or args.workers < 1:
        ap.error("--requests and --workers must be positive")
    tag = args.tag or "".join(random.SystemRandom().choice("abcdefghijkmnpqrstuvwxyz")
                              for _ in range(8))
    if not tag.isalnum():
        ap.error("--tag must be alphanumeric")

    workers = []
    for i in range(args.workers):
        share = args.requests // args.workers + (1 if i < args.requests % args.workers else 0)
        wtag = tag if args.workers == 1 else "%sw%d" % (tag, i)
        workers.append(Worker(args.base, share, args.seed * 1000 + i, wtag, args.timeout))

    t0 = time.monotonic()
    threads = [threading.Thread(target=w.run, name="workload-%d" % i)
               for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0

    results = [r for w in workers for r in w.results]
    failed = [r for r in results if not r.ok]
    passed = len(results) - len(failed)
    limit = len(failed) if args.verbose else MAX_FAILURE_LINES
    for r in failed[:limit]:
        print("FAIL %s: %s %s -> %s: %s" % (r.label, r.method, r.url, r.status,
                                           "; ".join(r.errors)), file=sys.stderr)
    if len(failed) > limit:
        print("... %d more failures (use -v)" % (len(failed) - limit), file=sys.stderr)
    for w in workers:
        if w.aborted:
            print("worker aborted: %s" % w.aborted, file=sys.stderr)
    ops = {}
    for w in workers:
        for k, v in w.op_counts.items():
            ops[k[3:]] = ops.get(k[3:], 0) + v
    print("workload: tag=%s seed=%d workers=%d requests=%d elapsed=%.2fs (%.0f req/s)"
          % (tag, args.seed, args.workers, len(results), elapsed,
             len(results) / elapsed if elapsed > 0 else 0.0))
    print("workload: operations " + ", ".join("%s=%d" % kv for kv in sorted(ops.items())))
    print("workload: %d passed, %d failed" % (passed, len(failed)))
    sys.stdout.flush()
    return 1 if failed or any(w.aborted for w in workers) else 0


if __name__ == "__main__":
    sys.exit(main())
