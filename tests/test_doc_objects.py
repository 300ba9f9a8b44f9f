"""A returned object whose repr shows its memory address is shown in examples by its attributes."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pytead, run_python

TOKENS = '''
class Token:
    def __init__(self, kind, text):
        self.kind = kind
        self.text = text


class Opaque:
    """Nothing but an identity: no attributes to show."""


def token(text):
    """Read one token."""
    return Token("number" if text.isdigit() else "name", text)


def nothing(text):
    """Make an object with no attributes."""
    return Opaque()
'''


def test_an_object_result_is_shown_by_its_attributes_and_passes(tmp_path: Path) -> None:
    (tmp_path / "tokens.py").write_text(TOKENS)
    main = "import tokens\ntokens.token('x')\ntokens.token('42')\ntokens.nothing('x')\n"
    (tmp_path / "main.py").write_text(main)
    ran = run_pytead("run", "tokens.token", "tokens.nothing", "--", "main.py", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "tokens.py").read_text()
    assert """>>> vars(token("x"))\n        {'kind': 'name', 'text': 'x'}""" in source, source
    assert "0x" not in source and "object at" not in source
    assert "tokens.nothing: no case can be shown" in result.stderr, result.stderr
    count = "import doctest, tokens; print(doctest.testmod(tokens))"
    done = run_python("-c", count, cwd=tmp_path)
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout


def test_an_example_never_imports_the_project_test_suite(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text(
        "class _Basket:\n"
        "    def __init__(self, size):\n        self.size = size\n\n"
        "    def total(self, price):\n        return self.size * price\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "__init__.py").write_text("")
    (tmp_path / "tests" / "helpers.py").write_text(
        "from shop import _Basket\n\n\nclass BigBasket(_Basket):\n    pass\n"
    )
    main = "from shop import _Basket\nfrom tests.helpers import BigBasket\n"
    main += "_Basket(2).total(3)\nBigBasket(5).total(7)\n"
    (tmp_path / "main.py").write_text(main)
    assert run_pytead("run", "shop._Basket.total", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", "shop", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "shop" / "__init__.py").read_text()
    assert ">>> basket = _Basket(2)" in source or ">>> basket = _Basket(size=2)" in source, source
    # The test suite's own subclass is defined from its source, never imported.
    assert "tests" not in source, source
    assert ">>> class BigBasket(_Basket):\n            ...     pass\n" in source, source
    done = run_python("-c", "import doctest, shop; print(doctest.testmod(shop))", cwd=tmp_path)
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout
