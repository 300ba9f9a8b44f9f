"""The fixture store: safe loading, clear errors, merging, compaction of journals."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytead._compact import compact, merge_cases
from pytead._errors import FixtureError
from pytead._journal import Journal, journal_dir
from pytead._model import Case, Fixture, Raised, Returned, TargetInfo, case_to_node, target_to_node
from pytead._store import fixture_path, load_fixture, render_fixture, write_fixture

INFO = TargetInfo(name="shop.add", module="shop", qualname="add", signature="(a, b=1)")


def case(case_id: str, a: int, result: int, seen: int = 1) -> Case:
    return Case(id=case_id, args={"a": a}, outcome=Returned(result), seen=seen)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shop" / "add.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_round_trips_and_is_byte_stable(tmp_path: Path) -> None:
    fixture = Fixture(INFO).replace_cases(
        (
            case("bb", 2, 3),
            Case(id="aa", args={"a": "x"}, outcome=Raised("builtins.ValueError", "bad x")),
        )
    )
    path = fixture_path(tmp_path, "shop", "add")
    assert write_fixture(path, fixture) is True
    assert write_fixture(path, fixture) is False  # nothing changed, file untouched
    loaded = load_fixture(path)
    assert loaded == fixture
    assert render_fixture(loaded) == path.read_text(encoding="utf-8")
    assert [c.id for c in loaded.cases] == ["aa", "bb"]
    assert "raised: {type: ValueError, message: bad x}" in path.read_text(encoding="utf-8")


def test_malicious_tag_is_refused_without_running_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(
        tmp_path,
        "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n- id: x\n"
        f"  args: {{a: !!python/object/apply:os.system ['touch {marker}']}}\n"
        "  returned: 1\n",
    )
    with pytest.raises(FixtureError) as caught:
        load_fixture(path)
    assert not marker.exists()
    assert caught.value.line == 6
    assert "unknown tag !!python/object/apply:os.system" in caught.value.one_line()
    assert caught.value.one_line().startswith(f"{path}:6: ")


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n- id: x\n  args: {a: [1, 2}\n"
    )
    with pytest.raises(FixtureError) as caught:
        load_fixture(path)
    assert caught.value.line == 6
    assert str(path) in caught.value.one_line()


def test_a_case_with_a_missing_outcome_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n"
        "- id: a\n  args: {}\n  returned: 1\n- id: b\n  args: {}\n",
    )
    with pytest.raises(FixtureError, match="case 2: a case needs 'returned' or 'raised") as caught:
        load_fixture(path)
    assert caught.value.line == 8


def test_wrong_format_version_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path, "pytead: 99\ntarget: shop.add\nmodule: shop\ncases: []\n")
    with pytest.raises(FixtureError, match="unsupported fixture format 99"):
        load_fixture(path)


def test_merge_keeps_existing_cases_adds_up_to_the_limit_and_counts_repeats() -> None:
    existing = [case("a", 1, 2, seen=2)]
    incoming = [case("a", 1, 2), case("b", 2, 3), case("c", 3, 4), case("d", 4, 5)]
    merged, added, dropped = merge_cases(existing, incoming, {}, limit=3)
    by_id = {c.id: c for c in merged}
    assert sorted(by_id) == ["a", "b", "c"] and (added, dropped) == (2, 1)
    assert by_id["a"].seen == 3 and not by_id["a"].nondeterministic


def test_merge_marks_cases_whose_outcome_changed_as_nondeterministic() -> None:
    merged, _, _ = merge_cases([case("a", 1, 2)], [case("a", 1, 7)], {}, limit=10)
    assert merged[0].nondeterministic and merged[0].other_outcomes == (Returned(7),)


def _journal_with(tmp_path: Path, *cases: Case, limit: int = 10) -> None:
    journal = Journal(tmp_path)
    journal.append({"k": "target", "t": INFO.name, "info": target_to_node(INFO), "limit": limit})
    for index, item in enumerate(cases):
        journal.append({"k": "case", "t": INFO.name, "ts": index, "case": case_to_node(item)})
    journal.close()


def test_compaction_folds_journals_into_fixtures_and_deletes_them(tmp_path: Path) -> None:
    _journal_with(tmp_path, case("b", 2, 3), case("a", 1, 2))
    report = compact(tmp_path)
    assert report.added == 2
    assert [c.id for c in load_fixture(fixture_path(tmp_path, "shop", "add")).cases] == ["a", "b"]
    assert not list(journal_dir(tmp_path).glob("*.jsonl"))
    _journal_with(tmp_path, case("a", 1, 2))
    compact(tmp_path)  # capturing the same call again merges instead of duplicating
    cases = load_fixture(fixture_path(tmp_path, "shop", "add")).cases
    assert [(c.id, c.seen) for c in cases] == [("a", 2), ("b", 1)]


def test_a_torn_last_line_loses_only_that_record(tmp_path: Path) -> None:
    _journal_with(tmp_path, case("a", 1, 2))
    journal = next(journal_dir(tmp_path).glob("*.jsonl"))
    with journal.open("a", encoding="utf-8") as stream:
        stream.write('{"k": "case", "t": "shop.add", "case": {"id": "b", "ar')
    report = compact(tmp_path)
    assert report.added == 1 and report.torn_records == 1


def test_an_unreadable_fixture_keeps_new_calls_for_later(tmp_path: Path) -> None:
    path = fixture_path(tmp_path, "shop", "add")
    path.parent.mkdir(parents=True)
    path.write_text("pytead: 1\ntarget: [\n", encoding="utf-8")
    _journal_with(tmp_path, case("a", 1, 2))
    report = compact(tmp_path)
    assert len(report.errors) == 1 and report.errors[0].path == path
    assert path.read_text(encoding="utf-8") == "pytead: 1\ntarget: [\n"  # untouched
    path.unlink()
    assert compact(tmp_path).added == 1  # the leftover journal is picked up once fixed


def test_a_tag_that_is_neither_pytead_nor_a_dotted_codec_tag_is_refused(tmp_path: Path) -> None:
    text = "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n- id: x\n  args: {a: !pickle 2}\n"
    path = write(tmp_path, text + "  returned: 1\n")
    with pytest.raises(FixtureError, match="unknown tag !pickle") as caught:
        load_fixture(path)
    assert caught.value.line == 6


def test_an_unknown_header_key_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "pytead: 1\ntarget: shop.add\nmodule: shop\ntarrget: oops\ncases: []\n")
    with pytest.raises(FixtureError, match="unknown key 'tarrget'") as caught:
        load_fixture(path)
    assert caught.value.line == 4
