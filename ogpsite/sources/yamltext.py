"""YAML with line numbers: every value's position, so errors can name `file:line`.

Timestamps are not resolved: `date: 2014-02-30` stays a string and the reader reports it
at its line instead of PyYAML raising deep inside construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..core.controls import UNSAFE

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

KeyPath = tuple[Any, ...]


@dataclass
class YamlDocument:
    data: Any
    lines: dict[KeyPath, int]  # 1-based line of each value's key (or item), by key path
    unsafe: list[tuple[int, str]] = field(default_factory=list)  # (line, character) of control characters removed from values (`core.controls`)

    def line(self, *path: Any) -> int:
        """Line of the deepest known ancestor of `path`."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 0


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


MAX_ALIASED_VALUES = 10_000  # values an alias may repeat, per document: an alias bomb is 276 bytes


def parse(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; lines are counted from `first_line` (the text's first line).

    A key given twice, an alias that refers to itself, or aliases that repeat more than
    `MAX_ALIASED_VALUES` values are errors at their line (the last wins silently in PyYAML, and
    a few nested aliases take all memory)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        builder = _Builder(loader, first_line)
        data = builder.value(root, (), first_line) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = _culprit_mark(error)
        line = first_line + mark.line if mark else first_line
        raise YamlSyntaxError(line, _describe(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(first_line, str(error)) from None
    finally:
        loader.dispose()
    return YamlDocument(data, builder.lines, builder.unsafe)


class _Builder:
    """Values made from the composed nodes, with the line of each; aliases counted."""

    def __init__(self, loader: Any, first_line: int) -> None:
        self.loader = loader
        self.first_line = first_line
        self.lines: dict[KeyPath, int] = {}
        self.unsafe: list[tuple[int, str]] = []
        self._seen: set[int] = set()  # nodes made once: meeting one again is an alias
        self._open: set[int] = set()  # nodes being made: meeting one of them is an alias to itself
        self._aliased = 0

    def value(self, node: yaml.Node, path: KeyPath, line: int, aliased: bool = False) -> Any:
        here = self.first_line + node.start_mark.line
        self.lines.setdefault(path, here)
        identity = id(node)
        if identity in self._open:
            raise YamlSyntaxError(line, "invalid YAML: an alias refers to the value it is in (`&a [*a]`): it never ends")
        aliased = aliased or identity in self._seen
        if aliased:
            self._aliased += 1
            if self._aliased > MAX_ALIASED_VALUES:
                raise YamlSyntaxError(line, f"invalid YAML: aliases (`*name`) repeat more than {MAX_ALIASED_VALUES:,} values: write the values out")
        self._seen.add(identity)
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            return self._scalar(node, here)
        self._open.add(identity)
        try:
            if isinstance(node, yaml.SequenceNode):
                # An alias's node has the line of its anchor: problems are told at the key that holds the list.
                return [self.value(item, path + (index,), line, aliased) for index, item in enumerate(node.value)]
            return self._mapping(node, path, aliased)
        finally:
            self._open.discard(identity)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, aliased: bool) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node, self.first_line + key_node.start_mark.line) if isinstance(key_node, yaml.ScalarNode) else self.value(key_node, path, 0, aliased)
            line = self.first_line + key_node.start_mark.line
            try:
                first = self.lines.get(path + (key,)) if key in result else None
            except TypeError:  # a list or mapping as a key: PyYAML refuses it too
                raise YamlSyntaxError(line, "invalid YAML: a key must be text, not a list or mapping") from None
            if key in result:
                raise YamlSyntaxError(line, f"`{key}` is given twice (first on line {first}): keep one")
            self.lines[path + (key,)] = line
            result[key] = self.value(value_node, path + (key,), line, aliased)
        return result

    def _scalar(self, node: yaml.Node, line: int) -> Any:
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, str) and UNSAFE.search(value):
            self.unsafe.extend((line, character) for character in dict.fromkeys(UNSAFE.findall(value)))
            value = UNSAFE.sub("", value)
        return value


# Constructs PyYAML notices only lines after they start (an unclosed `[` or quote): the line they
# start on is the one to fix. Otherwise the problem mark is the line.
_OPENED_EARLIER = ("while scanning a quoted scalar", "while parsing a flow", "while scanning a simple key")
# PyYAML's wording, and the same mistake told as an editor would fix it.
_FIXES = (
    ("while parsing a flow sequence", "a `[` list opened on this line is not closed: end it with `]`"),
    ("while parsing a flow mapping", "a `{` opened on this line is not closed: end it with `}`"),
    ("while scanning a quoted scalar", "a quote opened on this line is not closed"),
    ("while scanning a simple key", "this line is not `key: value`: add the `:` or join it to the line above"),
    ("mapping values are not allowed", "a `:` inside a value: put the whole value in quotes (title: \"A: B\") or fix the indentation"),
    ("cannot start any token", "a tab or a character YAML cannot start with: indent with spaces, quote the value"),
)


def _culprit_mark(error: yaml.MarkedYAMLError) -> Any:
    if error.context_mark and (error.context or "").startswith(_OPENED_EARLIER):
        return error.context_mark
    return error.problem_mark or error.context_mark


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (error.context, error.problem) if part]
    said = ", ".join(parts)
    for wording, fix in _FIXES:
        if wording in said:
            return f"invalid YAML: {fix}"
    return f"invalid YAML: {said}" if said else "invalid YAML"


def scalar(text: str) -> str:
    """`text` written as a YAML scalar: plain when that reads back the same, quoted otherwise (`a: b`, `#x`, `'q'`)."""
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()
