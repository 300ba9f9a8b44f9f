"""The pinned corpus of the field benchmark: which packages, which of their tests, what to trace."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "corpus.toml"


@dataclass(frozen=True)
class Package:
    """One package of the corpus (see ``corpus.toml`` for what each field means)."""

    name: str
    version: str
    imports: tuple[str, ...]
    tests: str
    targets: tuple[str, ...]
    why: str
    copy: tuple[str, ...] = ()
    deps: tuple[str, ...] = ()
    pytest_args: tuple[str, ...] = ()
    pip_options: tuple[str, ...] = ()
    ini: str = "[pytest]\n"

    @property
    def pin(self) -> str:
        """The pip requirement, ``name==version``."""
        return f"{self.name}=={self.version}"

    @property
    def tests_folder(self) -> str:
        """The name the tests folder gets in the work folder (its last path part)."""
        return Path(self.tests).name


@dataclass(frozen=True)
class Corpus:
    """The packages, and the requirements every package's environment gets."""

    packages: tuple[Package, ...]
    requirements: tuple[str, ...] = field(default=())

    def select(self, names: list[str]) -> list[Package]:
        """The packages named (all when none is), in corpus order.

        Raises:
            SystemExit: a name is not in the corpus.
        """
        known = {package.name: package for package in self.packages}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise SystemExit(
                f"field benchmark: not in the corpus: {', '.join(unknown)} "
                f"(known: {', '.join(known)})"
            )
        return [package for package in self.packages if not names or package.name in names]


def load_corpus(path: Path = CORPUS) -> Corpus:
    """Read the corpus file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    packages = tuple(_package(entry) for entry in data.get("package", []))
    requirements = tuple(data.get("benchmark", {}).get("requirements", ()))
    return Corpus(packages=packages, requirements=requirements)


def _package(entry: dict[str, Any]) -> Package:
    values = {
        key: tuple(value) if isinstance(value, list) else value for key, value in entry.items()
    }
    return Package(**values)
