"""Language detection of needs and passages, measured on the Romanian evaluation needs."""

from __future__ import annotations

import json
from pathlib import Path

from graph.matching._language import detect

NEEDS = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "ro_needs.jsonl"


def test_every_evaluation_need_is_read_in_its_language() -> None:
    needs = [json.loads(line) for line in NEEDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(needs) >= 60
    wrong_ro = [n["id"] for n in needs if detect(n["ro"]).language != "ro"]
    wrong_en = [n["id"] for n in needs if detect(n["en"]).language != "en"]
    assert wrong_ro == [] and wrong_en == []


def test_romanian_without_diacritics_is_romanian() -> None:
    found = detect("cautam o metoda mai ieftina de uscare a cerealelor fara gaz")
    assert found.language == "ro" and found.diacritics == 0 and found.romanian_words >= 2


def test_other_languages_scripts_and_no_words() -> None:
    assert detect("Wir suchen eine günstigere Methode zur Getreidetrocknung ohne Gas").language == "other"
    assert detect("Мы ищем дешёвый способ сушки зерна").language == "other"
    assert detect("12345 !!! 🙂").language == "none"
    assert detect("").language == "none"


def test_evidence_is_reported() -> None:
    found = detect("Căutăm o soluție pentru fermă").as_dict()
    assert found["language"] == "ro" and found["diacritics"] >= 3 and found["words"] == 5
