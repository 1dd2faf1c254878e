"""Join codes for group sessions: short, random, and easy to read aloud or off a slide."""

from __future__ import annotations

import secrets

# No 0/O or 1/I, which look alike on a projector and in many fonts.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 6  # 32**6, about a billion codes: with a process per try, not guessable in a session


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    """What a participant typed, as a code: case, spaces and dashes do not matter."""
    return "".join(code.split()).replace("-", "").upper()


def code_matches(typed: str, expected: str) -> bool:
    # compare_digest: the time taken says nothing about how much of the code was right.
    return secrets.compare_digest(normalise(typed).encode("utf-8"), normalise(expected).encode("utf-8"))
