"""Estimating a new passphrase's strength (zxcvbn): a reason for the weak ones, silence for the rest."""

from __future__ import annotations

import pytest

from refaudit.strength import weakness


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("abc", 'Sequences like "abc" or "6543" are easy to guess.'),
        ("password", "This is a top-10 common password."),
        ("hunter2hunter2", 'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        ("a" * 500, 'Repeats like "aaa" are easy to guess.'),
    ],
    ids=["sequence", "common", "repeat", "long-repeat"],
)
def test_a_weak_passphrase_is_explained(passphrase: str, reason: str) -> None:
    """The warning gives the score, how fast an attacker with the file could guess it, and zxcvbn's reason."""
    found = weakness(passphrase)
    assert found is not None and found.startswith("this passphrase is weak (strength ")
    assert reason in found


@pytest.mark.parametrize(
    "passphrase",
    [
        "correct horse battery staple",
        "Tr0ub4dor&3 xq",
        "sdkjfh sdf87 lkj",
        "the quiet otter files its taxes in march while the kettle hums a tune nobody knows",
    ],
    ids=str,
)
def test_a_strong_passphrase_passes_in_silence(passphrase: str) -> None:
    """Scores 3 and 4 are not weak, however long the passphrase."""
    assert weakness(passphrase) is None


def test_the_owners_name_counts_as_guessable() -> None:
    """Words the attacker knows (the owner's name) make a passphrase built on them weak."""
    assert weakness("alexcandidate", ["alexcandidate"]) is not None


def test_hostile_strings_never_break_the_estimate(blns: list[str]) -> None:
    """Every naughty string gets an answer, a sentence or None, never an exception."""
    for text in blns:
        found = weakness(text)
        assert found is None or found.startswith("this passphrase is weak")
