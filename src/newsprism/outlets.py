"""The optional, user-written outlet registry (name, domains, country, language, owner, type).

newsprism never invents outlet labels: with no registry file there are no labels. The registry is a
YAML file (a list of outlets, or ``{"outlets": [...]}``) or a CSV file with a header row
``name,domains,country,language,owner,type`` where ``domains`` is separated by ``;`` or spaces.
See ``data/outlets.example.yaml`` (fictional outlets) for the format.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import InputError, ParseError
from .models import Outlet

ENV_VAR = "NEWSPRISM_OUTLETS"
DEFAULT_FILE = "outlets.yaml"
MAX_REGISTRY_BYTES = 5_000_000  # a registry of thousands of outlets is a few hundred KB
FIELDS = ("name", "domains", "country", "language", "owner", "type")


def default_registry_path() -> Path | None:
    """``$NEWSPRISM_OUTLETS`` if set, else ``./outlets.yaml`` when it exists, else None."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    local = Path(DEFAULT_FILE)
    return local if local.is_file() else None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _domains(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else str(value).replace(";", " ").replace(",", " ").split()
    out = []
    for item in items:
        dom = normalise_domain(str(item))
        if dom and dom not in out:
            out.append(dom)
    return tuple(out)


def normalise_domain(text: str) -> str:
    """``https://www.Example.com/x`` or ``www.example.com`` -> ``example.com``."""
    text = text.strip().lower()
    if "//" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/")[0].split(":")[0]
    return text[4:] if text.startswith("www.") else text


def _outlet(row: Mapping[str, Any], origin: str) -> Outlet:
    if not isinstance(row, Mapping):
        raise ParseError(origin, f"each outlet must be a mapping with a 'name', got {type(row).__name__}")
    name = _clean(row.get("name"))
    if not name:
        raise ParseError(origin, "an outlet has no 'name'; every entry needs one")
    return Outlet(name=name, domains=_domains(row.get("domains", row.get("domain"))),
                  country=_clean(row.get("country")), language=_clean(row.get("language")),
                  owner=_clean(row.get("owner")), type=_clean(row.get("type")))


def parse_registry(text: str, *, fmt: str, origin: str = "<registry>") -> dict[str, Outlet]:
    """Parse registry text (``fmt`` is "yaml" or "csv") into ``{lower-case name: Outlet}``."""
    rows: list[Any]
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
            raise ParseError(origin, "the CSV registry needs a header row with at least 'name' "
                                     f"(columns: {','.join(FIELDS)})")
        rows = [{(k or "").strip().lower(): v for k, v in r.items()} for r in reader]
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ParseError(origin, f"not valid YAML ({exc.__class__.__name__}); check the indentation") from exc
        if data is None:
            return {}
        if isinstance(data, Mapping):
            data = data.get("outlets", [])
        if not isinstance(data, list):
            raise ParseError(origin, "the YAML registry must be a list of outlets or {outlets: [...]}")
        rows = data
    registry: dict[str, Outlet] = {}
    for row in rows:
        outlet = _outlet(row, origin)
        registry[outlet.name.casefold()] = outlet
    return registry


def load_registry(path: str | Path | None = None) -> dict[str, Outlet]:
    """Load the outlet registry (YAML or CSV by extension) keyed by lower-case name.

    ``path`` None means the default (``$NEWSPRISM_OUTLETS`` or ``./outlets.yaml``); when there is no
    file, the registry is empty: newsprism shows no outlet labels rather than guessing them.
    """
    if path is None:
        path = default_registry_path()
        if path is None:
            return {}
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "outlet registry not found; fix the path or unset NEWSPRISM_OUTLETS")
    if path.stat().st_size > MAX_REGISTRY_BYTES:
        raise InputError(str(path), f"outlet registry is larger than {MAX_REGISTRY_BYTES} bytes")
    text = path.read_text(encoding="utf-8-sig")
    fmt = "csv" if path.suffix.lower() in {".csv", ".tsv"} else "yaml"
    return parse_registry(text, fmt=fmt, origin=str(path))


def lookup(registry: Mapping[str, Outlet], source_name: str | None, url: str | None = None) -> Outlet | None:
    """The registry entry for an article: by source name (case-insensitive), else by URL domain.

    A URL on a sub-domain (``news.example.com``) matches an outlet listing ``example.com``.
    """
    if not registry:
        return None
    if source_name:
        hit = registry.get(source_name.strip().casefold())
        if hit is not None:
            return hit
    if url:
        host = normalise_domain(url if "//" in url else f"//{url}")
        while host:
            for outlet in registry.values():
                if host in outlet.domains:
                    return outlet
            if "." not in host:
                break
            host = host.split(".", 1)[1]
            if "." not in host:  # never match a bare TLD
                break
    return None
