"""The newsprism web UI: FastAPI, server-rendered Jinja2 pages, a JSON twin of every page.

``create_app(db_path, token=None, allow_private_urls=False)`` builds the application (see ``app.py``); imported lazily so that
``newsprism.report`` can use the templates without loading the web stack.
"""

from __future__ import annotations

from typing import Any


def create_app(db_path: str, *, token: str | None = None, allow_private_urls: bool = False) -> Any:
    """See ``newsprism.web.app.create_app``."""
    from .app import create_app as _create

    return _create(db_path, token=token, allow_private_urls=allow_private_urls)
