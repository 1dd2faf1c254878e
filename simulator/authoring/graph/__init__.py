"""A scenario as a graph: Mermaid and DOT text, and one self-contained HTML page
with an SVG drawing laid out here (no scripts, no network)."""
