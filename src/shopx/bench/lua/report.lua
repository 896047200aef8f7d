-- Appended to every generated script: wrk calls done() once, after the run, with the
-- summary of all threads. One marked JSON line is easier to parse than wrk's text report.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "SHOPX_WRK_JSON {\"requests\":%.0f,\"duration_us\":%.0f,\"bytes\":%.0f," ..
    "\"errors\":{\"connect\":%.0f,\"read\":%.0f,\"write\":%.0f,\"status\":%.0f,\"timeout\":%.0f}," ..
    "\"latency_us\":{\"p50\":%.0f,\"p95\":%.0f,\"p99\":%.0f,\"mean\":%.1f,\"max\":%.0f}}\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
