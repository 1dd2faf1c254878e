"""Where a store is: a history file (a path) or a PostgreSQL database (an address).

A PostgreSQL address may carry a password (``postgresql://user:secret@host/db``).
``DatabaseURL`` keeps it for connecting and never shows it: ``str()`` and
``repr()`` give the address with the password replaced by ``***``, so an
address printed in a banner, a log or an error message says nothing secret.
Nothing here imports the PostgreSQL driver.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")
# Where `rehearse serve` hands the address to each participant's process:
# an environment variable, never the command line, which every user of the
# machine can read in the process list.
STORE_ENV = "REHEARSE_STORE"
HIDDEN = "***"


def is_database_url(where: object) -> bool:
    return isinstance(where, DatabaseURL) or (isinstance(where, str) and where.strip().lower().startswith(SCHEMES))


def redact(url: str) -> str:
    """``url`` with any password (in the user part or a ``password=`` parameter) hidden."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            user, _, host = netloc.rpartition("@")
            if ":" in user:
                user = user.split(":", 1)[0] + ":" + HIDDEN
            netloc = f"{user}@{host}"
        query = parts.query
        if query:
            pairs = [(k, HIDDEN if k.lower() == "password" else v) for k, v in parse_qsl(query, keep_blank_values=True)]
            query = urlencode(pairs, safe="*/:")
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        # An address too malformed to take apart is not shown at all.
        return "postgresql://" + HIDDEN


class DatabaseURL:
    """A PostgreSQL address whose password is never shown."""

    __slots__ = ("_url",)

    def __init__(self, url: str) -> None:
        self._url = url.strip()

    def secret(self) -> str:
        """The address as given, password and all: only for connecting."""
        return self._url

    def password(self) -> str | None:
        try:
            parts = urlsplit(self._url)
            found = parts.password or dict(parse_qsl(parts.query)).get("password")
        except ValueError:
            return None
        return found or None

    def scrub(self, text: str) -> str:
        """``text`` (a driver's message, say) with this address's password taken out."""
        text = text.replace(self._url, str(self))
        secret = self.password()
        return text.replace(secret, HIDDEN) if secret and len(secret) > 2 else text

    def __str__(self) -> str:
        return redact(self._url)

    def __repr__(self) -> str:
        return f"DatabaseURL({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatabaseURL) and other._url == self._url

    def __hash__(self) -> int:
        return hash(self._url)


def location(where: str | os.PathLike[str] | DatabaseURL) -> Path | DatabaseURL:
    """A store's place from what the user gave: an address, or a file path."""
    if isinstance(where, DatabaseURL):
        return where
    if is_database_url(where):
        return DatabaseURL(str(where))
    return Path(where)


def exists(where: Path | DatabaseURL) -> bool:
    """Whether there may be records there to read: a file that exists, or any database."""
    return True if isinstance(where, DatabaseURL) else where.exists()
