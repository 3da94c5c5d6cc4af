"""Settings: typed sections validated once by ``load``, and the raw data as a read-only Mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from refaudit import settings
from refaudit.errors import ValidationError


def _load(tmp_path: Path, text: str) -> settings.Settings:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return settings.load(path)


def test_load_gives_typed_frozen_sections() -> None:
    """scoring, next and lineup are typed values, frozen, read from the shipped file."""
    conf = settings.load(None)
    assert conf.scoring.source_weight["mock-call"] == 1.0
    assert (conf.scoring.lukewarm_count, conf.scoring.unreachable_count) == (1, 2)
    assert conf.next.rest_flags == ("overused",)
    assert (conf.lineup.size, conf.lineup.lead_relationship) == (3, "manager")
    with pytest.raises(FrozenInstanceError):
        conf.scoring.watch_risk = 0.9  # type: ignore[misc]


def test_settings_are_also_a_read_only_mapping_of_the_raw_data() -> None:
    """Code written against the old dict keeps working: [], get, iteration; no item assignment."""
    conf = settings.load(None)
    assert isinstance(conf, Mapping)
    assert conf["report"]["title"] == "Reference audit"
    assert conf.get("no-such-section") is None
    assert {"scoring", "lineup", "next", "report"} <= set(conf)
    assert len(conf) == len(list(conf))
    with pytest.raises(TypeError):
        conf["scoring"] = {}  # type: ignore[index]


def test_build_lays_overrides_over_the_defaults() -> None:
    """build() takes the shape of a config file and validates it like load()."""
    conf = settings.build({"next": {"rest_flags": ["stale"]}, "scoring": {"watch_risk": 0.25}})
    assert (conf.next.rest_flags, conf.scoring.watch_risk) == (("stale",), 0.25)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scoring:\n  watch_risk: .nan\n", "config: scoring.watch_risk must be a finite number, not nan."),
        ("scoring:\n  prior_helps: .inf\n", "config: scoring.prior_helps must be a finite number, not inf."),
        ("scoring:\n  source_weight:\n    employer: -.inf\n",
         "config: scoring.source_weight.employer must be a finite number, not -inf."),
        ("lineup:\n  lead_relationship: \"boss'; rm -rf /\"\n",
         "config: lineup.lead_relationship must be one of: manager, colleague, report, client, mentor, academic, "
         "personal, other, not \"boss'; rm -rf /\"."),
        ("lineup:\n  size: 0\n", "config: lineup.size must be a whole number of at least 1, not 0."),
        ("next:\n  rest_flags: [\"\\u202etired\"]\n",
         "config: next.rest_flags must be a list drawn from: overused, fatigued, unreachable, stale, policy-limited, "
         "pattern, not ['\\u202etired']."),
    ],
    ids=["nan", "inf", "minus-inf", "hostile-relationship", "zero-size", "bidi-flag"],
)  # fmt: skip
def test_senseless_values_are_refused_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    """NaN, infinities and values outside what a section accepts are refused once, by name."""
    with pytest.raises(ValidationError) as info:
        _load(tmp_path, text)
    assert str(info.value) == message


def test_old_config_keys_stay_accepted(tmp_path: Path) -> None:
    """A config written for the first round (unreachable in rest_flags, lukewarm_count 2) still loads."""
    conf = _load(tmp_path, "scoring:\n  lukewarm_count: 2\nnext:\n  rest_flags: [overused, unreachable]\n")
    assert (conf.scoring.lukewarm_count, conf.next.rest_flags) == (2, ("overused", "unreachable"))
