"""Prepare for my own meeting: a practitioner's plan for one real disagreement.

The first user named for Rehearse is a practitioner facing a hard meeting about
their own case, tomorrow. This part turns what they know into a plan (a YAML
file with a schema, checked like a scenario), reads it against a local profile
(the partnership's escalation stages and documents), finds the plan's own gaps
against the briefing, picks the pushback they are likely to meet, and writes
what they can take into the meeting: a one-page plan (HTML and Markdown), an
opening statement, a stage-2 escalation email and a post-meeting record.

Plans hold sensitive case detail. Nothing here touches the network; every file
written is owner-only and never overwrites; the identifier check warns, with
line and column, about NHS numbers, postcodes, dates of birth, phone numbers and
email addresses; and every text from a plan is data, escaped wherever it is
shown.

May use: format (the YAML reader and the located schema checker), model
(diagnostics, inert text), and from ``scoring`` the qualities catalogue, the
shared page style and the owner-only writer. Not group, authoring, tui or cli;
the CLI and the screen call in through:

* ``loader.load_plan`` / ``loader.read_plan`` — (plan or None, diagnostics), never raising;
* ``loader.check_plan`` — everything ``rehearse prepare check`` reports;
* ``starter.write_starter`` — the empty template or the worked example;
* ``profile.load_profile`` / ``profile.default_profile`` / ``LocalProfile.placeholders``;
* ``gaps.find_gaps``, ``pushbacks.likely_pushbacks``;
* ``render_html.render_html``, ``render_markdown.render_markdown``, ``drafts``;
* ``outputs.write_output`` — owner-only, never overwriting.
"""
