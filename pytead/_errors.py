"""The errors pytead raises, as one small tree under `PyteadError`.

Each error carries the data needed to say what failed, where (``file:line`` or
``module.qualname``) and how to fix it, so the CLI can print exactly one line and exit 2.
Errors are caught only at the edges: the CLI turns them into an exit code, capture logs them and
lets the traced program carry on.
"""

from __future__ import annotations

from pathlib import Path


class PyteadError(Exception):
    """Base class of every error pytead raises on purpose.

    Attributes:
        what (str): What went wrong, as a short sentence fragment.
        where (str): The place it went wrong: ``file:line``, a path or a dotted target name.
        hint (str): How to fix it.
    """

    def __init__(self, what: str, *, where: str = "", hint: str = "") -> None:
        self.what = what
        self.where = where
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Render the error as the single line the CLI prints."""
        text = f"{self.where}: {self.what}" if self.where else self.what
        return f"{text}; {self.hint}" if self.hint else text


class UsageError(PyteadError):
    """A bad command line or configuration value."""


class TargetError(PyteadError):
    """A target name that cannot be resolved to something pytead can trace."""

    def __init__(
        self, what: str, *, where: str, suggestions: tuple[str, ...] = (), hint: str = ""
    ) -> None:
        self.suggestions = suggestions
        if suggestions:
            hint = "did you mean " + ", ".join(suggestions) + "?"
        hint = hint or "check the spelling, or that the module is importable from here"
        super().__init__(what, where=where, hint=hint)


class FixtureError(PyteadError):
    """A fixture file that cannot be read: bad YAML, unknown tag, wrong shape."""

    def __init__(
        self, what: str, *, path: Path | str, line: int | None = None, hint: str = ""
    ) -> None:
        self.path = Path(path)
        self.line = line
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(
            what, where=where, hint=hint or "fix the file by hand or delete it and capture again"
        )


class CodecError(PyteadError):
    """A value that cannot be encoded, rebuilt or written as code.

    *where* is the path of the failing part inside the value (``returned.items[2].owner``),
    built up with `inside` as the error travels out of the nested value.
    """

    def inside(self, part: str) -> CodecError:
        """Say the failing value sits under *part* (``[2]``, ``.owner``, ``returned``)."""
        if part:
            inner = self.where
            self.where = part + ("" if not inner or inner.startswith(("[", ".")) else ".") + inner
            self.args = (self.one_line(),)
        return self


def value_path_part(key: object) -> str:
    """How a mapping key or attribute reads in a value path: ``.owner``, ``["a b"]``, ``[3]``.

    Examples:
        >>> value_path_part("owner"), value_path_part("a b"), value_path_part(3)
        ('.owner', "['a b']", '[3]')
    """
    if isinstance(key, str) and key.isidentifier():
        return f".{key}"
    return f"[{key!r}]"
