"""The value codec: one description of values for fixtures, journals, test code and doctests.

Data flows ``Python value --encode--> node --dump_yaml/to_json--> text`` and back through
``load_yaml/from_json`` and ``decode``; ``render_source`` writes a node as Python code.
"""

from pytead._codec.decode import Decoder, NotReplayable, decode
from pytead._codec.encode import Encoder, Redactor, opaque
from pytead._codec.jsonio import canonical, from_json, to_json
from pytead._codec.nodes import Node, Tagged, is_replayable, locate, qualified_name
from pytead._codec.registry import REGISTRY, TypeCodec, register_codec
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
