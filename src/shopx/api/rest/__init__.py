"""The REST API under ``/api/v1``: one router per resource, handlers thin (parse, authorize,
call a domain function, shape the answer), answers cached like GraphQL's
(:mod:`shopx.api.rest.caching`)."""

from __future__ import annotations

from fastapi import FastAPI

from shopx.api.rest import import_errors, imports, kpis, products, sheets


def include_rest(app: FastAPI) -> None:
    app.include_router(imports.router)
    app.include_router(import_errors.router)
    app.include_router(kpis.router)
    app.include_router(products.router)
    app.include_router(sheets.router)
