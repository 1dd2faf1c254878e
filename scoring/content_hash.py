"""The hash that names cache entries (compiled scenarios, the quality catalogue).

``hashlib`` loads OpenSSL as it is imported, about 2 ms of every command's
start; CPython's own BLAKE2 is built in and loads at once. A cache key only has
to tell contents apart, which BLAKE2 does as surely as SHA-256.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # a Python built without its own BLAKE2: OpenSSL's is the same hash
    from hashlib import blake2b


def content_hash(first: bytes = b""):
    """A new 256-bit hash, fed ``first``; ``update`` it and take ``hexdigest()``."""
    return blake2b(first, digest_size=32)
