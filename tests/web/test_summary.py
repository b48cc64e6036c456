"""Cited extractive summaries, and the verified abstractive mode against a real local HTTP server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsprism.summary import LLMConfig, llm_config_from_env, summarize, supported

ARTICLES = [
    {"id": 1, "source": "River Post", "language": "en", "published": "2025-03-04", "duplicate_of": None},
    {"id": 2, "source": "Rheinblatt", "language": "en", "published": "2025-03-04", "duplicate_of": None},
    {"id": 3, "source": "Wire Copy", "language": "en", "published": "2025-03-05", "duplicate_of": 1},
    {"id": 4, "source": "Valley News", "language": "en", "published": "2025-03-03", "duplicate_of": None},
]


@pytest.fixture(autouse=True)
def _no_llm_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEWSPRISM_LLM_BASE_URL", "NEWSPRISM_LLM_MODEL", "NEWSPRISM_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def ev(article: int, sentence: int, text: str) -> dict:
    return {"article": article, "sentence": sentence, "text": text}


CLAIMS = [
    {"id": 1, "status": "consensus", "text": "The Rhine was closed to shipping at Koblenz on Tuesday.",
     "evidence": [ev(1, 0, "The Rhine was closed to all shipping at Koblenz on Tuesday after heavy rain."),
                  ev(2, 1, "Authorities closed the Rhine to shipping at Koblenz on Tuesday."),
                  ev(4, 2, "Shipping on the Rhine at Koblenz was halted on Tuesday.")]},
    # A near-restatement of claim 1: MMR must not pick both.
    {"id": 2, "status": "partial", "text": "The Rhine was closed to all shipping at Koblenz on Tuesday.",
     "evidence": [ev(3, 0, "The Rhine was closed to all shipping at Koblenz on Tuesday after heavy rain.")]},
    {"id": 3, "status": "unique", "text": "The water level reached 7.9 metres.",
     "evidence": [ev(2, 3, "The water level at the Koblenz gauge reached 7.9 metres on Monday night.")]},
    {"id": 4, "status": "partial", "text": "Barges queued near Mainz.",
     "evidence": [ev(1, 4, "More than forty barges were waiting at anchor near Mainz for the river to reopen."),
                  ev(4, 5, "Dozens of barges waited near Mainz for the river to reopen.")]},
    {"id": 5, "status": "unique", "text": "no evidence at all", "evidence": []},
]


def test_every_sentence_is_a_cited_source_sentence() -> None:
    out = summarize(CLAIMS, ARTICLES, embedder=False)
    assert out, "a story with claims gets a summary"
    source_sentences = {(e["article"], e["sentence"]): e["text"] for c in CLAIMS for e in c["evidence"]}
    for s in out:
        assert s["citations"], "nothing without a source"
        assert s["text"] in source_sentences.values(), "extractive: the text is a stored sentence"
        for c in s["citations"]:
            assert source_sentences[(c["article"], c["sentence"])] == c["text"]
        assert s["generated"] is False
    assert not any(s["claim"] == 5 for s in out)


def test_redundancy_dropped_and_widely_reported_first_in_its_day() -> None:
    out = summarize(CLAIMS, ARTICLES, embedder=False)
    claims = [s["claim"] for s in out]
    assert claims.count(1) == 1 and 2 not in claims, "the single-source restatement of claim 1 is redundant"
    first = next(s for s in out if s["claim"] == 1)
    assert first["independent_sources"] == 3
    assert {c["article"] for c in first["citations"]} == {1, 2, 4}, "cites every supporting article"
    # Ordered by date of earliest support: claims 1 and 4 have evidence from 2025-03-03 (article 4).
    dates = [s["date"] for s in out]
    assert dates == sorted(dates)


def test_duplicates_do_not_count_as_independent_sources() -> None:
    claims = [{"id": 9, "status": "partial", "text": "x",
               "evidence": [ev(1, 0, "A sentence reported by one outlet and its copy."),
                            ev(3, 0, "A sentence reported by one outlet and its copy.")]}]
    out = summarize(claims, ARTICLES, embedder=False)
    assert out[0]["independent_sources"] == 1
    assert out[0]["sources"] == ["River Post", "Wire Copy"]


def test_max_sentences_and_empty_input() -> None:
    assert len(summarize(CLAIMS, ARTICLES, embedder=False, max_sentences=1)) == 1
    assert summarize([], ARTICLES, embedder=False) == []
    assert summarize([{"id": 1, "text": "t", "evidence": []}], ARTICLES, embedder=False) == []


@pytest.mark.parametrize("sentence, ok", [
    ("Authorities closed the Rhine at Koblenz to shipping on Tuesday.", True),
    ("Authorities closed the Rhine at Koblenz to shipping on Tuesday for 9 days.", False),  # new number
    ("Authorities did not close the Rhine at Koblenz on Tuesday.", False),  # negation flipped
    ("Authorities closed the Danube at Vienna on Tuesday.", False),  # names not in sources
    ('Officials said the river was "closed for good" at Koblenz.', False),  # invented quote
])
def test_support_check(sentence: str, ok: bool) -> None:
    sources = ["Authorities closed the Rhine to shipping at Koblenz on Tuesday.",
               "The Rhine was closed to all shipping at Koblenz on Tuesday after heavy rain."]
    assert supported(sentence, sources)[0] is ok


class _FakeLLM(BaseHTTPRequestHandler):
    reply = ""
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": type(self).reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeLLM.requests = []
    yield server
    server.shutdown()
    server.server_close()


def extractive_without_llm() -> list[dict]:
    return summarize(CLAIMS, ARTICLES, embedder=False, llm=False)


def test_abstractive_mode_keeps_only_supported_sentences(fake_llm, monkeypatch) -> None:
    extractive = summarize(CLAIMS, ARTICLES, embedder=False)
    n_shipping = 1 + next(i for i, s in enumerate(extractive) if s["claim"] == 1)
    n_level = 1 + next(i for i, s in enumerate(extractive) if s["claim"] == 3)
    _FakeLLM.reply = "\n".join([
        f"Authorities closed the Rhine to shipping at Koblenz on Tuesday. [{n_shipping}]",  # supported
        f"The water level at Koblenz reached 9.5 metres. [{n_level}]",  # wrong number: dropped
        "Barges waited for the river to reopen.",  # no citation: dropped
        f'Officials called the closure "a disaster for trade". [{n_shipping}]',  # invented quote: dropped
    ])
    port = fake_llm.server_address[1]
    monkeypatch.setenv("NEWSPRISM_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("NEWSPRISM_LLM_MODEL", "tiny-test")
    monkeypatch.setenv("NEWSPRISM_LLM_API_KEY", "k3y")
    config = llm_config_from_env()
    assert config == LLMConfig(f"http://127.0.0.1:{port}/v1", "tiny-test", "k3y")
    out = summarize(CLAIMS, ARTICLES, embedder=False, llm=config)
    assert [s["text"] for s in out] == ["Authorities closed the Rhine to shipping at Koblenz on Tuesday."]
    assert out[0]["generated"] is True
    assert {c["article"] for c in out[0]["citations"]} == {1, 2, 4}
    assert summarize(CLAIMS, ARTICLES, embedder=False) == out, "the configured endpoint is used by default"
    assert summarize(CLAIMS, ARTICLES, embedder=False, llm=False) == extractive_without_llm()
    req = _FakeLLM.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer k3y"
    assert req["body"]["model"] == "tiny-test"


def test_abstractive_falls_back_to_extractive(fake_llm) -> None:
    _FakeLLM.reply = "Something entirely unrelated happened in Paris. [1]"
    config = LLMConfig(f"http://127.0.0.1:{fake_llm.server_address[1]}", "m")
    out = summarize(CLAIMS, ARTICLES, embedder=False, llm=config)
    assert out and all(not s["generated"] for s in out)
    dead = LLMConfig("http://127.0.0.1:9", "m", timeout=2)  # nothing listens on port 9
    assert summarize(CLAIMS, ARTICLES, embedder=False, llm=dead) == out


def test_llm_off_by_default(monkeypatch) -> None:
    monkeypatch.delenv("NEWSPRISM_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("NEWSPRISM_LLM_MODEL", raising=False)
    assert llm_config_from_env() is None


@pytest.mark.slow
def test_embedding_mode_on_multilingual_claims() -> None:
    from newsprism.embed import sentence_embedder

    claims = CLAIMS + [{"id": 6, "status": "partial", "text": "Der Rhein wurde gesperrt.",
                        "evidence": [ev(5, 0, "Der Rhein wurde am Dienstag bei Koblenz für die Schifffahrt gesperrt.")]}]
    articles = ARTICLES + [{"id": 5, "source": "Rheinblatt DE", "language": "de", "published": "2025-03-03",
                            "duplicate_of": None}]
    out = summarize(claims, articles, embedder=sentence_embedder(), max_sentences=3)
    ids = [s["claim"] for s in out]
    assert ids.count(1) == 1 and 2 not in ids, "the English restatement of claim 1 is redundant"
    assert 6 not in ids, "an English story is summarised in English: the German restatement ranks last"


def test_without_claims_falls_back_to_cited_lead_sentences() -> None:
    arts = [dict(a, title=f"Title {a['id']}", sentences=[f"Title {a['id']}", f"Lead sentence number one of article {a['id']} about the river.",
                                                           f"Second sentence of article {a['id']} adds some detail."])
            for a in ARTICLES]
    out = summarize([], arts, embedder=False, max_sentences=3)
    assert 0 < len(out) <= 3
    for s in out:
        (cite,) = s["citations"]
        assert cite["sentence"] in (1, 2) and cite["article"] != 3  # never the title, never a duplicate
        assert s["text"] == arts[cite["article"] - 1]["sentences"][cite["sentence"]]
