"""The value codec: one description of values for fixtures, journals, test code and doctests.

Data flows ``Python value --encode--> node --dump_yaml/to_json--> text`` and back through
``load_yaml/from_json`` and ``decode``; ``render_source`` writes a node as Python code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytead._codec.decoder import Decoder, NotReplayable, decode
    from pytead._codec.encoder import Encoder, opaque
    from pytead._codec.jsonio import canonical, from_json, to_json
    from pytead._codec.nodes import Node, Tagged, is_replayable, locate, qualified_name
    from pytead._codec.registry import REGISTRY, TypeCodec, register_codec
    from pytead._codec.secrets import Redactor
    from pytead._codec.source import NotRenderable, Source, render_source
    from pytead._codec.yamlio import YamlSyntaxError, dump_yaml, load_yaml

__all__ = [
    "REGISTRY",
    "Decoder",
    "Encoder",
    "Node",
    "NotRenderable",
    "NotReplayable",
    "Redactor",
    "Source",
    "Tagged",
    "TypeCodec",
    "YamlSyntaxError",
    "canonical",
    "decode",
    "dump_yaml",
    "from_json",
    "is_replayable",
    "load_yaml",
    "locate",
    "opaque",
    "qualified_name",
    "register_codec",
    "render_source",
    "to_json",
]

# Resolved on first use, so capture (which needs only encode and jsonio) never loads YAML.
_HOMES = {
    "Decoder": "decoder", "NotReplayable": "decoder", "decode": "decoder",
    "Encoder": "encoder", "Redactor": "secrets", "opaque": "encoder",
    "canonical": "jsonio", "from_json": "jsonio", "to_json": "jsonio",
    "Node": "nodes", "Tagged": "nodes", "is_replayable": "nodes", "locate": "nodes",
    "qualified_name": "nodes",
    "REGISTRY": "registry", "TypeCodec": "registry", "register_codec": "registry",
    "NotRenderable": "source", "Source": "source", "render_source": "source",
    "YamlSyntaxError": "yamlio", "dump_yaml": "yamlio", "load_yaml": "yamlio",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pytead._codec' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"pytead._codec.{home}"), name)
    globals()[name] = value
    return value
