"""Run a program the way ``python script.py`` / ``python -m module`` would, for ``pytead run``.

The traced program must not notice pytead: same ``sys.argv``, ``sys.path[0]``, a fresh
``__main__`` module, stdin and stdout untouched, the same exit code. An uncaught exception is
printed through ``sys.excepthook`` with pytead's own frames removed, and Ctrl-C ends the process
by SIGINT, as Python does.
"""

from __future__ import annotations

import atexit
import builtins
import importlib.util
import io
import itertools
import os
import runpy
import signal
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytead._errors import UsageError

_PYTHON_NAMES = ("python", "python3")
_PACKAGE_DIR = str(Path(__file__).resolve().parent) + os.sep


@dataclass(frozen=True)
class Program:
    """The program ``pytead run`` traces.

    Attributes:
        script: The script path, as given (``None`` with ``-m``).
        module: The module name given to ``-m``.
        args: The arguments after the script or module.
    """

    script: str | None = None
    module: str | None = None
    args: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, words: list[str]) -> Program:
        """Read ``script.py args...`` or ``-m module args...`` (a leading ``python`` is skipped).

        Raises:
            UsageError: Nothing to run was given.
        """
        if words and Path(words[0]).name.startswith(_PYTHON_NAMES) and not words[0].endswith(".py"):
            words = words[1:]  # the seed's `trace2test ... -- python3 main.py` form
        if not words:
            raise UsageError(
                "no program to run", hint="write it after --, e.g. `pytead run pkg.f -- app.py`"
            )
        if words[0] == "-m":
            if len(words) < 2:
                raise UsageError("-m needs a module name", hint="e.g. `-- -m pytest tests/`")
            return cls(module=words[1], args=tuple(words[2:]))
        return cls(script=words[0], args=tuple(words[1:]))

    def check(self) -> None:
        """Fail before anything runs if the script or module does not exist.

        Raises:
            UsageError: The script file or the module cannot be found.
        """
        if self.script is not None:
            if not Path(self.script).exists():
                raise UsageError(
                    "no such script", where=self.script, hint="check the path after --"
                )
            return
        assert self.module is not None
        try:
            spec = importlib.util.find_spec(self.module)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            raise UsageError(
                f"no module named {self.module!r}",
                where=f"-m {self.module}",
                hint="is it installed in this environment and importable from here?",
            )

    def prepare(self) -> None:
        """Set ``sys.argv`` and ``sys.path[0]`` as Python would for this program."""
        if self.script is not None:
            sys.argv = [self.script, *self.args]
            sys.path[0] = str(Path(self.script).resolve().parent)
        else:
            sys.argv = [self._module_origin(), *self.args]
            sys.path[0] = str(Path.cwd())

    def _module_origin(self) -> str:
        spec = importlib.util.find_spec(self.module or "")
        return (spec.origin if spec is not None and spec.origin else self.module) or ""

    @property
    def module_file(self) -> Path | None:
        """The file that will run as ``__main__``, if it is a plain script."""
        return Path(self.script).resolve() if self.script is not None else None

    def run(self) -> int:
        """Run the program in this process; return its exit status.

        ``SystemExit`` is not caught: it leaves through the caller, so Python itself prints
        its message and picks the exit status, exactly as without pytead.
        """
        try:
            if self.script is not None:
                self._run_script(self.script)
            else:
                self._run_module(self.module or "")
        except KeyboardInterrupt as exc:
            _print_uncaught(exc)
            _exit_by_sigint_at_the_end()
            return 130
        except SystemExit:
            raise
        except BaseException as exc:
            _print_uncaught(exc)
            return 1
        return 0

    def _run_script(self, script: str) -> None:
        path = Path(script)
        if path.is_dir() or (path.suffix != ".py" and _is_zip(path)):
            runpy.run_path(script, run_name="__main__")
            return
        with io.open_code(str(path.resolve())) as stream:
            source = stream.read()
        main = _fresh_main(file=str(path.resolve()))
        code = compile(source, str(path.resolve()), "exec", dont_inherit=True)
        exec(code, main.__dict__)

    def _run_module(self, name: str) -> None:
        spec = importlib.util.find_spec(name)
        assert spec is not None  # checked before the program started
        if spec.submodule_search_locations is not None:  # a package: run its __main__
            spec = importlib.util.find_spec(f"{name}.__main__")
            if spec is None:
                raise ImportError(
                    f"No module named {name}.__main__; "
                    f"'{name}' is a package and cannot be directly executed"
                )
        loader: Any = spec.loader
        code = loader.get_code(spec.name)
        main = _fresh_main(file=spec.origin, spec=spec)
        exec(code, main.__dict__)


def _fresh_main(*, file: str | None, spec: Any = None) -> types.ModuleType:
    main = types.ModuleType("__main__")
    main.__dict__.update(
        __file__=file,
        __builtins__=builtins,
        __spec__=spec,
        __loader__=getattr(spec, "loader", None),
        __package__=getattr(spec, "parent", None),
        __cached__=None,
    )
    sys.modules["__main__"] = main
    return main


def _is_zip(path: Path) -> bool:
    import zipfile

    return path.is_file() and zipfile.is_zipfile(path)


def _print_uncaught(exc: BaseException) -> None:
    """Print like Python's own top level: through sys.excepthook, without pytead's frames."""
    _strip_internal_frames(exc, seen=set())
    sys.excepthook(type(exc), exc, exc.__traceback__)


def _strip_internal_frames(exc: BaseException, *, seen: set[int]) -> None:
    if id(exc) in seen:
        return
    seen.add(id(exc))
    entries = []
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith(_PACKAGE_DIR) and filename != runpy.__file__:
            entries.append(tb)
        tb = tb.tb_next
    for current, following in itertools.pairwise(entries):
        current.tb_next = following
    if entries:
        entries[-1].tb_next = None
    exc.__traceback__ = entries[0] if entries else None
    for linked in (exc.__cause__, exc.__context__):
        if linked is not None:
            _strip_internal_frames(linked, seen=seen)


def _exit_by_sigint_at_the_end() -> None:
    """After every exit handler has run, die by SIGINT like an interrupted Python does."""

    def die() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)

    _LAST_HANDLERS.append(die)


_LAST_HANDLERS: list[Any] = []


def register_last_exit_handler() -> None:
    """Reserve the very last ``atexit`` slot (handlers run in reverse order of registration)."""

    def run_last() -> None:
        for handler in _LAST_HANDLERS:
            handler()

    atexit.register(run_last)
