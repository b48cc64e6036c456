"""Month and weekday names in the languages newsprism reads, shared by every stage that reads dates.

One table, so the date parser (``clean.dates``), the timeline (``analysis.timeline``) and the
clustering features (``cluster.features``) agree on what a month is. Lower case, with accents;
a stage that matches folded text folds these too. Languages: en, de, fr, es, it, pt, nl, pl, ru, uk.
Full names come with the inflected forms used in dates (Polish genitive and locative, Russian and
Ukrainian genitive and prepositional): "8 maja", "w styczniu", "в январе", "у січні".
"""

from __future__ import annotations

MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("january", "januar", "jänner", "janvier", "enero", "gennaio", "janeiro", "januari", "styczeń", "stycznia",
        "styczniu", "январь", "января", "январе", "січень", "січня", "січні"),
    2: ("february", "februar", "feber", "février", "fevrier", "febrero", "febbraio", "fevereiro", "februari", "luty",
        "lutego", "lutym", "февраль", "февраля", "феврале", "лютий", "лютого", "лютому"),
    3: ("march", "märz", "maerz", "mars", "marzo", "março", "maart", "marzec", "marca", "marcu", "март", "марта",
        "марте", "березень", "березня", "березні"),
    4: ("april", "avril", "abril", "aprile", "kwiecień", "kwietnia", "kwietniu", "апрель", "апреля", "апреле",
        "квітень", "квітня", "квітні"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "maju", "май", "мая", "мае", "травень",
        "травня", "травні"),
    6: ("june", "juni", "juin", "junio", "giugno", "junho", "czerwiec", "czerwca", "czerwcu", "июнь", "июня",
        "июне", "червень", "червня", "червні"),
    7: ("july", "juli", "juillet", "julio", "luglio", "julho", "lipiec", "lipca", "lipcu", "июль", "июля", "июле",
        "липень", "липня", "липні"),
    8: ("august", "août", "aout", "agosto", "augustus", "sierpień", "sierpnia", "sierpniu", "август", "августа",
        "августе", "серпень", "серпня", "серпні"),
    9: ("september", "septembre", "septiembre", "setiembre", "settembre", "setembro", "wrzesień", "września",
        "wrześniu", "сентябрь", "сентября", "сентябре", "вересень", "вересня", "вересні"),
    10: ("october", "oktober", "octobre", "octubre", "ottobre", "outubro", "październik", "października",
         "październiku", "октябрь", "октября", "октябре", "жовтень", "жовтня", "жовтні"),
    11: ("november", "novembre", "noviembre", "novembro", "listopad", "listopada", "listopadzie", "ноябрь",
         "ноября", "ноябре", "листопад", "листопада", "листопаді"),
    12: ("december", "dezember", "décembre", "decembre", "diciembre", "dicembre", "dezembro", "grudzień", "grudnia",
         "grudniu", "декабрь", "декабря", "декабре", "грудень", "грудня", "грудні"),
}

# Abbreviations, only for dates written out in full ("Dec. 15, 2008", "15 févr. 2024"): alone they
# are ordinary words too often (mar, set, sie, lis, gen).
MONTH_ABBREVIATIONS: dict[int, tuple[str, ...]] = {
    1: ("jan", "янв", "sty", "gen", "ene", "janv"),
    2: ("feb", "фев", "lut", "févr"),
    3: ("mar", "mär", "мар"),
    4: ("apr", "апр", "kwi", "abr", "avr"),
    5: ("mag",),
    6: ("jun", "cze", "giu"),
    7: ("jul", "lip", "lug", "juil"),
    8: ("aug", "авг", "sie", "ago"),
    9: ("sep", "sept", "сен", "wrz", "set"),
    10: ("oct", "okt", "окт", "paź", "ott"),
    11: ("nov", "ноя", "lis"),
    12: ("dec", "dez", "дек", "gru", "dic"),
}

# 0 = Monday. With the accusative forms used in dates ("в среду", "у п'ятницю", "w środę"); Portuguese
# only as "quinta-feira": "quinta", "quarta" alone are ordinals in Spanish and Italian.
WEEKDAY_FORMS: dict[int, tuple[str, ...]] = {
    0: ("monday", "montag", "lundi", "lunes", "lunedì", "lunedi", "segunda-feira", "maandag", "poniedziałek",
        "понедельник", "понеділок", "понеділка"),
    1: ("tuesday", "dienstag", "mardi", "martes", "martedì", "martedi", "terça-feira", "dinsdag", "wtorek", "вторник",
        "вівторок", "вівторка"),
    2: ("wednesday", "mittwoch", "mercredi", "miércoles", "miercoles", "mercoledì", "mercoledi", "quarta-feira",
        "woensdag", "środa", "środę", "среду", "среда", "середу", "середа"),
    3: ("thursday", "donnerstag", "jeudi", "jueves", "giovedì", "giovedi", "quinta-feira", "donderdag", "czwartek",
        "четверг", "четвер", "четверга"),
    4: ("friday", "freitag", "vendredi", "viernes", "venerdì", "venerdi", "sexta-feira", "vrijdag", "piątek",
        "пятницу", "пятница", "пʼятницю", "п'ятницю", "п'ятниця"),
    5: ("saturday", "samstag", "samedi", "sábado", "sabado", "sabato", "zaterdag", "sobota", "sobotę", "субботу",
        "суббота", "суботу", "субота"),
    6: ("sunday", "sonntag", "dimanche", "domingo", "domenica", "zondag", "niedziela", "niedzielę", "воскресенье",
        "неділю", "неділя"),
}
WEEKDAY_ABBREVIATIONS: tuple[str, ...] = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")


def month_numbers(abbreviations: bool = False) -> dict[str, int]:
    """Month name -> month number (1-12), with the abbreviations when asked."""
    tables = (MONTH_FORMS, MONTH_ABBREVIATIONS) if abbreviations else (MONTH_FORMS,)
    return {name: number for table in tables for number, names in table.items() for name in names}


def weekday_numbers() -> dict[str, int]:
    """Weekday name -> weekday number (0 = Monday)."""
    return {name: number for number, names in WEEKDAY_FORMS.items() for name in names}
