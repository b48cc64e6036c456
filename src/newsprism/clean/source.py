"""Which outlet published an article, from metadata, telltale text or the URL.

Order of evidence: an explicit override; the input's own ``source`` (or a ``sitename``/``site_name``/
``publisher`` metadata field); an outlet suffix of the title ("... — RT World News",
"... | Kyiv Post"); a photo credit naming the outlet as "(Photographer, Outlet)"; the URL's domain
("https://www.kyivpost.com/..." -> "kyivpost.com"). Nothing is guessed beyond these.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsprism.clean.boilerplate import find_captions, junk_kind, split_caption
from newsprism.clean.normalize import normalize_line, normalize_paragraphs
from newsprism.models import RawDocument

# An outlet suffix is a few words; "Title — Jens Stoltenberg says he will not resign" is not one.
MAX_SUFFIX_WORDS = 5
# The head of the text where a title with an outlet suffix or a photo credit can be found.
HEAD_PARAGRAPHS = 6
HEAD_CHARS = 5000

_METADATA_KEYS = ("sitename", "site_name", "og:site_name", "publisher", "outlet")
# After " — " or " - " (which also attach a speaker: "... — Stoltenberg") the suffix must look like
# an outlet. After " | " (or " :: ", " • ") any short suffix is an outlet: that separator is how
# sites append their name.
_PIPE_SUFFIX_RE = re.compile(r"^(?P<title>.+?)\s+(?:\||::|•|·)\s+(?P<suffix>[^|]+)$")
_DASH_SUFFIX_RE = re.compile(r"^(?P<title>.+)\s+—\s+(?P<suffix>[^—]+)$")
_OUTLET_WORDS = re.compile(
    r"\b(news|times|post|daily|press|tv|radio|agency|journal|herald|tribune|gazette|online|media|"
    r"today|info|magazine|observer|guardian|telegraph|express|mirror|independent|standard|star|"
    r"chronicle|reporter|review|wire|network|channel|broadcasting|zeitung|nachrichten|rundschau|"
    r"allgemeine|spiegel|welt|tagesschau|новости|новини|газета|правда|известия|ведомости|вести|"
    r"wiadomości|gazeta|dziennik|tygodnik|corriere|repubblica|stampa|giornale|notizie|noticias|"
    r"diario|periódico|el país|le monde|le figaro|libération|journal|actualités|nouvelles|"
    r"\w+\.(com|net|org|ua|ru|pl|de|it|es|fr|eu|info|co\.uk))\b",
    re.IGNORECASE,
)
# Section names some sites append after their name: "RT World News", "RT Business News".
_SECTION_SUFFIX_RE = re.compile(
    r"\s+(world|business|sport|sports|politics|international|national|local|europe|europa|us|uk|"
    r"russia|ukraine|africa|asia|middle east|op-ed|opinion|science|tech|culture|breaking)\s+news$",
    re.IGNORECASE,
)
# "(Photographer, Outlet)" at the end of a credit.
_CREDIT_OUTLET_RE = re.compile(r"\(\s*[^(),]{2,60},\s*(?P<outlet>[^(),]{2,40})\)\s*$")
# Photo agencies name who took the picture, not who published the article.
_PHOTO_AGENCIES = {
    "reuters", "ap", "afp", "epa", "getty images", "getty", "shutterstock", "depositphotos", "dpa",
    "ansa", "pap", "east news", "tass", "ria novosti", "sputnik", "anadolu", "xinhua", "unsplash",
    "pixabay", "wikimedia commons", "wikipedia", "istock", "global look press", "imago", "alamy",
}
_DOMAIN_PREFIXES = ("www.", "m.", "amp.", "mobile.", "edition.")
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "in", "ua", "kiev", "kyiv"}


def detect_source(raw: RawDocument, text: str, *, override: str | None = None) -> str | None:
    """The outlet that published ``raw`` (see the module docstring for the order of evidence).

    ``text`` is the article text (normalised or raw; captions in it are read for credits).
    """
    for candidate in (override, raw.source, *(_text_value(raw.metadata.get(k)) for k in _METADATA_KEYS)):
        if candidate and candidate.strip():
            return normalize_line(candidate)
    paragraphs = normalize_paragraphs(text[:HEAD_CHARS])[:HEAD_PARAGRAPHS]
    # The title is the given one or the first line that is not page junk ("EN | DE" is not
    # "EN" published by "DE").
    content = [rest for rest in (split_caption(p)[0] for p in paragraphs) if rest and not junk_kind(rest)]
    titles = [normalize_line(raw.title)] if raw.title else content[:1]
    domain = domain_of(raw.url)
    for title in titles:
        outlet = split_title_suffix(title, domain)[1]
        if outlet:
            return outlet
    for caption in find_captions(paragraphs):
        outlet = outlet_from_credit(caption)
        if outlet:
            return outlet
    return domain


def split_title_suffix(title: str, domain: str | None = None) -> tuple[str, str | None]:
    """Split "Headline — Outlet" into ("Headline", "Outlet"); (title, None) when there is no suffix.

    A section name after the outlet ("RT World News") is dropped from the outlet ("RT").
    """
    for pattern, needs_outlet_look in ((_PIPE_SUFFIX_RE, False), (_DASH_SUFFIX_RE, True)):
        m = pattern.match(title.strip())
        if not m:
            continue
        suffix = m["suffix"].strip(" .")
        if not suffix or len(suffix.split()) > MAX_SUFFIX_WORDS or suffix[-1] in "?!":
            continue
        if needs_outlet_look and not (_OUTLET_WORDS.search(suffix) or _names_domain(suffix, domain)):
            continue
        outlet = _SECTION_SUFFIX_RE.sub("", suffix).strip() or suffix
        return m["title"].strip(), outlet
    return title, None


def outlet_from_credit(caption: str) -> str | None:
    """The outlet of a credit like "Photo: ... (Vitalii Nosach, RBC-Ukraine)", unless an agency."""
    m = _CREDIT_OUTLET_RE.search(caption)
    if not m:
        return None
    outlet = m["outlet"].strip()
    if outlet.casefold() in _PHOTO_AGENCIES or not any(ch.isalpha() for ch in outlet):
        return None
    return outlet


def domain_of(url: str | None) -> str | None:
    """The site's domain without "www."-like prefixes: "https://www.kyivpost.com/x" -> "kyivpost.com"."""
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").casefold().rstrip(".")
    except ValueError:
        return None
    if not host or "." not in host or host.replace(".", "").isdigit():
        return None
    for prefix in _DOMAIN_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
    labels = host.split(".")
    # Keep the registrable part: "news.bbc.co.uk" -> "bbc.co.uk", "www.rbc.ua" -> "rbc.ua".
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def _names_domain(suffix: str, domain: str | None) -> bool:
    if not domain:
        return False
    squashed = re.sub(r"[^\w]", "", suffix.casefold())
    first_label = domain.split(".")[0]
    return bool(squashed) and (squashed == first_label or squashed == domain.replace(".", ""))


def _text_value(value: object) -> str | None:
    return value if isinstance(value, str) else None
