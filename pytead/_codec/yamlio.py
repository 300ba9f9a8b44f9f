"""Tagged tree <-> YAML text, safely.

The loader knows YAML's core types and pytead's ``!tags`` only: ``!!python/...`` and every other
tag is refused with the file and line, so reading a fixture never runs code. Untagged dates stay
text (they are written quoted), so a hand-edited ``2024-01-02`` does not sneak in a date object.
A value shared through anchors and aliases is read as one shared object, but every reader of
it (a generated test, a diff, a doctest) spells it out: a "billion laughs" file is refused
before it is built, by counting what its aliases expand to. libyaml's C parser and emitter are
used when present.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import yaml

from pytead._codec.nodes import BUILTIN_TAGS, Node, Tagged

try:  # libyaml is an order of magnitude faster; PyYAML works without it
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

#: Nodes a fixture may expand to once its aliases are spelled out (``max_fixture_nodes``).
#: Objects that point at each other (a parser's token types and their parents) legitimately
#: expand to about two million in fixtures pytead writes itself; a "billion laughs" file is
#: hundreds of times more, and refused at once.
DEFAULT_MAX_NODES = 5_000_000

_USER_TAG = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)+$")
_CORE = "tag:yaml.org,2002:"


class YamlSyntaxError(ValueError):
    """YAML that cannot be read, with the 1-based line where reading stopped."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _Dumper(_BaseDumper):
    """Block layout, insertion order kept, multi-line strings as ``|`` blocks."""


def _represent_tagged(dumper: _Dumper, node: Tagged) -> yaml.Node:
    tag = "!" + node.tag
    if isinstance(node.value, list):
        return dumper.represent_sequence(tag, node.value)
    if isinstance(node.value, dict):
        return dumper.represent_mapping(tag, node.value)
    if node.tag not in BUILTIN_TAGS and not isinstance(node.value, str):
        # A user codec's number, boolean or null: written plain, read back with its type.
        plain = dumper.represent_data(node.value)
        return dumper.represent_scalar(tag, plain.value, style=None)
    text = "" if node.value is None else str(node.value)
    if node.tag not in BUILTIN_TAGS:
        return dumper.represent_scalar(tag, text, style="|" if "\n" in text else '"')  # stays text
    return dumper.represent_scalar(tag, text, style="|" if "\n" in text else None)


def _represent_str(dumper: _Dumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text and len(text) > 1 else None
    return dumper.represent_scalar(_CORE + "str", text, style=style)


_Dumper.add_representer(Tagged, _represent_tagged)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Node) -> str:
    """Write *data* as YAML: deterministic, readable, anchors for shared nodes."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )


class _Loader(_BaseLoader):
    """Core YAML types plus pytead's tags; nothing else."""

    yaml_constructors: ClassVar[dict[Any, Any]] = {}
    yaml_multi_constructors: ClassVar[dict[Any, Any]] = {}


def _construct_tagged(loader: _Loader, suffix: str, node: yaml.Node) -> Iterator[Tagged]:
    if suffix not in BUILTIN_TAGS and not _USER_TAG.match(suffix):
        _refuse(node)  # pytead's own tags, and dotted codec tags (``!mylib.Money``), only
    if isinstance(node, yaml.SequenceNode):
        tagged = Tagged(suffix, [], _line(node))
        yield tagged  # yielded first so aliases inside (cycles) can point at it
        tagged.value.extend(loader.construct_sequence(node))  # type: ignore[union-attr]
    elif isinstance(node, yaml.MappingNode):
        tagged = Tagged(suffix, {}, _line(node))
        yield tagged
        tagged.value.update(_construct_mapping(loader, node))  # type: ignore[union-attr]
    elif isinstance(node, yaml.ScalarNode):
        yield Tagged(suffix, _scalar_payload(loader, suffix, node), _line(node))


def _line(node: yaml.Node) -> int | None:
    mark = node.start_mark
    return int(mark.line) + 1 if mark is not None else None


def _scalar_payload(loader: _Loader, suffix: str, node: yaml.ScalarNode) -> Any:
    """Text for pytead's tags; for a codec's tag, a plain scalar keeps its YAML type."""
    if suffix in BUILTIN_TAGS or node.style:  # plain is None (PyYAML) or "" (libyaml)
        return loader.construct_scalar(node)
    resolve: Any = loader.resolve  # untyped in the stubs
    implicit = resolve(yaml.ScalarNode, node.value, (True, False))
    return loader.construct_object(
        yaml.ScalarNode(implicit, node.value, node.start_mark, node.end_mark)
    )


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"mapping key {key!r} is not a string (use !dict)", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node)
    return mapping


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterator[dict[str, Any]]:
    mapping: dict[str, Any] = {}
    yield mapping
    mapping.update(_construct_mapping(loader, node))


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Iterator[list[Any]]:
    items: list[Any] = []
    yield items
    items.extend(loader.construct_sequence(node))


def _refuse(node: yaml.Node) -> None:
    shown = node.tag.replace(_CORE, "!!") if node.tag else "?"
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"unknown tag {shown} (pytead only reads its own tags and never runs code from a fixture)",
        node.start_mark,
    )


_CORE_CONSTRUCTORS: dict[str, Any] = {
    "null": _BaseLoader.construct_yaml_null,
    "bool": _BaseLoader.construct_yaml_bool,
    "int": _BaseLoader.construct_yaml_int,
    "float": _BaseLoader.construct_yaml_float,
    "str": _BaseLoader.construct_yaml_str,
    "timestamp": _BaseLoader.construct_yaml_str,  # an unquoted date stays text
    "seq": _construct_seq,
    "map": _construct_map,
}
for _name, _constructor in _CORE_CONSTRUCTORS.items():
    _Loader.add_constructor(_CORE + _name, _constructor)
_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_constructor(None, lambda _loader, node: _refuse(node))


def load_yaml(text: str, max_nodes: int = DEFAULT_MAX_NODES) -> Node:
    """Read YAML written by `dump_yaml` (or by a careful human).

    Args:
        text: The YAML text.
        max_nodes: How many nodes the document may hold once its aliases are expanded.

    Raises:
        YamlSyntaxError: The text is not valid YAML, uses a tag pytead does not read, or
            expands to more than *max_nodes* nodes.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_expansion(root, max_nodes)
        return loader.construct_document(root)  # type: ignore[no-any-return]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(exc.problem or str(exc), line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None) from None
    except RecursionError:
        raise YamlSyntaxError("values nested too deeply to read", None) from None
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def expanded_sizes(root: yaml.Node, cap: int) -> dict[int, int]:
    """How many nodes each composed node stands for once aliases are spelled out (by ``id``).

    Each node is visited once, so counting a bomb is as cheap as reading it; counts stop
    growing at *cap*. A cycle adds nothing: it is read as one object that refers to itself.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[id(node)] = min(total, cap)
        elif id(node) not in sizes:
            sizes[id(node)] = 0  # in progress: an alias back to it is a cycle
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes


def _check_expansion(root: yaml.Node, max_nodes: int) -> None:
    """Refuse a document whose aliases expand past *max_nodes*, naming the node that does it."""
    sizes = expanded_sizes(root, max_nodes + 1)
    if sizes[id(root)] <= max_nodes:
        return
    node = root
    while True:  # down to the smallest node that is too big by itself
        bigger = [child for child in _children(node) if sizes[id(child)] > max_nodes]
        if not bigger:
            break
        node = bigger[0]
    raise YamlSyntaxError(
        f"this value expands through YAML aliases to more than {max_nodes} nodes (raise "
        "[tool.pytead] max-fixture-nodes if the file is genuine)",
        _line(node),
    )
