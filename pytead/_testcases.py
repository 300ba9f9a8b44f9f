"""One recorded case -> the pieces of a pytest test: set-up, the call, what to assert.

Pure: fixtures and nodes in, layout documents out; `pytead._testgen` assembles the pieces into
plain or parametrized test functions. The decisions made here:

- the expected value is written inline when it fits on a few lines and compares by value; an
  object equal only to itself is compared through its state when that is small; otherwise
  (NaN, deeply nested or long values, more than ``snapshot_threshold`` characters, containers of
  objects equal only to themselves) the test asserts ``== snapshot`` and the recorded value goes
  to the ``.ambr``;
- after a method's call the test checks the attributes the call changed (`pytead._checks`);
- nothing showing a memory address is written: a message or text holding one is matched with a
  pattern, another value holding one leaves its case out;
- exceptions become ``pytest.raises(Type, match=...)`` anchored on the whole message;
- a case that cannot be written (inputs not recorded in full, a class that cannot be imported,
  outcomes of several types for the same inputs, see also `pytead._unreplayable`) is left out
  with its reason (`LeftOut`);
- a generator the program drove with ``send()``/``throw()`` is driven the same way
  (`pytead._drivetest`), and a buffer returned or mutated is compared through its content;
- a nondeterministic case asserts only the type of what it returns; a value returned that was
  recorded as ``!opaque`` is checked by its class and what made it (`pytead._opaquechecks`);
- an input only pytead's helpers could write, which a traced function returned (a parsed
  document), is made by that recorded call (``dumps(parse("a = 1"))``);
- a receiver or an argument the program was seen building is built the same way, by its
  recorded constructor call or that call and its history, when replaying it gives back the
  recorded state (`pytead._roads`); each value's road is counted for the report;
- an object whose class compares by value, which no road gives back with its exact state, is
  accepted by its class's ``==`` before pytead's helpers are used (`Pieces.by_equality`); a case
  written ``strict`` (its test failed that way) does without, and gets a test of its own.

Every value is written with its path in the case (``args.cart``, ``returned.items[2]``), so an
error names the part of the case that could not be written.
"""

from __future__ import annotations

import builtins
from collections import Counter
from typing import Any

from pytead._built import ITEM_METHODS, Built, Step
from pytead._calls import CallArgs, Param, call_doc, split_arguments
from pytead._checks import (
    Check,
    address_error,
    expected_checks,
    mutated_checks,
    plain_expected,
    receiver_checks,
    state_checks,
    state_of,
)
from pytead._codec import (
    Decoder,
    Node,
    NotRenderable,
    Tagged,
    canonical,
    dump_yaml,
    is_replayable,
    render_source,
)
from pytead._codec.nodes import REF
from pytead._codec.source import CONSTRUCTOR, LITERAL, Source, compares_by_value, str_literal
from pytead._codec.streams import buffer_state
from pytead._docproducers import current as current_producers
from pytead._docproducers import producer_call
from pytead._drivetest import drive
from pytead._errors import CodecError, value_path_part
from pytead._expected import (
    by_identity,
    holds_address,
    match_pattern,
    needs_snapshot,
    snapshot_problem,
)
from pytead._fnchecks import function_checks, is_function_node, without_functions
from pytead._leftout import NONDETERMINISTIC, NOT_REPLAYABLE, NOT_WRITABLE, LeftOut, one_line
from pytead._localclass import written_class
from pytead._model import Case, Outcome, Raised, Returned
from pytead._opaquechecks import kind_checks, opaque_checks, opaque_result
from pytead._pyformat import Doc, Group, concat, flat
from pytead._roads import (
    FIXTURE_VALUE,
    RECORDED_CALL,
    Making,
    counted_as,
    find_filling,
    find_making,
    init_parameters,
    item_parameters,
    item_step_names,
    method_parameters,
    step_exception,
)
from pytead._testnames import Namer, TargetRef, variable_name
from pytead._testpieces import RECEIVER, ArgDoc, Pieces, assign, take_definitions
from pytead._trust import exception_class
from pytead._unreplayable import left_out_reason


class CaseBuilder:
    """Builds the `Pieces` of the cases of one target."""

    def __init__(self, ref: TargetRef, namer: Namer, *, threshold: int) -> None:
        self.ref = ref
        self.namer = namer
        self.threshold = threshold
        #: How many values of the case being built took each road.
        self.roads: Counter[str] = Counter()
        #: Whether objects that compare by value may be accepted by their class's ``==``.
        self.equality = True
        #: The local functions the case's test defines (see `pytead._localsource`).
        self.definitions: list[str] = []
        #: Whether a node of a tree may be written as reached from its root: not while the
        #: arguments of a recorded constructor call, which assembles the tree, are written.
        self.from_root = True
        #: Whether the values being written are the call's inputs, which a traced call that
        #: returned them may make (`_produced`).
        self.inputs = False
        #: The inputs being made by a producer's call now: one whose producer's arguments hold
        #: that very value (a call that returned its input) is not made by it again.
        self._producing: set[str] = set()

    def pieces(self, case: Case, *, strict: bool = False) -> Pieces | LeftOut:
        """Everything the test of *case* needs, or why it is left out.

        *strict* accepts a value only with its exact recorded state, never by its class's
        ``==`` alone (see `Pieces.by_equality`).
        """
        self.equality = not strict
        try:
            found = self._case_pieces(case)
        finally:
            self.equality = True  # a table's cells are written with the cases it may hold
        if isinstance(found, Pieces):
            found.by_equality = found.roads.pop(_BY_EQUALITY, 0) > 0
            found.tabular = found.tabular and not strict  # its cells would not be strict
        return found

    def _case_pieces(self, case: Case) -> Pieces | LeftOut:
        reason = left_out_reason(case)
        if reason is not None:
            kind = NOT_REPLAYABLE if not case.replayable else NOT_WRITABLE
            return self._left_out(case, kind, reason)
        outer = self.namer.imports
        self.namer.imports = set()  # what this case imports, apart
        self.roads, self.definitions = Counter(), []
        try:
            if case.nondeterministic and len(_returned_kinds(case)) != 1:
                return self._left_out(case, NONDETERMINISTIC, _outcomes_seen(case))
            pieces = self._pieces(case)
        except CodecError as exc:
            return self._left_out(case, NOT_WRITABLE, one_line(exc.one_line()))
        except RecursionError:  # decoding or dumping a value as deep as Python can go
            return self._left_out(case, NOT_WRITABLE, _TOO_DEEP)
        finally:
            used, self.namer.imports = self.namer.imports, outer
        self.namer.imports |= used  # only now: a case left out must not import anything
        pieces.imports = frozenset(used)
        pieces.roads, self.roads = self.roads, Counter()  # table cells count nowhere
        take_definitions(pieces, self.definitions)
        return pieces

    def _left_out(self, case: Case, kind: str, detail: str) -> LeftOut:
        return LeftOut(self.ref.info.name, case.id, kind, detail)

    def _pieces(self, case: Case) -> Pieces:
        made = self._construction_pieces(case) if self._constructs(case) else None
        if made is not None:
            return made
        pieces = Pieces("value")
        receiver, arguments = self._inputs(case, pieces)
        call = self.call_expression(receiver, self.split(arguments))
        if case.driven is not None:
            drive(self, case, call, pieces)
        else:
            pieces.call = self.run(call, case)
            self._outcome(case, pieces)
        if receiver is not None and self.ref.info.kind in ("method", "property"):
            checks = self.state_check(RECEIVER, case)
            pieces.reader = tuple((flat(r), expected is not None) for r, expected in checks)
            pieces.after += [
                (reader.replace(RECEIVER, receiver), expected)
                for (reader, _), (_, expected) in zip(pieces.reader, checks, strict=True)
            ]
        return self._with_target(pieces)

    def _constructs(self, case: Case) -> bool:
        """Whether the case is a call of ``__init__`` that made its instance: its test calls
        the class (``Box(camel_killer_box=True)``), not ``__init__`` on an instance made by
        that very call already."""
        made = case.self_after is not None or isinstance(case.outcome, Raised)
        return self.ref.info.is_initializer and made and case.yields is None

    def _construction_pieces(self, case: Case) -> Pieces | None:
        """``result = Cls(...)`` then the attributes it set, or ``pytest.raises`` around it;
        None when it set none that a test can check (the test then calls ``__init__`` itself
        and asserts its None)."""
        pieces = Pieces("value")
        _, arguments = self._inputs(case, pieces, receiver=False)
        pieces.call = self.call_expression(None, self.split(arguments))  # ``Temperature(21)``
        if isinstance(case.outcome, Raised):
            self._outcome(case, pieces)
        else:
            pieces.shape, pieces.tabular = "state", False
            pieces.after += self.state_check("result", case)
            if not pieces.after:
                return None
        return self._with_target(pieces)

    def _with_target(self, pieces: Pieces) -> Pieces:
        """*pieces*, the test importing the target."""
        self.namer.use(self.ref.imports)
        self.namer.targets |= self.ref.imports
        return pieces

    # -- inputs -------------------------------------------------------------------------------

    def _inputs(
        self, case: Case, pieces: Pieces, *, receiver: bool = True
    ) -> tuple[str | None, dict[str, ArgDoc]]:
        """The name of the instance the set-up makes (with *receiver*), and the arguments."""
        self.inputs = True
        try:
            made = self._receiver(case, pieces) if receiver else None
            return made, self._arguments(case, pieces)
        finally:
            self.inputs = False

    def _receiver(self, case: Case, pieces: Pieces) -> str | None:
        kind = self.ref.info.kind
        if kind in ("classmethod", "staticmethod"):
            return self.ref.owner_expr
        if kind not in ("method", "property"):
            return None
        variable = variable_name(self.ref.owner_expr.rpartition(".")[2], self.namer)
        self.bind(variable, case.self, case.built, "self", pieces)
        return variable

    def bind(
        self, variable: str, node: Node, built: Built | None, where: str, pieces: Pieces
    ) -> None:
        """``variable = value`` in the set-up, made as the program made it when that replays."""
        making = self.making(node, built, where, variable)
        if making is None:
            pieces.setup.append((variable, self.value(node, where)))
            return
        doc, steps = making
        assign(pieces, variable, doc, steps)
        pieces.tabular = pieces.tabular and not steps  # a table's row is one expression

    def making(
        self, node: Node, built: Built | None, where: str, variable: str
    ) -> tuple[Doc, list[tuple[Doc, Doc | None]]] | None:
        """The recorded constructor call of *node*, and its history's calls on *variable*.

        None when there is no such record, when the codec writes the value as a literal or
        a constructor call it knows (they come first), or when the record does not give back
        the recorded state. When only pytead's helpers would give it back otherwise, a replay
        its class's ``==`` finds equal to the recorded value will do.
        """
        strict = self._strict_source(node, where)
        if strict is not None and strict.road in (LITERAL, CONSTRUCTOR):
            return None
        found, equal = self._find_making(node, built, strict)
        if found is None:
            return None
        imports, roads = set(self.namer.imports), self.roads.copy()
        try:
            made = self._making_docs(found, where, variable)
            added = self.namer.imports - imports
            plain = found.filled or (strict is not None and not strict.uses_pytead)
            if plain and any(module == "pytead" for module, _ in added):
                # the helpers road, or the codec's own plain code, reads better
                raise CodecError("an argument needs pytead's helpers")
        except CodecError:  # an argument of the history cannot be written: the next road
            self.namer.imports, self.roads = imports, roads
            return None
        self.roads[found.road] += 1
        self.roads[_BY_EQUALITY] += equal
        return made

    def _find_making(
        self, node: Node, built: Built | None, strict: Source | None
    ) -> tuple[Making | None, bool]:
        """The making of *node*, and whether it was accepted by its class's ``==``.

        The recorded one first; when only pytead's helpers would write the value otherwise,
        a mapping filled item by item, then both accepted by equality.
        """
        found = None if built is None else find_making(node, built)
        if found is not None or not (strict is None or strict.uses_pytead):
            return found, False
        found = find_filling(node, built=built)
        if found is not None or not self._by_value(node):
            return found, False
        if built is not None:
            found = find_making(node, built, equality=True)
        return found or find_filling(node, built=built, equality=True), True

    def _strict_source(self, node: Node, where: str) -> Source | None:
        """*node* written by the codec with exact states only; None if it cannot be."""
        try:
            return render_source(node, aliases=self.namer.aliases)
        except CodecError:
            return None

    def _by_value(self, node: Node) -> bool:
        """Whether *node* is an object that may be accepted by its class's ``==``."""
        if not self.equality or not (isinstance(node, Tagged) and node.tag == "obj"):
            return False
        try:
            return compares_by_value(type(Decoder().decode(node)))
        except Exception:
            return False

    def _making_docs(
        self, making: Making, where: str, variable: str
    ) -> tuple[Doc, list[tuple[Doc, Doc | None]]]:
        callee = self.class_expr(making.cls)
        params = init_parameters(making.cls, making.init)
        self.from_root = False
        try:
            init = self._call_of(callee, params, making.init, f"{where}.built")
        finally:
            self.from_root = True
        steps = making.steps
        return init, [self._step_doc(making, step, variable, where) for step in steps]

    def _step_doc(
        self, making: Making, step: Step, variable: str, where: str
    ) -> tuple[Doc, Doc | None]:
        """``variable.method(...)`` (``variable[key] = value`` for an item assignment), with
        ``pytest.raises(Type)`` if the step raised."""
        params = method_parameters(making.cls, step.method)
        if step.method in ITEM_METHODS:
            params = item_parameters(making.cls, step.method)
            call = self._item_step(variable, params, step, f"{where}.built")
        else:
            call = self._call_of(f"{variable}.{step.method}", params, step.args, f"{where}.built")
        raised = step_exception(step)
        if raised is None:
            return call, None
        manager = f"{self.namer.module('pytest')}.raises("
        return call, Group(manager, (self.exception_expr(raised),), ")")

    def _item_step(self, variable: str, params: list[Param] | None, step: Step, where: str) -> Doc:
        """``variable[key] = value`` or ``del variable[key]``, from the step's two parameters."""
        names = item_step_names(params, step)
        if names is None:
            raise CodecError("the item step's arguments do not match its method", where=where)
        key = self.value(step.args[names[0]], f"{where}.args.{names[0]}")
        item = concat(variable, "[", key, "]")
        if step.method == "__delitem__":
            return concat("del ", item)
        return concat(item, " = ", self.value(step.args[names[1]], f"{where}.args.{names[1]}"))

    def _call_of(
        self, callee: str, params: list[Param] | None, args: dict[str, Node], where: str
    ) -> Doc:
        if params is None:
            raise CodecError("the callable does not say what parameters it takes", where=where)
        docs = self.argument_docs(args, where + ".args")
        return call_doc(callee, split_arguments(docs, params), lambda doc: doc)

    def _arguments(self, case: Case, pieces: Pieces) -> dict[str, ArgDoc]:
        docs: dict[str, ArgDoc] = {}
        for key, node in case.args.items():
            where = "args" + value_path_part(key)
            built = case.args_built.get(key)
            if key in case.args_after:  # mutated: bind it to a name to look at it afterwards
                variable = variable_name(key.lstrip("*"), self.namer)
                self.bind(variable, node, built, where, pieces)
                after = case.args_after[key]
                where_after = "args_after" + value_path_part(key)
                pieces.after += self.compared(variable, node, after, where_after)
                docs[key] = _spread(key, variable)
            elif built is not None and not key.startswith("*"):
                docs[key] = self._built_argument(key, node, built, pieces)
            else:
                docs.update(self.argument_docs({key: node}, "args"))
        return docs

    def _built_argument(self, key: str, node: Node, built: Built, pieces: Pieces) -> Doc:
        """An instance argument made as the program made it, else written as any value."""
        where = "args" + value_path_part(key)
        variable = variable_name(key, self.namer)
        making = self.making(node, built, where, variable)
        if making is None:
            return self.value(node, where)
        pieces.tabular = False  # a table writes its cells as plain values
        doc, steps = making
        if not steps:
            return doc
        assign(pieces, variable, doc, steps)
        return variable

    def argument_docs(self, args: dict[str, Node], where: str) -> dict[str, ArgDoc]:
        """Recorded arguments as code: ``*args`` items as a list, ``**kwargs`` as a mapping."""
        docs: dict[str, ArgDoc] = {}
        for key, node in args.items():
            at = where + value_path_part(key)
            if key.startswith("**") and isinstance(node, dict):
                docs[key] = {
                    name: self.value(item, at + value_path_part(name))
                    for name, item in node.items()
                }
            elif key.startswith("*") and isinstance(node, list):
                docs[key] = [self.value(item, f"{at}[{i}]") for i, item in enumerate(node)]
            else:
                docs[key] = self.value(node, at)
        return docs

    def split(self, arguments: dict[str, ArgDoc]) -> CallArgs:
        """Sort arguments into positional and keyword ones, as the signature requires."""
        return split_arguments(arguments, self.ref.params)

    def call_expression(self, receiver: str | None, call: CallArgs) -> Doc:
        """``f(...)``, ``obj.method(...)``, ``Cls.method(...)`` or ``obj.prop``."""
        if receiver is None and self.ref.info.kind in ("classmethod", "staticmethod"):
            receiver = self.ref.owner_expr
        if self.ref.info.kind == "property":
            return f"{receiver}.{self.ref.attribute}"
        callee = self.ref.owner_expr if receiver is None else f"{receiver}.{self.ref.attribute}"
        return call_doc(callee, call, lambda doc: doc)

    def run(self, call: Doc, case: Case) -> Doc:
        """Await coroutines and consume generators as the program did."""
        if self.ref.info.is_async:
            call = Group(f"{self.namer.module('asyncio')}.run(", (call,), ")")
        if case.yields is None:
            return call
        if case.complete and isinstance(case.outcome, Returned):
            return Group("list(", (call,), ")")
        islice = Group(
            f"{self.namer.module('itertools')}.islice(", (call, str(len(case.yields))), ")"
        )
        return Group("list(", (islice,), ")") if isinstance(case.outcome, Returned) else call

    # -- outcome ------------------------------------------------------------------------------

    def _outcome(self, case: Case, pieces: Pieces) -> None:
        outcome = case.outcome
        if case.nondeterministic:
            self._nondeterministic(case, pieces)
        elif isinstance(outcome, Raised):
            pieces.shape = "raises"
            pieces.error = (self.exception_expr(outcome.type), match_pattern(outcome.message))
            if case.yields:
                pieces.expected = self.value(case.yields, "yields")
        elif case.yields is not None:
            self.expect(case.yields, pieces, "yields")
        elif is_function_node(outcome.value):
            self._function_result(case, outcome.value, pieces)
        elif opaque_result(outcome.value) is not None:
            pieces.shape, pieces.tabular = "state", False  # checked by its names, next
            pieces.after = opaque_checks("result", outcome.value) + pieces.after
        elif (buffer := buffer_state(outcome.value)) is not None:
            pieces.call = concat(pieces.call, ".getvalue()")  # buffers compare by identity
            pieces.tabular = False
            self.expect(buffer[0], pieces, "returned")
        else:
            self.expect(outcome.value, pieces, "returned")

    def _function_result(self, case: Case, node: Node, pieces: Pieces) -> None:
        """A returned function no name imports: checked by its names (`pytead._fnchecks`)."""
        assert isinstance(node, Tagged)
        pieces.shape, pieces.tabular = "state", False
        checks = function_checks(self, "result", node, "returned", [case.args, case.self])
        pieces.after = checks + pieces.after

    def expect(self, node: Node, pieces: Pieces, where: str = "returned") -> None:
        """Assert *node* inline when it reads well, else through a snapshot.

        Raises:
            CodecError: The value shows a memory address that no pattern or state stands for.
        """
        value = decode_at(node, where)
        if isinstance(node, str) and holds_address(node):
            self._matched(node, pieces, where)
            return
        if isinstance(node, Tagged) and node.tag == REF and by_identity(value):
            named = self.expression(node, where)  # an object a module keeps (a sentinel): that one
            pieces.shape, pieces.call = "truth", concat(pieces.call, " is ", named)
            pieces.tabular = False
            return
        if by_identity(value) and self._by_state(node, pieces, where):
            return
        imports, roads = set(self.namer.imports), self.roads.copy()
        shown, doc = plain_expected(self, node, where) or (node, None)
        if doc is None:
            try:
                doc = self.expression(node, where)  # self-referencing: a snapshot
            except NotRenderable:
                doc = None
        if doc is None or needs_snapshot(shown, value, doc, self.threshold):
            self.namer.imports = imports  # the snapshot needs none of the value's imports
            self.roads = roads  # nor is it code
            if isinstance(value, list) and snapshot_problem(node) is not None:
                pieces.shape, pieces.tabular = "state", False  # its items are checked, next
                pieces.after = kind_checks(self, "result", value) + pieces.after
                return
            _check_snapshot(node, where)
            pieces.shape, pieces.snapshot_value = "snapshot", value
        else:
            pieces.shape, pieces.expected = "value", doc
        if holds_address(node):  # written inline or into the .ambr, it would differ next run
            raise address_error(where)

    def _matched(self, text: str, pieces: Pieces, where: str) -> None:
        """A text showing an address: searched for with a pattern accepting any address."""
        ((check, _),) = expected_checks(self, flat(pieces.call), text, where)
        pieces.shape, pieces.call, pieces.tabular = "truth", check, False

    def _by_state(self, node: Node, pieces: Pieces, where: str) -> bool:
        """Compare an object equal only to itself through its state, when that state is small."""
        state = state_of(node)
        if state is None:
            return False
        imports = set(self.namer.imports)
        checks = state_checks(self, "result", node, state, where)
        expected = [doc for _, doc in checks if doc is not None]
        if any(needs_snapshot(state, None, doc, self.threshold) for doc in expected):
            self.namer.imports = imports  # a snapshot then: it needs none of the state's imports
            return False
        pieces.shape, pieces.tabular = "state", False
        pieces.after = checks + pieces.after
        return True

    def decoded(self, node: Node, where: str) -> Any:
        """Rebuild *node* for its type and shape (a function in it is None: it is code, written
        from source); an error says where it sits in the case."""
        return decode_at(without_functions(node), where)

    def _nondeterministic(self, case: Case, pieces: Pieces) -> None:
        pieces.note = "nondeterministic: " + _outcomes_seen(case)
        pieces.shape = "nondeterministic"
        pieces.expected = self.type_expr(_returned_kinds(case).pop())

    def compared(self, reader: str, before: Node, after: Node, where: str) -> list[Check]:
        """The checks of a value the call changed: an object's changed attributes, or the value.

        An in-memory buffer compares by identity: its content is checked when the call wrote
        to it, else how far the call read it.
        """
        state, earlier = buffer_state(after), buffer_state(before)
        if state is not None and earlier is not None:
            if canonical(state[0]) != canonical(earlier[0]):
                return [(f"{reader}.getvalue()", self.value(state[0], where))]
            return [(f"{reader}.tell()", str(state[1]))]
        return mutated_checks(self, reader, before, after, where)

    def state_check(self, receiver: str, case: Case) -> list[Check]:
        """Check the attributes of the instance the call changed; none if it changed nothing."""
        return receiver_checks(self, receiver, case)

    # -- values -------------------------------------------------------------------------------

    def value(self, node: Node, where: str = "") -> Doc:
        """A recorded value as code, importing what it needs; *where*: its path in the case.

        A value plain Python cannot spell (one that refers to itself, a codec's type without a
        source form) is read back from its YAML with `pytead.fixture_value`. A value written
        with pytead's helpers is rebuilt here first: a test module evaluates its table rows
        when it is imported, and one that cannot be rebuilt must not stop the others.

        Raises:
            CodecError: The value cannot be written, or not rebuilt (the error gives its path).
        """
        try:
            source = self.source(node, where)
        except NotRenderable:
            if not is_replayable(node):
                raise
            decode_at(node, where)
            made = self._produced(node, where) if self.inputs else None
            if made is not None:
                return made
            text = dump_yaml(node).removesuffix("...\n").rstrip("\n")
            helper = self.namer.name("pytead", "fixture_value")
            self.roads[FIXTURE_VALUE] += 1
            return Group(f"{helper}(", (str_literal(text),), ")")
        if source.uses_pytead:
            decode_at(without_functions(node), where)  # functions are code: checked when run
            made = self._produced(node, where) if self.inputs else None
            if made is not None:
                return made
        self.use(source)
        return source.doc

    def _produced(self, node: Node, where: str) -> Doc | None:
        """An input made the way the program made it: the call of a traced function that
        returned that very value (``dumps(parse("a = 1"))``), or None (`pytead._docproducers`).

        Only for inputs: an expected value made by today's code would check nothing.
        """
        producers = current_producers()
        if producers is None:
            return None
        key = dump_yaml(node)
        if key in self._producing:  # a call that returned its own input: not made by it again
            return None
        self._producing.add(key)
        try:
            for producer in producers.find(node):
                imports: set[tuple[str, str]] = set()
                try:
                    doc = producer_call(producer, lambda item: self.value(item, where), imports)
                    self.namer.use(imports)
                except (NotRenderable, CodecError):
                    continue
                self.roads[RECORDED_CALL] += 1
                return doc
            return None
        finally:
            self._producing.discard(key)

    def expression(self, node: Node, where: str = "") -> Doc:
        """A recorded value as a Python expression, importing what it needs.

        Raises:
            NotRenderable: The value cannot be written as an expression.
            CodecError: A part of it cannot be imported or rebuilt.
        """
        source = self.source(node, where)
        self.use(source)
        return source.doc

    def use(self, source: Source) -> None:
        """Import what *source* needs, and count the roads its objects took."""
        self.namer.use(source.imports)
        self.roads.update(counted_as(road) for road in source.roads)
        self.roads[_BY_EQUALITY] += source.by_equality
        self.definitions += source.definitions

    def class_expr(self, cls: type) -> str:
        """Spell a class as the codec does (with its alias if its name clashes), importing it.

        Raises:
            CodecError: It cannot be imported by name.
        """
        local = written_class(cls)
        if local is not None:  # defined in a function: the test defines it from its source
            self.namer.use(local.imports)
            self.definitions += local.definitions
            return local.name
        module, qualname = str(cls.__module__), str(cls.__qualname__)
        top = qualname.split(".")[0]
        if module == "builtins":
            return qualname
        alias = self.namer.aliases.get((module, top))
        self.namer.use({(module, top if alias is None else f"{top} as {alias}")})
        return (alias or top) + qualname[len(top) :]

    def source(self, node: Node, where: str) -> Source:
        """*node* as code (without importing anything yet); errors say where it sits."""
        try:
            return render_source(
                node, aliases=self.namer.aliases, equality=self.equality, from_root=self.from_root
            )
        except CodecError as exc:
            exc.inside(where)
            raise

    def exception_expr(self, qualified: str) -> str:
        """The expression naming an exception class (builtins stay bare).

        Raises:
            CodecError: The class cannot be imported any more (renamed, or defined where the
                tests cannot reach).
        """
        module, _, name = qualified.rpartition(".")
        if module == "builtins":
            if not _is_exception_class(getattr(builtins, name, None)):
                raise CodecError(f"{name} is not a built-in exception class", where="raised")
            return name
        try:
            found = exception_class(qualified)
        except LookupError as exc:
            raise CodecError(
                f"its exception class {qualified} cannot be imported ({exc})",
                where="raised",
                hint="make its module importable from the project root, or capture the call again",
            ) from None
        if not isinstance(found, type):
            raise CodecError(f"{qualified} is not an exception class", where="raised")
        return self.type_expr(found)

    def type_expr(self, kind: type) -> str:
        """Spell a class, importing its top-level name."""
        if kind.__module__ == "builtins":
            return kind.__qualname__
        top = kind.__qualname__.split(".")[0]
        return self.namer.name(kind.__module__, top) + kind.__qualname__[len(top) :]


_TOO_DEEP = (
    "a value of it is nested too deeply for pytead to read or write it (past Python's "
    "recursion limit); test a smaller part of it"
)

#: Counted with the roads while a case is built (so that a value given up is not counted),
#: then taken out as `Pieces.by_equality`.
_BY_EQUALITY = "by equality"


def _is_exception_class(found: object) -> bool:
    return isinstance(found, type) and issubclass(found, BaseException)


def _outcomes_seen(case: Case) -> str:
    outcomes = (case.outcome, *case.other_outcomes)
    return "these arguments gave " + ", ".join(_short(o) for o in outcomes[:4])


def _returned_kinds(case: Case) -> set[type]:
    """The types a nondeterministic case returned; empty if one of its calls raised."""
    outcomes = (case.outcome, *case.other_outcomes)
    if not all(isinstance(o, Returned) for o in outcomes):
        return set()
    return {type(Decoder().decode(o.value)) for o in outcomes if isinstance(o, Returned)}


def decode_at(node: Node, where: str) -> Any:
    """Rebuild *node*; an error says where it sits in the case (``returned.items[2]``)."""
    try:
        return Decoder().decode(node)
    except CodecError as exc:
        exc.inside(where)
        raise


def _check_snapshot(node: Node, where: str) -> None:
    """Raise `CodecError` if the recorded *node* cannot be shown in a snapshot (see
    `pytead._expected.snapshot_problem`)."""
    problem = snapshot_problem(node)
    if problem is not None:
        raise CodecError(
            f"neither code nor a snapshot can show the value: {problem}",
            where=where,
            hint="test a smaller part of it, or give its class an __eq__ and a __repr__",
        )


def _spread(key: str, variable: str) -> ArgDoc:
    if key.startswith("**"):
        return {"**": variable}
    if key.startswith("*"):
        return [f"*{variable}"]
    return variable


def _short(outcome: Outcome) -> str:
    if isinstance(outcome, Raised):
        return outcome.short_type
    try:
        text = render_source(outcome.value).text
    except CodecError:
        text = "..."
    return text if len(text) <= 20 else text[:17] + "..."
