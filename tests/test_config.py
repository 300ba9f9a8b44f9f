"""Configuration: CLI > PYTEAD_* environment > [tool.pytead] > defaults, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytead._config import Config, load_config
from pytead._errors import UsageError


def write_pyproject(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text(f"[tool.pytead]\n{body}\n")


def test_defaults_follow_the_seed(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path, environ={})
    assert (config.storage_dir, config.limit, config.output) == (
        Path("call_logs"),
        10,
        Path("tests/test_pytead_generated.py"),
    )


def test_layers_cli_over_environment_over_pyproject(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'limit = 3\nstorage-dir = "fixtures"\nredact = ["pin"]')
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    from_file = load_config(cwd=nested, environ={})
    assert from_file.limit == 3 and from_file.redact == ("pin",)
    assert from_file.storage_dir == tmp_path / "fixtures"  # relative to pyproject.toml
    from_env = load_config(cwd=nested, environ={"PYTEAD_LIMIT": "7", "PYTEAD_REDACT": "pin, otp"})
    assert from_env.limit == 7 and from_env.redact == ("pin", "otp")
    from_cli = load_config(
        cwd=nested, environ={"PYTEAD_LIMIT": "7"}, overrides={"limit": 1, "quiet": None}
    )
    assert from_cli.limit == 1 and from_cli.quiet is False


def test_unknown_setting_suggests_the_right_one(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "limt = 3")
    with pytest.raises(UsageError, match="unknown setting 'limt'; did you mean 'limit'"):
        load_config(cwd=tmp_path, environ={})


@pytest.mark.parametrize("value", ["-1", "many"])
def test_bad_values_say_what_is_expected(tmp_path: Path, value: str) -> None:
    with pytest.raises(UsageError, match="expected a non-negative integer"):
        load_config(cwd=tmp_path, environ={"PYTEAD_LIMIT": value})


def test_invalid_toml_is_reported_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytead\n")
    with pytest.raises(UsageError, match="invalid TOML"):
        load_config(cwd=tmp_path, environ={})


def test_config_is_a_frozen_record() -> None:
    with pytest.raises(AttributeError):
        Config().limit = 3  # type: ignore[misc]
