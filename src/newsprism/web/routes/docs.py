"""/docs: Swagger UI over /openapi.json, served from the installed package ``fastapi-offline``
(it works offline) and started by a script file, so the page keeps the same strict
Content-Security-Policy as every other page (no CDN, no inline script).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from .common import render

router = APIRouter(include_in_schema=False)
SWAGGER_PACKAGE = "fastapi_offline"  # ships swagger-ui-bundle.js and swagger-ui.css (Swagger UI 5: OpenAPI 3.1)
_MEDIA = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8", "swagger-ui.css": "text/css; charset=utf-8"}
ASSET_CACHE_SECONDS = 86_400  # the files change only when the package is upgraded


@lru_cache(maxsize=1)
def swagger_assets() -> Path:
    """The folder holding Swagger UI's files in the installed package."""
    return Path(str(resources.files(SWAGGER_PACKAGE) / "static"))


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    return render(request, "docs.html", openapi_url=request.app.openapi_url or "/openapi.json")


@router.get("/static/swagger-ui/{name}")
def swagger_asset(name: str) -> FileResponse:
    if name not in _MEDIA:  # only these two files of the package are served
        raise HTTPException(404, f"no such file: /static/swagger-ui/{name}")
    return FileResponse(swagger_assets() / name, media_type=_MEDIA[name],
                        headers={"Cache-Control": f"public, max-age={ASSET_CACHE_SECONDS}"})
