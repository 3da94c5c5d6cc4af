"""Safe, strict YAML: libyaml's C loader and dumper when present, duplicate keys refused.

``load_trusted`` reads the registry body (authenticated by the vault, written by us).
``load_untrusted`` reads files from elsewhere (settings) and also refuses aliases,
so that an anchor that expands without bound (a "billion laughs") never gets built.
``load_text`` reads what a person typed (import, edit): no aliases either, and every
plain scalar stays the text that was typed (``+15550100``, ``01234567``, ``NO``,
``1e9``, ``2001-12-14 21:59:43``); only ``~``, ``null`` and an empty value mean
nothing. The caller converts by field (dates where the field is a date).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from refaudit.errors import ValidationError

_Loader: type[yaml.SafeLoader]
_Dumper: type[yaml.SafeDumper]
try:
    _Loader = yaml.CSafeLoader  # type: ignore[assignment]
    _Dumper = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing: pure Python, same behaviour
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


class _StrictLoader(_Loader):  # type: ignore[valid-type,misc]
    """Refuses duplicate keys, which YAML would otherwise silently let the last one win."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in keys
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be text or a number", key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _StrictLoader.construct_mapping,
)


class _UntrustedLoader(_StrictLoader):
    """Also refuses aliases (``*anchor``): hand-made files never need them."""

    def construct_document(self, node: yaml.Node) -> Any:
        seen: set[int] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            if id(current) in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, "anchors and aliases (&name, *name) are not accepted", current.start_mark
                )
            seen.add(id(current))
            if isinstance(current, yaml.MappingNode):
                for k, v in current.value:
                    stack.extend((k, v))
            elif isinstance(current, yaml.SequenceNode):
                stack.extend(current.value)
        return super().construct_document(node)


class _TextLoader(_UntrustedLoader):
    """YAML 1.1 turns ``+15550100`` into a number and ``NO`` into False; here they stay text."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {
        **{
            first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
            for first, resolvers in _UntrustedLoader.yaml_implicit_resolvers.items()
        },
        "": [("tag:yaml.org,2002:null", re.compile(r"^$"))],
    }


def _load(text: str | bytes, loader: type[yaml.SafeLoader], what: str) -> Any:
    try:
        return yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        raise ValidationError(f"{what} is not valid YAML: {_marked(exc)}") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"{what} is not valid YAML: {_one_line(exc)}") from None
    except (RecursionError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{what} cannot be read as YAML: {exc.__class__.__name__}.") from None
    except ValueError as exc:  # a date-shaped value that is no date, e.g. 2026-13-45
        raise ValidationError(f"{what} holds an impossible date ({exc}); dates are YYYY-MM-DD.") from None


def _one_line(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())


def _marked(exc: yaml.MarkedYAMLError) -> str:
    """``line 3, column 7: found a tab…`` instead of PyYAML's ``in "<unicode string>"``."""
    mark = exc.problem_mark or exc.context_mark
    problem = " ".join(str(exc.problem or exc.context or "unreadable").split())
    if mark is None:
        return problem + "."
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}."


def load_trusted(text: str | bytes, what: str = "the registry") -> Any:
    return _load(text, _StrictLoader, what)


def load_untrusted(text: str | bytes, what: str) -> Any:
    return _load(text, _UntrustedLoader, what)


def load_text(text: str | bytes, what: str) -> Any:
    """A file a person wrote: plain scalars stay text (see the module's docstring)."""
    return _load(text, _TextLoader, what)


class _NoAliasDumper(_Dumper):  # type: ignore[valid-type,misc]
    """Writes a value shared by two fields (one date object as updated_on and closed_on)
    twice, never as ``&id001`` / ``*id001``: our own loader for hand-made files refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    """Block-style YAML, keys in the order given, Unicode kept readable, no aliases."""
    text: str = yaml.dump(
        data, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return text
