"""Cases of a fixture file that failed their checks: left out by every command, never lost.

A case whose id, exception type or argument names are not what they claim, or which is otherwise
malformed, cannot be read; the rest of its fixture can. The file keeps it (no command rewrites a
fixture holding one), and each command reports it with the file and line and exits 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytead._errors import FixtureError
from pytead._names import is_case_id, shown

#: How to fix a rejected case: the rest of the file is fine, so deleting the whole file is not.
REJECTED_HINT = "fix the file by hand or delete the case and capture again"


@dataclass(frozen=True)
class RejectedCase:
    """A case of a fixture file that could not be read.

    Attributes:
        number: Its place in the file's list of cases, from 1.
        id: Its id as `pytead._names.shown` quotes it (escaped, one line), ``""`` without one.
        line: The line of the file where it starts, when known.
        reason: What is wrong with it.
    """

    number: int
    id: str
    line: int | None
    reason: str

    @property
    def label(self) -> str:
        """How a generated module names it: ``3 (id 'ab12')``, or ``3`` when its id is no id.

        Its place comes first, and the id only when it is one: the rest is fixture text that
        generated code never holds, not even in a comment.

        Examples:
            >>> RejectedCase(3, "'ab12'", 9, "bad").label, RejectedCase(3, "'a b'", 9, "bad").label
            ("3 (id 'ab12')", '3')
        """
        # `shown` quotes a real id as exactly 'id': its characters need no escape.
        real = is_case_id(self.id[1:-1])
        return f"{self.number} (id {self.id})" if real else str(self.number)

    def error(self, path: Path) -> FixtureError:
        """The error a command reports for it, *path* being its fixture file."""
        return FixtureError(
            f"case {self.number}: {self.reason}", path=path, line=self.line, hint=REJECTED_HINT
        )


def rejected_case(number: int, raw: Any, line: int | None, reason: str) -> RejectedCase:
    """The record of case *number* (*raw*, as read from the YAML) that failed with *reason*."""
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    return RejectedCase(number, shown(raw_id) if isinstance(raw_id, str) else "", line, reason)
