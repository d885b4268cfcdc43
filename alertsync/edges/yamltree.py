"""The node tree of a YAML document: positions, field paths, and the checks a document
must pass before it is built (size after alias expansion, depth, cycles)."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from alertsync.model import PathKey, Position

MAX_NODES = 2_000_000  # after alias expansion: stops "billion laughs" documents
MAX_DEPTH = 64


def mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def child_nodes(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def tree_problem(root: yaml.Node) -> tuple[Position, str] | None:
    """One pass over the distinct nodes of a document that uses anchors: with its aliases
    expanded, it must stay under MAX_NODES nodes and MAX_DEPTH levels, without cycles."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        ident = id(node)
        children = child_nodes(node)
        if closing:
            open_nodes.discard(ident)
            size[ident] = 1 + sum(size[id(c)] for c in children)
            depth[ident] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[ident] > MAX_NODES:
                return Position(1, 1), (
                    f"document expands to more than {MAX_NODES} nodes "
                    "(YAML anchors and aliases that expand exponentially are refused)"
                )
            if depth[ident] > MAX_DEPTH:
                return mark(node), f"nesting is deeper than {MAX_DEPTH} levels"
            continue
        if ident in size:
            continue
        if ident in open_nodes:
            return mark(node), "an alias refers to its own anchor"
        open_nodes.add(ident)
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children) if id(c) not in size)
    return None


def paths(root: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.Node | None, PathKey]]:
    """Every node once, with the key node it is the value of (if any) and its path."""
    stack: list[tuple[yaml.Node, yaml.Node | None, PathKey]] = [(root, None, ())]
    seen: set[int] = set()
    while stack:
        node, key_node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node, key_node, path
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "<key>"
                stack.append((value, key, (*path, name)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, None, (*path, i)) for i, child in enumerate(node.value))
