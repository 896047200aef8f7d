-- Counts each thread's answers by X-Cache value, and GraphQL errors (status 200 with an
-- "errors" member: cached answers never have one). done() adds the threads up through
-- cache_counts(): setup() runs in the main state and keeps every thread to read from.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

hit_l1, hit_l2, miss, graphql_errors = 0, 0, 0, 0

function response(status, headers, body)
  local source = headers["x-cache"] or headers["X-Cache"]
  if source == "HIT-L1" then
    hit_l1 = hit_l1 + 1
    return
  elseif source == "HIT-L2" then
    hit_l2 = hit_l2 + 1
    return
  elseif source == "MISS" then
    miss = miss + 1
  end
  if status == 200 and body and string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function cache_counts()
  local total = {hit_l1 = 0, hit_l2 = 0, miss = 0, graphql_errors = 0}
  for _, thread in ipairs(threads) do
    for name, sum in pairs(total) do
      total[name] = sum + thread:get(name)
    end
  end
  return total
end
