"""Conditions on scenario variables, e.g. ``trust >= 3 and not manager_informed``.

Scenario text is never given to ``eval``: an expression is parsed, checked
against a small whitelist of node types, then evaluated by simpleeval with
no functions and only the scenario's variables as names.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import lru_cache

from scoring.record import record

MAX_LENGTH = 500

_ALLOWED = (
    ast.Expression, ast.Expr, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
    ast.BinOp, ast.Add, ast.Sub, ast.Name, ast.Load, ast.Constant,
)
_LITERALS = {"true": True, "false": False, "True": True, "False": False}


_evaluator = None


def _shared_evaluator():
    # Imported on first use: `rehearse validate` parses conditions but never
    # evaluates them, and start-up time matters there.
    global _evaluator
    if _evaluator is None:
        from simpleeval import SimpleEval

        _evaluator = SimpleEval(functions={})
    return _evaluator


class ConditionError(ValueError):
    """The expression is not a valid condition; the message says why."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.column = column  # 0-based offset within the expression


@record
class Condition:
    """A condition on the scenario's variables: as written, the names it uses, and parsed."""

    text: str
    names: frozenset[str]
    tree: ast.AST

    def holds(self, variables: Mapping[str, int | bool]) -> bool:
        # One evaluator serves every condition: building one costs more than
        # evaluating, and only its names change between calls.
        evaluator = _evaluator or _shared_evaluator()
        evaluator.names = {**_LITERALS, **variables}
        return bool(evaluator.eval(self.text, previously_parsed=self.tree))


@lru_cache(maxsize=4096)  # the validator and the engine parse the same texts
def parse_condition(text: str) -> Condition:
    """A checked condition, or ``ConditionError`` explaining what is wrong."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"the condition is over {MAX_LENGTH} characters")
    try:
        module = ast.parse(text.strip(), mode="exec")
    except SyntaxError as exc:
        raise ConditionError(f"the condition does not parse ({exc.msg})", max(0, (exc.offset or 1) - 1)) from None
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
        raise ConditionError("a condition is one expression, such as 'trust >= 3 and not manager_informed'")
    names: set[str] = set()
    for node in ast.walk(module.body[0]):
        if not isinstance(node, _ALLOWED):
            raise ConditionError(
                f"'{ast.get_source_segment(text.strip(), node) or type(node).__name__}' is not allowed in a condition",
                getattr(node, "col_offset", 0),
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, bool)):
            raise ConditionError(f"only whole numbers and true/false may appear in a condition, not {node.value!r}",
                                 node.col_offset)
        if isinstance(node, ast.Name) and node.id not in _LITERALS:
            names.add(node.id)
    return Condition(text.strip(), frozenset(names), module.body[0])
