"""GraphiQL at ``GET /graphql`` in a browser, its scripts served by us (see
:mod:`shopx.api.docs`), never from a CDN.

The page itself is static and loads for anyone; what it may do follows the access rules:
without a token in its header editor its introspection (schema explorer, completion) and
reads are refused when anonymous callers may not read (see :mod:`shopx.api.graphql.access`).
"""

from __future__ import annotations

from shopx.api.docs import GRAPHIQL_ASSETS

FIRST_QUERY = (
    "# Without anonymous reads, put a token in Headers below:\\n"
    '# {\\"Authorization\\": \\"Bearer TOKEN\\"} (shopx token create --role viewer)\\n'
    "{ salesOverview(period: MONTH) { totalRevenue totalOrders averageOrderValue } }\\n"
)
"""GraphiQL's first document: a query that runs, and how to add a token. The hint is not a
default header: a placeholder token would be sent, and refused, even where none is needed."""

GRAPHIQL_HTML = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ShopX GraphiQL</title>
<link rel="stylesheet" href="{GRAPHIQL_ASSETS}/graphiql.min.css">
<style>html, body, #graphiql {{ height: 100%; margin: 0; overflow: hidden; }}</style>
<script src="{GRAPHIQL_ASSETS}/react.production.min.js"></script>
<script src="{GRAPHIQL_ASSETS}/react-dom.production.min.js"></script>
<script src="{GRAPHIQL_ASSETS}/graphql-ws.min.js"></script>
<script src="{GRAPHIQL_ASSETS}/graphiql.min.js"></script>
</head>
<body>
<div id="graphiql">Loading GraphiQL...</div>
<script>
  const here = new URL(window.location.href);
  const endpoint = here.origin + here.pathname;
  const socket = (here.protocol === "https:" ? "wss://" : "ws://") + here.host + here.pathname;
  const fetcher = GraphiQL.createFetcher({{
    url: endpoint,
    wsClient: graphqlWs.createClient({{ url: socket, lazy: true }}),
  }});
  ReactDOM.render(
    React.createElement(GraphiQL, {{
      fetcher,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultQuery: "{FIRST_QUERY}",
    }}),
    document.getElementById("graphiql"),
  );
</script>
</body>
</html>
"""
