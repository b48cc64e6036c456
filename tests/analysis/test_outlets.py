"""Outlet registry: YAML and CSV loading, lookup by name and domain, no labels without a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.errors import InputError, ParseError
from newsprism.outlets import load_registry, lookup

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "newsprism" / "data" / "outlets.example.yaml"


def test_example_registry_loads_and_looks_up() -> None:
    reg = load_registry(EXAMPLE)
    assert len(reg) == 4
    radio = lookup(reg, "valmora state radio", None)
    assert radio is not None and radio.type == "state-funded" and radio.country == "Valmora"
    assert lookup(reg, None, "https://news.valmora-radio.example/2025/x.html").name == "Valmora State Radio"
    assert lookup(reg, "Unknown Outlet", "https://www.feedwise.example/a").name == "Feedwise"
    assert lookup(reg, "Unknown Outlet", "https://example.org/") is None


def test_csv_registry(tmp_path: Path) -> None:
    path = tmp_path / "outlets.csv"
    path.write_text("name,domains,country,language,owner,type\n"
                    "Harbor Daily,harbor-daily.example;hd.example,Freedonia,en,Harbor Group,private\n",
                    encoding="utf-8")
    reg = load_registry(path)
    out = lookup(reg, None, "http://hd.example/story")
    assert out is not None and out.owner == "Harbor Group" and out.domains == ("harbor-daily.example", "hd.example")


def test_no_registry_means_no_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSPRISM_OUTLETS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_registry(None) == {}
    assert lookup({}, "RT", "https://rt.com") is None
    (tmp_path / "outlets.yaml").write_text("- name: Local One\n  type: private\n", encoding="utf-8")
    assert "local one" in load_registry(None)
    monkeypatch.setenv("NEWSPRISM_OUTLETS", str(EXAMPLE))
    assert len(load_registry(None)) == 4


def test_bad_registry_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_registry(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- type: private\n", encoding="utf-8")
    with pytest.raises(ParseError, match="name"):
        load_registry(bad)
