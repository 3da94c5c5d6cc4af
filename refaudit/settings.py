"""Settings: the shipped ``config/default.yaml`` with the user's overrides laid over it.

An override may only name keys the defaults have, with a value of the same type
(an int is accepted where a float is expected). Anything else is refused, naming the key.

``load`` returns a frozen :class:`Settings`, the one typed form of every section: ``scoring``,
``next`` and ``lineup`` checked for sense once, here (NaN and infinite numbers refused), so that
the audit and ``next`` never re-validate a dict; ``report``, ``dates`` and ``messages`` typed here
too, each checked when first read, so that a slip in the report's settings stops only ``report``
and a bad ``dates.order`` only the date it would settle.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from refaudit import assets, filecheck, yamlio
from refaudit.errors import RefauditError, ValidationError
from refaudit.model import CERTAINTIES, FEEDBACK_SOURCES, RELATIONSHIPS, SENTIMENTS, STAGES
from refaudit.text import fold

if TYPE_CHECKING:
    from refaudit.report.settings import ReportSettings

MAX_CONFIG_SIZE = 1024 * 1024  # a settings file is a few KB; /dev/zero is not one

# The audit flags a "rest" may be configured for (``next.rest_flags``).
REST_FLAGS = ("overused", "fatigued", "unreachable", "stale", "policy-limited", "pattern")


@dataclass(frozen=True)
class Scoring:
    """``scoring:``: how the audit weighs what was reported (docs/SCORING.md)."""

    prior_helps: float
    prior_hurts: float
    source_weight: Mapping[str, float]
    certainty_weight: Mapping[str, float]
    hurts: Mapping[str, float]
    helps: Mapping[str, float]
    half_life_days: int
    watch_risk: float
    drop_risk: float
    credible_weight: float
    negative_horizon_days: int
    forgive_after_positives: int
    lukewarm_count: int
    unreachable_count: int
    pattern_min: int
    overuse_count: int
    overuse_window_days: int
    stale_days: int
    not_their_fault: tuple[str, ...]
    converge_watch: int
    converge_drop: int
    contradiction_days: int
    pattern_confidence: float
    co_praised_weight: float
    fatigue_days: int
    overuse_live: int

    @cached_property
    def credible_kinds(self) -> frozenset[tuple[str, str]]:
        """The (source, certainty) pairs whose weight reaches ``credible_weight`` (``audit.credible``
        asks this tens of thousands of times on a big registry). A hair of tolerance, so that 0.8 x
        0.8 reaches a threshold written as 0.64."""
        return frozenset(
            (source, certainty)
            for source, sw in self.source_weight.items()
            for certainty, cw in self.certainty_weight.items()
            if sw * cw >= self.credible_weight - 1e-9
        )


@dataclass(frozen=True)
class Next:
    """``next:``: when an action becomes due."""

    brief_at_stages: tuple[str, ...]
    thank_within_days: int
    debrief_within_days: int
    follow_up_after_days: int
    ghosted_after_days: int
    consent_valid_days: int
    rest_flags: tuple[str, ...]
    min_open_applications: int


@dataclass(frozen=True)
class Lineup:
    """``lineup:``: which references to give next."""

    size: int
    lead_relationship: str
    require: tuple[str, ...]


@dataclass(frozen=True)
class Dates:
    """``dates:``: how a slashed date both ways could mean (12/03/2026) is read."""

    order: str | None  # dmy, mdy, or None: refuse it, naming both readings


@dataclass(frozen=True)
class Messages:
    """``messages:``: the user's own message templates for ``draft``."""

    dir: str | None  # as written in the config (relative to its file); None: the shipped templates
    time_limit: float = 5.0  # seconds a template of ``dir`` may run (in a child process)
    max_output: int = 1024 * 1024  # bytes a template may write


@dataclass(frozen=True, eq=False)
class Settings(Mapping[str, Any]):
    """The settings in use: one typed value per section, and the merged raw data as a read-only Mapping.

    ``scoring``, ``next`` and ``lineup`` are validated when the settings are made; ``report``,
    ``dates`` and ``messages`` when first read. Code reads the typed sections. The Mapping of
    the merged raw data (``settings["scoring"]``, iteration) is what the report's settings
    appendix prints, read-only at the top level as ``types.MappingProxyType`` is; editing a raw
    section changes nothing already read; build new settings with ``build(overrides)`` instead.
    """

    scoring: Scoring
    next: Next
    lineup: Lineup
    _raw: Mapping[str, Any] = field(repr=False)

    @cached_property
    def report(self) -> ReportSettings:
        """``report:``, checked when first read; its ``paper`` is as configured until ``settled``."""
        from refaudit.report.settings import ReportSettings

        return ReportSettings.from_section(self._raw.get("report"), self.scoring)

    @cached_property
    def dates(self) -> Dates:
        """``dates:``, checked when first read (a bad order is refused naming it, exit 1)."""
        from refaudit.dates import ORDERS

        section = self._raw.get("dates")
        order = (section.get("order") if isinstance(section, Mapping) else None) or None
        if order is not None and order not in ORDERS:
            raise ValidationError(f"config: dates.order {order!r} is not one of: dmy, mdy (or empty: ask).")
        return Dates(order)

    @cached_property
    def messages(self) -> Messages:
        """``messages:``; whether ``dir`` names a folder is checked where it is used (``messages.override_dir``)."""
        section = self._raw.get("messages")
        section = section if isinstance(section, Mapping) else {}
        raw = section.get("dir")
        time_limit = section.get("time_limit", Messages.time_limit)
        max_output = section.get("max_output", Messages.max_output)
        if isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or not 0 < time_limit <= 600:
            raise ValidationError(
                f"config: messages.time_limit is {time_limit!r}; it must be a number of seconds above 0 "
                "and at most 600."
            )
        if isinstance(max_output, bool) or not isinstance(max_output, int) or not 0 < max_output <= 64 * 1024 * 1024:
            raise ValidationError(
                f"config: messages.max_output is {max_output!r}; it must be a whole number of bytes from 1 to "
                f"{64 * 1024 * 1024:,}."
            )
        return Messages(raw if isinstance(raw, str) and raw.strip() else None, float(time_limit), max_output)

    def __getitem__(self, key: str) -> Any:
        return self._raw[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _read(path: Path) -> Any:
    try:
        text = filecheck.read_regular(path, "config file", MAX_CONFIG_SIZE).decode("utf-8")
    except FileNotFoundError:
        raise ValidationError(f"config file {str(path)!r} does not exist.") from None
    except RefauditError as exc:
        raise ValidationError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"config file {str(path)!r} cannot be read: {exc}.") from None
    return yamlio.load_untrusted(text, f"config file {str(path)!r}")


def _default_data() -> dict[str, Any]:
    data = _read(assets.config_dir() / "default.yaml")
    assert isinstance(data, dict)
    return data


def defaults() -> Settings:
    """The shipped settings."""
    return build({})


def build(overrides: Mapping[str, Any]) -> Settings:
    """The shipped settings with ``overrides`` (same shape as a config file) laid over them."""
    data = _default_data()
    _merge(data, dict(overrides), "")
    return _typed(data)


def load(path: str | Path | None) -> Settings:
    """The defaults, overridden by the YAML file at ``path`` when given."""
    return load_layers([_read(Path(path))] if path else [])


def load_layers(overrides: Sequence[Any]) -> Settings:
    """The defaults with each override (a config file's data, lowest first) laid over them key by key."""
    data = _default_data()
    for override in overrides:
        if override is not None:
            _merge(data, copy.deepcopy(override), "")
    return _typed(data)


def read_file(path: Path) -> Any:
    """A config file's data, read as ``--config`` reads it (size, regular file, safe YAML)."""
    return _read(path)


def overlay(base: dict[str, Any], override: Any) -> None:
    """Lay ``override`` over ``base`` in place, checked key by key (unknown keys, wrong types)."""
    _merge(base, copy.deepcopy(override), "")


def _merge(base: dict[str, Any], override: Any, where: str) -> None:
    if not isinstance(override, dict):
        raise ValidationError(f"config: {where or 'the file'} must be a mapping of keys.")
    for key, value in override.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in base:
            known = ", ".join(sorted(map(str, base))) or "none"
            raise ValidationError(f"config: unknown key {name!r}; known keys here: {known}.")
        current = base[key]
        if isinstance(current, dict):
            _merge(current, value, name)
        elif isinstance(current, bool) or isinstance(value, bool):
            if type(current) is not type(value):
                raise ValidationError(f"config: {name} must be {_kind(current)}, not {value!r}.")
            base[key] = value
        elif isinstance(current, float) and isinstance(value, int | float):
            base[key] = _bounded(name, float(value) if abs(value) < _MAX_NUMBER else value)
        elif type(current) is not type(value):
            raise ValidationError(f"config: {name} must be {_kind(current)}, not {value!r}.")
        else:
            base[key] = _bounded(name, value)


# Day counts beyond a century only overflow date arithmetic; other numbers beyond a billion are typos.
_MAX_DAYS = 36500
_MAX_NUMBER = 10**9


def _bounded(name: str, value: Any) -> Any:
    """``value`` when it is a finite number in range (or not a number at all); else the refusal."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(f"config: {name} must be a finite number, not {value!r}.")
    if name.endswith("_days") and not 0 <= value <= _MAX_DAYS:
        raise ValidationError(f"config: {name} must be from 0 to {_MAX_DAYS} days, not {_short(value)}.")
    if abs(value) > _MAX_NUMBER:
        raise ValidationError(
            f"config: {name} must be between -{_MAX_NUMBER:,} and {_MAX_NUMBER:,}, not {_short(value)}."
        )
    return value


def _short(value: float) -> str:
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a number of {len(str(value)) if value.bit_length() < 10_000 else 'thousands of'} digits"
    return repr(value)


def _kind(value: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text", list: "a list"}.get(
        type(value), type(value).__name__
    )


# --- the typed sections, checked for sense -------------------------------------------


def _bad(key: str, value: Any, wanted: str) -> ValidationError:
    return ValidationError(f"config: {key} must be {wanted}, not {value!r}.")


def _number(section: Mapping[str, Any], key: str, where: str, *, low: float, high: float | None = None) -> float:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"{where}.{key}", value, "a finite number")
    if value < low or (high is not None and value > high):
        span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise _bad(f"{where}.{key}", value, f"a number {span}")
    return float(value)


def _whole(section: Mapping[str, Any], key: str, where: str, *, low: int) -> int:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _bad(f"{where}.{key}", value, f"a whole number of at least {low}")
    return value


def _choices(section: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    value = section[key]
    if not isinstance(value, list) or any(v not in allowed for v in value):
        raise _bad(f"{where}.{key}", value, f"a list drawn from: {', '.join(allowed)}")
    return tuple(value)


def _typed(data: Mapping[str, Any]) -> Settings:
    return Settings(
        scoring=_scoring(data["scoring"]), next=_next(data["next"]), lineup=_lineup(data["lineup"]), _raw=data
    )


def _scoring(s: Mapping[str, Any]) -> Scoring:
    w = "scoring"
    share: dict[str, dict[str, float]] = {"hurts": {}, "helps": {}}
    for sentiment in SENTIMENTS:
        for side in share:
            share[side][sentiment] = _number(
                s["sentiment"][sentiment], side, f"{w}.sentiment.{sentiment}", low=0, high=1
            )
    watch = _number(s, "watch_risk", w, low=0, high=1)
    drop = _number(s, "drop_risk", w, low=0, high=1)
    if drop < watch:
        raise ValidationError(f"config: scoring.drop_risk ({drop:g}) must not be below scoring.watch_risk ({watch:g}).")
    phrases = s["not_their_fault"]
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise _bad(f"{w}.not_their_fault", phrases, "a list of phrases")
    converge_watch = _whole(s, "converge_watch", w, low=1)
    converge_drop = _whole(s, "converge_drop", w, low=1)
    if converge_drop < converge_watch:
        raise ValidationError(
            f"config: scoring.converge_drop ({converge_drop}) must not be below "
            f"scoring.converge_watch ({converge_watch})."
        )
    prior_helps = _number(s, "prior_helps", w, low=0)
    prior_hurts = _number(s, "prior_hurts", w, low=0)
    if prior_helps + prior_hurts <= 0:
        raise ValidationError("config: scoring.prior_helps and scoring.prior_hurts must not both be 0.")
    return Scoring(
        prior_helps=prior_helps,
        prior_hurts=prior_hurts,
        source_weight={k: _number(s["source_weight"], k, f"{w}.source_weight", low=0) for k in FEEDBACK_SOURCES},
        certainty_weight={k: _number(s["certainty_weight"], k, f"{w}.certainty_weight", low=0) for k in CERTAINTIES},
        hurts=share["hurts"],
        helps=share["helps"],
        half_life_days=_whole(s, "half_life_days", w, low=1),
        watch_risk=watch,
        drop_risk=drop,
        credible_weight=_number(s, "credible_weight", w, low=0),
        negative_horizon_days=_whole(s, "negative_horizon_days", w, low=0),
        forgive_after_positives=_whole(s, "forgive_after_positives", w, low=0),
        lukewarm_count=_whole(s, "lukewarm_count", w, low=1),
        unreachable_count=_whole(s, "unreachable_count", w, low=1),
        pattern_min=_whole(s, "pattern_min", w, low=1),
        overuse_count=_whole(s, "overuse_count", w, low=0),
        overuse_window_days=_whole(s, "overuse_window_days", w, low=1),
        stale_days=_whole(s, "stale_days", w, low=1),
        not_their_fault=tuple(fold(p.strip()) for p in phrases),
        converge_watch=converge_watch,
        converge_drop=converge_drop,
        contradiction_days=_whole(s, "contradiction_days", w, low=0),
        pattern_confidence=_number(s, "pattern_confidence", w, low=0, high=1),
        co_praised_weight=_number(s, "co_praised_weight", w, low=1),
        fatigue_days=_whole(s, "fatigue_days", w, low=0),
        overuse_live=_whole(s, "overuse_live", w, low=1),
    )


def _next(s: Mapping[str, Any]) -> Next:
    w = "next"
    result = Next(
        brief_at_stages=_choices(s, "brief_at_stages", w, STAGES),
        thank_within_days=_whole(s, "thank_within_days", w, low=0),
        debrief_within_days=_whole(s, "debrief_within_days", w, low=0),
        follow_up_after_days=_whole(s, "follow_up_after_days", w, low=0),
        ghosted_after_days=_whole(s, "ghosted_after_days", w, low=0),
        consent_valid_days=_whole(s, "consent_valid_days", w, low=0),
        rest_flags=_choices(s, "rest_flags", w, REST_FLAGS),
        min_open_applications=_whole(s, "min_open_applications", w, low=0),
    )
    if result.ghosted_after_days <= result.follow_up_after_days:
        raise ValidationError("config: next.ghosted_after_days must be more than next.follow_up_after_days.")
    return result


def _lineup(s: Mapping[str, Any]) -> Lineup:
    lead = s["lead_relationship"]
    if lead not in RELATIONSHIPS:
        raise _bad("lineup.lead_relationship", lead, f"one of: {', '.join(RELATIONSHIPS)}")
    require = _choices(s, "require", "lineup", RELATIONSHIPS)
    if require and lead not in require:
        raise ValidationError(
            f"config: lineup.lead_relationship ({lead}) must be one of lineup.require ({', '.join(require)})."
        )
    return Lineup(size=_whole(s, "size", "lineup", low=1), lead_relationship=lead, require=require)
