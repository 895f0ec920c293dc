"""The converted-upload cache: one conversion per file, and no copy removed while a session may read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.ingest import conversions


@pytest.fixture
def clock(monkeypatch, tmp_path):
    """A fake clock and an empty cache in a temp folder."""
    now = [1000.0]
    monkeypatch.setattr(conversions, "_clock", lambda: now[0])
    monkeypatch.setattr(conversions, "_kept", type(conversions._kept)())
    monkeypatch.setattr(conversions, "_used", {})
    monkeypatch.setattr(conversions, "_folder", tmp_path)
    return now


def convert_counting(calls: list[Path]):
    def convert(out: Path) -> str:
        calls.append(out)
        out.write_text("a;b\n1;2\n", encoding="utf-8")
        return "Feuil1"

    return convert


def test_a_file_is_converted_once_and_the_copy_reused(clock):
    calls: list[Path] = []
    first = conversions.converted("ab" * 32, "xlsx", None, convert_counting(calls))
    again = conversions.converted("ab" * 32, "xlsx", None, convert_counting(calls))
    assert first == again
    assert len(calls) == 1
    assert first[1] == "Feuil1"


def test_six_sessions_uploading_at_once_keep_every_copy_they_are_reading(clock):
    calls: list[Path] = []
    made = [conversions.converted(f"{i:064d}", "csv", None, convert_counting(calls))[0] for i in range(6)]
    # six copies asked for within the hour: more than KEPT (4), yet none is removed
    assert all(path.exists() for path in made)


def test_past_the_grace_period_the_least_recently_used_copies_go_first(clock):
    calls: list[Path] = []
    made = [conversions.converted(f"{i:064d}", "csv", None, convert_counting(calls))[0] for i in range(5)]
    clock[0] += 10.0
    conversions.converted(f"{0:064d}", "csv", None, convert_counting(calls))  # file 0 is used again
    clock[0] += conversions.GRACE_SECONDS + 1.0
    newest = conversions.converted(f"{9:064d}", "csv", None, convert_counting(calls))[0]
    # six held, KEPT is 4: the two least recently used idle copies (files 1 and 2) are removed
    assert [p.exists() for p in made] == [True, False, False, True, True]
    assert newest.exists()
    assert len(calls) == 6  # file 0 was not converted again
