"""Which recorded cases cannot become a test, and why (pure: a case in, a reason out).

A generated test must pass on unchanged code, so a case whose call cannot be made again the way
the program made it is left out, with a reason that names what the fixture recorded: an input
kept as ``!opaque`` or ``!redacted``, a result kept as ``!opaque``, a generator driven with a
value that was not recorded, a generator whose results varied for the same arguments.
"""

from __future__ import annotations

from pytead._codec import Node, Tagged
from pytead._codec.nodes import (
    FROM_SOURCE_TAGS,
    LOCALCLASS,
    REDACTED,
    UNREPLAYABLE_TAGS,
    iter_tags,
    walk_nodes,
)
from pytead._model import Case, Raised
from pytead._opaquechecks import opaque_result


def left_out_reason(case: Case) -> str | None:
    """Why *case* cannot become a test, or ``None`` when it can."""
    if not case.replayable and not written_from_source(case):
        return unreplayable_reason(case)
    if holds_redacted(case):
        return "a secret was redacted from what the call gave or changed, so a test cannot check it"
    if case.yields is not None:
        reason = _generator_reason(case)
        if reason is not None:
            return reason
    return _uncomparable_result(case)


def written_from_source(case: Case) -> bool:
    """Whether the only inputs not recorded in full are functions and classes gen-tests may
    write from the project's source (``!function``, ``!localclass``, see `pytead._localsource`
    and `pytead._localclass`); it says why when it cannot."""
    missing = iter_tags([case.args, case.self]) & UNREPLAYABLE_TAGS
    return bool(missing) and missing <= FROM_SOURCE_TAGS


def _generator_reason(case: Case) -> str | None:
    """A generator case a test cannot drive again the way the program did."""
    if case.nondeterministic:
        # A test would check what the items are by the type of the generator's return value.
        return (
            "the same arguments gave generators with different results, so no test can check them"
        )
    if case.driven is None:
        return None
    found = find_opaque(case.driven)
    if found is not None:
        return f"the program drove this generator with send(), and {found[1]}"
    if isinstance(case.outcome, Raised):
        return "the program drove this generator with send() or throw() until it raised"
    return None


def _uncomparable_result(case: Case) -> str | None:
    """A result kept as ``!opaque`` (a stream returned, say): nothing to compare it with.

    A returned value that is itself ``!opaque`` is checked by its names instead, when it
    shows them (`pytead._opaquechecks`).
    """
    given = case.yields if case.yields is not None else getattr(case.outcome, "value", None)
    if case.yields is None and opaque_result(given) is not None:
        return None
    found = find_opaque(given)
    if found is None:
        return None
    kind, why = found
    verb = "yielded" if case.yields is not None else "returned"
    return f"it {verb} a {kind} recorded as !opaque, which a test cannot compare: {why}"


def holds_redacted(case: Case) -> bool:
    """Whether some part of *case* was redacted at capture, so it is not what the call did.

    Such a case never becomes a test or a documentation example: its inputs cannot be given
    again, or its result, state or exception was changed to leave a secret out.

    Examples:
        >>> holds_redacted(Case("1", {}, Raised("builtins.ValueError", "bad <redacted>",
        ...     [Tagged("redacted", "bad <redacted>")])))
        True
    """
    outcomes = (case.outcome, *case.other_outcomes)
    parts: list[Node] = [case.self, case.args, case.self_after, case.args_after, case.yields]
    parts += [case.driven, [o.args if isinstance(o, Raised) else o.value for o in outcomes]]
    return REDACTED in iter_tags(parts)


def unreplayable_reason(case: Case) -> str:
    """Why a case cannot be made again, for a skip message (the fixture's own reason)."""
    if "redacted" in iter_tags(case.args) | iter_tags(case.self):
        return "a secret argument was redacted at capture, so this call cannot be made again"
    inputs = [("the instance", case.self), *((f"argument {k}", v) for k, v in case.args.items())]
    for what, node in inputs:
        found = find_opaque(node)
        if found is not None:
            kind, why = found
            # A value deep inside it (a function an instance keeps) is not the value itself.
            verb = "is" if _is_opaque(node) else "holds"
            return f"{what} {verb} a {kind} recorded as !opaque, so it cannot be rebuilt: {why}"
    for what, node in inputs:
        local = find_local_class(node)
        if local is not None:
            verb = "is" if local is node else "holds"
            payload = local.value if isinstance(local.value, dict) else {}
            named = payload.get("type", "?")
            return f"{what} {verb} a {named}, of a class defined in a function: {_WRITTEN_BY}"
    return "an input was recorded as !opaque, so it cannot be rebuilt"


_WRITTEN_BY = "only gen-tests writes it (from the project's source)"


def find_local_class(node: Node) -> Tagged | None:
    """The first ``!obj`` of *node* whose class is defined in a function (``!localclass``)."""
    for item in walk_nodes(node):
        if isinstance(item, Tagged) and isinstance(item.value, dict):
            place = item.value.get("class")
            if isinstance(place, Tagged) and place.tag == LOCALCLASS:
                return item
    return None


def _is_opaque(node: Node) -> bool:
    return isinstance(node, Tagged) and node.tag == "opaque"


def find_opaque(node: Node) -> tuple[str, str] | None:
    """The type and reason of the first ``!opaque`` part of *node*, if it has one.

    Examples:
        >>> find_opaque([1, Tagged("opaque", {"type": "socket.socket", "why": "a stream"})])
        ('socket.socket', 'a stream')
    """
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, Tagged) and item.tag == "opaque":
            payload = item.value if isinstance(item.value, dict) else {}
            return str(payload.get("type", "?")), str(payload.get("why", "no codec for its type"))
        if isinstance(item, Tagged):
            stack.append(item.value)
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
    return None
