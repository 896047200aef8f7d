"""``GET /``: a small page pointing at what the service offers, until the dashboard exists."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

LINKS = (
    ("/graphql", "GraphiQL", "explore and run GraphQL queries (reads need a bearer token)"),
    ("/docs", "REST API docs", "Swagger UI of the OpenAPI description"),
    ("/redoc", "REST API reference", "the same description in ReDoc"),
    ("/metrics", "Metrics", "Prometheus metrics of this process"),
    ("/health", "Health", "liveness probe"),
)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{shop} - ShopX Sales Analytics</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1f2933; }}
li {{ margin: .4rem 0; }}
span {{ color: #616e7c; }}
</style>
</head>
<body>
<h1>{shop}</h1>
<p>ShopX Sales Analytics {version}: revenue, orders, products, customers and reps.</p>
<ul>
{links}
</ul>
</body>
</html>
"""


@router.get("/")
async def home(request: Request) -> HTMLResponse:
    links = "\n".join(
        f'<li><a href="{href}">{name}</a> <span>{what}</span></li>' for href, name, what in LINKS
    )
    shop = escape(request.app.state.settings.shop_name)
    return HTMLResponse(PAGE.format(shop=shop, version=escape(request.app.version), links=links))
