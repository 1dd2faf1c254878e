"""Playing a scenario: the Session, the one owner of mutable play state, on a
compiled ``transitions`` machine (nodes are states, choices are guarded
transitions), and line-by-line play at a prompt.

May use: model, scoring, transitions.
"""
