"""The OpenAPI pages (/docs, /redoc) and GraphiQL's assets, served from installed packages:
the pages work on a machine without internet, and nothing is fetched from a CDN.

Swagger UI and ReDoc come from ``fastapi-offline``; GraphiQL 2, React 17 and graphql-ws
from ``graphene-django-graphiql-static`` (plain files; nothing of Django is imported).
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

DOCS_ASSETS = "/static/docs"
GRAPHIQL_ASSETS = "/static/graphiql"

router = APIRouter(include_in_schema=False)


def mount_docs(app: FastAPI) -> None:
    """Serve the asset folders and the two documentation pages on ``app``."""
    swagger = files("fastapi_offline") / "static"
    graphiql = (
        files("graphene_django_graphiql_static") / "static" / "graphene_django_graphiql_static"
    )
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(swagger)), name="docs-assets")
    app.mount(GRAPHIQL_ASSETS, StaticFiles(directory=str(graphiql)), name="graphiql-assets")
    app.include_router(router)


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
    )


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
        redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        with_google_fonts=False,
    )
