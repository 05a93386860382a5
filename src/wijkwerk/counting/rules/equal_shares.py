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
weighted *group*. Budgets are exact rationals kept per *budget class* (all groups with
the same payment history share one class and one ``Fraction``); numpy float copies
of the class values find the candidates, and every decision (the winner of a round,
affordability close to the cost, the payment) is confirmed with ``Fraction``s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..model import CountingError
from ..tiebreak import TieBreaker
from .prepare import Grouped

TOL = 1e-9
_EPS = 2.0**-52


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
    t: Fraction  # price per unit of utility
    effective_votes: Fraction  # cost / t
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
    left: list[Fraction] = field(default_factory=list)  # per group, only with record=True


try:  # optional accelerator: GMP rationals, much faster than Fraction
    from gmpy2 import mpq as _Q
except ImportError:  # pragma: no cover
    _Q = Fraction


def _frac(q: Any) -> Fraction:
    return Fraction(int(q.numerator), int(q.denominator))


class _State:
    """Budgets of the voter groups during one MES run.

    ``cls[g]`` is the budget class of group ``g``; ``vals[c]`` its exact value
    (class 0 = nothing left, class 1 = the starting budget) and ``fv[c]`` the
    correctly rounded float of it.
    """

    def __init__(self, data: Grouped, x: Fraction) -> None:
        self.data = data
        G = len(data.weight)
        self.cls = np.ones(G, dtype=np.int64)
        self.vals: list[Any] = [_Q(0), _Q(x.numerator, x.denominator)]
        self.fv = np.zeros(64, dtype=np.float64)
        self.fv[1] = float(x)
        self.ncls = 2

    def _add_class(self, v: Any) -> int:
        c = self.ncls
        if c >= len(self.fv):
            self.fv = np.concatenate([self.fv, np.zeros(len(self.fv), dtype=np.float64)])
        self.vals.append(v)
        self.fv[c] = float(v)
        self.ncls += 1
        return c

    def _aggregate(self, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Supporters of ``p`` as (class, utility, weight, index key) rows with weight > 0."""
        d = self.data
        g = d.sg[p]
        cl = self.cls[g]
        if d.approval:
            cw = np.bincount(cl, weights=d.sw_f[p], minlength=self.ncls)
            nz = np.flatnonzero(cw)
            return nz, np.ones(len(nz), dtype=np.int64), cw[nz], nz
        u = d.su[p]
        umax = int(u.max()) + 1
        keys = cl * umax + u
        cw = np.bincount(keys, weights=d.sw_f[p])
        nz = np.flatnonzero(cw)
        return nz // umax, nz % umax, cw[nz], nz

    def float_key(self, p: int) -> tuple[float, bool]:
        """Return (key, certain) in floats; key=inf if unaffordable."""
        d = self.data
        cls, us, ws, _ = self._aggregate(p)
        v = self.fv[cls]
        cost = float(d.cost_f[p])
        uf = us.astype(np.float64)
        money = float(np.dot(ws, v))
        m = len(cls)
        err = 4 * (m + 2) * _EPS * (money + cost)
        if money < cost - err:
            return math.inf, True
        if money < cost + err:
            return math.inf, False
        r_all = v / uf
        order = np.argsort(r_all, kind="stable")
        r = r_all[order]
        paid = np.cumsum(ws[order] * v[order])
        poor = np.empty(m, dtype=np.float64)
        poor[0] = 0.0
        poor[1:] = paid[:-1]
        wu = ws[order] * uf[order]
        rich = np.cumsum(wu[::-1])[::-1]
        t = (cost - poor) / rich
        ok = t <= r
        k = int(np.argmax(ok))
        if not ok[k]:
            return math.inf, False
        tk = float(t[k])
        rem = cost - float(poor[k])
        rel = 4 * (m + 2) * _EPS * (cost + float(poor[k])) / rem if rem > 0 else math.inf
        key = tk / cost if d.approval else tk
        return key, rel < TOL / 10

    def exact_t(self, p: int, hint: float | None = None) -> Fraction | None:
        """Exact price ``t`` of project ``p`` (``None`` if unaffordable).

        ``hint`` (a float estimate of ``t``) lets us classify the supporters who
        cannot pay in full with floats; the classification is then verified exactly
        near the boundary, with a full exact fallback.
        """
        d = self.data
        cls_a, us_a, ws_a, _ = self._aggregate(p)
        cls = cls_a.tolist()
        us = us_a.tolist()
        ws = [int(w) for w in ws_a.tolist()]
        vals = self.vals
        cost = _Q(Fraction(d.cost[p]).numerator, Fraction(d.cost[p]).denominator)
        money = sum((vals[c] * w for c, w in zip(cls, ws, strict=True)), _Q(0))
        if money < cost:
            return None
        if hint is not None and math.isfinite(hint) and hint > 0:
            fr = (self.fv[cls_a] / us_a).tolist()
            lo, hi = hint * (1 - 1e-7), hint * (1 + 1e-7)
            poor = _Q(0)
            rich = 0
            max_poor, min_rich = -math.inf, math.inf
            border: list[int] = []
            for j, r in enumerate(fr):
                if r < lo:
                    poor += vals[cls[j]] * ws[j]
                    max_poor = max(max_poor, r)
                elif r > hi:
                    rich += us[j] * ws[j]
                    min_rich = min(min_rich, r)
                else:
                    border.append(j)
            border.sort(key=lambda j: vals[cls[j]] / us[j])
            rich_b = rich + sum(us[j] * ws[j] for j in border)
            t: Any = None
            for j in border:
                tt = (cost - poor) / rich_b
                if tt * us[j] <= vals[cls[j]]:
                    t = tt
                    break
                poor += vals[cls[j]] * ws[j]
                rich_b -= us[j] * ws[j]
            else:
                if rich_b > 0:
                    t = (cost - poor) / rich_b
            if t is not None:
                tf = float(t)
                # every float-classified entry is on the right side with a safe margin
                if max_poor < tf * (1 - 1e-12) and min_rich > tf * (1 + 1e-12):
                    return _frac(t)
        # full exact computation
        entries = sorted(zip(cls, us, ws, strict=True), key=lambda e: vals[e[0]] / e[1])
        poor = _Q(0)
        rich = sum(u * w for _, u, w in entries)
        for c, u, w in entries:
            t = (cost - poor) / rich
            if t * u <= vals[c]:
                return _frac(t)
            poor += vals[c] * w
            rich -= u * w
        raise CountingError("internal error: no price found for an affordable project")

    def exact_money(self, p: int) -> Fraction:
        cls_a, _us, ws_a, _ = self._aggregate(p)
        tot = sum(
            (self.vals[c] * int(w) for c, w in zip(cls_a.tolist(), ws_a.tolist(), strict=True)),
            _Q(0),
        )
        return _frac(tot)

    def pay(self, p: int, t: Fraction, record: bool) -> list[Payment]:
        d = self.data
        g = d.sg[p]
        cl = self.cls[g]
        tq = _Q(t.numerator, t.denominator)
        if d.approval:
            umax = 1
            keys = cl
        else:
            umax = int(d.su[p].max()) + 1
            keys = cl * umax + d.su[p]
        cw = np.bincount(keys, weights=d.sw_f[p])
        nz = np.flatnonzero(cw)
        newmap = np.zeros(len(cw), dtype=np.int64)
        payments: list[Payment] = []
        for key, wsum in zip(nz.tolist(), cw[nz].tolist(), strict=True):
            c, uu = (key, 1) if d.approval else (key // umax, key % umax)
            v = self.vals[c]
            due = tq * uu
            if due >= v:
                newmap[key] = 0
                paid, all_had = v, True
            else:
                newmap[key] = self._add_class(v - due)
                paid, all_had = due, False
            if record and paid > 0:
                payments.append(Payment(_frac(paid), int(wsum), all_had))
        self.cls[g] = newmap[keys]
        return payments


def mes_run(
    data: Grouped,
    per_voter: Fraction,
    tb: TieBreaker,
    *,
    record: bool = False,
) -> MesRun:
    """Run MES once with every voter starting with ``per_voter``.

    With ``record=True`` every round records the payments and the effective vote
    counts of all projects still in the race (for explanations).
    """
    m = len(data.cand)
    st = _State(data, per_voter)
    selected: list[int] = []
    rounds: list[RoundInfo] = []
    dropped: dict[int, tuple[int, Fraction]] = {}
    total = Fraction(0)
    alive = np.zeros(m, dtype=np.bool_)
    for p in range(m):
        if data.cost[p] == 0:
            if len(data.sg[p]):
                selected.append(p)
        elif len(data.sg[p]):
            alive[p] = True
    lb = np.zeros(m, dtype=np.float64)
    dirty = np.ones(m, dtype=np.bool_)
    certain = np.ones(m, dtype=np.bool_)
    rnd = 0
    while True:
        rnd += 1
        idx = np.flatnonzero(alive)
        if len(idx) == 0:
            break
        order = idx[np.argsort(lb[idx], kind="stable")]
        best = math.inf
        for p in order.tolist():
            if not record and lb[p] > best * (1 + TOL):
                break
            if dirty[p]:
                key, sure = st.float_key(p)
                dirty[p] = False
                if key == math.inf:
                    if sure or st.exact_t(p) is None:
                        alive[p] = False
                        if record:
                            dropped[p] = (rnd, st.exact_money(p))
                        continue
                    ex = st.exact_t(p)
                    assert ex is not None
                    key = float(ex / Fraction(data.cost[p])) if data.approval else float(ex)
                    sure = True
                lb[p] = key
                certain[p] = sure
            if lb[p] < best:
                best = lb[p]
        idx = np.flatnonzero(alive)
        if len(idx) == 0:
            break
        near = [p for p in idx.tolist() if lb[p] <= best * (1 + TOL)]
        if len(near) == 1 and certain[near[0]]:
            sel = near[0]
            hint = lb[sel] * float(data.cost_f[sel]) if data.approval else lb[sel]
            t = st.exact_t(sel, hint)
            if t is None:
                raise CountingError("internal error: selected project is unaffordable")
        else:
            exact: dict[int, Fraction] = {}
            for p in near:
                hint = lb[p] * float(data.cost_f[p]) if data.approval else lb[p]
                tp = st.exact_t(p, hint)
                if tp is None:
                    alive[p] = False
                    if record:
                        dropped[p] = (rnd, st.exact_money(p))
                    continue
                exact[p] = tp / Fraction(data.cost[p]) if data.approval else tp
            if not exact:
                continue
            kmin = min(exact.values())
            tied = [p for p, k in exact.items() if k == kmin]
            if len(tied) == 1:
                sel = tied[0]
            else:
                glob = tb.pick(
                    [data.cand[p] for p in tied], context=f"in round {rnd} of equal shares"
                )
                sel = data.cand.index(glob)
            t = kmin * Fraction(data.cost[sel]) if data.approval else kmin
        payments = st.pay(sel, t, record)
        alive[sel] = False
        selected.append(sel)
        total += Fraction(data.cost[sel])
        dirty |= data.cosupport[sel]
        if record:
            cost = Fraction(data.cost[sel])
            others = {
                p: (1.0 / lb[p] if data.approval else float(data.cost_f[p]) / lb[p])
                for p in np.flatnonzero(alive).tolist()
                if lb[p] > 0
            }
            rounds.append(RoundInfo(rnd, sel, t, cost / t, payments, others))
    left = [_frac(st.vals[c]) for c in st.cls.tolist()] if record else []
    return MesRun(Fraction(per_voter), selected, rounds, dropped, total, left)
