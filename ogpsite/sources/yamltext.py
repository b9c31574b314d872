"""YAML with line numbers: every value's position, so errors can name `file:line`.

Timestamps are not resolved: `date: 2014-02-30` stays a string and the reader reports it
at its line instead of PyYAML raising deep inside construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

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


def parse(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; lines are counted from `first_line` (the text's first line)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        data = _construct(loader, root, (), lines, first_line) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = _culprit_mark(error)
        line = first_line + mark.line if mark else first_line
        raise YamlSyntaxError(line, _describe(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(first_line, str(error)) from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def _construct(loader: Any, node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], first_line: int) -> Any:
    lines.setdefault(path, first_line + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            lines[path + (key,)] = first_line + key_node.start_mark.line
            result[key] = _construct(loader, value_node, path + (key,), lines, first_line)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, path + (index,), lines, first_line) for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


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
