"""The statistics of item analysis, exact: variances, correlations, KR-20 and Cronbach's alpha
over a score matrix (rows: learners, columns: items), and how a report prints a figure.

The definitions, and why each is what it is, are in ``analysis``'s docstring. Scores are
Fractions; the sums of squares run on integers instead. ``analysis`` calls the forms over a
Scaled matrix (item_rest, alpha_of, kr20_of), built once per report; the plain forms (pvariance,
pearson, item_rest_correlation, cronbach_alpha, kr20) wrap them one matrix at a time, so the
tests check each formula against values worked out by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from coursekit.scores import fmt_percent

# Scores are Fractions. The sums of squares run on integers instead: every score times one
# common denominator, which keeps them exact and makes 10,000 learners cheap.


class Scaled:
    """A score matrix (rows: learners, columns: items) as integer columns, times ``scale``."""

    def __init__(self, matrix: Sequence[Sequence[Fraction]], k: int | None = None):
        self.n = len(matrix)
        self.k = k if k is not None else len(matrix[0]) if matrix else 0
        cells = [[Fraction(v) for v in row] for row in matrix]
        self.scale = math.lcm(1, *(v.denominator for row in cells for v in row))
        self.columns = [[row[j].numerator * (self.scale // row[j].denominator) for row in cells] for j in range(self.k)]
        self.totals = [sum(row) for row in zip(*self.columns, strict=True)] if self.k else [0] * self.n

    def mean(self, xs: Sequence[int]) -> Fraction:
        return Fraction(sum(xs), self.n * self.scale)

    def pvariance(self, xs: Sequence[int]) -> Fraction:
        """Population variance (divisor N) of the unscaled values."""
        n, sx = self.n, sum(xs)
        return Fraction(n * sum(x * x for x in xs) - sx * sx, n * n * self.scale * self.scale)


def pearson_ints(xs: Sequence[int], ys: Sequence[int]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    sx, sy = sum(xs), sum(ys)
    sxx = n * sum(x * x for x in xs) - sx * sx  # N^2 times the variance, exact
    syy = n * sum(y * y for y in ys) - sy * sy
    if sxx == 0 or syy == 0:
        return None
    sxy = n * sum(x * y for x, y in zip(xs, ys)) - sx * sy
    r = sxy / (math.sqrt(sxx) * math.sqrt(syy))  # the only rounding: at the roots
    return max(-1.0, min(1.0, r))


def pvariance(values: Sequence[Fraction]) -> Fraction:
    """Population variance (divisor N), exact."""
    scaled = Scaled([[v] for v in values])
    return scaled.pvariance(scaled.columns[0])


def pearson(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> float | None:
    """Pearson's r; None when either variable does not vary (or N < 2)."""
    if len(xs) != len(ys):
        raise ValueError("pearson: the two lists differ in length")
    scaled = Scaled(list(zip(xs, ys)))
    return pearson_ints(*scaled.columns) if scaled.k else None


def item_rest(scaled: Scaled, item: int) -> float | None:
    xs = scaled.columns[item]
    return pearson_ints(xs, [t - x for t, x in zip(scaled.totals, xs)])


def item_rest_correlation(matrix: Sequence[Sequence[Fraction]], item: int) -> float | None:
    """Corrected point-biserial of column ``item``: r(item score, total - item score)."""
    return item_rest(Scaled(matrix), item)


def alpha_of(scaled: Scaled) -> Fraction | None:
    if scaled.n < 2 or scaled.k < 2:
        return None
    total_var = scaled.pvariance(scaled.totals)
    if total_var == 0:
        return None
    item_var = sum((scaled.pvariance(col) for col in scaled.columns), Fraction(0))
    return Fraction(scaled.k, scaled.k - 1) * (1 - item_var / total_var)


def cronbach_alpha(matrix: Sequence[Sequence[Fraction]]) -> Fraction | None:
    """k/(k-1) * (1 - sum of item variances / variance of totals), population variances.

    On 0/1 (or 0/full-marks) items this *is* KR-20, since such an item's population
    variance is w^2 * p * q. None when k < 2, N < 2, or the totals do not vary."""
    return alpha_of(Scaled(matrix))


def kr20_of(scaled: Scaled, points: Sequence[int]) -> Fraction | None:
    if scaled.n < 2 or len(points) < 2:
        return None
    k = len(points)
    total_var = scaled.pvariance(scaled.totals)
    if total_var == 0:
        return None
    pq = Fraction(0)
    for col, w in zip(scaled.columns, points):
        p = scaled.mean(col) / w
        pq += w * w * p * (1 - p)
    return Fraction(k, k - 1) * (1 - pq / total_var)


def kr20(matrix: Sequence[Sequence[Fraction]], points: Sequence[int]) -> Fraction | None:
    """Kuder-Richardson 20 on items scored 0 or full marks: k/(k-1) * (1 - sum(w^2 p q) / var(X)),
    with population variance of the (points-weighted) totals X. With 1-point items this is
    the textbook k/(k-1) * (1 - sum(p q) / var(X))."""
    for row in matrix:
        if any(s not in (0, w) for s, w in zip(row, points)):
            raise ValueError("KR-20 needs items scored 0 or full marks only; use Cronbach's alpha")
    return kr20_of(Scaled(matrix), points)


def shown(value: Fraction | float, places: int = 2) -> float:
    """A value as the reports print it. Flags compare these, so an item never reads "0.20" and
    is flagged "below 0.2", nor a distractor "5%" and flagged "under 5%"."""
    return float(f"{float(value):.{places}f}")


def percent(share: Fraction) -> str:
    """A share of the whole (3/4) as a report prints it, "75%"."""
    return fmt_percent(float(share) * 100)
