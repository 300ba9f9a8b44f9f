"""Carry capture into child processes started with multiprocessing's *spawn* start method.

Forked children inherit the patched targets and re-open a journal of their own (see
`pytead._journal`). A spawned child is a fresh interpreter, so the parent adds a prefix to the
``-c`` command multiprocessing gives it: the child then starts a session with the parent's
settings and installs the same targets right after multiprocessing has set up its ``sys.path``
and ``__main__``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

from pytead._config import Config

log = logging.getLogger("pytead")

_PREFIX = "import pytead._bootstrap as _pytead_bootstrap; _pytead_bootstrap.start({payload!r}); "


def carry_into_spawned_children(config: Config, patterns: list[str]) -> None:
    """Make multiprocessing's spawned children record *patterns* too."""
    import multiprocessing.util as util

    payload = json.dumps(
        {
            "patterns": patterns,
            "storage_dir": str(Path(config.storage_dir).resolve()),
            "limit": config.limit,
            "explore": [config.explore_cases, config.explore_calls, config.explore_patience],
            "redact": list(config.redact),
            "redact_patterns": config.redact_patterns,
            "max_value_nodes": config.max_value_nodes,
            "max_value_bytes": config.max_value_bytes,
            "stats": config.stats,
        }
    )
    original = util.spawnv_passfds

    def spawnv_passfds(path: Any, args: Any, passfds: Any) -> Any:
        return original(path, _with_prefix(list(args), payload), passfds)

    util.spawnv_passfds = spawnv_passfds


def _with_prefix(args: list[str], payload: str) -> list[str]:
    if "-c" in args:
        index = args.index("-c") + 1
        if index < len(args) and args[index].startswith("from multiprocessing"):
            args[index] = _PREFIX.format(payload=payload) + args[index]
    return args


def start(payload: str) -> None:
    """In a spawned child: record the parent's targets once multiprocessing has prepared it."""
    try:
        settings = json.loads(payload)
        config = dataclasses.replace(
            Config(),
            storage_dir=Path(settings["storage_dir"]),
            limit=int(settings["limit"]),
            redact=tuple(settings["redact"]),
            redact_patterns=bool(settings.get("redact_patterns", True)),
            max_value_nodes=int(settings["max_value_nodes"]),
            max_value_bytes=int(settings.get("max_value_bytes", Config.max_value_bytes)),
            stats=bool(settings.get("stats", False)),
            quiet=True,
        )
        if "explore" in settings:
            cases, calls, patience = (int(n) for n in settings["explore"])
            config = dataclasses.replace(
                config, explore_cases=cases, explore_calls=calls, explore_patience=patience
            )
        _install_after_prepare(config, list(settings["patterns"]))
    except Exception as exc:  # the child must run as it would without pytead
        log.warning("pytead: capture in a child process could not start (%s)", exc)


def _install_after_prepare(config: Config, patterns: list[str]) -> None:
    import multiprocessing.spawn as spawn

    original = spawn.prepare

    def prepare(data: dict[str, Any]) -> None:
        original(data)
        try:
            from pytead._session import get_session
            from pytead._targets import resolve_targets

            session = get_session(config)
            session.became_child()
            session.install(resolve_targets(patterns))
        except Exception as exc:
            log.warning("pytead: capture in a child process could not start (%s)", exc)

    spawn.prepare = prepare  # type: ignore[assignment]
