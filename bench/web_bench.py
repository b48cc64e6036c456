"""Web server benchmark: 10,000 articles, story list and story page latency, throughput under load.

The database replicates ``ecbplus_dev.jsonl`` (772 articles) with shifted dates until it holds
10,000 articles, inserted straight into the store with synthetic story assignment (one story per
gold event and replica, one storyline per gold topic and replica): no embedder runs on 10k
articles. The server runs in its own process (uvicorn, one worker) on 127.0.0.1; clients run in
this process. Server time is read from the ``Server-Timing`` header the app sets on every response.

A story page needs its analysis: the first request computes it (reported as "cold"), later ones
read the cache in the store (``analyze`` caches under a fingerprint of the story's articles).

    .venv/bin/python -m bench.web_bench [--articles 10000] [--cold 4] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from newsprism.models import CleanDocument, Sentence, Story, Storyline
from newsprism.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
OUT = ROOT / "docs" / "benchmarks" / "web.md"
COMMAND = ".venv/bin/python -m bench.web_bench"
COLD_MAX_ARTICLES = 8
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentences(text: str) -> tuple[Sentence, ...]:
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            out.append(Sentence(len(out), pos, m.start(), text[pos:m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append(Sentence(len(out), pos, len(text), text[pos:]))
    return tuple(out)


def build_database(path: Path, n_articles: int) -> dict[str, Any]:
    """Fill ``path`` with ``n_articles`` replicated bench articles, stories and storylines."""
    rows = [json.loads(line) for line in (SHARED / "ecbplus_dev.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    store = open_store(path)
    events: dict[tuple[int, str], list[int]] = {}
    topics: dict[tuple[int, str], set[tuple[int, str]]] = {}
    base = date(2019, 1, 1)
    for i in range(n_articles):
        replica, row = divmod(i, len(rows))
        row = rows[row]
        try:
            published = date.fromisoformat(str(row.get("published"))[:10])
        except ValueError:
            published = base + timedelta(days=int(hashlib.md5(row["gold_event"].encode()).hexdigest(), 16) % 300)
        published += timedelta(days=400 * replica)
        text = row["text"]
        title = (row.get("title") or text.split("\n", 1)[0])[:200]
        source = row.get("source") or f"Outlet {int(hashlib.md5(row['id'].encode()).hexdigest(), 16) % 60:02d}"
        doc = CleanDocument(
            origin=f"{row['id']}#r{replica}", title=title, text=text, sentences=_sentences(text),
            language=row.get("language") or "en", source=source, published=published.isoformat(),
            url=f"https://bench.example/{replica}/{row['id'].replace('/', '_')}", external_id=f"{row['id']}#r{replica}",
            content_key=hashlib.sha256(f"{replica}\n{row['id']}\n{text}".encode()).hexdigest())
        aid = store.add_article(doc, None, b"\0" * 8).id
        events.setdefault((replica, row["gold_event"]), []).append(aid)
        topics.setdefault((replica, row["gold_topic"]), set()).add((replica, row["gold_event"]))
    story_ids: dict[tuple[int, str], int] = {}
    for sid, key in enumerate(sorted(events), start=1):
        story_ids[key] = sid
    storyline_of: dict[tuple[int, str], int] = {}
    for lid, (key, members) in enumerate(sorted(topics.items()), start=1):
        store.save_storyline(Storyline(id=lid, title=f"Topic {key[1]} (replica {key[0]})", story_ids=()))
        for ev in members:
            storyline_of[ev] = lid
    assignment: dict[int, int | None] = {}
    for key, ids in events.items():
        first = store.get_article(ids[0])
        store.save_story(Story(id=story_ids[key], title=first.title[:160], article_ids=(),
                               keywords=tuple(sorted({w.lower() for w in re.findall(r"[A-Za-z]{5,}", first.title)})[:6]),
                               storyline=storyline_of[key]))
        assignment.update({aid: story_ids[key] for aid in ids})
    store.set_article_stories(assignment)
    counts = {"articles": store.count_articles(), "stories": len(events), "storylines": len(topics),
              "sizes": {story_ids[k]: len(v) for k, v in events.items()}}
    store.close()
    return counts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = ("import uvicorn, sys; from newsprism.web import create_app; "
            f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the web server did not start")


def _server_ms(response: httpx.Response) -> float:
    match = re.search(r"dur=([\d.]+)", response.headers.get("server-timing", ""))
    return float(match.group(1)) if match else float("nan")


def _stats(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def _list_urls(rng: random.Random, facets: dict[str, list[str]], pages: int) -> list[str]:
    urls = []
    for _ in range(120):
        params: dict[str, str | int] = {}
        kind = rng.random()
        if kind < 0.3:
            params["page"] = rng.randint(1, pages)
        elif kind < 0.5:
            params["q"] = rng.choice(["earthquake", "police", "oscar", "report", "fire", "shot"])
        elif kind < 0.7 and facets["sources"]:
            params["source"] = rng.choice(facets["sources"])
        elif kind < 0.85:
            params["date_from"], params["date_to"] = "2021-01-01", "2022-12-31"
        urls.append("/?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "/")
    return urls


async def _load(base: str, urls: list[str], clients: int, seconds: float) -> dict[str, float]:
    """``clients`` concurrent loops for ``seconds`` each cycling through ``urls``."""
    done, errors, server_times = 0, 0, []
    stop = time.monotonic() + seconds

    async def worker(k: int, client: httpx.AsyncClient) -> None:
        nonlocal done, errors
        i = k
        while time.monotonic() < stop:
            try:
                r = await client.get(urls[i % len(urls)])
                if r.status_code != 200:
                    errors += 1
                server_times.append(_server_ms(r))
            except httpx.HTTPError:
                errors += 1
            done += 1
            i += clients

    started = time.monotonic()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        await asyncio.gather(*(worker(k, client) for k in range(clients)))
    elapsed = time.monotonic() - started
    med, p95 = _stats(server_times)
    return {"requests": done, "errors": errors, "rps": done / elapsed, "server_median": med, "server_p95": p95}


def run(n_articles: int, cold_stories: int, seconds: float, clients: int) -> dict[str, object]:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="newsprism-webbench-") as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        counts = build_database(db, n_articles)
        build_s = time.perf_counter() - t0
        port = _free_port()
        proc = _start_server(db, port)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=900) as client:
                first = client.get("/api/stories").json()
                # The first view of a story runs the whole analysis (~3 s per article on this
                # machine), so the stories sampled are those of typical size (<= COLD_MAX_ARTICLES).
                typical = sorted(sid for sid, n in counts["sizes"].items() if n <= COLD_MAX_ARTICLES)
                story_ids = rng.sample(typical, cold_stories)
                sizes = [counts["sizes"][sid] for sid in story_ids]
                cold = []
                for sid in story_ids:
                    r = client.get(f"/stories/{sid}")
                    assert r.status_code == 200, r.text[:300]
                    cold.append(_server_ms(r))
                story_ms = []
                for _ in range(20):
                    for sid in story_ids:
                        r = client.get(f"/stories/{sid}")
                        assert r.status_code == 200
                        story_ms.append(_server_ms(r))
                list_urls = _list_urls(rng, first["facets"], first["pages"])
                list_ms = []
                for url in list_urls:
                    r = client.get(url)
                    assert r.status_code == 200, url
                    list_ms.append(_server_ms(r))
                api_ms = [_server_ms(client.get("/api" + u.replace("/?", "/stories?") if u != "/" else "/api/stories"))
                          for u in list_urls[:60]]
            mixed = [u for u in list_urls[:40]] + [f"/stories/{sid}" for sid in story_ids] * 5
            load = asyncio.run(_load(base, mixed, clients, seconds))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a worker thread still busy analysing
                proc.kill()
                proc.wait()
    return {"counts": counts, "build_s": build_s, "cold": cold, "cold_sizes": sizes, "story": _stats(story_ms), "list": _stats(list_ms),
            "api_list": _stats(api_ms), "load": load, "clients": clients, "seconds": seconds}


def write_markdown(res: dict[str, object]) -> str:
    c = res["counts"]  # type: ignore[index]
    load = res["load"]  # type: ignore[index]
    cold_med, cold_p95 = _stats(res["cold"])  # type: ignore[arg-type]
    lines = [
        "## Web server",
        "",
        f"Database: {c['articles']:,} articles (ECB+ dev replicated with shifted dates), {c['stories']} stories, "  # type: ignore[index]
        f"{c['storylines']} storylines; built in {res['build_s']:.0f} s. Server: uvicorn, one process, "  # type: ignore[index]
        "127.0.0.1; times are server-side (`Server-Timing`), in ms. Targets: story page p95 < 300 ms, list < 150 ms.",
        "",
        "| Request | median | p95 |",
        "|---|---:|---:|",
        f"| Story list (HTML, filters and pages mixed) | {res['list'][0]:.1f} | {res['list'][1]:.1f} |",  # type: ignore[index]
        f"| Story list JSON (`/api/stories`) | {res['api_list'][0]:.1f} | {res['api_list'][1]:.1f} |",  # type: ignore[index]
        f"| Story page (HTML, analysis cached) | {res['story'][0]:.1f} | {res['story'][1]:.1f} |",  # type: ignore[index]
        f"| Story page, first request (analysis computed; {len(res['cold'])} stories of "  # type: ignore[arg-type]
        f"{min(res['cold_sizes'])}-{max(res['cold_sizes'])} articles) | {cold_med:.0f} | {cold_p95:.0f} |",  # type: ignore[arg-type]
        "",
        f"Load: {res['clients']} concurrent clients (second process, loopback) for {res['seconds']:.0f} s on a mix of "
        f"list and story pages: **{load['rps']:.1f} requests/s**, {load['requests']} requests, "
        f"**{load['errors']} errors**; server time under load median {load['server_median']:.1f} ms, "
        f"p95 {load['server_p95']:.1f} ms.",
        "",
        f"Reproduce: `{COMMAND}` (machine: {os.cpu_count()} cores, shared with other work while measured).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--cold", type=int, default=4, help="stories whose analysis is computed (slow)")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args(argv)
    res = run(args.articles, args.cold, args.seconds, args.clients)
    text = write_markdown(res)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
