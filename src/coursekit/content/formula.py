"""Formulas of variant questions: arithmetic over named values, evaluated safely.

A formula is arithmetic over the question's variables, evaluated on exact fractions:
numbers, the variable names, + - * / // % **, parentheses, and the functions
round(x, places), min, max and abs. The evaluator walks Python's AST and allows nothing
else, so a quiz file can never run code (no eval, no attribute access, no other calls).
"""

from __future__ import annotations

import ast
import itertools
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from coursekit.content.models import Numeric

MAX_CHECKED_COMBINATIONS = 20_000


class FormulaError(ValueError):
    pass


def _round_half_up(value: Fraction, places: int) -> Fraction:
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(value.numerator) / Decimal(value.denominator)
        return Fraction(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: Fraction(a // b),
    ast.Mod: lambda a, b: a % b,
}


def _pow(a: Fraction, b: Fraction) -> Fraction:
    if b.denominator != 1 or abs(b) > 64:
        raise FormulaError("powers must be whole numbers from -64 to 64")
    return a ** int(b)


def _call(name: str, args: list[Fraction]) -> Fraction:
    if name == "round":
        if len(args) != 2 or args[1].denominator != 1 or not 0 <= args[1] <= 12:
            raise FormulaError("round takes a value and 0 to 12 places: round(x, 2)")
        return _round_half_up(args[0], int(args[1]))
    if name in ("min", "max") and args:
        return (min if name == "min" else max)(args)
    if name == "abs" and len(args) == 1:
        return abs(args[0])
    raise FormulaError(f"{name}() is not allowed here (only round, min, max, abs)")


def _eval(node: ast.AST, values: dict[str, Fraction]) -> Fraction:
    if isinstance(node, ast.Expression):
        return _eval(node.body, values)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return Fraction(Decimal(str(node.value)))
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise FormulaError(f"unknown name {node.id!r} (the variables are: {', '.join(sorted(values))})")
        return values[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        v = _eval(node.operand, values)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Pow):
            return _pow(a, b)
        if type(node.op) in _BINARY:
            if isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)) and b == 0:
                raise FormulaError("division by zero")
            return _BINARY[type(node.op)](a, b)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return _call(node.func.id, [_eval(a, values) for a in node.args])
    raise FormulaError(f"not allowed in a formula: {ast.unparse(node) if hasattr(ast, 'unparse') else node}")


def evaluate(formula: str, values: dict[str, Decimal]) -> Fraction:
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot read the formula ({exc.msg})") from None
    return _eval(tree, {k: Fraction(v) for k, v in values.items()})


def to_decimal(value: Fraction, places: int | None) -> Decimal:
    if places is not None:
        value = _round_half_up(value, places)
    with localcontext() as ctx:
        ctx.prec = 28
        d = Decimal(value.numerator) / Decimal(value.denominator)
    return d.normalize() if d == d.to_integral_value() else d


def fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def formula_problems(q: Numeric) -> list[str]:
    """Evaluate the formula over the variables' ranges; every failure is a content error."""
    names = sorted(q.variables)
    ranges = [q.variables[n].values for n in names]
    total = 1
    for r in ranges:
        total *= len(r)
    if total <= MAX_CHECKED_COMBINATIONS:
        combos = itertools.product(*ranges)
    else:  # the corners, then a fixed sample
        rng = random.Random(q.id)
        corners = itertools.product(*[(r[0], r[-1]) for r in ranges])
        sample = ([rng.choice(r) for r in ranges] for _ in range(MAX_CHECKED_COMBINATIONS))
        combos = itertools.chain(corners, sample)
    for combo in combos:
        values = dict(zip(names, combo))
        try:
            evaluate(q.formula, values)
        except FormulaError as exc:
            shown = ", ".join(f"{k}={fmt(v)}" for k, v in values.items())
            return [f"formula fails for {shown}: {exc}"]
        except (OverflowError, ArithmeticError) as exc:
            shown = ", ".join(f"{k}={fmt(v)}" for k, v in values.items())
            return [f"formula fails for {shown}: {exc}"]
    return []
