"""Page furniture: sentences that are part of the page, not of the news.

A cleaned article still holds lines that report nothing: a dateline ("Bruksela, 13 marca 2024 r.",
"KYIV, March 5 (Reuters) -"), a byline or credit ("(Reporting by Claire Dumont; Editing by Henrik
Aas)", "By John Smith", "Autor: ..."), a photo credit ("Photo: AFP/Getty", "Фото: ..."), a subhead
("Sending troops", "Head of NATO in Italy."), a related-links line ("Read also: ...", "Czytaj
także: ..."), share/comment/navigation lines and copyright notices. They must never become a claim,
a summary sentence or a timeline event.

``furniture_kind`` classifies one sentence from its text, the paragraph (line) it stands in when
known, the article's language and title; ``sentence_furniture`` does it for a ``Sentence`` of an
``Article``. Rules, not a model: each kind has a surface signature that holds across en, de, fr, es,
it, pl, uk, ru (label words, a date with nothing but a place around it, a short line with no full
stop). Precision comes first: a short real fact ("Six people died.") is never furniture; the
fixture ``tests/clean/fixtures/furniture_lines.jsonl`` measures both (tests/clean/test_furniture.py).
"""

from __future__ import annotations

import re
from typing import Final

from newsprism.calendar_words import month_numbers, weekday_numbers
from newsprism.clean.dates import is_dateline
from newsprism.models import Article, Sentence

KINDS: Final = ("dateline", "byline", "photo_credit", "subhead", "related", "share", "copyright", "navigation")

# A subhead paragraph (no full stop at its end) is at most this long: section heads of the seeds
# and demo run 2-9 words; a standfirst ("The French President had previously hinted that the bloc
# might send troops to Ukraine", 14 words) is prose. A paragraph of two parts ("Head of NATO in
# Italy. He met with Giorgia Meloni") counts when its unterminated last part is this short.
SUBHEAD_MAX_WORDS = 8
# ...and a verbless one ("NATO: «Four new battalions in Slovakia, Romania, Bulgaria and Hungary»")
# up to this many words; a whole subhead paragraph never exceeds SUBHEAD_PARAGRAPH_MAX_WORDS.
VERBLESS_SUBHEAD_MAX_WORDS = 14
SUBHEAD_PARAGRAPH_MAX_WORDS = 18
# ...and a full sentence before it is at most this long ("Ukrainians do not want NATO troops in
# their country." has 9 words); a longer one is prose that a junk tail follows on the same line.
SUBHEAD_PART_MAX_WORDS = 10
# A line ending in a full stop is a subhead only when it is a bare noun phrase this short
# ("Head of NATO in Italy."): short facts ("Six people died.") have a verb or no preposition.
NOUN_PHRASE_MAX_WORDS = 6
# Label-led credits ("Autor: Jan Kowalski", "Źródło: PAP") and bylines ("By John Smith, Reuters")
# name people or outlets in a few words; a longer line after "Source:" is prose.
CREDIT_MAX_WORDS = 12
BYLINE_MAX_NAME_WORDS = 8
# Photo captions/credits ("Фото: Єнс Столтенберг у штаб-квартирі НАТО (Марія Коваль / Kyiv Morning
# Post)") run longer than credits; beyond this they are prose that merely starts with "Photo".
CAPTION_MAX_WORDS = 30
# A "Read also:"/"Czytaj także:" line carries one headline (up to ~20 words).
RELATED_MAX_WORDS = 30
# Share/comment/navigation lines are short.
NAVIGATION_MAX_WORDS = 12
COPYRIGHT_MAX_WORDS = 45
# A dateline names a place in at most this many words ("CAMERINO, Italy", "Nowy Dwór Mazowiecki").
DATELINE_MAX_PLACE_WORDS = 5

_WORD = re.compile(r"[^\W_][\w'’ʼ.-]*")
_TERMINAL = re.compile(r"[.!?…;]$")
_CLOSERS = "\"'”’»“«„)]*"
_SPACES = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------- dateline

_MONTHS = month_numbers(abbreviations=True)
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((re.escape(w) for w in weekday_numbers()), key=len, reverse=True))
_DAY = r"[0-3]?\d(?:st|nd|rd|th|er|º|°|\.|-?(?:го|е|я))?"
_YEAR = r"(?:1[89]|20)\d\d"
_YEAR_WORD = r"(?:r\.|roku|року|р\.|рік|года|г\.|год)"
_MONTH = rf"(?:{_MONTH_ALT})\.?(?![\w])"
_WEEKDAY = rf"(?:{_WEEKDAY_ALT})(?![\w]),?"
_DATE = re.compile(
    rf"(?<![\w])(?:{_WEEKDAY}\s+)?(?:(?:le|el|den|il|the|am)\s+)?(?:"
    rf"{_DAY}\s*(?:de\s+|of\s+)?{_MONTH}(?:,?\s*(?:de\s+|del\s+)?{_YEAR}(?:\s*{_YEAR_WORD})?)?"
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
    rf"|[0-3]?\d[./][01]?\d[./]{_YEAR}(?:\s*{_YEAR_WORD})?"
    rf"|{_YEAR}-[01]\d-[0-3]\d"
    rf"|(?:{_WEEKDAY_ALT})(?![\w])"
    rf")", re.IGNORECASE)
_TIME = r"(?:,?\s*(?:at|um|à|alle|o|в|о|a las|godz\.)?\s*\d{1,2}[:.h]\d{2}(?:\s*(?:a\.?m\.?|p\.?m\.?|uhr|h|MSK|CET|GMT|UTC))?)"
# What may follow the date: a time, an agency in brackets ("(Reuters)", "(CPA)"), a separator.
_DATELINE_TAIL = re.compile(rf"^(?:{_TIME})?(?:\s*\([^()\d]{{1,40}}\))?\)?\s*[-–—‒―:|.,]*\s*$", re.IGNORECASE)
# "LONDON (Reuters) -", "WASHINGTON —": an upper-case place with an agency and/or a dash, no date.
_AGENCY_DATELINE = re.compile(
    r"^[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐŁŚŻŹĆŃÓ][A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐŁŚŻŹĆŃÓ .'’-]{1,40}(?:,\s*[\w .'-]{2,30})?"
    r"(?:\s*\([^()\d]{1,30}\)\s*[-–—‒―:]?|\s*[-–—‒―])\s*$")
_PLACE_CONNECTORS = {"am", "an", "der", "de", "del", "la", "le", "nad", "na", "sur", "upon", "on", "di", "do", "da",
                     "im", "pod", "bei", "y", "i", "und", "et", "and", "e"}


def _is_place(prefix: str) -> bool:
    """A dateline's lead: nothing, or a few capitalised place words ("Rom/Camerino", "Cascia (Perugia)")."""
    words = _WORD.findall(prefix)
    if len(words) > DATELINE_MAX_PLACE_WORDS:
        return False
    if re.search(r"[.!?;:\"“”«»]", prefix.strip(" ,(/–—-")):
        return False
    if words and (words[0].lower() in _PREPOSITIONS or words[0].lower() in _SENTENCE_OPENERS):
        return False  # "On 13 March 2024.", "In March." open a phrase, not a place
    return all(w[:1].isupper() or w.lower() in _PLACE_CONNECTORS for w in words)


def dateline_prefix_end(text: str) -> int:
    """Where the prose starts after an opening dateline ("CAMERINO, Italy, 20 February 2024 (CPA) — A
    magnitude 5.6 earthquake..."): the offset of "A", or 0 when ``text`` opens with no dateline."""
    m = _DATE.search(text, 0, 80)
    if m is None or not _is_place(text[:m.start()]) or not text[:m.start()].strip(" ,(/"):
        return 0
    tail = re.match(rf"(?:\s*{_YEAR_WORD})?(?:{_TIME})?(?:\s*\([^()\d]{{1,40}}\))?\s*([-–—‒―:|]|\.(?=\s))\s*",
                    text[m.end():], re.IGNORECASE)
    if tail is None:
        return 0
    end = m.end() + tail.end()
    return end if end < len(text) and text[end:end + 1].strip() else 0


def _is_dateline(text: str) -> bool:
    stripped = text.strip()
    if is_dateline(stripped):  # "Published: 12 March 2024, 14:05", "Jane Doe | March 25, 2022 | 3 min read"
        return True
    if _AGENCY_DATELINE.match(stripped) and len(_WORD.findall(stripped)) <= DATELINE_MAX_PLACE_WORDS + 2:
        return True
    for m in _DATE.finditer(stripped):
        if _is_place(stripped[:m.start()]) and _DATELINE_TAIL.match(stripped[m.end():]):
            return True
    return False


# -------------------------------------------------------------------------------- credits, links

_CREDIT_VERBS = (r"reporting|reported|writing|written|editing|edited|compiled|produced|additional reporting|"
                 r"translated|translation|graphics|research|fact-checking")
_REPORTING_BY = re.compile(rf"^\(?\s*(?:{_CREDIT_VERBS})\s+by\b[^()]*\)?\.?$", re.IGNORECASE)
_CREDIT_LABEL = re.compile(
    r"^\(?\s*(?:author|authors|autor|autorin|autorzy|autorka|auteur|auteurs|autore|autrice|autores|автор|авторка|"
    r"авторы|автори|text|texte|tekst|testo|текст|redakcja|redaktion|rédaction|redazione|redacción|редакция|"
    r"редакція|opracowanie|oprac\.|źródło|zrodlo|quelle|quellen|source|sources|fuente|fuentes|fonte|fonti|"
    r"джерело|источник|mitarbeit|współpraca|collaboration|correspondent|korrespondent|"
    r"contact|kontakt|контакт|e-mail|email)\s*[:：]", re.IGNORECASE)
_BY = re.compile(r"^(?:by|von|par|por|di|przez|от)\s+(?P<names>.+?)\.?$", re.IGNORECASE)
_NAME_CONNECTORS = {"and", "und", "et", "y", "e", "i", "и", "та", "і", "in", "aus", "à", "en", "a", "w", "в", "у",
                    "de", "da", "van", "von", "der", "del", "di", "le", "la"}
_AGENCY_ONLY = re.compile(r"^[(\[]\s*[\w .&/'’-]{2,30}\s*[)\]]\.?$|^[-–—]\s*[\w .&/'’-]{2,30}$")
_EMAIL_ONLY = re.compile(r"^[\w.+-]+@[\w-]+\.[\w.-]+$|^@\w{2,}$")

_CAPTION = re.compile(
    r"^[(\[]?\s*(?:photo|photos|photograph|photo credit|crédit photo|crédits photo|credit|credits|picture|"
    r"pictured|image|images|illustration|illustrative photo|video|foto|fotos|fotografia|fotografía|bild|bilder|"
    r"bildquelle|immagine|imagen|zdjęcie|zdjęcia|zdj\.|fot\.|фото|фотография|світлина|ілюстрація|иллюстрация|"
    r"відео|видео|источник фото|джерело фото|foto di|photo by|foto von|fot|zdj)\b\.?\s*(?:[:：/|•—–-]|by\b|di\b|"
    r"von\b|de\b|par\b)", re.IGNORECASE)
# "AFP/Getty Images", "REUTERS/Yves Herman", "EPA-EFE/OLIVIER HOSLET": photographer/agency credits.
_SLASH_CREDIT = re.compile(r"^[(\[]?\s*[A-ZÀ-ÞА-ЯЁІЇЄҐ][\w.&'’ -]{1,30}(?:\s*/\s*[\w.&'’ -]{2,30})+[)\]]?$")
_PHOTO_AGENCIES = re.compile(r"\b(getty images|shutterstock|imago|picture alliance|depositphotos|unsplash)\b", re.I)

_LEAD_INS_MULTI = (
    "read also|read more|see also|also read|related article|related story|related articles|related stories|"
    "lesen sie auch|lesen sie mehr|lesen sie dazu|auch lesen|mehr zum thema|siehe auch|zum thema|passend dazu|"
    "lire aussi|à lire aussi|a lire aussi|lire également|voir aussi|sur le même sujet|à lire|"
    "leggi anche|leggi pure|leggi di più|vedi anche|guarda anche|potrebbe interessarti|"
    "lee también|lea también|leer más|ver también|más información|te puede interesar|"
    "czytaj także|czytaj też|czytaj również|czytaj więcej|zobacz także|zobacz też|zobacz również|"
    "przeczytaj też|przeczytaj także|"
    "читайте також|дивіться також|також читайте|читайте більше|"
    "читайте также|смотрите также|также читайте|читайте больше|по теме|"
    "more on this|more from"
)
_LEAD_INS_SINGLE = "related|recommended|watch|listen|more|mehr|więcej|детальніше|подробнее|approfondisci|relacionado"
_RELATED = re.compile(
    rf"^[(\[]?\s*(?:(?:{_LEAD_INS_MULTI})\s*(?:[:：—–»→|>›]|$|(?=\s+[\"“«„]?[A-ZÀ-ÞА-ЯЁІЇЄҐ]))"
    rf"|(?:{_LEAD_INS_SINGLE})\s*(?:[:：»→|>›]|$))", re.IGNORECASE)

_SHARE = re.compile(
    r"^(?:share|share this(?: article| story)?|share on|udostępnij|teilen|partager|compartir|compartir en|condividi|"
    r"поделиться|поділитися|tweet|email this)\s*(?:[:：|•·]|$)", re.IGNORECASE)
_SOCIAL = {"facebook", "x", "twitter", "whatsapp", "telegram", "linkedin", "e-mail", "email", "mail", "вконтакте",
           "одноклассники", "viber", "reddit", "pinterest", "print", "drukuj", "drucken", "imprimir", "stampa",
           "imprimer", "copy", "link", "threads", "bluesky", "instagram", "youtube", "tiktok", "vk", "ok"}
_NAVIGATION = re.compile(
    r"^(?:comments?|kommentare?|commentaires?|commenti|comentarios?|komentarze?|komentarz|коментарі|коментар|"
    r"комментарии|комментарий|leave a (?:reply|comment)|add (?:a )?comment|dodaj komentarz|"
    r"kommentar schreiben|laisser un commentaire|lascia un commento|deja un comentario|залишити коментар|"
    r"оставить комментарий|source link|back to top(?: button)?|advertisement|anzeige|werbung|reklama|"
    r"реклама|pubblicità|publicidad|publicité|subscribe|newsletter|abonnieren|zapisz się|подпишитесь|"
    r"підпишіться|tags?|schlagworte|tagi|теги|мітки|similar posts|related(?: articles| posts)?|"
    r"you may also like|most read|najczęściej czytane|самое читаемое|найпопулярніше)\b", re.IGNORECASE)
_LANGUAGE_CODES = {"ua", "uk", "en", "ru", "de", "fr", "es", "it", "pl", "pt", "eng", "рус", "укр", "by", "lt", "lv"}
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s|copyright\b)|all rights reserved|alle rechte vorbehalten|wszelkie prawa zastrzeżone|"
    r"tous droits réservés|todos los derechos reservados|tutti i diritti riservati|все права защищены|"
    r"усі права захищені|всі права захищені|redistribution prohibited|reproduction interdite", re.IGNORECASE)

# ------------------------------------------------------------------------------------ subheads

# Finite-verb cues, language by language. Only used to tell a verbless heading from a sentence, so
# the lists favour recall of verbs (a missed verb could turn a fact into furniture).
_VERB_WORDS = set("""
is are was were be been being has have had do does did will would can could may might must shall should
says said tells told asks asked wants want goes went comes came gets got gives gave takes took makes made
sees saw knows knew finds found leaves left keeps kept holds held meets met runs ran falls fell rises rose
hits hit wins won loses lost begins began sends sent brings brought pays paid stands stood spends spent
seeks sought fights fought builds built buys bought sells sold speaks spoke breaks broke flees fled dies
struck strikes shows shown grows grew lies lay sets puts cuts hurt hurts let lets leads led reads means meant
ist sind war waren hat haben hatte hatten wird werden wurde wurden kann können konnte soll sollen sollte
muss müssen will wollen gibt gab geht ging kommt kam sagt sagte steht stand liegt lag bleibt blieb
est sont était étaient a ont avait avaient sera seront fut peut peuvent doit doivent va vont fait font dit
es son era eran fue fueron ha han había habían será serán puede pueden debe hay dijo hace hizo
è sono era erano fu furono ha hanno aveva avevano sarà saranno può possono deve devono c'è ci sono
jest są był była było byli były będzie będą ma mają miał miała mieli może mogą musi trzeba
є був була було були буде будуть має мають може можуть треба
есть был была было были будет будут имеет может могут должен нужно
""".split())
_VERB_SUFFIXES = {
    "en": ("ed",),
    "de": ("te", "ten", "ierte", "ierten"),
    "fr": ("ait", "aient", "é", "ée", "és", "ées", "era", "eront"),
    "es": ("ó", "aron", "ieron", "aba", "aban", "ía", "ían", "ado", "ido"),
    "it": ("ò", "ato", "ata", "ati", "ito", "ita", "iti", "ava", "avano", "eva", "evano", "ano", "ono"),
    "pl": ("ł", "ła", "ło", "li", "ły", "ją", "uje", "ują", "iło", "ało"),
    "uk": ("в", "ла", "ло", "ли", "ють", "ять", "ує", "ують", "ить", "ать", "еться", "ться"),
    "ru": ("л", "ла", "ло", "ли", "ет", "ит", "ют", "ят", "ует", "уют", "ется", "ится", "ались", "ился"),
}
_PREPOSITIONS = set("""
of in at on for from with to about against after before over under near between during without by
von aus im in an auf für mit nach gegen bei über unter zum zur vor
de du des à au aux en dans pour sur avec contre après chez sans sous
del en para con contra sobre tras desde sin entre
di del della dello dei degli delle a al alla in nel nella su sul per con contro tra fra da dal dalla
w we z ze na do dla o od po przed przy nad pod bez u
в у на з із зі до для про від після під над без біля
в во на с со к из для о об от после при над под без у
""".split())
# Words that open a sentence, not a heading: pronouns, determiners, quantities, negation.
_SENTENCE_OPENERS = set("""
he she it they we i you this that these those there nobody everyone someone all most many some several few none
no one two three four five six seven eight nine ten dozens hundreds thousands
er sie es wir ich man niemand alle viele einige keine
il elle ils elles on nous je personne tous plusieurs aucun
él ella ellos ellas nadie todos muchos varios
lui lei loro noi nessuno tutti molti alcuni
on ona ono oni one my nikt wszyscy wielu kilku
він вона воно вони ми ніхто всі багато кілька
он она оно они мы никто все многие несколько
""".split())


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _norm(text: str) -> str:
    return _SPACES.sub(" ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def _terminated(text: str) -> bool:
    """Whether ``text`` ends a sentence (a full stop etc., possibly inside closing quotes)."""
    return bool(_TERMINAL.search(text.rstrip().rstrip(_CLOSERS).rstrip()))


def has_verb_cue(text: str, language: str | None = None) -> bool:
    """Whether ``text`` shows a finite verb (auxiliary, common verb or a verb ending of its language)."""
    suffixes = _VERB_SUFFIXES.get(language or "", ()) if language else tuple(
        s for v in _VERB_SUFFIXES.values() for s in v)
    for word in _words(text):
        low = word.lower().strip(".'’")
        if low in _VERB_WORDS or low.endswith("n't"):
            return True
        if len(low) > 4 and not word[:1].isupper() and low.endswith(suffixes):
            return True
    return False


def _is_noun_phrase_heading(text: str, language: str | None) -> bool:
    """"Head of NATO in Italy.": a short verbless phrase whose noun head is followed by a preposition."""
    words = _words(text)
    if not 2 <= len(words) <= NOUN_PHRASE_MAX_WORDS or re.search(r"\d", text):
        return False
    if not words[0][:1].isupper() or words[0].lower() in _SENTENCE_OPENERS:
        return False
    if not (words[1].lower() in _PREPOSITIONS
            or (len(words) > 2 and words[1][:1].isupper() and words[2].lower() in _PREPOSITIONS)):
        return False
    return not has_verb_cue(text, language)


def _is_subhead(text: str, paragraph: str, language: str | None, title: str | None, position: int | None) -> bool:
    para = paragraph.strip()
    para_words = _words(para)
    if not para_words or len(para_words) > SUBHEAD_PARAGRAPH_MAX_WORDS or position == 0:
        return False
    if title and _norm(para) == _norm(title):
        return False  # the headline printed again: it says what the story says
    if para.rstrip(_CLOSERS).rstrip().endswith("?"):
        return False  # a question line: not a claim anyway, and a quoted question is content
    if not _terminated(para):
        *before, last = re.split(r"(?<=[.!?…])\s+", para)
        if any(len(_words(part)) > SUBHEAD_PART_MAX_WORDS for part in before):
            return False  # a sentence of prose on the line: prose with a tail, not a heading
        if furniture_kind(last, language=language) is not None:
            return False  # "... Source link": the tail is junk of its own, the rest is prose
        if len(_words(last)) <= SUBHEAD_MAX_WORDS:
            return True
        return len(para_words) <= VERBLESS_SUBHEAD_MAX_WORDS and not has_verb_cue(para, language)
    return _norm(para) == _norm(text) and _is_noun_phrase_heading(text, language)


# ------------------------------------------------------------------------------------- public


def furniture_kind(text: str, *, language: str | None = None, title: str | None = None,
                   paragraph: str | None = None, position: int | None = None) -> str | None:
    """The furniture kind of one sentence (one of ``KINDS``), or None when it may carry news.

    ``paragraph``: the line of the article the sentence stands in (a subhead is recognised only
    with it; None when unknown). ``position``: the sentence's index in the article (0 is the
    headline line, never a subhead). ``title``: the article's headline (a repeat of it is not a
    subhead). ``language``: the article's language, for verb cues.
    """
    stripped = text.strip()
    words = _words(stripped)
    if not words:
        return None
    n = len(words)
    if _REPORTING_BY.match(stripped):
        return "byline"
    if _COPYRIGHT.search(stripped) and n <= COPYRIGHT_MAX_WORDS:
        return "copyright"
    if _RELATED.match(stripped) and n <= RELATED_MAX_WORDS:
        return "related"
    if (_CAPTION.match(stripped) or (_PHOTO_AGENCIES.search(stripped) and n <= 6)) and n <= CAPTION_MAX_WORDS:
        return "photo_credit"
    if _SLASH_CREDIT.match(stripped) and n <= 6 and not _terminated(stripped.rstrip(".")):
        return "photo_credit"
    if _is_dateline(stripped):
        return "dateline"
    if _CREDIT_LABEL.match(stripped) and n <= CREDIT_MAX_WORDS + 1:
        return "byline"
    by = _BY.match(stripped)
    if by and _is_name_list(by.group("names")):
        return "byline"
    if n <= 4 and (_AGENCY_ONLY.match(stripped) or _EMAIL_ONLY.match(stripped)):
        return "byline"
    if n <= NAVIGATION_MAX_WORDS and (_SHARE.match(stripped) or _all_social(stripped)):
        return "share"
    if n <= NAVIGATION_MAX_WORDS and (_NAVIGATION.match(stripped) or _all_language_codes(stripped)):
        if not _terminated(stripped) or n <= 4:
            return "navigation"
    if paragraph is not None and _is_subhead(stripped, paragraph, language, title, position):
        return "subhead"
    return None


def _is_name_list(names: str) -> bool:
    """"John Smith and Jane Doe, Reuters": capitalised names only (not "By the end of March")."""
    words = _words(names.replace("|", ",").replace("—", ","))
    if not words or len(words) > BYLINE_MAX_NAME_WORDS or re.search(r"[.!?;]\s", names):
        return False
    months_days = set(_MONTHS) | set(weekday_numbers())
    if any(w.lower() in months_days for w in words):
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_CONNECTORS for w in words) and words[0][:1].isupper()


def _all_social(text: str) -> bool:
    parts = [p for p in re.split(r"[|·•,/\s]+", text.casefold().strip(" :")) if p]
    return len(parts) >= 2 and all(p.rstrip(":") in _SOCIAL for p in parts)


def _all_language_codes(text: str) -> bool:
    parts = [p for p in re.split(r"[|·•/\s]+", text.casefold()) if p]
    return len(parts) >= 2 and all(p in _LANGUAGE_CODES for p in parts)


def paragraph_at(text: str, start: int, end: int) -> str:
    """The line of ``text`` (cleaned texts have one paragraph per line) holding ``text[start:end]``."""
    begin = text.rfind("\n", 0, max(start, 0)) + 1
    stop = text.find("\n", max(end, begin))
    return text[begin:] if stop < 0 else text[begin:stop]


def sentence_furniture(sentence: Sentence, article: Article) -> str | None:
    """The furniture kind of ``sentence`` within ``article`` (see ``furniture_kind``), or None."""
    paragraph = paragraph_at(article.text, sentence.start, sentence.end) if article.text else None
    if paragraph is not None and sentence.text.strip() and sentence.text.strip() not in paragraph:
        paragraph = None  # offsets do not point at this sentence: judge it on its text alone
    return furniture_kind(sentence.text, language=article.language, title=article.title,
                          paragraph=paragraph, position=sentence.index)


def article_furniture(article: Article) -> dict[int, str]:
    """Sentence index -> furniture kind, for the furniture sentences of ``article``."""
    out = {}
    for sentence in article.sentences:
        kind = sentence_furniture(sentence, article)
        if kind is not None:
            out[sentence.index] = kind
    return out
