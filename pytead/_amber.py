"""Syrupy's amber serializer, showing through its state an object whose repr shows an address.

A repr such as ``<py3-none-any @ 140654066821824>`` holds a memory address: a snapshot holding it
would fail on the next run. `StateAmberSerializer` writes such an object the way syrupy writes
one without a repr of its own, ``Tag(interpreter='py3', ...)``, from its attributes (its
``__dict__`` and slots). Everything else is syrupy's own serializer, unchanged.

gen-tests writes the ``.ambr`` file with it, and, when a module's snapshots need it, copies the
source of the two classes below into the generated module with a ``snapshot`` fixture using them,
so the tests compare with the same serializer without importing pytead. The classes are
therefore written as the generated code must read: short lines, no pytead imports.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from syrupy.extensions.amber import AmberSnapshotExtension
from syrupy.extensions.amber.serializer import AmberDataSerializer


class StateAmberSerializer(AmberDataSerializer):
    """Shows an object by its attributes where its repr would show a memory address."""

    address = re.compile(r"0x[0-9a-fA-F]{6,}|(?:@|\bid[=:]) ?[1-9][0-9]{8,}")

    @classmethod
    def serialize_unknown(cls, data: Any, *, depth: int = 0, **kwargs: Any) -> str:
        text = repr(data)
        shows_id = str(id(data)) in text or f"{id(data):x}" in text
        # Without a repr of its own, syrupy already shows an object by its attributes.
        own_repr = data.__class__.__repr__ is not object.__repr__
        if not own_repr or not (shows_id or cls.address.search(text)):
            return super().serialize_unknown(data, depth=depth, **kwargs)
        state = dict(getattr(data, "__dict__", {}))
        for klass in type(data).__mro__:
            slots = klass.__dict__.get("__slots__", ())
            for name in (slots,) if isinstance(slots, str) else slots:
                if name not in ("__dict__", "__weakref__") and hasattr(data, name):
                    state[name] = getattr(data, name)
        return cls.serialize_custom_iterable(
            data=data,
            resolve_entries=(sorted(state), lambda _, name: state[name], None),
            depth=depth,
            separator="=",
            **kwargs,
        )


class StateAmberExtension(AmberSnapshotExtension):
    """Amber snapshots, objects whose repr shows an address written by their state."""

    serializer_class = StateAmberSerializer


#: What the generated module imports for the classes above: ``(module, name)``.
IMPORTS = frozenset(
    {
        ("re", ""),
        ("typing", "Any"),
        ("pytest", ""),
        ("syrupy.extensions.amber", "AmberSnapshotExtension"),
        ("syrupy.extensions.amber.serializer", "AmberDataSerializer"),
    }
)

_FIXTURE = [
    "@pytest.fixture",
    "def snapshot(snapshot):",
    "    return snapshot.use_extension(StateAmberExtension)",
]


def needs_state_serializer(values: list[Any]) -> bool:
    """Whether a snapshot of *values* reads differently through `StateAmberSerializer`."""
    return any(
        StateAmberSerializer.serialize(value) != AmberDataSerializer.serialize(value)
        for value in values
    )


def serialize(value: Any) -> str:
    """The snapshot text of *value*, as the generated tests' serializer writes it."""
    return StateAmberSerializer.serialize(value)


def extension_lines() -> list[str]:
    """The source the generated module holds: the two classes and its ``snapshot`` fixture."""
    lines: list[str] = []
    for cls in (StateAmberSerializer, StateAmberExtension):
        lines += [*inspect.getsource(cls).splitlines(), "", ""]
    return lines + _FIXTURE
