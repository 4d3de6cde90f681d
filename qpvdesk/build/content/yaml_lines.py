"""Load YAML while remembering the line of every mapping and key.

Content errors must name file, line and field; PyYAML's composed node tree carries
marks, so we convert nodes ourselves instead of using safe_load's plain objects.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor


class LocatedDict(dict):
    """A dict that knows the line of the mapping and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    line: int = 0
    item_lines: list[int]


class YamlSyntaxError(Exception):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message


_scalar = SafeConstructor()


def _convert(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LocatedDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = str(_convert(key_node))
            out[key] = _convert(value_node)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LocatedList(_convert(item) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    value = _scalar.construct_object(node, deep=True)
    # YAML turns 2024-01-01 into a date and 2024 into an int: content dates are strings.
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def load_located(path: Path) -> Any:
    """Parse a YAML file into LocatedDict/LocatedList trees."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(path, 1, f"le fichier n'est pas en UTF-8 ({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(path, line, f"syntaxe YAML invalide : {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(path, 1, f"syntaxe YAML invalide : {exc}") from exc
    return None if node is None else _convert(node)
