"""How guessable a new passphrase is, estimated with zxcvbn (Dropbox's estimator, MIT).

A weak passphrase is warned about and confirmed, never refused: the choice is the
user's, but it should be an informed one. zxcvbn scores 0 (guessable in a handful of
tries) to 4 (very unguessable); below 3 counts as weak, the threshold Dropbox itself uses.
"""

from __future__ import annotations

from collections.abc import Sequence

WEAK_BELOW = 3
_MAX_CHECKED = 72  # zxcvbn refuses longer input (its matching grows fast with length)


def weakness(passphrase: str, user_inputs: Sequence[str] = ()) -> str | None:
    """Why ``passphrase`` is weak, in a sentence or two; ``None`` when it is not.

    ``user_inputs`` are words an attacker would try first (the owner's name, "refaudit").
    Only the first 72 characters are weighed (zxcvbn's limit): a passphrase whose first
    72 characters are hard to guess is hard to guess.
    """
    from zxcvbn import zxcvbn  # imported here: only commands that set a passphrase need it

    result = zxcvbn(passphrase[:_MAX_CHECKED], user_inputs=[*user_inputs, "refaudit"])
    score = int(result["score"])
    if score >= WEAK_BELOW:
        return None
    feedback = result["feedback"]
    why = " ".join(p for p in (feedback.get("warning") or "", *(feedback.get("suggestions") or [])) if p)
    guess = result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]
    return f"this passphrase is weak (strength {score} of 4; an attacker with the file could guess it in {guess})." + (
        f" {why}" if why else ""
    )


__all__ = ["WEAK_BELOW", "weakness"]
