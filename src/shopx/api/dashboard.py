"""The dashboard's built files, served by the API: ``/`` and every client-side route answer
``index.html``; its hashed assets are cached for a year.

The dashboard is a single-page app: a link such as ``/products/42?period=MONTH`` names a
view that the browser's router draws, so any path that is not a file, nor one of the API's
own, answers ``index.html``. That page is revalidated on every visit (``no-cache``), so a
deploy reaches every browser at once; the files under ``assets/`` carry a content hash in
their names and never change, so browsers keep them (``immutable``). Compression is the
app's gzip middleware. Without a build (no ``index.html``), ``/`` shows a page of links.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, Response

from shopx.api import home
from shopx.errors import NotFound

SOURCE_BUILD = Path(__file__).resolve().parents[3] / "frontend" / "dist"
"""Where ``make run`` builds the dashboard in a source checkout."""

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ROOT_FILES = "public, max-age=3600"
"""Other files at the build's root (favicon, robots.txt): their names carry no hash."""

API_PATHS = ("api", "graphql", "docs", "redoc", "openapi.json", "health", "ready", "metrics")
"""First path segments that belong to the API: an unknown path under them is a 404, never
the dashboard's page."""


def build_folder(configured: Path | None) -> Path | None:
    """The dashboard build to serve: ``configured``, else the source tree's; None when it
    holds no ``index.html``."""
    folder = configured or SOURCE_BUILD
    return folder if (folder / "index.html").is_file() else None


def mount_dashboard(app: FastAPI, folder: Path | None) -> None:
    """Serve the build in ``folder`` (or the page of links without one); add it after every
    other route, since it answers whatever path they leave."""
    if folder is None:
        app.include_router(home.router)
        return
    app.include_router(_router(folder.resolve()))


def _router(folder: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    index = folder / "index.html"

    @router.api_route("/{path:path}", methods=["GET", "HEAD"])
    async def dashboard(path: str) -> Response:
        first = path.split("/", 1)[0]
        if first in API_PATHS:
            raise NotFound(f"no such path: /{path}")
        file = _file_in(folder, path) if path else None
        if file is not None:
            cache = IMMUTABLE if first == "assets" else ROOT_FILES
            return FileResponse(file, headers={"cache-control": cache})
        if first == "assets" or Path(path).suffix:
            raise NotFound(f"no such file: /{path}")
        return FileResponse(index, headers={"cache-control": REVALIDATE})

    return router


def _file_in(folder: Path, path: str) -> Path | None:
    """The file ``path`` names inside ``folder``, if there is one. A path no file can have
    (a NUL byte, a segment longer than a file name may be) is a 404 rather than the file
    system's error."""
    try:
        file = (folder / path).resolve()
        return file if file.is_relative_to(folder) and file.is_file() else None
    except (OSError, ValueError):
        raise NotFound(f"no such file: /{path[:100]}") from None
