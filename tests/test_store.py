"""The fixture store: safe loading, clear errors, merging, compaction of journals."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pytead._codec import Node
from pytead._compact import compact, merge_cases
from pytead._errors import FixtureError
from pytead._journal import Journal, journal_dir
from pytead._model import Case, Fixture, Raised, Returned, TargetInfo, case_to_node, target_to_node
from pytead._store import fixture_path, load_fixture, render_fixture, write_fixture

INFO = TargetInfo(name="shop.add", module="shop", qualname="add", signature="(a, b=1)")


def case(case_id: str, a: int, result: int, seen: int | None = None) -> Case:
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
    assert [c.id for c in loaded.cases] == ["bb", "aa"]  # the order given, not sorted
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


def test_a_case_with_a_missing_outcome_is_kept_aside_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n"
        "- id: a\n  args: {}\n  returned: 1\n- id: b\n  args: {}\n",
    )
    fixture = load_fixture(path)
    assert [c.id for c in fixture.cases] == ["a"]
    (rejected,) = fixture.rejected
    assert rejected.line == 8 and rejected.id == "'b'" and rejected.label == "2 (id 'b')"
    assert rejected.error(path).one_line() == (
        f"{path}:8: case 2: a case needs 'returned' or 'raised: {{type, message}}'"
        "; fix the file by hand or delete the case and capture again"
    )


def test_a_fixture_with_a_case_kept_aside_is_never_written_back(tmp_path: Path) -> None:
    text = "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n- 3\n- id: a\n  args: {}\n"
    path = write(tmp_path, text + "  returned: 1\n")
    fixture = load_fixture(path)
    assert fixture.rejected[0].reason == "a case must be a mapping"
    assert fixture.rejected[0].label == "1"
    with pytest.raises(FixtureError, match=r"add\.yaml:5: not rewritten: 1 of its cases"):
        write_fixture(path, fixture.replace_cases(()))
    assert path.read_text(encoding="utf-8") == text + "  returned: 1\n"


def test_wrong_format_version_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path, "pytead: 99\ntarget: shop.add\nmodule: shop\ncases: []\n")
    with pytest.raises(FixtureError, match="unsupported fixture format 99"):
        load_fixture(path)


def test_merge_keeps_existing_cases_in_order_appends_up_to_the_limit_and_counts_repeats() -> None:
    existing = [case("z", 9, 10), case("a", 1, 2, seen=2)]
    incoming = [case("a", 1, 2, seen=1), case("c", 3, 4), case("b", 2, 3), case("d", 4, 5)]
    merged, added, dropped = merge_cases(existing, incoming, {}, limit=3)
    assert [c.id for c in merged] == ["z", "a", "c"] and (added, dropped) == (1, 2)
    assert merged[1].seen == 3 and not merged[1].nondeterministic


def test_merge_marks_cases_whose_outcome_changed_as_nondeterministic() -> None:
    merged, _, _ = merge_cases([case("a", 1, 2)], [case("a", 1, 7)], {}, limit=10)
    assert merged[0].nondeterministic and merged[0].other_outcomes == (Returned(7),)


def test_a_nondeterministic_case_keeps_one_other_outcome_of_each_kind() -> None:
    later = [case("a", 1, 8), Case(id="a", args={"a": 1}, outcome=Raised("builtins.OSError", ""))]
    first, _, _ = merge_cases([case("a", 1, 2)], [case("a", 1, 7), *later], {}, limit=10)
    assert first[0].other_outcomes == (Returned(7), Raised("builtins.OSError", ""))
    again, _, _ = merge_cases(first, [case("a", 1, 9)], {"a": [Returned(10)]}, limit=10)
    assert again == first  # a clock or a random draw does not grow the fixture at each capture


def test_a_generator_stopped_early_or_driven_by_send_is_never_compared() -> None:
    steps: list[Node] = ["next", {"send": 10}]
    driven = Case(id="g", args={}, outcome=Returned(15.0), yields=[None, 10.0], driven=steps)
    stopped = Case(id="g", args={}, outcome=Returned(None), yields=[None], complete=False)
    merged, _, _ = merge_cases([driven], [stopped], {"g": [Returned(3)]}, limit=10)
    assert merged == (driven,)  # what it gave depended on the program, not on its arguments


def _journal_with(tmp_path: Path, *cases: Case, limit: int = 10, stats: bool = False) -> None:
    """A finished journal holding *cases*, written in reverse order of their start."""
    journal = Journal(tmp_path)
    header = {"k": "target", "t": INFO.name, "info": target_to_node(INFO), "limit": limit}
    journal.append({**header, **({"stats": True} if stats else {})})
    for order, item in reversed(list(enumerate(cases))):
        journal.append({"k": "case", "t": INFO.name, "n": order, "case": case_to_node(item)})
    journal.close()


def _fixture_text(tmp_path: Path) -> str:
    return fixture_path(tmp_path, "shop", "add").read_text(encoding="utf-8")


def _ids(tmp_path: Path) -> list[str]:
    return [c.id for c in load_fixture(fixture_path(tmp_path, "shop", "add")).cases]


def test_compaction_folds_journals_into_fixtures_and_deletes_them(tmp_path: Path) -> None:
    _journal_with(tmp_path, case("b", 2, 3), case("a", 1, 2))
    report = compact(tmp_path)
    assert report.added == 2
    assert _ids(tmp_path) == ["b", "a"]  # the order the calls started in
    assert not list(journal_dir(tmp_path).glob("*.jsonl"))
    first = _fixture_text(tmp_path)
    assert "seen" not in first and "duration_us" not in first

    _journal_with(tmp_path, case("a", 1, 2), case("b", 2, 3))
    compact(tmp_path)  # capturing the same calls again changes no byte
    assert _fixture_text(tmp_path) == first

    _journal_with(tmp_path, case("a", 1, 2), case("c", 3, 4))
    compact(tmp_path)  # a new call is appended
    assert _ids(tmp_path) == ["b", "a", "c"]


def test_several_processes_give_the_same_order_whichever_ran_first(tmp_path: Path) -> None:
    texts = []
    for folder, runs in (("one", ["cd", "ab"]), ("two", ["ab", "cd"])):
        for run in runs:
            _journal_with(tmp_path / folder, *(case(i, ord(i), 0) for i in run))
        compact(tmp_path / folder)
        texts.append(fixture_path(tmp_path / folder, "shop", "add").read_text(encoding="utf-8"))
    assert texts[0] == texts[1]
    assert _ids(tmp_path / "one") == ["a", "b", "c", "d"]  # each process's cases stay together


def test_counts_and_timings_are_kept_only_with_stats(tmp_path: Path) -> None:
    timed = Case(id="a", args={"a": 1}, outcome=Returned(2), seen=1, duration_us=3.5)
    _journal_with(tmp_path, timed, stats=True)
    _journal_with(tmp_path, case("a", 1, 2, seen=2), stats=True)
    compact(tmp_path)
    (counted,) = load_fixture(fixture_path(tmp_path, "shop", "add")).cases
    assert (counted.seen, counted.duration_us) == (3, 3.5)
    _journal_with(tmp_path, case("a", 1, 2))
    compact(tmp_path)  # a capture without stats leaves none behind
    assert "seen" not in _fixture_text(tmp_path) and "duration_us" not in _fixture_text(tmp_path)


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


def test_a_fixture_with_a_bad_case_keeps_new_calls_for_later(tmp_path: Path) -> None:
    path = fixture_path(tmp_path, "shop", "add")
    path.parent.mkdir(parents=True)
    bad = "- id: b\n  args: {}\n"
    text = "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n" + bad
    path.write_text(text, encoding="utf-8")
    _journal_with(tmp_path, case("a", 1, 2))
    report = compact(tmp_path)
    assert report.errors == [] and report.targets == []
    (warning,) = report.warnings
    assert warning.path == path and warning.line == 5 and "kept aside" in warning.what
    assert path.read_text(encoding="utf-8") == text  # the bad case is not lost
    assert compact(tmp_path).warnings and path.read_text(encoding="utf-8") == text
    path.write_text(text.replace(bad, "[]\n").replace(":\n[]", ": []"), encoding="utf-8")
    assert compact(tmp_path).added == 1  # the records kept aside go in once it is fixed


def test_a_leftover_journal_keeps_the_order_of_the_calls(tmp_path: Path) -> None:
    path = fixture_path(tmp_path, "shop", "add")
    path.parent.mkdir(parents=True)
    path.write_text("pytead: 1\ntarget: [\n", encoding="utf-8")
    _journal_with(tmp_path, case("c", 3, 4), case("a", 1, 2))
    _journal_with(tmp_path, case("d", 4, 5), case("b", 2, 3))
    compact(tmp_path)
    path.unlink()
    compact(tmp_path)
    assert _ids(tmp_path) == ["c", "a", "d", "b"]


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


def test_a_fixture_gets_the_mode_of_a_new_file_and_keeps_the_one_it_was_given(
    tmp_path: Path,
) -> None:
    """Fixtures are committed: 0600 from a temporary file would hide them from the team."""
    path = fixture_path(tmp_path, "shop", "add")
    previous = os.umask(0o022)
    try:
        write_fixture(path, Fixture(INFO).replace_cases((case("aa", 1, 2),)))
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o664)
        write_fixture(path, Fixture(INFO).replace_cases((case("aa", 1, 2), case("bb", 2, 3))))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert [c.id for c in load_fixture(path).cases] == ["aa", "bb"]
