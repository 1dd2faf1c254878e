"""The Textual app: every screen, and the web server that shows them in a
browser. The only part that imports Textual or textual-serve.

May use: every part below it. Screens for group training are in ``tui.group``.
"""
