"""YAML loading that keeps each node's position (Tavern's loader habit), with the safe loader only."""
from __future__ import annotations

import weakref
from pathlib import Path

import yaml

from .positions import (KeyPath, Position, ScenarioError, ScenarioErrors, SourceDoc, error_at, offset_position,
                        source_lines)


def _end_line(node: yaml.Node, outer: frozenset = frozenset()) -> int:
    """The 1-based last line of `node`. PyYAML ends a block collection (and a `|` scalar) where the next token
    starts, often a line or more after its last one: so a block collection ends where its last item ends."""
    if isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value and node not in outer:
        last = node.value[-1]
        return _end_line(last[1] if isinstance(node, yaml.MappingNode) else last, outer | {node})
    mark = node.end_mark
    return mark.line if mark.column == 0 and mark.line > node.start_mark.line else mark.line + 1


def _position(node: yaml.Node) -> Position:
    line = node.start_mark.line + 1
    return Position(line, node.start_mark.column + 1, max(line, _end_line(node)))


class _Constructor(yaml.SafeLoader):
    """PyYAML's safe constructors, remembering which pairs of a mapping came from `<<` merge keys."""

    def __init__(self) -> None:
        super().__init__("")
        # mapping node -> how many of its first pairs were merged in (weak: an id() could be reused by a later node)
        self.merged: weakref.WeakKeyDictionary[yaml.MappingNode, int] = weakref.WeakKeyDictionary()

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        if node in self.merged:  # flattened already (an alias, or the source of another merge)
            return
        own = sum(1 for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge")
        super().flatten_mapping(node)  # puts the merged pairs first; nested merges come through here too
        self.merged[node] = len(node.value) - own


# A scenario holds hundreds of values; aliases of aliases ("billion laughs") could make a few hundred
# bytes expand to billions, each built with its own position: stop well before that.
MAX_VALUES = 10_000
# PyYAML and the builder recurse once per nesting level; scenarios nest a handful of levels.
MAX_DEPTH = 100


class _Builder:
    """Turns a composed node tree into plain data plus a key path -> position map."""

    def __init__(self, file: Path, lines: list[str]) -> None:
        self.file = file
        self.lines = lines
        self.scalars = _Constructor()  # only its scalar constructors and merge-key flattening are used
        self.open: set[yaml.Node] = set()  # the collections being built, to catch an alias to its own ancestor
        self.built = 0

    def build(self, node: yaml.Node, path: KeyPath, positions: dict[KeyPath, Position]) -> object:
        positions[path] = _position(node)
        self.built += 1
        if self.built > MAX_VALUES:
            raise ScenarioErrors([self._error(node, path, f"the document expands to more than {MAX_VALUES} values",
                                              "aliases of aliases multiply; repeat fewer values")])
        if len(path) > MAX_DEPTH:
            raise ScenarioErrors([self._error(node, path, f"values nest deeper than {MAX_DEPTH} levels",
                                              "scenarios nest a few levels; check the brackets")])
        if isinstance(node, yaml.CollectionNode):
            if node in self.open:  # `&a [*a]`: building it would never end
                raise ScenarioErrors([self._error(node, path, "an alias refers to a mapping or list that holds it",
                                                  "such YAML never ends; repeat the values instead")])
            self.open.add(node)
            try:
                return self._collection(node, path, positions)
            finally:
                self.open.discard(node)
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: KeyPath) -> object:
        try:
            return self.scalars.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            problem = exc.problem
        except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
            # PyYAML resolved (or was told by a tag) a type it then cannot build, e.g. `2024-13-01`, `0x_`, an
            # empty `!!int` (IndexError)
            problem = f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}"
        raise ScenarioErrors([self._error(node, path, f"cannot read value: {problem}",
                                          "quote the value to make it a string")])

    def _collection(self, node: yaml.CollectionNode, path: KeyPath, positions: dict[KeyPath, Position]) -> object:
        if isinstance(node, yaml.MappingNode):
            self.scalars.flatten_mapping(node)  # resolves `<<` merge keys
            merged = self.scalars.merged[node]
            out: dict = {}
            written: set = set()  # keys written in this mapping itself, which override merged ones
            for index, (key_node, value_node) in enumerate(node.value):
                key = self._scalar(key_node, path)
                if not isinstance(key, str):
                    key = str(key)
                if index >= merged:
                    if key in written:
                        raise ScenarioErrors([self._error(key_node, path + (key,), f"duplicate key '{key}'",
                                                          "each key may appear once in a mapping")])
                    written.add(key)
                out[key] = self.build(value_node, path + (key,), positions)
                # a key's own position is where the key is written, which reads best in errors
                line = key_node.start_mark.line + 1
                positions[path + (key,)] = Position(line, key_node.start_mark.column + 1,
                                                    max(line, _end_line(value_node)))
            return out
        return [self.build(item, path + (i,), positions) for i, item in enumerate(node.value)]

    def _error(self, node: yaml.Node, path: KeyPath, message: str, hint: str) -> ScenarioError:
        doc = SourceDoc(self.file, None, {path: _position(node)}, self.lines)
        return error_at(doc, path, message, hint)


def _empty(node: yaml.Node) -> bool:
    """PyYAML composes a document with no content (`---` then nothing) as an implicit, empty null scalar."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and node.value == ""


def load_documents(file: Path) -> list[SourceDoc]:
    """Every YAML document in `file`, each with its positions. Raises ScenarioErrors on bad YAML."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioErrors([ScenarioError(file, Position(1, 1, 1), (), "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioErrors([ScenarioError(file, Position(1, 1, 1), (), f"cannot read file: {exc}",
                                            "scenario files are UTF-8 text")]) from None
    lines = source_lines(text)
    builder = _Builder(file, lines)
    docs: list[SourceDoc] = []
    try:
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            if node is None or _empty(node):  # an empty document, e.g. after a trailing '---'
                continue
            positions: dict[KeyPath, Position] = {}
            docs.append(SourceDoc(file, builder.build(node, (), positions), positions, lines))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "malformed YAML"
        snippet_doc = SourceDoc(file, None, {(): Position(line, col, line)}, lines)
        raise ScenarioErrors([ScenarioError(file, Position(line, col, line), (), f"malformed YAML: {problem}",
                                            "check indentation, quotes and ':' after each key",
                                            snippet_doc.snippet(()))]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids; it knows its offset in the text
        line, col = offset_position(text, exc.position)
        raise ScenarioErrors([ScenarioError(file, Position(line, col, line), (),
                                            f"malformed YAML: character {exc.character!r} is not allowed",
                                            "remove control characters; scenario files are plain text")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioErrors([ScenarioError(file, Position(1, 1, 1), (), f"malformed YAML: {exc}")]) from None
    except RecursionError:
        raise ScenarioErrors([ScenarioError(file, Position(1, 1, 1), (), "malformed YAML: values nest too deeply",
                                            "scenarios nest a few levels; check the brackets")]) from None
    return docs
