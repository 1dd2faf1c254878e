"""Group training: a room voting around one projector (the group session and its
exported record), and cohorts playing on their own devices (join codes, the
participant's view of the store, serving, and the statistics the facilitator's
dashboard shows).

May use: records, format, analysis, engine, model, scoring. Not authoring, tui or cli.
"""
