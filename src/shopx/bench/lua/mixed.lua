-- A page-load mix: set before this script are `pages` (request bodies, sent in turn),
-- `varied` (bodies for other periods) and `vary_every` (every n-th request is varied).
-- Requests are built once per thread; wrk.method and wrk.headers come from the scenario.
local page_requests, varied_requests = {}, {}
local sent, page, variant = 0, 0, 0

function init(args)
  for i, body in ipairs(pages) do
    page_requests[i] = wrk.format(nil, nil, nil, body)
  end
  for i, body in ipairs(varied) do
    varied_requests[i] = wrk.format(nil, nil, nil, body)
  end
end

function request()
  sent = sent + 1
  if sent % vary_every == 0 then
    variant = variant % #varied_requests + 1
    return varied_requests[variant]
  end
  page = page % #page_requests + 1
  return page_requests[page]
end
