"""Tools for trainers who write scenarios: the commented starter, the Twine
importer, the graph (Mermaid, DOT and a self-contained HTML page) and the
preview's logic (start anywhere, carry a session across a reload).

May use: records, format, analysis, engine, model, scoring. Not group, tui or cli.
"""
