"""Remove what a call's secrets revealed from everything else recorded for that call.

A value redacted by name (``password="s3cret"``) or a credential found in a string is remembered
while the call is recorded (`pytead._codec.secrets.Secrets`). Before the case is written, its text
is replaced by ``<redacted>`` wherever the case holds it: other arguments, the instance, the
result, yielded items, an exception's message and args. Each string changed becomes
``!redacted 'the rest'``, so the case says it is not exact: gen-tests leaves it out and
enrich-docs never shows it.

An exception message is a plain string in the fixture (``raised.message``). When it had to be
changed, ``raised.args`` carries the mark: ``[!redacted 'the message']`` when the exception's
args were just its message, else its own args, scrubbed, or ``!redacted ''`` when they did not
show the secret themselves (a ``__str__`` of the exception's own).

Containers are changed in place: the nodes are the recorder's own, freshly built, and a shared
node (an anchor) stays one node.
"""

from __future__ import annotations

from typing import Any

from pytead._codec import Node, Tagged
from pytead._codec.nodes import OBJ, OPAQUE, REDACTED, iter_tags
from pytead._codec.secrets import Secrets
from pytead._inputs import Inputs

#: Tags whose value is a name from the program's code, never recorded data.
_NAME_TAGS = frozenset({"enum", "ref"})


def scrub_inputs(inputs: Inputs, secrets: Secrets) -> None:
    """Remove *secrets* from a call's inputs before its id is computed from them."""
    seen: set[int] = set()
    for name, node in inputs.args.items():
        inputs.args[name] = _clean(node, secrets, seen)
    inputs.self_node = _clean(inputs.self_node, secrets, seen)


def scrub_args(args: dict[str, Node], secrets: Secrets) -> dict[str, Node]:
    """*args* without the text of *secrets* (a constructor's arguments, say)."""
    seen: set[int] = set()
    return {name: _clean(node, secrets, seen) for name, node in args.items()}


def scrub_record(record: dict[str, Node], secrets: Secrets) -> None:
    """Remove *secrets* from a journal record (``case`` or ``variant``) about to be written."""
    seen: set[int] = set()
    case = record.get("case")
    if isinstance(case, dict):
        _clean_case(case, secrets, seen)
    outcome = record.get("outcome")
    if isinstance(outcome, dict):
        _clean_outcome(outcome, secrets, seen)


def withheld_message(clean: str, args: Node) -> Node:
    """The ``raised.args`` that mark a message changed to *clean* (see the module's header)."""
    if args is None:
        return [Tagged(REDACTED, clean)]
    return args if REDACTED in iter_tags(args) else Tagged(REDACTED, "")


def _clean_case(case: dict[str, Any], secrets: Secrets, seen: set[int]) -> None:
    for key in ("self", "built", "args_built", "yields", "self_after", "returned"):
        if key in case:
            case[key] = _clean(case[key], secrets, seen)
    for key in ("args", "args_after"):
        for name, node in (case.get(key) or {}).items():
            case[key][name] = _clean(node, secrets, seen)
    if isinstance(case.get("raised"), dict):
        _clean_raised(case["raised"], secrets, seen)
    for step in case.get("driven") or ():
        if isinstance(step, dict) and "send" in step:
            step["send"] = _clean(step["send"], secrets, seen)
        elif isinstance(step, dict) and isinstance(step.get("throw"), dict):
            _clean_raised(step["throw"], secrets, seen)
    for outcome in case.get("other_outcomes") or ():
        _clean_outcome(outcome, secrets, seen)


def _clean_outcome(outcome: dict[str, Any], secrets: Secrets, seen: set[int]) -> None:
    if "returned" in outcome:
        outcome["returned"] = _clean(outcome["returned"], secrets, seen)
    if isinstance(outcome.get("raised"), dict):
        _clean_raised(outcome["raised"], secrets, seen)


def _clean_raised(raised: dict[str, Any], secrets: Secrets, seen: set[int]) -> None:
    args = _clean(raised.get("args"), secrets, seen)
    message = raised.get("message")
    clean = secrets.replace(message) if isinstance(message, str) else None
    if clean is not None:
        raised["message"] = clean
        args = withheld_message(clean, args)
    if args is not None:
        raised["args"] = args


def _clean(node: Node, secrets: Secrets, seen: set[int]) -> Node:
    """*node* without *secrets*: a changed string comes back as ``!redacted``."""
    if type(node) is str:
        clean = secrets.replace(node)
        return node if clean is None else Tagged(REDACTED, clean)
    if not isinstance(node, (list, dict, Tagged)) or id(node) in seen:
        return node
    seen.add(id(node))
    if isinstance(node, list):
        for index, item in enumerate(node):
            node[index] = _clean(item, secrets, seen)
    elif isinstance(node, dict):
        _clean_mapping(node, secrets, seen)
    else:
        return _clean_tagged(node, secrets, seen)
    return node


def _clean_mapping(mapping: dict[str, Node], secrets: Secrets, seen: set[int]) -> None:
    for key in list(mapping):
        value = _clean(mapping[key], secrets, seen)
        clean_key = secrets.replace(key)
        if clean_key is None:
            mapping[key] = value
        else:  # a secret used as a key: the key is scrubbed and what it held withheld
            del mapping[key]
            mapping[clean_key] = Tagged(REDACTED, "")


def _clean_tagged(node: Tagged, secrets: Secrets, seen: set[int]) -> Node:
    value = node.value
    if node.tag in _NAME_TAGS:
        return node
    if isinstance(value, str):
        clean = secrets.replace(value)
        if clean is None:
            return node
        if node.tag == REDACTED:
            node.value = clean
            return node
        return Tagged(REDACTED, clean)
    if node.tag == OPAQUE and isinstance(value, dict):
        shown = value.get("repr")
        clean = secrets.replace(shown) if isinstance(shown, str) else None
        if clean is not None:
            value["repr"] = clean
        return node
    if node.tag == OBJ and isinstance(value, dict):
        for key, item in value.items():
            if key != "type":
                value[key] = _clean(item, secrets, seen)
        return node
    node.value = _clean(value, secrets, seen)
    return node
