-- wrk request mix for the FHIR fixture (bench/lib/fhir.py runs it).
-- Usage: wrk ... -s fhir_mix.lua URL -- IDS_FILE
-- IDS_FILE: line 1 the preloaded Patient ids, line 2 the Observation ids.
-- Patient number k (from 1) has the family name Fam%03d of (k - 1) % 50.
--   35% read Patient by id          15% read Observation by id
--   15% search Patient by family    10% search Observation by subject
--   15% create Patient               5% update Patient
--    5% batch Bundle (read Patient, read Observation, create Patient)
-- Created patients get the family "Created", so that the searched sets do
-- not grow during the run.

local patients, observations = {}, {}
local json_headers = { ["Content-Type"] = "application/fhir+json" }
local families = 50

local function split(line, out)
  for id in string.gmatch(line or "", "%S+") do
    out[#out + 1] = id
  end
end

function init(args)
  local f = assert(io.open(args[1], "r"), "cannot open the ids file")
  split(f:read("*l"), patients)
  split(f:read("*l"), observations)
  f:close()
  assert(#patients > 0 and #observations > 0, "the ids file lists no ids")
  -- A different sequence in every wrk thread.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

local function pick(list)
  local k = math.random(#list)
  return k, list[k]
end

local function family(k)
  return string.format("Fam%03d", (k - 1) % families)
end

local function new_patient()
  return '{"resourceType":"Patient","name":[{"family":"Created","given":["W' ..
    math.random(100000) .. '"]}],"gender":"female","birthDate":"1980-01-01"}'
end

local function batch()
  local _, p = pick(patients)
  local _, o = pick(observations)
  return '{"resourceType":"Bundle","type":"batch","entry":[' ..
    '{"request":{"method":"GET","url":"Patient/' .. p .. '"}},' ..
    '{"request":{"method":"GET","url":"Observation/' .. o .. '"}},' ..
    '{"resource":' .. new_patient() .. ',"request":{"method":"POST","url":"Patient"}}]}'
end

function request()
  local r = math.random(100)
  if r <= 35 then
    local _, p = pick(patients)
    return wrk.format("GET", "/fhir/Patient/" .. p)
  elseif r <= 50 then
    local _, o = pick(observations)
    return wrk.format("GET", "/fhir/Observation/" .. o)
  elseif r <= 65 then
    local k = math.random(#patients)
    return wrk.format("GET", "/fhir/Patient?family=" .. family(k))
  elseif r <= 75 then
    local _, p = pick(patients)
    return wrk.format("GET", "/fhir/Observation?subject=Patient/" .. p)
  elseif r <= 90 then
    return wrk.format("POST", "/fhir/Patient", json_headers, new_patient())
  elseif r <= 95 then
    local k, p = pick(patients)
    local body = '{"resourceType":"Patient","id":"' .. p .. '","name":[{"family":"' ..
      family(k) .. '","given":["Updated"]}],"gender":"male"}'
    return wrk.format("PUT", "/fhir/Patient/" .. p, json_headers, body)
  else
    return wrk.format("POST", "/fhir", json_headers, batch())
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_status":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read,
    e.write, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max))
end
