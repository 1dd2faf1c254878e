"""The look shared by every page Rehearse writes (debrief reports, group
session records): readable on screen, plain on paper, no outside resources."""

from __future__ import annotations

import html

from scoring.display import visible

BASE_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #d0d4d9; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
.meta { color: #4a4f55; margin: 0; }
.outcome { border-left: 6px solid #28527a; background: #eef3f8; padding: .6rem .9rem; margin: 1rem 0; }
.outcome p { margin: .25rem 0; }
.fill { display: block; height: 100%; background: #28527a; }
.not-assessed { color: #6b7178; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #d0d4d9; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
td.number { text-align: right; white-space: nowrap; }
footer { margin-top: 2rem; color: #4a4f55; font-size: .9rem; }
"""


def escaped(value: object) -> str:
    """Any value as HTML text: control characters made visible, markup escaped."""
    return html.escape(visible(str(value)), quote=True)
