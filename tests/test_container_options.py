"""A ``list`` or ``dict`` subclass that keeps its ``**options`` is written as the call that takes
its items and those options: ``Tags(["a", "b"], sep="-")``.

Such a class often has a ``__new__(cls, *args, **kwargs)`` of its own (to set attributes before
``__init__``, for pickling), which is what `inspect.signature` reports; its ``__init__`` says
what the call takes. Its items are the call's first argument, and the options it keeps under
the name of its ``**`` parameter are the call's keywords.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead
from test_value_roads import gen_tests, pytest_passes, roads

from pytead._codec.encoder import Encoder
from pytead._codec.source import NotRenderable, render_source

CALC = '''
class Tags(list):
    """Items joined with a separator, with options kept for the lists it makes."""

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls, *args, **kwargs)
        self.options = {"sep": ","}
        return self

    def __init__(self, items=None, **options):
        super().__init__(items or [])
        self.options = options

    def joined(self):
        return self.options.get("sep", ",").join(self)


def make(items, sep):
    tags = Tags(items, sep=sep)
    tags.append("z")  # not seen: the instance's state is all a test has to go on
    return tags


def shout(tags):
    return tags.joined().upper()
'''

MAIN = """\
import calc
calc.shout(calc.make(["a", "b"], "-"))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def test_a_list_subclass_is_written_with_its_items_and_its_options(project: Path) -> None:
    import calc  # the project's module, importable once `project` is set up

    tags = calc.make(["a", "b"], "-")
    source = render_source(Encoder().encode(tags))
    assert source.text == 'Tags(["a", "b", "z"], sep="-")'
    assert not source.uses_pytead


def test_options_that_cannot_be_keywords_leave_the_value_to_another_road(project: Path) -> None:
    import calc

    tags = calc.Tags(["a"], **{"not a name": 1})
    with pytest.raises(NotRenderable):  # then read back from its YAML, by `fixture_value`
        render_source(Encoder().encode(tags))


def test_its_test_passes_without_pytead_and_catches_a_change(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(MAIN)
    assert run_pytead("run", "calc.shout", "--", "main.py", cwd=project).returncode == 0
    text, lines = gen_tests(capsys)
    assert 'shout(Tags(["a", "b", "z"], sep="-")) == "A-B-Z"' in text, text
    assert roads(lines)["rebuild"] == roads(lines)["fixture_value"] == 0, lines
    assert pytest_passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace('get("sep", ",")', 'get("s", ",")'))
    assert not pytest_passes(project)
