"""JSON twins of every page under ``/api`` (documented in the OpenAPI schema at /openapi.json)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from .. import data
from ..data import StoryQuery
from .common import ArticleId, StoryId, StorylineId, SummaryLang, store_of, story_query

router = APIRouter(prefix="/api", tags=["read"])


@router.get("/stories", summary="Stories, filtered and paginated (newest first)")
def api_stories(request: Request, query: Annotated[StoryQuery, Depends(story_query)]) -> dict[str, Any]:
    return data.list_stories(store_of(request), query)


@router.get("/stories/{story_id}", summary="A story with every analysis")
def api_story(request: Request, story_id: StoryId, lang: SummaryLang = None) -> dict[str, Any]:
    return data.story(store_of(request), story_id, lang)


@router.get("/storylines", summary="Storylines, newest first")
def api_storylines(request: Request) -> dict[str, Any]:
    return {"storylines": data.list_storylines(store_of(request))}


@router.get("/storylines/{storyline_id}", summary="A storyline with its stories and analyses")
def api_storyline(request: Request, storyline_id: StorylineId, lang: SummaryLang = None) -> dict[str, Any]:
    return data.storyline(store_of(request), storyline_id, lang)


@router.get("/articles/{article_id}", summary="An article with its sentences, quotes, entities and claims")
def api_article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    return data.article(store_of(request), article_id)


@router.get("/settings", summary="The clustering settings this database groups with (value, tuned default, note)")
def api_settings(request: Request) -> dict[str, Any]:
    from ...cluster import settings_report

    return {"settings": settings_report(store_of(request))}
