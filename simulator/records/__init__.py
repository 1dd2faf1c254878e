"""The learner's history: the SQLite store (owner-only, written as each decision
is made) and its migrations, and what leaves it for an organisation's records
(JSON, CSV, xAPI).

May use: format, analysis, engine, model, scoring.
"""
