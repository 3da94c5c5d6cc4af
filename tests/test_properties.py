"""Property-based tests: any valid registry survives a save and open; any damage is caught."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from refaudit import store, vault
from refaudit.checks import MAX_NAME, check_text
from refaudit.errors import AuthError, DamagedError, ValidationError
from refaudit.model import (
    CERTAINTIES,
    FEEDBACK_SOURCES,
    OUTCOMES,
    REFERENCE_STATUSES,
    RELATIONSHIPS,
    SENTIMENTS,
    STAGES,
    Application,
    Feedback,
    Reference,
    Registry,
)

CHEAP = vault.KdfParams(8192, 1, 1)
text = st.text(min_size=1, max_size=40)
maybe_text = st.none() | text
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 11, 25))


def valid(build, data):  # type: ignore[no-untyped-def]
    try:
        return build(data)
    except ValidationError:
        assume(False)


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    refs = []
    for i in range(draw(st.integers(0, 4))):
        data = {
            "id": f"r{i}", "name": draw(text), "relationship": draw(st.sampled_from(RELATIONSHIPS)),
            "organization": draw(maybe_text), "email": draw(st.none() | st.just("jane@example.com")),
            "phone": draw(st.none() | st.sampled_from(["+1 555 0100", "020 7946 0018", "12345"])),
            "known_since": draw(st.none() | dates), "status": draw(st.sampled_from(REFERENCE_STATUSES)),
            "tags": draw(st.lists(text, max_size=3)), "notes": draw(maybe_text), "added_on": draw(dates),
        }  # fmt: skip
        refs.append(valid(Reference.from_plain, {k: v for k, v in data.items() if v is not None}))
    ids = [r.id for r in refs]
    apps = []
    for i in range(draw(st.integers(0, 3))):
        data = {
            "id": f"a{i}", "company": draw(text), "role": draw(text), "applied_on": draw(dates),
            "references": draw(st.lists(st.sampled_from(ids), unique=True)) if ids else [],
            "stage": draw(st.sampled_from(STAGES)), "outcome": draw(st.sampled_from(OUTCOMES)),
            "reason": draw(maybe_text), "criticism": draw(st.lists(text, max_size=2)),
            "leads": draw(st.lists(text, max_size=2)),
        }  # fmt: skip
        apps.append(valid(Application.from_plain, {k: v for k, v in data.items() if v is not None}))
    feedback = []
    for i in range(draw(st.integers(0, 4)) if ids else 0):
        data = {
            "id": f"f{i + 1}", "reference": draw(st.sampled_from(ids)), "reported_on": draw(dates),
            "sentiment": draw(st.sampled_from(SENTIMENTS)), "source": draw(st.sampled_from(FEEDBACK_SOURCES)),
            "certainty": draw(st.sampled_from(CERTAINTIES)), "quote": draw(maybe_text),
            "topics": draw(st.lists(text, max_size=2)),
        }  # fmt: skip
        feedback.append(valid(Feedback.from_plain, {k: v for k, v in data.items() if v is not None}))
    owner = valid(lambda o: check_text("owner", o, max_len=MAX_NAME), draw(maybe_text))
    return Registry(owner=owner, references=refs, applications=apps, feedback=feedback)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(registries())
def test_any_valid_registry_survives_encode_and_decode(reg: Registry) -> None:
    """Whatever valid records a registry holds, they come back from YAML unchanged."""
    assert store.decode(store.encode(reg)) == reg


@pytest.fixture(scope="module")
def sealed() -> tuple[bytes, vault.Keyring]:
    keyring, _ = vault.create("pass phrase", CHEAP)
    reg = Registry(references=[Reference(id="jane-doe", name="Jane Doe", added_on=date(2026, 1, 1))])
    return vault.seal(keyring, store.encode(reg)), keyring


def _open(blob: bytes) -> None:
    keyring = vault.unlock_passphrase(blob, "pass phrase")
    store.decode(vault.open_body(blob, keyring))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_byte_flip_is_caught(sealed: tuple[bytes, vault.Keyring], data: st.DataObject) -> None:
    """Flipping any bits of any byte gives DamagedError (or AuthError for a key slot), nothing else."""
    blob, _ = sealed
    pos = data.draw(st.integers(0, len(blob) - 1))
    mask = data.draw(st.integers(1, 255))
    damaged = blob[:pos] + bytes([blob[pos] ^ mask]) + blob[pos + 1 :]
    with pytest.raises((DamagedError, AuthError)):
        _open(damaged)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_truncation_or_appended_garbage_is_caught(sealed: tuple[bytes, vault.Keyring], data: st.DataObject) -> None:
    """A registry cut at any offset, or with anything appended, is DamagedError."""
    blob, _ = sealed
    if data.draw(st.booleans()):
        damaged = blob[: data.draw(st.integers(0, len(blob) - 1))]
    else:
        damaged = blob + data.draw(st.binary(min_size=1, max_size=64))
    with pytest.raises(DamagedError):
        _open(damaged)
