"""Helpers shared by the route modules: typed id parameters, the store, page rendering."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse

from ...store import Store
from ..data import DEFAULT_PER_PAGE, MAX_PER_PAGE, StoryQuery, clean_date
from ..templating import environment

MAX_ID = 2**53  # ids are SQLite integers; anything larger is not an id we issued

StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="story id")]
StorylineId = Annotated[int, Path(ge=1, le=MAX_ID, description="storyline id")]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="article id")]
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="ingest job id")]


SummaryLang = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$",
                                           description="summary language (two-letter code); default: the majority language")]


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def story_query(
    q: Annotated[str | None, Query(max_length=200)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
) -> StoryQuery:
    """The story list filters from the query string (empty strings mean 'any')."""
    return StoryQuery(q=(q or "").strip() or None, source=source or None, language=language or None,
                      date_from=clean_date(date_from), date_to=clean_date(date_to), page=page, per_page=per_page)


def api_path(request: Request) -> str:
    """The JSON twin of the current page."""
    path = request.url.path
    twin = "/api/stories" if path == "/" else "/api" + path
    return twin + (f"?{request.url.query}" if request.url.query else "")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page template (autoescaped) with the common context."""
    html = environment().get_template(template).render(request=request, api_path=api_path(request), **context)
    return HTMLResponse(html, status_code=status_code)
