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
        mark = error.problem_mark or error.context_mark
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


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (error.context, error.problem) if part]
    return "invalid YAML: " + ", ".join(parts) if parts else "invalid YAML"
