"""Cases ``gen-tests`` leaves out, and why: the report's lines and the comment ending a module.

A case that cannot become a test that passes on unchanged code is left out, never lost: the
fixture keeps it, ``gen-tests`` prints one line for it and the generated module ends with the
same list, so a reader of the module sees what is missing and why. Each line names the case by
its id, as in its fixture.

The verdicts of verification are read back from that comment by ``gen-tests --check``, which
compares the fixtures with what verification kept without running anything again.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pytead._expected import ADDRESS
from pytead._pyformat import LINE_LENGTH, width

#: Why a case is left out, as the summary counts them.
NOT_REPLAYABLE = "not replayable"
NOT_WRITABLE = "cannot be written as code"
NONDETERMINISTIC = "nondeterministic"
TARGET_GONE = "target cannot be imported"
FAILS = "fails when run"
HANGS = "did not finish"
UNVERIFIED = "not verified"
INTERNAL = "pytead could not write it"
UNTRUSTED = "names something untrusted"
MALFORMED = "cannot be read from its fixture"

#: The kinds only a run of the tests finds; ``--check`` reads them back from the module.
VERIFICATION_KINDS = (FAILS, HANGS, UNVERIFIED)

_COMMENT_HEAD = "# Left out by pytead gen-tests (their fixtures keep them):"
_CASE_PREFIX = "#   "
_MORE_PREFIX = "#     "
_CASE_LINE = re.compile(r"^#   (?P<target>\S+) case (?P<case>[0-9A-Za-z_-]+): (?P<reason>.*)$")

#: A case as gen-tests refers to it: its target's name and its id.
CaseKey = tuple[str, str]


@dataclass(frozen=True)
class LeftOut:
    """A case that is not written as a test.

    Attributes:
        target: The target's dotted name.
        case_id: The case's id in its fixture.
        kind: Why, in a word or three (one of the constants of this module).
        detail: The rest of the reason, on one line: what failed and how to fix it.
    """

    target: str
    case_id: str
    kind: str
    detail: str = ""

    @property
    def key(self) -> CaseKey:
        """The case this is about."""
        return self.target, self.case_id

    @property
    def reason(self) -> str:
        """``kind: detail``, the reason as the report and the module show it."""
        return f"{self.kind}: {self.detail}" if self.detail else self.kind

    def line(self) -> str:
        """The report's line for this case."""
        return one_line(f"left out {self.target} case {self.case_id}: {self.reason}", 1000)


def one_line(text: str, limit: int = 300) -> str:
    """The first line of *text*, printable, single-spaced, at most *limit* characters.

    Examples:
        >>> one_line("AssertionError: assert  1 == 2\\n  + where ...")
        'AssertionError: assert 1 == 2'
    """
    first = text.strip().splitlines()[0] if text.strip() else ""
    shown = " ".join("".join(char if _printable(char) else "?" for char in first).split())
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _printable(char: str) -> bool:
    return char.isprintable() and unicodedata.category(char) not in ("Zl", "Zp")


def summary(left_out: Iterable[LeftOut]) -> str:
    """``2 left out (1 fails when run, 1 not replayable)``, or ``none left out``."""
    counts = Counter(item.kind for item in left_out)
    if not counts:
        return "none left out"
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    return f"{sum(counts.values())} left out ({kinds})"


def render_comment(left_out: list[LeftOut]) -> list[str]:
    """The comment lines that end a module, listing what was left out (none: no lines)."""
    if not left_out:
        return []
    lines = ["", "", _COMMENT_HEAD]
    by_target: dict[str, list[LeftOut]] = {}
    for item in left_out:
        by_target.setdefault(item.target, []).append(item)
    for target, items in by_target.items():
        if all(item.kind == TARGET_GONE for item in items):
            lines += _wrapped(f"{target}, all {len(items)} case(s): {_shown(items[0].reason)}")
        else:
            for item in items:
                lines += _wrapped(f"{target} case {item.case_id}: {_shown(item.reason)}")
    return lines


def _shown(reason: str) -> str:
    """*reason* without the memory addresses a failure showed: they differ at every run."""
    return ADDRESS.sub("<address>", reason)


def _wrapped(text: str) -> list[str]:
    """*text* as comment lines within the line length, continued with a deeper indent.

    Words are never broken and single spaces separate them (see `one_line`), so joining the
    lines back with spaces gives *text* again: ``--check`` reads the reasons back that way.
    """
    lines: list[str] = []
    line = _CASE_PREFIX
    for word in one_line(text, limit=len(text) + 3).split(" "):
        if line.strip("# ") and width(f"{line} {word}") > LINE_LENGTH:
            lines.append(line)
            line = _MORE_PREFIX + word
        else:
            line = line + word if line in (_CASE_PREFIX, _MORE_PREFIX) else f"{line} {word}"
    return [*lines, line]


def read_verdicts(text: str | None) -> dict[CaseKey, LeftOut]:
    """The verification verdicts a generated module lists at its end (``--check`` keeps them)."""
    if text is None or _COMMENT_HEAD not in text:
        return {}
    verdicts: dict[CaseKey, LeftOut] = {}
    entries: list[str] = []
    for line in text[text.rindex(_COMMENT_HEAD) :].splitlines()[1:]:
        if line.startswith(_MORE_PREFIX) and entries:
            entries[-1] += " " + line[len(_MORE_PREFIX) :]
        else:
            entries.append(line)
    for line in entries:
        match = _CASE_LINE.match(line)
        if match is None:
            continue
        reason = match["reason"]
        for kind in VERIFICATION_KINDS:
            if reason == kind or reason.startswith(kind + ": "):
                detail = reason[len(kind) + 2 :]
                verdict = LeftOut(match["target"], match["case"], kind, detail)
                verdicts[verdict.key] = verdict
    return verdicts
