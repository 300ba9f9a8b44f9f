"""The ``pytead`` command line: parse, call a command function, print, pick the exit code.

Exit codes: 0 ok; 1 ``--check`` found drift or ``replay`` found changed behaviour; 2 usage error
(bad target, bad option, unreadable fixture or case, the latter once the other cases are done);
for ``run``, the traced program's own status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pytead import __version__
from pytead._docpages import LLMS_EXAMPLE_CHARS, LLMS_EXAMPLES
from pytead._errors import PyteadError

EXIT_OK, EXIT_DRIFT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with 2 through `PyteadError` and one line."""

    def error(self, message: str) -> Any:
        raise _UsageExit(f"{message} (see `{self.prog} --help`)")


class _UsageExit(PyteadError):
    pass


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _Parser(
        prog="pytead",
        description="Trace To Test And Doc: record real calls as YAML fixtures, "
        "then generate pytest tests and documentation examples from them.",
    )
    parser.add_argument("--version", action="version", version=f"pytead {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_run(commands)
    _add_gen_tests(commands)
    _add_replay(commands)
    _add_enrich_docs(commands)
    _add_demo(commands)
    _add_store_commands(commands)
    return parser


def _storage_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s", "--storage-dir", "--calls-dir", dest="storage_dir", type=Path, metavar="DIR",
        help="where fixtures live (default: call_logs, or [tool.pytead] storage_dir)",
    )  # fmt: skip


def _check_or_diff(parser: argparse.ArgumentParser, what: str) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help=f"exit 1 if {what} are out of date")
    mode.add_argument("--diff", action="store_true", help="print the changes instead of writing")


def _add_run(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run a program and record calls of TARGETs",
        description="Run a program as `python script.py` / `python -m module` would, recording "
        "real calls of each TARGET (pkg.mod.func, pkg.mod.Class.method, pkg.mod.Class, "
        "pkg.mod, with * globs) into YAML fixtures.",
        usage="pytead run [-l N] [-s DIR] [-q] [--nested-calls] [--stats] TARGET... "
        "-- script.py [args...]\n"
        "       pytead run [-l N] [-s DIR] [-q] [--nested-calls] [--stats] TARGET... "
        "-- -m module [args...]",
    )
    run.add_argument("targets", nargs="+", metavar="TARGET", help="what to record")
    run.add_argument(
        "-l", "--limit", type=int, metavar="N", help="distinct cases kept per target (default 10)"
    )
    _storage_option(run)
    run.add_argument(
        "-q", "--quiet", action="store_true", default=None, help="print nothing of pytead's own"
    )
    run.add_argument(
        "--nested-calls",
        action="store_true",
        default=None,
        help="also record a target's calls to itself (by default only the outermost call)",
    )
    run.add_argument(
        "--stats",
        action="store_true",
        default=None,
        help="also keep in each case how often it was seen and how long it took (these change "
        "at every capture, so they are off by default)",
    )
    run.set_defaults(handler=_run)


def _add_gen_tests(commands: Any) -> None:
    gen = commands.add_parser(
        "gen-tests",
        aliases=["gentests"],
        help="write pytest tests (and syrupy snapshots) from the fixtures",
        description="Write pytest tests from the recorded fixtures: each case becomes an "
        "assertion; complex return values are asserted with syrupy snapshots that are written "
        "from the recorded values.",
    )
    gen.add_argument("targets", nargs="*", metavar="TARGET", help="only these (globs allowed)")
    _storage_option(gen)
    where = gen.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help="the test module to write (default tests/test_pytead_generated.py)",
    )  # fmt: skip
    where.add_argument(
        "-d", "--dir", dest="out_dir", type=Path, metavar="DIR",
        help="write one test module per traced module into DIR",
    )  # fmt: skip
    gen.add_argument(
        "--parametrize",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="one parametrized test per target and outcome (default: off, or [tool.pytead] "
        "parametrize); with --check and neither form, each module is checked with the options "
        "its header records",
    )
    gen.add_argument(
        "--no-verify",
        action="store_true",
        help="write the tests without running them first (by default gen-tests runs them "
        "and leaves out the cases whose tests fail)",
    )
    _check_or_diff(gen, "the generated tests")
    gen.set_defaults(handler=_gen_tests)


def _gen_tests(args: argparse.Namespace, _words: list[str]) -> int:
    from pytead._gentests import Verify, plan_tests

    config = _config(args)
    verify: Verify = "off" if args.no_verify else "recall" if args.check else "run"
    # --check compares each module with what its own options make, unless told which to use
    as_recorded = args.check and args.parametrize is None
    report = plan_tests(
        config,
        targets=args.targets or None,
        output=args.output,
        out_dir=args.out_dir,
        parametrize=None if as_recorded else config.parametrize,
        verify=verify,
    )
    if report.fixtures == 0:
        raise _no_fixtures(config, args.targets)
    for line in report.lines(every_case=not args.check):
        print(f"pytead: {line}", file=sys.stderr)
    _print_refusals(report.refused)
    status = _apply_plan(report.plan, args, report.summary())
    return EXIT_USAGE if report.refused else status


def _no_fixtures(config: Any, targets: list[str]) -> _UsageExit:
    wanted = f" matching {' '.join(targets)}" if targets else ""
    return _UsageExit(
        f"no fixtures{wanted} in {_shown(config.storage_dir)}; "
        "record calls first with `pytead run TARGET -- app.py`"
    )


def _apply_plan(plan: Any, args: argparse.Namespace, what: str) -> int:
    stale = plan.stale()
    if args.check:
        for change in stale:
            print(f"stale: {_shown(change.path)}", file=sys.stderr)
        if stale:
            print(
                "pytead: generated files are out of date; run the command without --check",
                file=sys.stderr,
            )
        return EXIT_DRIFT if stale else EXIT_OK
    if args.diff:
        sys.stdout.write(plan.diff())
        return EXIT_OK
    written = plan.write()
    for path in written:
        print(f"wrote {_shown(path)}")
    print(f"pytead: {what}; {len(written)} file(s) changed", file=sys.stderr)
    return EXIT_OK


def _add_replay(commands: Any) -> None:
    replay = commands.add_parser(
        "replay",
        help="make the recorded calls again on today's code and show what changed",
        description="Re-run every recorded input against today's code and print, per target, "
        "the cases that now return or raise something else. Exit 1 if any did.",
    )
    replay.add_argument("targets", nargs="*", metavar="TARGET", help="only these (globs allowed)")
    _storage_option(replay)
    replay.add_argument(
        "--update", action="store_true", help="write today's outcomes into the fixtures"
    )
    replay.set_defaults(handler=_replay)


def _replay(args: argparse.Namespace, _words: list[str]) -> int:
    from pytead._commands import replay_store

    config = _config(args)
    reports = replay_store(config, args.targets or None)
    if not reports:
        raise _no_fixtures(config, args.targets)
    outcomes = [_print_replay(report, update=args.update) for report in reports]
    changed = sum(len(report.changed) for report in reports)
    if "unreachable" in outcomes:
        print(
            f"pytead: {outcomes.count('unreachable')} target(s) cannot be reached; if they were "
            "renamed or removed, clean their fixtures with `pytead clean TARGET`",
            file=sys.stderr,
        )
    if changed and not args.update:
        print("pytead: behaviour changed; accept it with `pytead replay --update`", file=sys.stderr)
    if "refused" in outcomes or any(report.stored.fixture.rejected for report in reports):
        return EXIT_USAGE
    return EXIT_DRIFT if (changed and not args.update) or "unreachable" in outcomes else EXIT_OK


def _print_replay(report: Any, *, update: bool) -> str:
    """Print what replaying one fixture found; say whether it was refused, unreachable, replayed.

    The cases its file could not read are reported first: the others were replayed all the same.
    """
    target = report.stored.fixture.target
    _print_refusals(report.stored.rejections())
    if report.refused:
        print(f"{target.name}: not replayed, it names something untrusted")
        _print_refusals(report.refused)
        return "refused"
    if report.error:
        print(f"{target.name}: {report.error}")
        return "unreachable"
    total = report.unchanged + len(report.changed) + len(report.skipped)
    state = f"{len(report.changed)} changed" if report.changed else "all unchanged"
    skipped = f", {len(report.skipped)} not replayable" if report.skipped else ""
    print(f"{target.name}: {total} case(s), {state}{skipped}")
    for change in report.changed:
        print(f"  case {change.case.id}:")
        for line in change.diff.splitlines():
            print(f"    {line}")
    if report.changed and update:
        _update(report)
    return "replayed"


def _update(report: Any) -> None:
    """Accept today's outcomes, unless the fixture holds cases it could not read: rewriting it
    would lose them, so its update is refused."""
    from pytead._replay import accept
    from pytead._store import unwritable

    stored = report.stored
    if stored.fixture.rejected:
        _print_refusals([unwritable(stored.path, stored.fixture).one_line()])
    elif accept(report):
        print(f"  updated {_shown(stored.path)}")


def _add_enrich_docs(commands: Any) -> None:
    enrich = commands.add_parser(
        "enrich-docs",
        help="write verified real-call examples into docstrings, pages and llms.txt",
        description="Add an Examples section of real, verified calls to the docstring of each "
        "traced function found under PATH (default: the project). Only pytead's own section "
        "changes; hand-written examples are left alone.",
    )
    enrich.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="source files or folders"
    )
    _storage_option(enrich)
    enrich.add_argument(
        "--max-examples", type=int, metavar="K", help="examples per function (default 3)"
    )
    enrich.add_argument(
        "--pages",
        type=Path,
        metavar="DIR",
        help="also write one Markdown page per module, with every verified example",
    )
    enrich.add_argument(
        "--llms-txt",
        type=Path,
        metavar="FILE",
        help="also write an llms.txt digest (llmstxt.org) titled with [project] name and "
        f"description: at most {LLMS_EXAMPLES} examples per function, {LLMS_EXAMPLE_CHARS} "
        "characters each, longer ones left out whole with a note; links the --pages pages",
    )
    enrich.add_argument(
        "--report-json", type=Path, metavar="PATH",
        help="also write, as JSON, every traced function's examples or why it has none",
    )  # fmt: skip
    _check_or_diff(enrich, "the docstrings, pages or llms.txt")
    enrich.set_defaults(handler=_enrich_docs)


def _enrich_docs(args: argparse.Namespace, _words: list[str]) -> int:
    from pytead._enrich import plan_docs
    from pytead._project import project_root

    config = _config(args)
    report = plan_docs(
        config,
        paths=args.paths,
        max_examples=args.max_examples,
        pages=args.pages,
        llms_txt=args.llms_txt,
        root=project_root(),
    )
    if report.fixtures == 0:
        raise _no_fixtures(config, [])
    _print_docs_report(report)
    if args.report_json is not None:
        _write_report_json(args.report_json, report.accounts)
    examples = sum(report.written.values())
    what = (
        f"{examples} example(s) for {len(report.written)} function(s), "
        f"{len(report.dropped)} dropped as not reproducible"
    )
    status = _apply_plan(report.plan, args, what)
    return EXIT_USAGE if report.refused else status


def _print_docs_report(report: Any) -> None:
    """Each dropped example, each function without examples and why, then the tally."""
    from pytead._docaccount import render_tally

    for target, case_id, why in report.dropped:
        print(f"pytead: dropped an example of {target} (case {case_id}): {why}", file=sys.stderr)
    for item in report.without_examples:
        print(f"pytead: skipped {item.line()}", file=sys.stderr)
    _print_refusals(report.refused)
    print(f"pytead: {render_tally(report.accounts)}", file=sys.stderr)


def _write_report_json(path: Path, accounts: Any) -> None:
    """Write the report, whatever the mode: ``--check`` and ``--diff`` runs report too."""
    from pytead._docaccount import render_report_json

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_report_json(accounts), encoding="utf-8")
    except OSError as error:
        raise _UsageExit(
            f"cannot write the report to {path}: {error.strerror or error}; "
            "give --report-json a path in a writable folder"
        ) from None


def _add_demo(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="run the whole flow on a bundled example app, with a tour",
        description="Copy a small warehouse app into DIR, record its calls, generate tests with "
        "snapshots, run them, and write verified examples into docstrings and docs pages.",
    )
    demo.add_argument("folder", nargs="?", type=Path, default=Path("pytead-demo"), metavar="DIR")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace, _words: list[str]) -> int:
    from pytead._demo import run_demo

    return run_demo(args.folder, say=lambda text: print(text, flush=True))


def _shown(path: Path) -> str:
    """*path* relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _add_store_commands(commands: Any) -> None:
    listing = commands.add_parser("list", help="list the recorded targets and their cases")
    listing.add_argument("targets", nargs="*", metavar="TARGET", help="only these (globs allowed)")
    _storage_option(listing)
    listing.set_defaults(handler=_list)
    show = commands.add_parser("show", help="show the recorded cases of TARGETs")
    show.add_argument(
        "targets", nargs="+", metavar="TARGET", help="targets to show (globs allowed)"
    )
    show.add_argument("--yaml", action="store_true", help="print the fixture files as they are")
    _storage_option(show)
    show.set_defaults(handler=_show)
    clean = commands.add_parser("clean", help="delete fixtures (all, or those of TARGETs)")
    clean.add_argument("targets", nargs="*", metavar="TARGET", help="only these (globs allowed)")
    _storage_option(clean)
    clean.set_defaults(handler=_clean)


def _config(args: argparse.Namespace) -> Any:
    from pytead._config import load_config

    names = ("storage_dir", "limit", "quiet", "nested_calls", "stats", "parametrize")
    overrides = {name: getattr(args, name, None) for name in names}
    return load_config(overrides=overrides)


def _run(args: argparse.Namespace, program_words: list[str]) -> int:
    from pytead._run import trace_program
    from pytead._runner import Program

    if program_words is None:
        raise _UsageExit("put -- before the program, e.g. `pytead run app.f -- app.py`")
    return trace_program(_config(args), args.targets, Program.parse(program_words))


def _list(args: argparse.Namespace, _words: list[str]) -> int:
    from pytead._commands import list_fixtures

    config = _config(args)
    rows = list_fixtures(config, args.targets or None)
    if not rows:
        print(f"no fixtures in {config.storage_dir}")
        return EXIT_OK
    width = max(len(row.target) for row in rows)
    for row in rows:
        note = (
            "" if row.replayable == row.cases else f" ({row.cases - row.replayable} not replayable)"
        )
        print(f"{row.target:<{width}}  {row.cases:>3} case(s){note}  {_shown(row.path)}")
    rejected = [line for row in rows for line in row.rejected]
    _print_refusals(rejected)
    return EXIT_USAGE if rejected else EXIT_OK


def _show(args: argparse.Namespace, _words: list[str]) -> int:
    from pytead._commands import screen_for_show, show_fixtures

    config = _config(args)
    found = show_fixtures(config, args.targets)
    if not found:
        raise _UsageExit(f"no fixture matches {' '.join(args.targets)} (see `pytead list`)")
    rejected = [line for stored in found for line in stored.rejections()]
    if args.yaml:
        for stored in found:
            print(f"# {_shown(stored.path)}")
            print(stored.path.read_text(encoding="utf-8"))
        _print_refusals(rejected)
        return EXIT_USAGE if rejected else EXIT_OK
    screened = screen_for_show(config, found)
    _describe(screened)
    _print_refusals([*rejected, *(refusal.line() for refusal in screened.refused)])
    return EXIT_USAGE if rejected or screened.refused else EXIT_OK


def _describe(screened: Any) -> None:
    from pytead._commands import describe_case
    from pytead._trust import trusting

    with trusting(screened.policy):
        for stored in screened.kept:
            target = stored.fixture.target
            print(f"{target.name}{target.signature}  [{target.kind}, {_shown(stored.path)}]")
            for case in stored.fixture.cases:
                print(f"  {describe_case(stored.fixture, case)}")


def _print_refusals(lines: Any) -> None:
    """One error line per fixture or case that names something untrusted or cannot be read."""
    for line in lines:
        print(f"pytead: error: {line}", file=sys.stderr)


def _clean(args: argparse.Namespace, _words: list[str]) -> int:
    from pytead._commands import clean_store

    config = _config(args)
    removed = clean_store(config, args.targets or None)
    for path in removed:
        print(f"removed {_shown(path)}")
    if not removed:
        print(f"nothing to remove in {config.storage_dir}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the pytead command line; return the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    program_words = None
    if "--" in words:
        cut = words.index("--")
        words, program_words = words[:cut], words[cut + 1 :]
    try:
        args = build_parser().parse_args(words)
        handler: Callable[[argparse.Namespace, Any], int] | None = getattr(args, "handler", None)
        if handler is None:
            build_parser().print_help(sys.stderr)
            return EXIT_USAGE
        return handler(args, program_words)
    except PyteadError as exc:
        print(f"pytead: error: {exc.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def trace2test_main() -> int:
    """The seed's ``trace2test`` command: ``pytead run``."""
    return main(["run", *sys.argv[1:]])


def gentests_main() -> int:
    """The seed's ``gentests`` command: ``pytead gen-tests``."""
    return main(["gen-tests", *sys.argv[1:]])
