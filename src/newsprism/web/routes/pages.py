"""HTML pages: story list, story, storyline list, storyline, article, report downloads."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...report import WEB_LINKS, build_context, render_report
from .. import data
from ..analysis_runner import PENDING_REFRESH_SECONDS
from ..data import StoryQuery
from ..highlight import highlight_article
from ..templating import safe_url
from .common import ArticleId, StoryId, StorylineId, SummaryLang, render, store_of, story_query

router = APIRouter(include_in_schema=False)

_MEDIA = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
          "json": "application/json"}


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, query: Annotated[StoryQuery, Depends(story_query)]) -> HTMLResponse:
    listing = data.list_stories(store_of(request), query)

    def page_url(page: int) -> str:
        params = {k: v for k, v in listing["query"].items() if v}
        params["page"] = page
        if query.per_page != data.DEFAULT_PER_PAGE:
            params["per_page"] = query.per_page
        return "/?" + urlencode(params)

    return render(request, "stories.html", data=listing, page_url=page_url, active="stories")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: StoryId, lang: SummaryLang = None) -> HTMLResponse:
    analysis = _analysis(request, "story", story_id, lang)
    if isinstance(analysis, HTMLResponse):
        return analysis
    ctx = build_context(analysis, WEB_LINKS)
    return render(request, "story.html", ctx=ctx, story_storyline=analysis.get("storyline"), active="stories")


def _analysis(request: Request, scope: Literal["story", "storyline"], item_id: int,
              lang: str | None) -> dict | HTMLResponse:
    """The analysis of a story or storyline (its summary in ``lang``), or, while it is still being
    computed, the page of what is stored that reloads itself until the analysis is ready."""
    analysis = request.app.state.analyses.get(scope, item_id)
    store = store_of(request)
    if analysis is None:
        outline = data.story_outline if scope == "story" else data.storyline_outline
        return render(request, "pending.html", item=outline(store, item_id), refresh=PENDING_REFRESH_SECONDS,
                      active="stories" if scope == "story" else "storylines")
    if lang:
        analysis = (data.story if scope == "story" else data.storyline)(store, item_id, lang)
    return analysis


@router.get("/storylines", response_class=HTMLResponse)
def storylines_page(request: Request) -> HTMLResponse:
    return render(request, "storylines.html", storylines=data.list_storylines(store_of(request)),
                  active="storylines")


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse)
def storyline_page(request: Request, storyline_id: StorylineId, lang: SummaryLang = None) -> HTMLResponse:
    analysis = _analysis(request, "storyline", storyline_id, lang)
    if isinstance(analysis, HTMLResponse):
        return analysis
    ctx = build_context(analysis, WEB_LINKS)
    return render(request, "story.html", ctx=ctx, story_storyline=None, active="storylines")


def _download(analysis: dict, fmt: str, name: str) -> Response:
    body = render_report(analysis, fmt)  # type: ignore[arg-type]
    return Response(body, media_type=_MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/stories/{story_id}/report.{fmt}")
def story_report(request: Request, story_id: StoryId, fmt: Literal["html", "md", "json"]) -> Response:
    return _download(data.story(store_of(request), story_id), fmt, f"newsprism-story-{story_id}")


@router.get("/storylines/{storyline_id}/report.{fmt}")
def storyline_report(request: Request, storyline_id: StorylineId, fmt: Literal["html", "md", "json"]) -> Response:
    return _download(data.storyline(store_of(request), storyline_id), fmt, f"newsprism-storyline-{storyline_id}")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: ArticleId) -> HTMLResponse:
    view = data.article(store_of(request), article_id)
    quotes = [{**q, "sentence_index": _sentence_index(view, q)} for q in view.get("quotes") or []]
    names = Counter(str(m.get("entity") or m.get("text") or "") for m in view.get("entities") or [])
    return render(request, "article.html", art=view, quotes=quotes, body=highlight_article(view),
                  safe_link=safe_url(view.get("url")), entity_names=[(n, c) for n, c in names.most_common(30) if n],
                  active="stories")


def _sentence_index(view: dict, quote: dict) -> int | None:
    """The index of the sentence a quote is in (given as an index, or found from its offset)."""
    if isinstance(quote.get("sentence"), int):
        return int(quote["sentence"])
    start = quote.get("start")
    if isinstance(start, int):
        for sent in view.get("sentences") or []:
            if sent.get("start", 0) <= start < sent.get("end", 0):
                return int(sent["index"])
    return None
