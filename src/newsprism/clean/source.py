"""Which outlet published an article, from metadata, telltale text or the URL.

Order of evidence: an explicit override; the input's own ``source`` (or a ``sitename``/``site_name``/
``publisher`` metadata field); an outlet suffix of the title ("... — RT World News",
"... | Kyiv Post"); a photo credit naming the outlet as "(Photographer, Outlet)"; a footer among the
last lines naming the outlet ("© Голос Дніпра, 2024. Усі права захищено.", "Gazeta Wieczorna © 2024",
"Copyright 2024 Baltic Ledger", a tagline "Nordsee-Kurier – Ihre Zeitung für die Küste.", or a
name matching the site address printed beside it); the URL's domain ("https://www.kyivpost.com/..."
-> "kyivpost.com"). Nothing is guessed beyond these, and every name read from text must look like
a name (capitalised or quoted, a few words, not a share button, language code or rights phrase).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from newsprism.clean.boilerplate import find_captions, junk_kind, split_caption
from newsprism.clean.normalize import normalize_line, normalize_paragraphs
from newsprism.models import RawDocument

# An outlet suffix is a few words; "Title — Jens Stoltenberg says he will not resign" is not one.
MAX_SUFFIX_WORDS = 5
# The head of the text where a title with an outlet suffix or a photo credit can be found.
HEAD_PARAGRAPHS = 6
HEAD_CHARS = 5000

# A footer naming the outlet is among the last lines of the page: copyright lines sit below
# "Read also" links, share bars and comment prompts (up to ~6 such lines on the demo pages and the
# seeds), taglines are the very last lines. Footers are short.
FOOTER_LINES = 8
TAGLINE_LINES = 3
FOOTER_MAX_WORDS = 30
TAGLINE_MAX_WORDS = 20
TAIL_CHARS = 3000
# An outlet name read from text has at most this many words ("Continental Press Agency",
# "Frankfurter Allgemeine Zeitung", "The Kyiv Independent").
MAX_NAME_WORDS = 5
# A name printed beside a web address matches it when its transliterated letters are this similar
# to the address's site label ("Свободный вестник" ~ "svobodnyvestnik": 97); a lower bar lets
# unrelated names of similar length through.
NAME_DOMAIN_MIN_SIMILARITY = 90

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


_COPYRIGHT_RE = re.compile(r"©|\((?:c|с)\)|\bcopyright\b|\bcopr\.", re.IGNORECASE)
_YEARS_RE = re.compile(r"^\W*(?:(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?\W*)+")
# Where a name after "©" ends: a sentence stop, a separator, a comma, a year, a spaced dash.
_NAME_END_RE = re.compile(r"[.;:!?|·•](?:\s|$)|[|·•,]|\s[-–—]\s|\s[-–—]$|\s(?:19|20)\d\d\b|\s\(")
# Where a name before "©" starts: after the last stop or separator.
_NAME_START_RE = re.compile(r"(?:.*(?:[.;:!?](?:\s)|[|·•]|\s[-–—]\s))")
# "Rheinische Abendschau GmbH": the company form is not part of the outlet's name.
_LEGAL_FORM_RE = re.compile(
    r"(?:[\s,]+(?:gmbh(?:\s*&\s*co\.?\s*kg)?|ag|kg|se|ltd\.?|limited|llc|l\.l\.c\.|inc\.?|plc|corp\.?|"
    r"s\.?\s?a\.?|s\.?p\.?a\.?|s\.?r\.?l\.?|s\.?l\.?|sas|sarl|b\.?v\.?|n\.?v\.?|sia|oü|uab|as|ab|"
    r"sp\.\s?z\s?o\.\s?o\.?|s\.?c\.?|ооо|оао|зао|ао|пао|тов|тзов|пат|прат))+$",
    re.IGNORECASE,
)
_LEGAL_PREFIX_RE = re.compile(r"^(?:ооо|оао|зао|ао|пао|тов|пат|прат|s\.?a\.?)\s+", re.IGNORECASE)
# A registration or VAT number ("P.Iva 12741650159") is no name.
_LONG_NUMBER_RE = re.compile(r"\d{5,}")
# "Name – self-description" at the end of a page: the self-description says what the outlet is.
_TAGLINE_RE = re.compile(r"^(?P<name>“[^“”]{2,60}”|[^\s“”][^–—:.|]{0,60}?)\s+[-–—]\s+(?P<about>\S.*)$")
_SELF_DESCRIPTION = re.compile(
    r"\b(news|newsroom|newspaper|magazine|media|outlet|site|website|portal|publication|journalism|"
    r"independent|daily|weekly|zeitung|nachrichten|magazin|redaktion|unabhängig\w*|tageszeitung|"
    r"видання|газета|новини|журнал|портал|редакція|незалежн\w*|щоденн\w*|издание|новости|"
    r"редакция|независим\w*|ежедневн\w*|gazet\w*|wiadomości|dziennik|serwis|niezależn\w*|"
    r"codzienn\w*|tygodnik|giornale|quotidiano|notizie|testata|indipendente|periódico|diario|"
    r"noticias|medio|independiente|journal|quotidien|actualités|média|indépendant\w*|hebdomadaire)\b",
    re.IGNORECASE,
)
# Words of rights notices: "All rights reserved", "Усі права захищено", "Wszelkie prawa zastrzeżone".
_RIGHTS_RE = re.compile(
    r"\b(rights|reserved|права|захищен\w*|защищен\w*|prawa|zastrzeżone|rechte|vorbehalten|diritti|"
    r"riservat\w*|riproduzione|derechos|reservados|droits|réservés|redistribution|reproduction)\b",
    re.IGNORECASE,
)
_PHOTO_WORDS = re.compile(r"\b(photo|foto|фото|bild|image|picture|zdjęcie|immagine|imagen|illustration)\w*",
                          re.IGNORECASE)
_WEB_ADDRESS_RE = re.compile(r"(?<![\w@.])(?:https?://)?(?:www\.)?([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,})"
                             r"(?=[/\s.,;:)]|$)", re.IGNORECASE)
# Page furniture that sits where names do (share bars, language switchers): never an outlet.
_NOT_OUTLETS = {
    "copy link", "link", "whatsapp", "facebook", "twitter", "x", "telegram", "viber", "linkedin",
    "instagram", "youtube", "tiktok", "e-mail", "email", "mail", "print", "share", "vk", "vkontakte",
    "вконтакте", "одноклассники", "messenger", "reddit", "pinterest", "rss", "home", "menu",
    "subscribe", "newsletter", "impressum", "datenschutz", "abo", "cookies", "all rights reserved",
}
# Two-letter codes of languages/countries in switchers ("UA | EN | RU"); "RT" or "AP" are not here.
_LANGUAGE_CODES = {
    "en", "de", "uk", "ua", "ru", "pl", "it", "es", "fr", "pt", "nl", "cs", "sk", "hu", "ro", "bg",
    "el", "tr", "ar", "zh", "ja", "ko", "be", "by", "kz", "lt", "lv", "et", "fi", "sv", "da", "no",
    "us", "eu", "ee", "md", "ge", "am", "az", "sr", "hr", "sl", "he", "fa", "hi", "ca", "gb",
}
# Lower-case words inside names: "Corriere del Lago", "Frankfurter Allgemeine am Sonntag".
_NAME_CONNECTORS = {"de", "del", "della", "di", "la", "le", "les", "el", "los", "du", "des", "der",
                    "die", "das", "am", "im", "und", "the", "of", "and", "y", "i", "e", "et", "na",
                    "nad", "w", "z", "v", "в", "на", "и", "і", "з", "da", "do", "dos", "da", "al"}
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
})


def detect_source(raw: RawDocument, text: str, *, override: str | None = None,
                  normalized: bool = False) -> str | None:
    """The outlet that published ``raw`` (see the module docstring for the order of evidence).

    ``text`` is the article text (normalised or raw; captions in it are read for credits).
    ``normalized=True`` says it is already the output of ``normalize_paragraphs`` joined by blank
    lines, which saves normalising it again (the clean stage's hot path).
    """
    split = (lambda chunk: [p for p in chunk.split("\n\n") if p.strip()]) if normalized else normalize_paragraphs
    for candidate in (override, raw.source, *(_text_value(raw.metadata.get(k)) for k in _METADATA_KEYS)):
        if candidate and candidate.strip():
            return normalize_line(candidate)
    paragraphs = split(text[:HEAD_CHARS])[:HEAD_PARAGRAPHS]
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
    tail = split(text[-TAIL_CHARS:]) if len(text) > TAIL_CHARS else split(text)
    if len(text) > TAIL_CHARS:
        tail = tail[1:]  # the first paragraph of the slice may be cut mid-way
    return outlet_from_footer(tail) or domain


def outlet_from_footer(paragraphs: list[str]) -> str | None:
    """The outlet named by a footer among the last ``paragraphs`` of a page, else ``None``.

    Read, from the last line up: a copyright line ("© Вести Севера. При полном...", "Gazeta
    Wieczorna © 2024", "(c) 2024 The Example Times"); a tagline ("Kyiv Morning Post – незалежне
    видання.") among the last TAGLINE_LINES lines; a name opening a footer line and matching the
    web address printed in it ("«Свободный вестник» работает без цензуры. ... svobodnyvestnik.ua").
    """
    lines = [p for p in paragraphs if p.strip()][-FOOTER_LINES:]
    for position, line in enumerate(reversed(lines)):
        if len(line.split()) > FOOTER_MAX_WORDS:
            continue
        outlet = outlet_from_copyright(line)
        if not outlet and position < TAGLINE_LINES:
            outlet = outlet_from_tagline(line) or _outlet_named_by_address(line)
        if outlet:
            return outlet
    return None


def outlet_from_copyright(line: str) -> str | None:
    """The holder named in a copyright notice: "© Голос Дніпра, 2024." -> "Голос Дніпра",
    "Gazeta Wieczorna © 2024." -> "Gazeta Wieczorna"; ``None`` when there is no (name-like) holder."""
    m = _COPYRIGHT_RE.search(line)
    if not m or _PHOTO_WORDS.search(line[: m.start()]):
        return None  # "Фото © Reuters" credits a picture
    after = _COPYRIGHT_RE.sub(" ", line[m.end():], count=1)  # "Copyright © 2024 ..."
    after = _YEARS_RE.sub("", after.strip())
    end = _NAME_END_RE.search(after)
    candidates = [after[: end.start()] if end else after]
    before = line[: m.start()]
    start = _NAME_START_RE.match(before)
    candidates.append(before[start.end():] if start else before)
    rights = bool(_RIGHTS_RE.search(line))
    for candidate in candidates:
        name = clean_outlet_name(candidate)
        if name and (rights or name.casefold() not in _PHOTO_AGENCIES):
            return name
    return None


def outlet_from_tagline(line: str) -> str | None:
    """The name in a closing tagline "Name – self-description" ("Nordsee-Kurier – Ihre Zeitung
    für die Küste."); the description must say what an outlet is (or the line carry "©")."""
    if len(line.split()) > TAGLINE_MAX_WORDS:
        return None
    m = _TAGLINE_RE.match(line.strip())
    if not m:
        return None
    if not (_SELF_DESCRIPTION.search(m["about"]) or _COPYRIGHT_RE.search(line)):
        return None  # "Jens Stoltenberg — NATO Secretary General" describes a person
    return clean_outlet_name(m["name"])


def clean_outlet_name(candidate: str) -> str | None:
    """``candidate`` as an outlet name (quotes, years and company forms removed), or ``None``
    when it does not look like one: 1-MAX_NAME_WORDS words, the first capitalised, the others
    capitalised or small connectors ("Corriere del Lago") unless the name is quoted
    ("“Свободный вестник”"); never a share button, a language
    code, a rights phrase or page junk."""
    name = candidate.strip(" \t.,;:-–—“”\"'«»")
    quoted = re.fullmatch(r"“([^“”]+)”", candidate.strip(" .,;:"))
    if quoted:
        name = quoted[1].strip()
    name = _LEGAL_PREFIX_RE.sub("", name).strip(" “”\"«»")
    name = _LEGAL_FORM_RE.sub("", name).strip(" ,.")
    name = re.sub(r"\s+(?:19|20)\d\d$", "", name).strip(" ,.")
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or _LONG_NUMBER_RE.search(name):
        return None
    if not (words[0][0].isupper() or words[0][0].isdigit()):
        return None
    for word in words[1:] if not quoted else ():  # quotes mark a sentence-case name: «Новая газета»
        if not (word[0].isupper() or word[0].isdigit() or word.casefold() in _NAME_CONNECTORS):
            return None
    if not is_outlet_name(name) or _RIGHTS_RE.search(name) or _COPYRIGHT_RE.search(name):
        return None
    return name


def is_outlet_name(name: str) -> bool:
    """False for text that can never be an outlet: share buttons ("Copy link", "WhatsApp"),
    language codes ("RU"), page junk, symbols."""
    folded = name.strip().casefold()
    if not folded or not any(ch.isalpha() for ch in folded):
        return False
    if folded in _NOT_OUTLETS or folded in _LANGUAGE_CODES:
        return False
    return not junk_kind(name)


def _outlet_named_by_address(line: str) -> str | None:
    """A name opening ``line`` that spells the web address printed in it ("Kyiv Morning Post is
    an independent newsroom. Support us at kyivmorningpost.com/donate")."""
    labels = {domain_of(m[1]).split(".")[0] for m in _WEB_ADDRESS_RE.finditer(line) if domain_of(m[1])}
    if not labels:
        return None
    quoted = re.match(r"^\s*(“[^“”]{2,60}”)", line)
    opening = [quoted[1]] if quoted else []
    words = re.findall(r"[\w'-]+", line.split(".")[0])
    run: list[str] = []
    for word in words[:MAX_NAME_WORDS]:
        if not (word[0].isupper() or (run and word.casefold() in _NAME_CONNECTORS)):
            break
        run.append(word)
    # the name is a prefix of the capitalised opening run: "Kyiv Morning Post Support" is not the name
    opening += [" ".join(run[:n]) for n in range(len(run), 0, -1)]
    for candidate in opening:
        squashed = re.sub(r"[^a-z0-9]", "", candidate.casefold().translate(_CYRILLIC_TO_LATIN))
        if len(squashed) < 3:
            continue
        if any(fuzz.ratio(squashed, label.replace("-", "")) >= NAME_DOMAIN_MIN_SIMILARITY for label in labels):
            return clean_outlet_name(candidate)
    return None


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
        if not is_outlet_name(outlet):
            continue  # "Headline | Copy link", "Headline | RU": page furniture, not an outlet
        return m["title"].strip(), outlet
    return title, None


def outlet_from_credit(caption: str) -> str | None:
    """The outlet of a credit like "Photo: ... (Vitalii Nosach, RBC-Ukraine)", unless an agency."""
    m = _CREDIT_OUTLET_RE.search(caption)
    if not m:
        return None
    outlet = m["outlet"].strip()
    if outlet.casefold() in _PHOTO_AGENCIES or not is_outlet_name(outlet):
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
