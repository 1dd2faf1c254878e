"""Rehearse: rehearse professional challenge in safeguarding practice."""

__version__ = "0.1.0"
