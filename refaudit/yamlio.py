"""Safe, strict YAML: libyaml's C loader and dumper when present, duplicate keys refused.

``load_trusted`` reads the registry body (authenticated by the vault, written by us).
``load_untrusted`` reads files from elsewhere (import, edit) and also refuses aliases,
so that an anchor that expands without bound (a "billion laughs") never gets built.
"""

from __future__ import annotations

from typing import Any

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
                    None, None, "aliases (*name) are not accepted", current.start_mark
                )
            seen.add(id(current))
            if isinstance(current, yaml.MappingNode):
                for k, v in current.value:
                    stack.extend((k, v))
            elif isinstance(current, yaml.SequenceNode):
                stack.extend(current.value)
        return super().construct_document(node)


def _load(text: str | bytes, loader: type[yaml.SafeLoader], what: str) -> Any:
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise ValidationError(f"{what} is not valid YAML: {_one_line(exc)}") from None
    except (RecursionError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{what} cannot be read as YAML: {exc.__class__.__name__}.") from None
    except ValueError as exc:  # a date-shaped value that is no date, e.g. 2026-13-45
        raise ValidationError(f"{what} holds an impossible date ({exc}); dates are YYYY-MM-DD.") from None


def _one_line(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())


def load_trusted(text: str | bytes, what: str = "the registry") -> Any:
    return _load(text, _StrictLoader, what)


def load_untrusted(text: str | bytes, what: str) -> Any:
    return _load(text, _UntrustedLoader, what)


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
