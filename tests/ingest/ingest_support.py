"""Constants shared by the ingest tests and their conftest (imported by module name)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SLOW_SECONDS = 2.0  # the /slow endpoint waits this long; tests use a 0.5 s client timeout
BIG_BYTES = 6 * 1024 * 1024  # over the 5 MB cap

CP1251_PAGE = (
    "<html><head><title>Новости региона</title></head><body><article>"
    "<h1>В Томске открыли новый мост через реку</h1>"
    "<p>В понедельник в Томске открыли движение по новому мосту через реку Томь. "
    "Строительство продолжалось три года и обошлось городу в четыре миллиарда рублей.</p>"
    "<p>По словам мэра, мост сократит время в пути для жителей северных районов почти вдвое.</p>"
    "</article></body></html>"
)
LATIN1_PAGE = (
    "<html><head><title>Fête de la musique</title></head><body><article>"
    "<h1>La fête de la musique attire des milliers de curieux</h1>"
    "<p>Des milliers de personnes se sont réunies samedi soir sur la place du marché pour la fête "
    "de la musique. Les cafés étaient pleins jusqu'à minuit, a précisé la mairie.</p>"
    "<p>« C'était une très belle soirée », a déclaré une habitante âgée de 72 ans.</p>"
    "</article></body></html>"
)
PLAIN_TEXT = "Storm warning for the coast\n\nThe weather service issued a storm warning for the whole coast on Friday.\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>x</title><description>&lol3;</description></item></channel></rss>
"""
