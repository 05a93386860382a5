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
    dropped: dict[int, tuple[int, Fraction]]  # local -> (round it became unaffordable, money behind it)
    total_cost: Fraction


class _State:
    def __init__(self, data: Grouped, x: Fraction) -> None:
        self.data = data
        G = len(data.weight)
        self.cls = np.ones(G, dtype=np.int64)  # class 1 = untouched budget x
        self.bf = np.full(G, float(x), dtype=np.float64)
        self.vals: list[Fraction] = [Fraction(0), Fraction(x)]
        self.fvals: list[float] = [0.0, float(x)]

    def float_key(self, p: int) -> tuple[float, bool, float]:
        """Return (key, certain, money) in floats; key=inf if unaffordable."""
        d = self.data
        g = d.sg[p]
        b = self.bf[g]
        w = d.sw_f[p]
        cost = float(d.cost_f[p])
        money = float(np.dot(w, b))
        m = len(g)
        err = 4 * (m + 2) * _EPS * (money + cost)
        if money < cost - err:
            return math.inf, True, money
        if money < cost + err:
            return math.inf, False, money
        if d.approval:
            order = np.argsort(b, kind="stable")
            r = b[order]
            ws = w[order]
            wu = ws
        else:
            u = d.su[p].astype(np.float64)
            r_all = b / u
            order = np.argsort(r_all, kind="stable")
            r = r_all[order]
            ws = w[order]
            wu = ws * u[order]
        paid = np.cumsum(ws * r if d.approval else ws * b[order])
        poor = np.empty(m, dtype=np.float64)
        poor[0] = 0.0
        poor[1:] = paid[:-1]
        rich = np.cumsum(wu[::-1])[::-1]
        t = (cost - poor) / rich
        ok = t <= r
        k = int(np.argmax(ok))
        if not ok[k]:
            return math.inf, False, money
        tk = float(t[k])
        rem = cost - float(poor[k])
        rel = 4 * (m + 2) * _EPS * (cost + float(poor[k])) / rem if rem > 0 else math.inf
        key = tk / cost if d.approval else tk
        # a near-boundary choice of k changes t only within the error bound
        return key, rel < TOL / 10, money

    def exact_t(self, p: int) -> Fraction | None:
        """Exact price ``t`` of project ``p`` (``None`` if unaffordable)."""
        d = self.data
        g = d.sg[p]
        cl = self.cls[g]
        w = d.weight[g]
        if d.approval:
            keys = cl
            uniq, inv = np.unique(keys, return_inverse=True)
            us = [1] * len(uniq)
            cls_of = uniq.tolist()
        else:
            u = d.su[p]
            umax = int(u.max()) + 1
            keys = cl * umax + u
            uniq, inv = np.unique(keys, return_inverse=True)
            cls_of = (uniq // umax).tolist()
            us = (uniq % umax).tolist()
        wsum = np.bincount(inv, weights=w).tolist()
        entries = [
            (self.vals[c], uu, int(ww)) for c, uu, ww in zip(cls_of, us, wsum, strict=True)
        ]
        cost = Fraction(d.cost[p])
        money = sum((v * ww for v, _, ww in entries), Fraction(0))
        if money < cost:
            return None
        entries.sort(key=lambda e: e[0] / e[1])
        poor = Fraction(0)
        rich = sum(uu * ww for _, uu, ww in entries)
        for v, uu, ww in entries:
            t = (cost - poor) / rich
            if t * uu <= v:
                return t
            poor += v * ww
            rich -= uu * ww
        raise CountingError("internal error: no price found for an affordable project")

    def exact_money(self, p: int) -> Fraction:
        d = self.data
        g = d.sg[p]
        cl = self.cls[g]
        uniq, inv = np.unique(cl, return_inverse=True)
        wsum = np.bincount(inv, weights=d.weight[g]).tolist()
        return sum((self.vals[c] * int(ww) for c, ww in zip(uniq.tolist(), wsum, strict=True)), Fraction(0))

    def pay(self, p: int, t: Fraction, record: bool) -> list[Payment]:
        d = self.data
        g = d.sg[p]
        cl = self.cls[g]
        if d.approval:
            umax = 1
            keys = cl
        else:
            u = d.su[p]
            umax = int(u.max()) + 1
            keys = cl * umax + u
        uniq, inv = np.unique(keys, return_inverse=True)
        new_cls = np.empty(len(uniq), dtype=np.int64)
        new_f = np.empty(len(uniq), dtype=np.float64)
        payments: list[Payment] = []
        wsum = np.bincount(inv, weights=d.weight[g]).tolist() if record else None
        for j, key in enumerate(uniq.tolist()):
            c, uu = (key, 1) if d.approval else (key // umax, key % umax)
            v = self.vals[c]
            due = t * uu
            if due >= v:
                new_cls[j] = 0
                new_f[j] = 0.0
                paid, all_had = v, True
            else:
                nv = v - due
                new_cls[j] = len(self.vals)
                self.vals.append(nv)
                f = float(nv)
                self.fvals.append(f)
                new_f[j] = f
                paid, all_had = due, False
            if wsum is not None and paid > 0:
                payments.append(Payment(paid, int(wsum[j]), all_had))
        self.cls[g] = new_cls[inv]
        self.bf[g] = new_f[inv]
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
                key, sure, _money = st.float_key(p)
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
            t = st.exact_t(sel)
            if t is None:
                raise CountingError("internal error: selected project is unaffordable")
        else:
            exact: dict[int, Fraction] = {}
            for p in near:
                tp = st.exact_t(p)
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
    return MesRun(Fraction(per_voter), selected, rounds, dropped, total)
