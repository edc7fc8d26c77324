-- wrk script for bench/http/wrk.sh: POST /v1/decide with a fixed set of pre-generated contexts.
-- The contexts are drawn once per thread in init() (standard normal, d = DIM, fixed seed), so the
-- request bodies are built before the clock runs and every run sends the same bodies in the same order.
-- With RECOURSE_OUTCOME_SHARE > 0 (mixed load), that share of requests are POST /v1/outcome for
-- decision ids parsed from earlier /v1/decide answers, so outcomes arrive while other connections decide.
local dim = tonumber(os.getenv("RECOURSE_DIM") or "20")
local share = tonumber(os.getenv("RECOURSE_OUTCOME_SHARE") or "0")
local ncontexts = 1000

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local bodies = {}
local next_body = 1
local queue, qhead, qtail = {}, 1, 0 -- decision ids (and arms) not yet answered, oldest first
local sent = 0
decides, outcomes, errors, missing = 0, 0, 0, 0

local function gaussian()
  -- Box-Muller: Lua has no normal generator. 1 - random() avoids log(0).
  return math.sqrt(-2 * math.log(1 - math.random())) * math.cos(2 * math.pi * math.random())
end

function init(args)
  math.randomseed(12345 + (id or 0))
  for i = 1, ncontexts do
    local x = {}
    for j = 1, dim do
      x[j] = string.format("%.4f", gaussian())
    end
    bodies[i] = '{"context":[' .. table.concat(x, ",") .. ']}'
  end
  -- Rewards: a fixed mean per arm plus noise, so that the model learns something stable.
  arm_mean = {}
  for k = 0, 63 do
    arm_mean[k] = 0.05 * (k % 10)
  end
end

function request()
  sent = sent + 1
  -- Every 1/share-th request is an outcome when one is owed (share 0.5: decide, outcome, decide, ...).
  if share > 0 and qhead <= qtail and (sent * share) % 1 < share then
    local d = queue[qhead]
    queue[qhead] = nil
    qhead = qhead + 1
    local reward = arm_mean[d.arm] + 0.1 * gaussian()
    return wrk.format("POST", "/v1/outcome", { ["Content-Type"] = "application/json" },
      string.format('{"decision_id":%s,"reward":%.4f}', d.id, reward))
  end
  local body = bodies[next_body]
  next_body = next_body % ncontexts + 1
  return wrk.format("POST", "/v1/decide", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    return
  end
  local id = string.match(body, '"decision_id":(%d+)')
  if id then
    decides = decides + 1
    if share > 0 then
      qtail = qtail + 1
      queue[qtail] = { id = id, arm = tonumber(string.match(body, '"arm":(%d+)')) }
    end
  elseif string.match(body, '"version":') then
    outcomes = outcomes + 1
  else
    missing = missing + 1
  end
end

function done(summary, latency, requests)
  local d, o, e, m = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    d = d + t:get("decides")
    o = o + t:get("outcomes")
    e = e + t:get("errors")
    m = m + t:get("missing")
  end
  -- One machine-readable line for wrk.sh (counts include the responses after the clock stopped).
  io.write(string.format("RECOURSE decides=%d outcomes=%d errors=%d unparsed=%d\n", d, o, e, m))
end
