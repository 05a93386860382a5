"""Method of Equal Shares (MES), exact, with a float accelerator.

Convention (equalshares.net, pabutools ``Cost_Sat``): every voter starts with the
same budget ``x`` (``B/n`` without completion). A project ``p`` costing ``c`` is
paid by its supporters: supporter ``i`` pays ``min(b_i, t * u_i)`` where ``u_i = 1``
for approval-like ballots (so the cost is split as equally as possible) and
``u_i = points`` for cumulative/scoring ballots. ``t`` is the smallest value that
raises ``c``. Each round the project with the smallest ``t / c`` (approval: the
largest *effective vote count* ``c / t``) or, for points, the smallest ``t`` is
funded; projects whose supporters together have less than ``c`` left are dropped.

Exactness: voters with the same ballot always hold the same budget, so they form one
weighted *group*. Budgets are exact and kept per *budget class* (all groups with the
same payment history share one class; see :class:`_State`); numpy float copies of the
class values find the candidates, and every decision (the winner of a round,
affordability close to the cost, the payment) is confirmed with exact rationals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..model import Amount, CountingError
from ..tiebreak import TieBreaker
from .prepare import Grouped

TOL = 1e-9
_EPS = 2.0**-52
# up to this many classes, plain Python loops beat numpy's per-call cost (measured)
_SMALL = 48

# supporters of a project aggregated by (class, utility): class, utility, weight, key
Aggregate = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Payment:
    """What a class of supporters paid for a funded project."""

    amount: Fraction  # paid by each voter of this class
    voters: int  # number of voters who paid this amount
    all_they_had: bool  # True if this was all their remaining money


@dataclass
class RoundInfo:
    """One round of MES."""

    number: int
    project: int  # local index of the funded project
    price: Fraction  # price per unit of utility (``t``)
    effective_votes: Fraction  # cost / price
    payments: list[Payment]
    # float effective vote counts of the other projects still in the race (local index)
    others: dict[int, float] = field(default_factory=dict)


@dataclass
class MesRun:
    """Result of one fixed-budget MES run."""

    per_voter: Fraction
    selected: list[int]  # local indices in order of selection
    rounds: list[RoundInfo]
    dropped: dict[
        int, tuple[int, Fraction]
    ]  # local -> (round it became unaffordable, money behind it)
    total_cost: Fraction
    state: _State | None = field(default=None, repr=False, compare=False)  # record=True

    @property
    def left(self) -> list[Fraction]:
        """Exact money left per group (``record=True`` runs only; computed on demand)."""
        state = self.state
        if state is None:
            return []
        class_value: dict[int, Fraction] = {}
        out: list[Fraction] = []
        for c in state.budget_class.tolist():
            if c not in class_value:
                class_value[c] = _frac(state.value(c))
            out.append(class_value[c])
        return out


try:  # optional accelerator: GMP rationals, much faster than Fraction
    from gmpy2 import mpq as _Q
except ImportError:  # pragma: no cover
    _Q = Fraction


def _frac(q: Any) -> Fraction:
    return Fraction(int(q.numerator), int(q.denominator))


class _State:
    """Budgets of the voter groups during one MES run.

    ``budget_class[g]`` is the budget class of group ``g``. Class 0 means nothing left;
    every other class ``c`` holds exactly ``x - sum_s coef[c, s] * prices[s]``, where ``x``
    is the starting budget and ``prices[s]`` the exact price of the ``s``-th funded project
    (``coef[c, s]`` = the utility the class paid it at, 0 if it did not pay a share).
    So no rational is stored per class: an exact value, or an exact weighted sum of
    values over many classes, costs one small integer matrix product and one rational
    operation per round (``_exact_sum``). ``float_values[c]`` is a float copy of the value
    with ``|float_values[c] - value(c)| <= err`` (see ``pay``); floats only decide where
    that bound leaves a safe margin, everything else is decided exactly.
    """

    def __init__(self, grouped: Grouped, x: Fraction) -> None:
        self.grouped = grouped
        num_groups = len(grouped.weight)
        self.budget_class = np.ones(num_groups, dtype=np.int64)
        self.x: Any = _Q(x.numerator, x.denominator)
        self.x_float = float(x)
        self.prices: list[Any] = []
        self.num_classes = 2
        capacity = 64
        self.float_values = np.zeros(capacity, dtype=np.float64)
        self.float_values[1] = self.x_float
        self.coef = np.zeros(
            (capacity, max(len(grouped.candidates), 1)),
            dtype=np.uint8 if grouped.max_utility <= 255 else np.int64,
        )
        # |float_values[c] - value(c)| <= err for every class: float(x) is correctly rounded
        # and each payment round adds at most 3 roundings of numbers <= x (see ``pay``).
        self.err = 4 * _EPS * self.x_float
        # aggregates of ``_aggregate`` per project, valid while no payment touched the
        # project's supporters: (number of payments when computed, aggregate)
        self.num_payments = 0
        self.touched = np.zeros(len(grouped.candidates), dtype=np.int64)
        self._aggregates: dict[int, tuple[int, Aggregate]] = {}
        # read-only utilities for approval
        self._ones = np.ones(num_groups + 1, dtype=np.int64)
        self._ones.flags.writeable = False

    def _grow(self, need: int) -> None:
        capacity = len(self.float_values)
        if need <= capacity:
            return
        while capacity < need:
            capacity *= 2
        float_values = np.zeros(capacity, dtype=np.float64)
        float_values[: self.num_classes] = self.float_values[: self.num_classes]
        coef = np.zeros((capacity, self.coef.shape[1]), dtype=self.coef.dtype)
        coef[: self.num_classes] = self.coef[: self.num_classes]
        self.float_values, self.coef = float_values, coef

    def value(self, c: int) -> Any:
        """Exact budget of class ``c``."""
        if c == 0:
            return _Q(0)
        v = self.x
        row = self.coef[c, : len(self.prices)]
        for s in np.flatnonzero(row).tolist():
            v -= self.prices[s] * int(row[s])
        return v

    def _exact_sum(self, classes: np.ndarray, weights: np.ndarray) -> Any:
        """Exact ``sum weights[i] * value(classes[i])`` (weights are integers in floats).

        ``classes`` is non-decreasing (as from ``_aggregate``, or a subset of it).
        """
        if len(classes) and classes[0] == 0:  # class ids are increasing: 0 comes first
            keep = classes != 0
            classes = classes[keep]
            weights = weights[keep]
        total = self.x * int(weights.sum())
        num_prices = len(self.prices)
        if num_prices and len(classes):
            # integers below 2**53 throughout, so the float product is exact
            units = (weights @ self.coef[classes, :num_prices].astype(np.float64)).tolist()
            for price, n in zip(self.prices, units, strict=True):
                if n:
                    total -= price * int(n)
        return total

    def _exact_sum_of(self, classes: list[int], weights: list[float]) -> Any:
        """``_exact_sum`` for a few classes given as lists (no class 0)."""
        total = self.x * int(sum(weights))
        num_prices = len(self.prices)
        if num_prices and classes:
            # integers below 2**53 throughout, so the float product is exact
            units = (np.array(weights) @ self.coef[classes, :num_prices]).tolist()
            for price, n in zip(self.prices, units, strict=True):
                if n:
                    total -= price * int(n)
        return total

    def _aggregate(self, p: int) -> Aggregate:
        """Supporters of ``p`` as (class, utility, weight, index key) rows with weight > 0.

        Cached until a payment changes the class of one of ``p``'s supporters (the
        classes themselves never change value: a payment only creates new classes).
        """
        hit = self._aggregates.get(p)
        if hit is not None and hit[0] >= self.touched[p]:
            return hit[1]
        aggregate = self._aggregate_new(p)
        self._aggregates[p] = (self.num_payments, aggregate)
        return aggregate

    def _aggregate_new(self, p: int) -> Aggregate:
        grouped = self.grouped
        classes = self.budget_class[grouped.supporter_groups[p]]
        if grouped.approval:
            class_weight = np.bincount(
                classes, weights=grouped.supporter_weights[p], minlength=self.num_classes
            )
            present = (class_weight != 0).nonzero()[0]
            return present, self._ones[: len(present)], class_weight[present], present
        utilities = grouped.supporter_utilities[p]
        stride = int(utilities.max()) + 1  # index key = class * stride + utility
        key_weight = np.bincount(classes * stride + utilities, weights=grouped.supporter_weights[p])
        present = np.flatnonzero(key_weight)
        return present // stride, present % stride, key_weight[present], present

    def float_key(self, p: int) -> tuple[float, bool]:
        """Return (key, certain) in floats; key=inf if unaffordable."""
        grouped = self.grouped
        if grouped.approval:
            return self._float_key_approval(p)
        classes, utilities, weights, _ = self._aggregate(p)
        values = self.float_values[classes]
        cost = float(grouped.cost_float[p])
        utilities_float = utilities.astype(np.float64)
        money = float(np.dot(weights, values))
        m = len(classes)
        # rounding of the sums here plus the error of the class values themselves
        value_error = float(weights.sum()) * self.err
        err = 4 * (m + 2) * _EPS * (money + cost) + value_error
        if money < cost - err:
            return math.inf, True
        if money < cost + err:
            return math.inf, False
        ratios = values / utilities_float
        order = np.argsort(ratios, kind="stable")
        ratio = ratios[order]
        paid = np.cumsum(weights[order] * values[order])
        poor = np.empty(m, dtype=np.float64)  # paid by those poorer than each entry
        poor[0] = 0.0
        poor[1:] = paid[:-1]
        weighted_utility = weights[order] * utilities_float[order]
        rich = np.cumsum(weighted_utility[::-1])[::-1]  # utility of each entry and richer
        price = (cost - poor) / rich
        fits = price <= ratio
        k = int(np.argmax(fits))
        if not fits[k]:
            return math.inf, False
        price_k = float(price[k])
        remaining = cost - float(poor[k])
        relative_error = (
            (4 * (m + 2) * _EPS * (cost + float(poor[k])) + value_error) / remaining
            if remaining > 0
            else math.inf
        )
        key = price_k / cost if grouped.approval else price_k
        return key, relative_error < TOL / 10

    def _float_key_approval(self, p: int) -> tuple[float, bool]:
        """``float_key`` for approval ballots (every utility is 1): fewer array passes.

        With the supporters' classes sorted by value ``r``, the price with the ``j``
        poorest paying all they have is ``(cost - paid_j) / (W - weight_j)``; the first
        ``j`` where it is at most ``r_j`` gives ``t``.
        """
        grouped = self.grouped
        classes, _utilities, class_weights, _keys = self._aggregate(p)
        cost = float(grouped.cost_float[p])
        m = len(classes)
        W = float(grouped.utility_total[p])  # number of supporters (exact in a float)
        price: float | None = None  # the price, if one is found
        paid_by_poorer = 0.0  # paid by those who pay all they have, at that price
        if m <= _SMALL:
            # a plain loop costs less than the dozen numpy calls below on a few classes
            # (Wieliczka: 14 in the median); the same float operations in the same order,
            # except that classes of equal value may be summed in another order, which
            # the error bound below does not depend on
            value_list = self.float_values[classes].tolist()
            weight_list = class_weights.tolist()
            money = weight_so_far = 0.0
            for i in sorted(range(m), key=value_list.__getitem__):
                r = value_list[i]
                if price is None:
                    t = (cost - money) / (W - weight_so_far)
                    if t <= r:
                        price, paid_by_poorer = t, money
                w = weight_list[i]
                money += w * r
                weight_so_far += w
        else:
            values = self.float_values[classes]
            order = values.argsort()
            ratio = values[order]
            weights = class_weights[order]
            paid = np.cumsum(weights * ratio)
            money = float(paid[-1])
            if money >= cost:  # else unaffordable below, whatever the price
                poor = np.empty(m, dtype=np.float64)
                poor[0] = 0.0
                poor[1:] = paid[:-1]
                rich = np.empty(m, dtype=np.float64)
                rich[0] = W
                rich[1:] = W - np.cumsum(weights[:-1])  # integers: exact
                prices = (cost - poor) / rich
                fits = prices <= ratio
                k = int(fits.argmax())
                if fits[k]:
                    price, paid_by_poorer = float(prices[k]), float(poor[k])
        value_error = W * self.err
        err = 4 * (m + 2) * _EPS * (money + cost) + value_error
        if money < cost - err:
            return math.inf, True
        if money < cost + err or price is None:
            return math.inf, False
        remaining = cost - paid_by_poorer
        relative_error = (
            (4 * (m + 2) * _EPS * (cost + paid_by_poorer) + value_error) / remaining
            if remaining > 0
            else math.inf
        )
        return price / cost, relative_error < TOL / 10

    def exact_price(self, p: int, hint: float | None = None, affordable: bool = False) -> Any:
        """Exact price ``t`` of project ``p`` (``None`` if unaffordable).

        The price is a GMP rational (``Fraction`` without gmpy2): the run keeps it so,
        and only a recorded round turns it into a ``Fraction``.

        ``hint`` (a float estimate of ``t``) lets us classify the supporters who
        cannot pay in full with floats (with the error bound ``err`` of the class
        values); the classification is then verified exactly near the boundary,
        with a full exact fallback. ``affordable=True`` (the caller has proved that the
        supporters have at least the cost) skips the exact money check.
        """
        grouped = self.grouped
        classes, utilities, weights, _ = self._aggregate(p)
        cost = grouped.cost_rational[p]
        if not affordable and self._exact_sum(classes, weights) < cost:
            return None
        err = self.err
        if hint is not None and math.isfinite(hint) and hint > 0:
            values = self.float_values[classes]
            lo, hi = hint * (1 - 1e-7), hint * (1 + 1e-7)
            # poor: pay all they have (exact sum `poor`); rich: pay the price (total utility
            # `rich`); border: too close to the hint for floats, as (value, utility, weight)
            if grouped.approval and len(classes) <= _SMALL:
                # a few classes: one plain loop (see ``_float_key_approval``)
                poor_classes: list[int] = []
                poor_weights: list[float] = []
                rich = 0
                border = []
                poor_top, rich_bottom = -math.inf, math.inf
                for c, v, w in zip(
                    classes.tolist(), values.tolist(), weights.tolist(), strict=True
                ):
                    if v + err < lo:
                        if v + err > poor_top:
                            poor_top = v + err
                        if c:  # class 0 has nothing
                            poor_classes.append(c)
                            poor_weights.append(w)
                    elif v - err > hi:
                        rich += int(w)
                        if v - err < rich_bottom:
                            rich_bottom = v - err
                    else:
                        border.append((self.value(c), 1, int(w)))
                poor = self._exact_sum_of(poor_classes, poor_weights)
            elif grouped.approval:  # every utility is 1: same values without the divisions
                ratio_hi = values + err
                ratio_lo = values - err
                is_poor = ratio_hi < lo
                is_rich = ratio_lo > hi
                rich = int(weights[is_rich].sum())
                between = ~(is_poor | is_rich)
                border = (
                    [
                        (self.value(c), 1, int(w))
                        for c, w in zip(
                            classes[between].tolist(), weights[between].tolist(), strict=True
                        )
                    ]
                    if between.any()
                    else []
                )
                poor = self._exact_sum(classes[is_poor], weights[is_poor])
                poor_top = float(ratio_hi[is_poor].max()) if is_poor.any() else -math.inf
                rich_bottom = float(ratio_lo[is_rich].min()) if is_rich.any() else math.inf
            else:
                utilities_float = utilities.astype(np.float64)
                ratio_hi = (values + err) / utilities_float
                ratio_lo = (values - err) / utilities_float
                is_poor = ratio_hi < lo
                is_rich = ratio_lo > hi
                rich = int(np.dot(weights[is_rich], utilities_float[is_rich]))
                between = ~(is_poor | is_rich)
                border = [
                    (self.value(c), u, int(w))
                    for c, u, w in zip(
                        *(a[between].tolist() for a in (classes, utilities, weights)), strict=True
                    )
                ]
                poor = self._exact_sum(classes[is_poor], weights[is_poor])
                poor_top = float(ratio_hi[is_poor].max()) if is_poor.any() else -math.inf
                rich_bottom = float(ratio_lo[is_rich].min()) if is_rich.any() else math.inf
            border.sort(key=lambda e: e[0] / e[1])
            rich_utility = rich + sum(u * w for _, u, w in border)
            price: Any = None
            for value, u, w in border:
                candidate = (cost - poor) / rich_utility
                if candidate * u <= value:
                    price = candidate
                    break
                poor += value * w
                rich_utility -= u * w
            else:
                if rich_utility > 0:
                    price = (cost - poor) / rich_utility
            if price is not None:
                price_float = float(price)
                # every float-classified entry is on the right side with a safe margin;
                # poor ones are below ``lo`` and rich ones above ``hi``, so the scalar test
                # settles it when the hint was close (the usual case)
                poor_ok = lo <= price_float * (1 - 1e-12) or poor_top < price_float * (1 - 1e-12)
                rich_ok = hi >= price_float * (1 + 1e-12) or rich_bottom > price_float * (1 + 1e-12)
                if poor_ok and rich_ok:
                    return price
        # full exact computation
        entries = sorted(
            (
                (self.value(c), u, int(w))
                for c, u, w in zip(
                    classes.tolist(), utilities.tolist(), weights.tolist(), strict=True
                )
            ),
            key=lambda e: e[0] / e[1],
        )
        poor = _Q(0)
        rich = sum(u * w for _, u, w in entries)
        for value, u, w in entries:
            price = (cost - poor) / rich
            if price * u <= value:
                return price
            poor += value * w
            rich -= u * w
        raise CountingError("internal error: no price found for an affordable project")

    def exact_money(self, p: int) -> Fraction:
        """Exact money left of ``p``'s supporters."""
        classes, _utilities, weights, _ = self._aggregate(p)
        return _frac(self._exact_sum(classes, weights))

    def pay(self, p: int, price: Any, record: bool) -> list[Payment]:
        """Every supporter pays ``min(budget, t * u)``; returns the payments if ``record``.

        Float error of the new class values: ``float_values[c] - fl(fl(t) * u)`` is within
        ``err`` (old value) ``+ 3 * 2**-53 * x`` of the exact new value, because
        ``t * u`` and the new value are at most ``x``; ``err`` grows by ``4 * _EPS * x``.
        """
        grouped = self.grouped
        groups = grouped.supporter_groups[p]
        group_classes = self.budget_class[groups]
        price_float = float(price)
        classes, utilities, weights, index_keys = self._aggregate(p)
        if grouped.approval:
            group_keys = group_classes
            num_keys = self.num_classes
        else:
            stride = int(grouped.supporter_utilities[p].max()) + 1
            group_keys = group_classes * stride + grouped.supporter_utilities[p]
            num_keys = self.num_classes * stride
        values = self.float_values[classes]
        # approval: every utility is 1
        due: Any = price_float if grouped.approval else price_float * utilities
        err = self.err
        poor: Any  # per row: pays all it has
        if grouped.approval and len(classes) <= _SMALL:
            # a few classes: one plain loop (see ``_float_key_approval``)
            lo, hi = price_float * (1 - 1e-12), price_float * (1 + 1e-12)
            poor = [
                c == 0 or v + err < lo or (v - err <= hi and price >= self.value(c))
                for c, v in zip(classes.tolist(), values.tolist(), strict=True)
            ]
            rich_rows = np.array([j for j, is_poor in enumerate(poor) if not is_poor], np.intp)
        else:
            poor = (values + err < due * (1 - 1e-12)) | (classes == 0)
            rich = (values - err > due * (1 + 1e-12)) & ~poor
            for j in np.flatnonzero(~(poor | rich)).tolist():
                if price * int(utilities[j]) >= self.value(int(classes[j])):
                    poor[j] = True
                else:
                    rich[j] = True
            rich_rows = np.flatnonzero(rich)
        num_new = len(rich_rows)
        self._grow(self.num_classes + num_new)
        new = slice(self.num_classes, self.num_classes + num_new)  # the new classes' ids
        new_class = np.zeros(num_keys, dtype=np.int64)  # by index key; 0: paid all it had
        new_class[index_keys[rich_rows]] = np.arange(
            self.num_classes, self.num_classes + num_new, dtype=np.int64
        )
        num_prices = len(self.prices)
        self.float_values[new] = values[rich_rows] - (due if grouped.approval else due[rich_rows])
        self.coef[new] = self.coef[classes[rich_rows]]
        self.coef[new, num_prices] = 1 if grouped.approval else utilities[rich_rows]
        payments: list[Payment] = []
        if record:
            for j, voters in enumerate(weights.tolist()):
                c = int(classes[j])
                if c == 0:
                    continue
                if poor[j]:
                    payments.append(Payment(_frac(self.value(c)), int(voters), True))
                else:
                    payments.append(Payment(_frac(price * int(utilities[j])), int(voters), False))
        self.num_classes += num_new
        self.prices.append(price)
        self.err += 4 * _EPS * self.x_float
        self.budget_class[groups] = new_class[group_keys]
        self.num_payments += 1
        self.touched[grouped.cosupport[p]] = self.num_payments
        return payments


def mes_run(
    grouped: Grouped,
    per_voter: Fraction,
    tie_breaker: TieBreaker,
    *,
    record: bool = False,
) -> MesRun:
    """Run MES once with every voter starting with ``per_voter``.

    With ``record=True`` every round records the payments and the effective vote
    counts of all projects still in the race (for explanations).
    """
    m = len(grouped.candidates)
    state = _State(grouped, per_voter)
    selected: list[int] = []
    rounds: list[RoundInfo] = []
    dropped: dict[int, tuple[int, Fraction]] = {}
    total: Amount = 0  # int while the costs are: cheaper than adding Fractions
    alive = np.zeros(m, dtype=np.bool_)
    for p in range(m):
        if grouped.cost[p] == 0:
            if len(grouped.supporter_groups[p]):
                selected.append(p)
        elif len(grouped.supporter_groups[p]):
            alive[p] = True
    # key of each project when it was last evaluated (a lower bound of its key now: keys
    # only grow as budgets shrink); dirty: to evaluate again; certain: the float key is sure
    last_key = np.zeros(m, dtype=np.float64)
    dirty = np.ones(m, dtype=np.bool_)
    certain = np.ones(m, dtype=np.bool_)
    if grouped.approval and not record and m:
        # Round 1 in closed form: every supporter holds ``x``, so ``p`` costs each of
        # its ``W`` supporters ``cost / W`` if ``x * W >= cost`` (key ``1 / W``, exact up
        # to one rounding) and is unaffordable otherwise. Recorded runs keep the general
        # evaluation so that the reported float effective vote counts stay identical.
        W = np.array(grouped.utility_total, dtype=np.float64)
        money = state.x_float * W
        enough = money > grouped.cost_float * (1 + 1e-12)
        short = money < grouped.cost_float * (1 - 1e-12)
        for p in np.flatnonzero(alive & ~enough).tolist():
            if short[p] or per_voter * grouped.utility_total[p] < grouped.cost[p]:
                alive[p] = False
            else:
                enough[p] = True
        affordable = alive & enough
        with np.errstate(divide="ignore"):
            last_key[affordable] = 1.0 / W[affordable]
        dirty[affordable] = False
    round_number = 0
    while True:
        round_number += 1
        in_race = np.flatnonzero(alive)
        if len(in_race) == 0:
            break
        order = in_race[np.argsort(last_key[in_race], kind="stable")]
        best = math.inf
        seen: list[tuple[int, float]] = []  # alive projects visited, with their key now
        for p, key in zip(order.tolist(), last_key[order].tolist(), strict=True):
            if not record and key > best * (1 + TOL):
                break  # and so is every later one: none of them is near the best
            if dirty[p]:
                key, sure = state.float_key(p)
                dirty[p] = False
                if key == math.inf:
                    if sure or state.exact_price(p) is None:
                        alive[p] = False
                        if record:
                            dropped[p] = (round_number, state.exact_money(p))
                        continue
                    price = state.exact_price(p)
                    assert price is not None
                    key = (
                        float(price / grouped.cost_rational[p])
                        if grouped.approval
                        else float(price)
                    )
                    sure = True
                last_key[p] = key
                certain[p] = sure
            seen.append((p, key))
            if key < best:
                best = key
        if not seen:  # every project left was dropped
            break
        near = sorted(p for p, k in seen if k <= best * (1 + TOL))
        if len(near) == 1 and certain[near[0]]:
            winner = near[0]
            hint = (
                last_key[winner] * float(grouped.cost_float[winner])
                if grouped.approval
                else last_key[winner]
            )
            # a finite float key is only returned when the float money exceeds the cost
            # by more than its error bound, so the project is affordable
            price = state.exact_price(winner, hint, affordable=True)
            if price is None:
                raise CountingError("internal error: selected project is unaffordable")
        else:
            exact_key: dict[int, Any] = {}
            for p in near:
                hint = (
                    last_key[p] * float(grouped.cost_float[p]) if grouped.approval else last_key[p]
                )
                price_p = state.exact_price(p, hint)
                if price_p is None:
                    alive[p] = False
                    if record:
                        dropped[p] = (round_number, state.exact_money(p))
                    continue
                exact_key[p] = price_p / grouped.cost_rational[p] if grouped.approval else price_p
            if not exact_key:
                continue
            best_key = min(exact_key.values())
            tied = [p for p, k in exact_key.items() if k == best_key]
            if len(tied) == 1:
                winner = tied[0]
            else:
                winner_in_election = tie_breaker.pick(
                    [grouped.candidates[p] for p in tied],
                    context=f"in round {round_number} of equal shares",
                )
                winner = grouped.candidates.index(winner_in_election)
            price = best_key * grouped.cost_rational[winner] if grouped.approval else best_key
        payments = state.pay(winner, price, record)
        alive[winner] = False
        selected.append(winner)
        total += grouped.cost[winner]
        dirty |= grouped.cosupport[winner]
        if record:
            cost = Fraction(grouped.cost[winner])
            others = {
                p: (
                    1.0 / last_key[p]
                    if grouped.approval
                    else float(grouped.cost_float[p]) / last_key[p]
                )
                for p in np.flatnonzero(alive).tolist()
                if last_key[p] > 0
            }
            exact_price = _frac(price)
            rounds.append(
                RoundInfo(round_number, winner, exact_price, cost / exact_price, payments, others)
            )
    return MesRun(
        Fraction(per_voter), selected, rounds, dropped, Fraction(total), state if record else None
    )
