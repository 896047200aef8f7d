-- Appended to every generated script: wrk calls done() once, after the run, with the
-- summary of all threads. One marked JSON line is easier to parse than wrk's text report.
-- Scripts that count X-Cache values (cache.lua) add a "cache" member and GraphQL errors.
function done(summary, latency, requests)
  local e = summary.errors
  local graphql, cache = "", ""
  if cache_counts then
    local c = cache_counts()
    graphql = string.format(",\"graphql\":%.0f", c.graphql_errors)
    cache = string.format(",\"cache\":{\"hit_l1\":%.0f,\"hit_l2\":%.0f,\"miss\":%.0f}",
      c.hit_l1, c.hit_l2, c.miss)
  end
  io.write(string.format(
    "SHOPX_WRK_JSON {\"requests\":%.0f,\"duration_us\":%.0f,\"bytes\":%.0f," ..
    "\"errors\":{\"connect\":%.0f,\"read\":%.0f,\"write\":%.0f,\"status\":%.0f,\"timeout\":%.0f%s}," ..
    "\"latency_us\":{\"p50\":%.0f,\"p95\":%.0f,\"p99\":%.0f,\"mean\":%.1f,\"max\":%.0f}%s}\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, graphql,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, cache))
end
