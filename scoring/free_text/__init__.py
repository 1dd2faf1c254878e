"""The analyser of typed challenge: what a learner says in their own words,
read against the briefing (see docs/free-text.md)."""
