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

from ..model import Amount, CountingError
from ..tiebreak import TieBreaker
from .prepare import Grouped

TOL = 1e-9
_EPS = 2.0**-52
# up to this many classes, plain Python loops beat numpy's per-call cost (measured)
_SMALL = 48

# supporters of a project aggregated by (class, utility): class, utility, weight, key
Agg = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


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
    state: _State | None = field(default=None, repr=False, compare=False)  # record=True

    @property
    def left(self) -> list[Fraction]:
        """Exact money left per group (``record=True`` runs only; computed on demand)."""
        st = self.state
        if st is None:
            return []
        vals: dict[int, Fraction] = {}
        out: list[Fraction] = []
        for c in st.cls.tolist():
            if c not in vals:
                vals[c] = _frac(st.value(c))
            out.append(vals[c])
        return out


try:  # optional accelerator: GMP rationals, much faster than Fraction
    from gmpy2 import mpq as _Q
except ImportError:  # pragma: no cover
    _Q = Fraction


def _frac(q: Any) -> Fraction:
    return Fraction(int(q.numerator), int(q.denominator))


class _State:
    """Budgets of the voter groups during one MES run.

    ``cls[g]`` is the budget class of group ``g``. Class 0 means nothing left; every
    other class ``c`` holds exactly ``x - sum_s coef[c, s] * ts[s]``, where ``x`` is
    the starting budget and ``ts[s]`` the exact price of the ``s``-th funded project
    (``coef[c, s]`` = the utility the class paid it at, 0 if it did not pay a share).
    So no rational is stored per class: an exact value, or an exact weighted sum of
    values over many classes, costs one small integer matrix product and one rational
    operation per round (``_exact_sum``). ``fv[c]`` is a float copy of the value with
    ``|fv[c] - value(c)| <= err`` (see ``pay``); floats only decide where that bound
    leaves a safe margin, everything else is decided exactly.
    """

    def __init__(self, data: Grouped, x: Fraction) -> None:
        self.data = data
        G = len(data.weight)
        self.cls = np.ones(G, dtype=np.int64)
        self.x: Any = _Q(x.numerator, x.denominator)
        self.xf = float(x)
        self.ts: list[Any] = []
        self.ncls = 2
        cap = 64
        self.fv = np.zeros(cap, dtype=np.float64)
        self.fv[1] = self.xf
        self.coef = np.zeros(
            (cap, max(len(data.cand), 1)), dtype=np.uint8 if data.umax <= 255 else np.int64
        )
        # |fv[c] - value(c)| <= err for every class: float(x) is correctly rounded and
        # each payment round adds at most 3 roundings of numbers <= x (see ``pay``).
        self.err = 4 * _EPS * self.xf
        # aggregates of ``_aggregate`` per project, valid while no payment touched the
        # project's supporters: (number of payments when computed, aggregate)
        self.npay = 0
        self.touched = np.zeros(len(data.cand), dtype=np.int64)
        self._agg: dict[int, tuple[int, Agg]] = {}
        self._ones = np.ones(G + 1, dtype=np.int64)  # read-only utilities for approval
        self._ones.flags.writeable = False

    def _grow(self, need: int) -> None:
        cap = len(self.fv)
        if need <= cap:
            return
        while cap < need:
            cap *= 2
        fv = np.zeros(cap, dtype=np.float64)
        fv[: self.ncls] = self.fv[: self.ncls]
        coef = np.zeros((cap, self.coef.shape[1]), dtype=self.coef.dtype)
        coef[: self.ncls] = self.coef[: self.ncls]
        self.fv, self.coef = fv, coef

    def value(self, c: int) -> Any:
        """Exact budget of class ``c``."""
        if c == 0:
            return _Q(0)
        v = self.x
        row = self.coef[c, : len(self.ts)]
        for s in np.flatnonzero(row).tolist():
            v -= self.ts[s] * int(row[s])
        return v

    def _exact_sum(self, cls_a: np.ndarray, ws_a: np.ndarray) -> Any:
        """Exact ``sum ws_a[i] * value(cls_a[i])`` (weights are integers in floats).

        ``cls_a`` is non-decreasing (as from ``_aggregate``, or a subset of it).
        """
        if len(cls_a) and cls_a[0] == 0:  # class ids are increasing: 0 comes first
            keep = cls_a != 0
            c = cls_a[keep]
            w = ws_a[keep]
        else:
            c, w = cls_a, ws_a
        total = self.x * int(w.sum())
        R = len(self.ts)
        if R and len(c):
            # integers below 2**53 throughout, so the float product is exact
            n = (w @ self.coef[c, :R].astype(np.float64)).tolist()
            for t_s, n_s in zip(self.ts, n, strict=True):
                if n_s:
                    total -= t_s * int(n_s)
        return total

    def _exact_sum_of(self, cls_l: list[int], ws_l: list[float]) -> Any:
        """``_exact_sum`` for a few classes given as lists (no class 0)."""
        total = self.x * int(sum(ws_l))
        R = len(self.ts)
        if R and cls_l:
            # integers below 2**53 throughout, so the float product is exact
            n = (np.array(ws_l) @ self.coef[cls_l, :R]).tolist()
            for t_s, n_s in zip(self.ts, n, strict=True):
                if n_s:
                    total -= t_s * int(n_s)
        return total

    def _aggregate(self, p: int) -> Agg:
        """Supporters of ``p`` as (class, utility, weight, index key) rows with weight > 0.

        Cached until a payment changes the class of one of ``p``'s supporters (the
        classes themselves never change value: a payment only creates new classes).
        """
        hit = self._agg.get(p)
        if hit is not None and hit[0] >= self.touched[p]:
            return hit[1]
        agg = self._aggregate_new(p)
        self._agg[p] = (self.npay, agg)
        return agg

    def _aggregate_new(self, p: int) -> Agg:
        d = self.data
        g = d.sg[p]
        cl = self.cls[g]
        if d.approval:
            cw = np.bincount(cl, weights=d.sw_f[p], minlength=self.ncls)
            nz = (cw != 0).nonzero()[0]
            return nz, self._ones[: len(nz)], cw[nz], nz
        u = d.su[p]
        umax = int(u.max()) + 1
        keys = cl * umax + u
        cw = np.bincount(keys, weights=d.sw_f[p])
        nz = np.flatnonzero(cw)
        return nz // umax, nz % umax, cw[nz], nz

    def float_key(self, p: int) -> tuple[float, bool]:
        """Return (key, certain) in floats; key=inf if unaffordable."""
        d = self.data
        if d.approval:
            return self._float_key_approval(p)
        cls, us, ws, _ = self._aggregate(p)
        v = self.fv[cls]
        cost = float(d.cost_f[p])
        uf = us.astype(np.float64)
        money = float(np.dot(ws, v))
        m = len(cls)
        # rounding of the sums here plus the error of the class values themselves
        verr = float(ws.sum()) * self.err
        err = 4 * (m + 2) * _EPS * (money + cost) + verr
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
        rel = (4 * (m + 2) * _EPS * (cost + float(poor[k])) + verr) / rem if rem > 0 else math.inf
        key = tk / cost if d.approval else tk
        return key, rel < TOL / 10

    def _float_key_approval(self, p: int) -> tuple[float, bool]:
        """``float_key`` for approval ballots (every utility is 1): fewer array passes.

        With the supporters' classes sorted by value ``r``, the price with the ``j``
        poorest paying all they have is ``(cost - paid_j) / (W - weight_j)``; the first
        ``j`` where it is at most ``r_j`` gives ``t``.
        """
        d = self.data
        nz, _us, cwn, _k = self._aggregate(p)
        cost = float(d.cost_f[p])
        m = len(nz)
        W = float(d.swu[p])  # number of supporters (exact in a float)
        tk: float | None = None  # the price, if one is found
        poor_k = 0.0
        if m <= _SMALL:
            # a plain loop costs less than the dozen numpy calls below on a few classes
            # (Wieliczka: 14 in the median); the same float operations in the same order,
            # except that classes of equal value may be summed in another order, which
            # the error bound below does not depend on
            vl = self.fv[nz].tolist()
            wl = cwn.tolist()
            money = cw = 0.0
            for i in sorted(range(m), key=vl.__getitem__):
                r = vl[i]
                if tk is None:
                    t = (cost - money) / (W - cw)
                    if t <= r:
                        tk, poor_k = t, money
                w = wl[i]
                money += w * r
                cw += w
        else:
            v = self.fv[nz]
            order = v.argsort()
            r_a = v[order]
            ws = cwn[order]
            paid = np.cumsum(ws * r_a)
            money = float(paid[-1])
            if money >= cost:  # else unaffordable below, whatever the price
                poor = np.empty(m, dtype=np.float64)
                poor[0] = 0.0
                poor[1:] = paid[:-1]
                rich = np.empty(m, dtype=np.float64)
                rich[0] = W
                rich[1:] = W - np.cumsum(ws[:-1])  # integers: exact
                t_a = (cost - poor) / rich
                ok = t_a <= r_a
                k = int(ok.argmax())
                if ok[k]:
                    tk, poor_k = float(t_a[k]), float(poor[k])
        verr = W * self.err
        err = 4 * (m + 2) * _EPS * (money + cost) + verr
        if money < cost - err:
            return math.inf, True
        if money < cost + err or tk is None:
            return math.inf, False
        rem = cost - poor_k
        rel = (4 * (m + 2) * _EPS * (cost + poor_k) + verr) / rem if rem > 0 else math.inf
        return tk / cost, rel < TOL / 10

    def exact_t(self, p: int, hint: float | None = None, affordable: bool = False) -> Any:
        """Exact price ``t`` of project ``p`` (``None`` if unaffordable).

        The price is a GMP rational (``Fraction`` without gmpy2): the run keeps it so,
        and only a recorded round turns it into a ``Fraction``.

        ``hint`` (a float estimate of ``t``) lets us classify the supporters who
        cannot pay in full with floats (with the error bound ``err`` of the class
        values); the classification is then verified exactly near the boundary,
        with a full exact fallback. ``affordable=True`` (the caller has proved that the
        supporters have at least the cost) skips the exact money check.
        """
        d = self.data
        cls_a, us_a, ws_a, _ = self._aggregate(p)
        cost = d.cost_q[p]
        if not affordable and self._exact_sum(cls_a, ws_a) < cost:
            return None
        E = self.err
        if hint is not None and math.isfinite(hint) and hint > 0:
            fv = self.fv[cls_a]
            lo, hi = hint * (1 - 1e-7), hint * (1 + 1e-7)
            if d.approval and len(cls_a) <= _SMALL:
                # a few classes: one plain loop (see ``_float_key_approval``)
                poor_c: list[int] = []
                poor_w: list[float] = []
                rich = 0
                border = []
                poor_top, rich_bottom = -math.inf, math.inf
                for c, v, w in zip(cls_a.tolist(), fv.tolist(), ws_a.tolist(), strict=True):
                    if v + E < lo:
                        if v + E > poor_top:
                            poor_top = v + E
                        if c:  # class 0 has nothing
                            poor_c.append(c)
                            poor_w.append(w)
                    elif v - E > hi:
                        rich += int(w)
                        if v - E < rich_bottom:
                            rich_bottom = v - E
                    else:
                        border.append((self.value(c), 1, int(w)))
                poor = self._exact_sum_of(poor_c, poor_w)
            elif d.approval:  # every utility is 1: same values without the divisions
                r_hi = fv + E
                r_lo = fv - E
                poor_m = r_hi < lo
                rich_m = r_lo > hi
                rich = int(ws_a[rich_m].sum())
                mid = ~(poor_m | rich_m)
                border = (
                    [
                        (self.value(c), 1, int(w))
                        for c, w in zip(cls_a[mid].tolist(), ws_a[mid].tolist(), strict=True)
                    ]
                    if mid.any()
                    else []
                )
                poor = self._exact_sum(cls_a[poor_m], ws_a[poor_m])
                poor_top = float(r_hi[poor_m].max()) if poor_m.any() else -math.inf
                rich_bottom = float(r_lo[rich_m].min()) if rich_m.any() else math.inf
            else:
                uf = us_a.astype(np.float64)
                r_hi = (fv + E) / uf
                r_lo = (fv - E) / uf
                poor_m = r_hi < lo
                rich_m = r_lo > hi
                rich = int(np.dot(ws_a[rich_m], uf[rich_m]))
                mid = ~(poor_m | rich_m)
                border = [
                    (self.value(c), u, int(w))
                    for c, u, w in zip(*(a[mid].tolist() for a in (cls_a, us_a, ws_a)), strict=True)
                ]
                poor = self._exact_sum(cls_a[poor_m], ws_a[poor_m])
                poor_top = float(r_hi[poor_m].max()) if poor_m.any() else -math.inf
                rich_bottom = float(r_lo[rich_m].min()) if rich_m.any() else math.inf
            border.sort(key=lambda e: e[0] / e[1])
            rich_b = rich + sum(u * w for _, u, w in border)
            t: Any = None
            for val, u, w in border:
                tt = (cost - poor) / rich_b
                if tt * u <= val:
                    t = tt
                    break
                poor += val * w
                rich_b -= u * w
            else:
                if rich_b > 0:
                    t = (cost - poor) / rich_b
            if t is not None:
                tf = float(t)
                # every float-classified entry is on the right side with a safe margin;
                # poor ones are below ``lo`` and rich ones above ``hi``, so the scalar test
                # settles it when the hint was close (the usual case)
                ok_poor = lo <= tf * (1 - 1e-12) or poor_top < tf * (1 - 1e-12)
                ok_rich = hi >= tf * (1 + 1e-12) or rich_bottom > tf * (1 + 1e-12)
                if ok_poor and ok_rich:
                    return t
        # full exact computation
        entries = sorted(
            (
                (self.value(c), u, int(w))
                for c, u, w in zip(cls_a.tolist(), us_a.tolist(), ws_a.tolist(), strict=True)
            ),
            key=lambda e: e[0] / e[1],
        )
        poor = _Q(0)
        rich = sum(u * w for _, u, w in entries)
        for val, u, w in entries:
            t = (cost - poor) / rich
            if t * u <= val:
                return t
            poor += val * w
            rich -= u * w
        raise CountingError("internal error: no price found for an affordable project")

    def exact_money(self, p: int) -> Fraction:
        cls_a, _us, ws_a, _ = self._aggregate(p)
        return _frac(self._exact_sum(cls_a, ws_a))

    def pay(self, p: int, tq: Any, record: bool) -> list[Payment]:
        """Every supporter pays ``min(budget, t * u)``; returns the payments if ``record``.

        Float error of the new class values: ``fv - fl(fl(t) * u)`` is within
        ``err`` (old value) ``+ 3 * 2**-53 * x`` of the exact new value, because
        ``t * u`` and the new value are at most ``x``; ``err`` grows by ``4 * _EPS * x``.
        """
        d = self.data
        g = d.sg[p]
        cl = self.cls[g]
        tf = float(tq)
        c_arr, u_arr, wsn, nz = self._aggregate(p)
        if d.approval:
            keys = cl
            kmax = self.ncls
        else:
            umax = int(d.su[p].max()) + 1
            keys = cl * umax + d.su[p]
            kmax = self.ncls * umax
        fvv = self.fv[c_arr]
        due: Any = tf if d.approval else tf * u_arr  # approval: every utility is 1
        E = self.err
        poor: Any
        if d.approval and len(c_arr) <= _SMALL:
            # a few classes: one plain loop (see ``_float_key_approval``)
            lo, hi = tf * (1 - 1e-12), tf * (1 + 1e-12)
            poor = [
                c == 0 or v + E < lo or (v - E <= hi and tq >= self.value(c))
                for c, v in zip(c_arr.tolist(), fvv.tolist(), strict=True)
            ]
            ri = np.array([j for j, pj in enumerate(poor) if not pj], dtype=np.intp)
        else:
            poor = (fvv + E < due * (1 - 1e-12)) | (c_arr == 0)
            rich = (fvv - E > due * (1 + 1e-12)) & ~poor
            for j in np.flatnonzero(~(poor | rich)).tolist():
                if tq * int(u_arr[j]) >= self.value(int(c_arr[j])):
                    poor[j] = True
                else:
                    rich[j] = True
            ri = np.flatnonzero(rich)
        nr = len(ri)
        self._grow(self.ncls + nr)
        new = slice(self.ncls, self.ncls + nr)  # the new classes' ids
        newmap = np.zeros(kmax, dtype=np.int64)
        newmap[nz[ri]] = np.arange(self.ncls, self.ncls + nr, dtype=np.int64)
        R = len(self.ts)
        self.fv[new] = fvv[ri] - (due if d.approval else due[ri])
        self.coef[new] = self.coef[c_arr[ri]]
        self.coef[new, R] = 1 if d.approval else u_arr[ri]
        payments: list[Payment] = []
        if record:
            for j, wsum in enumerate(wsn.tolist()):
                c = int(c_arr[j])
                if c == 0:
                    continue
                if poor[j]:
                    payments.append(Payment(_frac(self.value(c)), int(wsum), True))
                else:
                    payments.append(Payment(_frac(tq * int(u_arr[j])), int(wsum), False))
        self.ncls += nr
        self.ts.append(tq)
        self.err += 4 * _EPS * self.xf
        self.cls[g] = newmap[keys]
        self.npay += 1
        self.touched[d.cosupport[p]] = self.npay
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
    total: Amount = 0  # int while the costs are: cheaper than adding Fractions
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
    if data.approval and not record and m:
        # Round 1 in closed form: every supporter holds ``x``, so ``p`` costs each of
        # its ``W`` supporters ``cost / W`` if ``x * W >= cost`` (key ``1 / W``, exact up
        # to one rounding) and is unaffordable otherwise. Recorded runs keep the general
        # evaluation so that the reported float effective vote counts stay identical.
        W = np.array(data.swu, dtype=np.float64)
        mf = st.xf * W
        hi = mf > data.cost_f * (1 + 1e-12)
        lo = mf < data.cost_f * (1 - 1e-12)
        for p in np.flatnonzero(alive & ~hi).tolist():
            if lo[p] or per_voter * data.swu[p] < data.cost[p]:
                alive[p] = False
            else:
                hi[p] = True
        ok = alive & hi
        with np.errstate(divide="ignore"):
            lb[ok] = 1.0 / W[ok]
        dirty[ok] = False
    rnd = 0
    while True:
        rnd += 1
        idx = np.flatnonzero(alive)
        if len(idx) == 0:
            break
        order = idx[np.argsort(lb[idx], kind="stable")]
        best = math.inf
        seen: list[tuple[int, float]] = []  # alive projects visited, with their key now
        for p, lbp in zip(order.tolist(), lb[order].tolist(), strict=True):
            if not record and lbp > best * (1 + TOL):
                break  # and so is every later one: none of them is near the best
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
                    key = float(ex / data.cost_q[p]) if data.approval else float(ex)
                    sure = True
                lb[p] = key
                certain[p] = sure
                lbp = key
            seen.append((p, lbp))
            if lbp < best:
                best = lbp
        if not seen:  # every project left was dropped
            break
        near = sorted(p for p, k in seen if k <= best * (1 + TOL))
        if len(near) == 1 and certain[near[0]]:
            sel = near[0]
            hint = lb[sel] * float(data.cost_f[sel]) if data.approval else lb[sel]
            # a finite float key is only returned when the float money exceeds the cost
            # by more than its error bound, so the project is affordable
            t = st.exact_t(sel, hint, affordable=True)
            if t is None:
                raise CountingError("internal error: selected project is unaffordable")
        else:
            exact: dict[int, Any] = {}
            for p in near:
                hint = lb[p] * float(data.cost_f[p]) if data.approval else lb[p]
                tp = st.exact_t(p, hint)
                if tp is None:
                    alive[p] = False
                    if record:
                        dropped[p] = (rnd, st.exact_money(p))
                    continue
                exact[p] = tp / data.cost_q[p] if data.approval else tp
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
            t = kmin * data.cost_q[sel] if data.approval else kmin
        payments = st.pay(sel, t, record)
        alive[sel] = False
        selected.append(sel)
        total += data.cost[sel]
        dirty |= data.cosupport[sel]
        if record:
            cost = Fraction(data.cost[sel])
            others = {
                p: (1.0 / lb[p] if data.approval else float(data.cost_f[p]) / lb[p])
                for p in np.flatnonzero(alive).tolist()
                if lb[p] > 0
            }
            tf = _frac(t)
            rounds.append(RoundInfo(rnd, sel, tf, cost / tf, payments, others))
    return MesRun(
        Fraction(per_voter), selected, rounds, dropped, Fraction(total), st if record else None
    )
