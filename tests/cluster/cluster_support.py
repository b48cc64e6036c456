"""Helpers and small real texts for the clustering tests (articles written for the tests)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from newsprism.models import CleanDocument

SHARED = Path(__file__).resolve().parents[3] / "shared"


def make_doc(title: str, text: str, language: str, published: str | None, source: str | None = None,
             origin: str | None = None) -> CleanDocument:
    """A cleaned document whose text starts with its title (as the clean stage produces)."""
    body = f"{title}\n\n{text}"
    key = hashlib.sha256(body.encode()).hexdigest()
    return CleanDocument(origin=origin or key[:12], title=title, text=body, sentences=(), language=language,
                         source=source, published=published, content_key=key)


def add_docs(store, docs, duplicate_of=None) -> list[int]:
    return [store.add_article(d, duplicate_of, b"").id for d in docs]



QUAKE_TURKEY = [
    ("Magnitude 6.1 earthquake strikes Malatya in eastern Turkey, 12 dead",
     "A magnitude 6.1 earthquake struck the province of Malatya in eastern Turkey on Monday, killing 12 people "
     "and injuring 140, Turkey's disaster agency AFAD said. Rescue teams searched collapsed buildings in the "
     "town of Yesilyurt overnight. Interior Minister Ali Yerlikaya said 37 buildings had collapsed.",
     "en", "2025-03-10"),
    ("Erdbeben der Stärke 6,1 erschüttert Malatya in der Osttürkei – 12 Tote",
     "Ein Erdbeben der Stärke 6,1 hat am Montag die Provinz Malatya im Osten der Türkei erschüttert. Nach "
     "Angaben der Katastrophenschutzbehörde AFAD kamen 12 Menschen ums Leben, 140 wurden verletzt. "
     "Innenminister Ali Yerlikaya sagte, 37 Gebäude seien in Yesilyurt eingestürzt.",
     "de", "2025-03-10"),
    ("Terremoto di magnitudo 6.1 a Malatya, in Turchia: 12 morti",
     "Un terremoto di magnitudo 6.1 ha colpito lunedì la provincia di Malatya, nella Turchia orientale, "
     "uccidendo 12 persone e ferendone 140, secondo l'agenzia AFAD. Il ministro dell'Interno Ali Yerlikaya "
     "ha riferito del crollo di 37 edifici a Yesilyurt. Le squadre di soccorso hanno lavorato tutta la notte.",
     "it", "2025-03-11"),
]

QUAKE_PERU = [
    ("Magnitude 5.8 earthquake hits Arequipa in southern Peru, three killed",
     "A magnitude 5.8 earthquake shook the region of Arequipa in southern Peru on Wednesday, killing three "
     "people and damaging 60 homes in the Caylloma province, Peru's civil defence institute INDECI said. "
     "President Dina Boluarte said emergency aid was on its way to the town of Chivay.",
     "en", "2025-03-12"),
    ("Sismo de magnitud 5,8 sacude Arequipa, en el sur de Perú: tres muertos",
     "Un sismo de magnitud 5,8 sacudió el miércoles la región de Arequipa, en el sur de Perú, y dejó tres "
     "muertos y 60 viviendas dañadas en la provincia de Caylloma, informó el INDECI. La presidenta Dina "
     "Boluarte anunció ayuda de emergencia para la localidad de Chivay.",
     "es", "2025-03-12"),
]

RATE_POLAND = [
    ("Poland's central bank holds interest rate at 5.75%",
     "The National Bank of Poland kept its main interest rate at 5.75% on Wednesday, as expected by "
     "economists. Governor Adam Glapinski said inflation of 4.9% in February left no room for cuts before "
     "the autumn. The zloty was little changed after the decision.",
     "en", "2025-03-12"),
    ("RPP utrzymała stopy procentowe, referencyjna nadal 5,75 proc.",
     "Rada Polityki Pieniężnej Narodowego Banku Polskiego pozostawiła w środę stopę referencyjną na "
     "poziomie 5,75 proc., zgodnie z oczekiwaniami ekonomistów. Prezes NBP Adam Glapiński powiedział, że "
     "inflacja w lutym wyniosła 4,9 proc. Kurs złotego niewiele się zmienił.",
     "pl", "2025-03-12"),
]

EVENTS = {"quake-turkey": QUAKE_TURKEY, "quake-peru": QUAKE_PERU, "rate-poland": RATE_POLAND}
