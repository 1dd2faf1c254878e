"""Scoring: the qualities catalogue from the briefing, and everything that turns
an attempt's evidence into scores, feedback and reports.

Nothing here imports the simulator (or Textual).
"""
