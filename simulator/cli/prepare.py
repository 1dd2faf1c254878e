"""``rehearse prepare new|check|render|rehearse`` and ``rehearse profile``: a
plan for the practitioner's own meeting, and the local profile it reads.

The work is in ``simulator.prepare``; these handlers read arguments, call it
and say what happened. Plan text is data, so everything printed from a plan
goes through ``inert``. The local profile is stored beside the history file
(``--data``), owner-only; a command finds it there unless ``--profile FILE``
names another.
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

PROFILE_KEYS = ("partnership", "escalation_policy", "threshold_document", "immediate_risk", "lado",
                "children_front_door", "adults_front_door")


def _err(message: str) -> None:
    from simulator.model.text import inert

    print(inert(message), file=sys.stderr)


def profile_path(args) -> Path:
    from simulator.prepare.profile import profile_beside
    from simulator.records.data_path import default_path

    return profile_beside(Path(args.data) if getattr(args, "data", None) else default_path())


def use_local_profile(args) -> None:
    """Fill scenario placeholders from the stored profile (the defaults if none
    or broken), read the first time a scenario has one to fill."""
    from simulator.model import placeholders

    def values() -> dict[str, str]:
        from simulator.prepare.profile import local_profile

        return local_profile(profile_path(args))[0].placeholders()

    placeholders.use_later(values)


def _profile(args):
    """The profile this command uses, and whether it could be read."""
    from simulator.cli.scenarios import print_problems
    from simulator.prepare.profile import load_profile, local_profile

    named = getattr(args, "profile", None)
    if named:
        profile, diagnostics = load_profile(named)
        if profile is None:
            print_problems(diagnostics)
            return None
        return profile
    profile, diagnostics = local_profile(profile_path(args))
    if diagnostics:
        print_problems(diagnostics)
        _err("rehearse: the stored profile does not load, so the defaults are used; fix it with `rehearse profile`")
    return profile


def _load(args):
    from simulator.cli.scenarios import print_problems
    from simulator.prepare.loader import load_plan

    plan, diagnostics = load_plan(args.file)
    if plan is None:
        print_problems(diagnostics)
        _err(f"rehearse prepare: {args.file} is not a plan that can be read; `rehearse prepare check` says why")
    return plan, diagnostics


def dispatch(args) -> int:
    handler = {"new": new, "check": check, "render": render, "rehearse": rehearse}.get(args.prepare_command)
    if handler is None:
        print("rehearse prepare: say what to do: new, check, render or rehearse (see rehearse prepare --help)",
              file=sys.stderr)
        return EXIT_USAGE
    return handler(args)


def new(args) -> int:
    from simulator.prepare.starter import write_starter

    try:
        written = write_starter(args.file, example=args.example)
    except FileExistsError:
        _err(f"rehearse prepare new: {args.file} already exists; plans never overwrite a file: choose another name")
        return EXIT_PROBLEMS
    except OSError as exc:
        _err(f"rehearse prepare new: could not write {args.file}: {exc.strerror or exc}")
        return EXIT_PROBLEMS
    what = "a fictional worked example" if args.example else "an empty plan"
    print(_inert(f"Wrote {written} ({what}, readable only by you). Next: rehearse prepare check {written}"))
    return EXIT_OK


def _inert(text: str) -> str:
    from simulator.model.text import inert

    return inert(text)


def check(args) -> int:
    from simulator.cli.scenarios import print_problems
    from simulator.prepare.gaps import find_gaps
    from simulator.prepare.loader import check_plan
    from simulator.prepare.text_report import gaps_text

    profile = _profile(args)
    if profile is None:
        return EXIT_PROBLEMS
    plan, diagnostics, status = check_plan(args.file, profile)
    print_problems(diagnostics)
    if plan is None:
        _err(f"rehearse prepare check: {args.file} cannot be read until the errors above are fixed")
        return EXIT_PROBLEMS
    print(gaps_text(find_gaps(plan, profile)))
    if status != EXIT_OK:
        # The plan reads, so what fails it is an identifier (see the warnings above).
        _err("rehearse prepare check: the plan holds what looks like a direct identifier (see above): "
             "replace it with initials or an age before you print, share or keep it")
    return status


def render(args) -> int:
    from simulator.prepare.outputs import write_output
    from simulator.prepare.render_html import render_html
    from simulator.prepare.render_markdown import render_markdown
    from simulator.prepare.text_report import identifier_notice

    suffix = Path(args.out).suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        _err(f"rehearse prepare render: --out must end in .html or .md (got {args.out})")
        return EXIT_USAGE
    profile = _profile(args)
    if profile is None:
        return EXIT_PROBLEMS
    plan, _ = _load(args)
    if plan is None:
        return EXIT_PROBLEMS
    drafts = not args.plan_only
    text = (render_html(plan, profile, with_drafts=drafts) if suffix in (".html", ".htm")
            else render_markdown(plan, profile, with_drafts=drafts))
    try:
        written = write_output(args.out, text)
    except FileExistsError:
        _err(f"rehearse prepare render: {args.out} already exists; a render never overwrites a file: "
             "choose another name")
        return EXIT_PROBLEMS
    except OSError as exc:
        _err(f"rehearse prepare render: could not write {args.out}: {exc.strerror or exc}")
        return EXIT_PROBLEMS
    notice = identifier_notice(plan)
    if notice:
        print(notice, file=sys.stderr)
    print(_inert(f"Wrote {written} (readable only by you)."))
    return EXIT_OK


def rehearse(args) -> int:
    """Line by line: each likely pushback, the practitioner's typed reply, the
    analyser's feedback quoting it; then a debrief with the plan's own gaps."""
    from simulator.prepare.pushbacks import likely_pushbacks
    from simulator.prepare.rehearsal import debrief, opening_check, reply_feedback
    from simulator.prepare.text_report import identifier_notice

    profile = _profile(args)
    if profile is None:
        return EXIT_PROBLEMS
    plan, _ = _load(args)
    if plan is None:
        return EXIT_PROBLEMS
    notice = identifier_notice(plan)
    if notice:
        print(notice, file=sys.stderr)
    likely = likely_pushbacks(plan, limit=args.limit)
    say = print
    say(_inert(f"Rehearsing: {plan.title or plan.decision.what}"))
    for line in opening_check(plan, profile):
        say(line)
    say("Reply to each pushback as you would in the meeting, on one line. "
        "An empty line skips it; Ctrl+D stops and shows the debrief.\n")
    replies = []
    for number, item in enumerate(likely, start=1):
        pushback = item.pushback
        say(_inert(f"{number} of {len(likely)}. They say: \u201c{pushback.says}\u201d"))
        say(_inert(f"   (picked because {'; '.join(item.reasons)})"))
        for ground in pushback.grounding:
            say(_inert(f"   You can stand on: {ground.cited}"))
        say("Your reply> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            say("")
            break
        feedback = reply_feedback(item, line.rstrip("\r\n"), plan)
        replies.append(feedback)
        for text in feedback.lines:
            say("   " + text)
        say("")
    for line in debrief(replies, plan, profile).lines():
        say(line)
    return EXIT_OK


# -- the local profile ----------------------------------------------------------------

def profile(args) -> int:
    """Show the local profile, or change it: ``--set KEY=VALUE``, ``--stage
    WHO=DAYS`` (repeated, in order, replaces the stages), ``--from FILE``,
    ``--reset``. Stored beside the history file, owner-only."""
    from dataclasses import replace

    from simulator.cli.scenarios import print_problems
    from simulator.prepare.profile import (
        EscalationStage,
        default_profile,
        load_profile,
        local_profile,
        store_profile,
    )

    path = profile_path(args)
    current, diagnostics = local_profile(path)
    if diagnostics:
        print_problems(diagnostics)
    changed = None
    if args.reset:
        changed = default_profile()
    if args.source:
        loaded, problems = load_profile(args.source)
        if loaded is None:
            print_problems(problems)
            return EXIT_PROBLEMS
        changed = loaded
    base = changed or current
    updates = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in PROFILE_KEYS or not value.strip():
            _err(f"rehearse profile: --set takes KEY=VALUE with KEY one of {', '.join(PROFILE_KEYS)} (got {item})")
            return EXIT_USAGE
        updates[key] = value.strip()
    if args.stage:
        stages = []
        for number, item in enumerate(args.stage, start=1):
            who, sep, days = item.rpartition("=")
            if not sep or not who.strip() or not days.strip().isdigit() or not 0 < int(days) <= 90:
                _err(f"rehearse profile: --stage takes WHO=DAYS, e.g. \"Team managers=3\" (got {item})")
                return EXIT_USAGE
            stages.append(EscalationStage(number, who.strip(), "", int(days)))
        updates["stages"] = tuple(stages)
    if updates:
        changed = replace(base, **updates)
    if changed is not None:
        try:
            store_profile(replace(changed, is_default=False), path)
        except OSError as exc:
            _err(f"rehearse profile: could not save {path}: {exc.strerror or exc}")
            return EXIT_PROBLEMS
        current, _ = local_profile(path)
        print(_inert(f"Saved the local profile in {path} (readable only by you)."))
    print(profile_text(current, path))
    return EXIT_OK


def profile_text(profile, path: Path) -> str:
    where = "the defaults (none stored yet)" if profile.is_default else str(path)
    lines = [f"Local profile: {where}",
             f"  partnership          {profile.partnership}",
             f"  escalation policy    {profile.escalation_policy}",
             f"  threshold document   {profile.threshold_document}",
             f"  LADO                 {profile.lado}",
             f"  children's front door {profile.children_front_door}",
             f"  adults' front door   {profile.adults_front_door}",
             f"  immediate risk       {profile.immediate_risk}",
             "  escalation stages"]
    lines += [f"    {s.number}. {s.who}: {s.working_days} working days" for s in profile.stages]
    lines.append("Change it with --set KEY=VALUE, --stage WHO=DAYS (repeat, in order), --from FILE or --reset.")
    return _inert("\n".join(lines))
