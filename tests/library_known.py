"""Lint findings in the bundled library that are known and pinned, to be
emptied by the issue-14 rewrite of the scenarios' content.

A test that holds the library lint-clean under ``--strict`` allows exactly
these (scenario id, rule) pairs and nothing else: a new scenario that trips a
rule still fails, and a pinned scenario that stops tripping its rule fails
too, so the list is emptied as the rewrite lands.
"""

# [wording-wins]: picking options by their professional-sounding words alone
# (dates, quotes, "record", "stage", policy names) reaches the top band.
# The rw6/rw7 rewrites cleared dsl-mash-threshold, eh-cin-plan-drift and
# nqsw-supervision-gut-feeling. school-nurse-camhs-decline is still won by
# wording (84.1, Strong): its best options carry most of the cues (the
# same-morning call "confirmed in writing", the named policy stage).
WORDING_WINS = ("school-nurse-camhs-decline",)

KNOWN = frozenset((scenario_id, "wording-wins") for scenario_id in WORDING_WINS)
