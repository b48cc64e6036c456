"""``bench.cluster_bench --eval``: scoring a labelled file that is not one of the bench files."""

import json

import pytest
from cluster_support import SHARED

from bench import cluster_bench

pytestmark = pytest.mark.slow


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_eval_scores_a_labelled_file(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster_bench, "CACHE", tmp_path / "cache")
    rows = [json.loads(line) for line in (SHARED / "bench" / "ecbplus_dev.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["gold_topic"] in {"8", "32"}][:30]
    out = cluster_bench.evaluate_file(_write(tmp_path / "mine.jsonl", rows))
    story_row, line_row, time_row = out
    assert story_row.startswith("| mine.jsonl | 30 | stories vs gold_event |")
    assert "look-alike event pairs merged:" in story_row and "of 2" in story_row
    assert "storylines vs gold_topic" in line_row
    f1 = float(story_row.split(" | ")[5])
    assert 0.5 <= f1 <= 1.0
    assert "articles/s" in time_row
    assert list((tmp_path / "cache").glob("mine.*.npz"))  # vectors cached beside, not in the repo


def test_eval_refuses_a_file_without_gold(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster_bench, "CACHE", tmp_path / "cache")
    path = _write(tmp_path / "plain.jsonl", [{"id": "a", "title": "Quake", "text": "A quake hit Iran."}])
    with pytest.raises(SystemExit, match="plain.jsonl: no gold_event, gold_topic or gold_storyline"):
        cluster_bench.evaluate_file(path)


def test_eval_reports_a_bad_file_and_scores_the_rest(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cluster_bench, "CACHE", tmp_path / "cache")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "gold_event": "1"}\n{broken\n', encoding="utf-8")
    rows = [json.loads(line) for line in (SHARED / "bench" / "ecbplus_dev.jsonl").read_text().splitlines()][:4]
    good = _write(tmp_path / "good.jsonl", rows)
    with pytest.raises(SystemExit) as exit_info:
        cluster_bench.main_eval([str(bad), str(tmp_path / "missing.jsonl"), good])
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "bad.jsonl:2: not a JSON object" in err and "missing.jsonl: no such file" in err
    assert "| good.jsonl | 4 | stories vs gold_event |" in out
