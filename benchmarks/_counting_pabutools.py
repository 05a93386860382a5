"""Run pabutools' MES + Add1 on a .pb file (helper of benchmarks/counting.py).

Usage: python benchmarks/_counting_pabutools.py FILE.pb
Add1 = exhaustion_by_budget_increase with a step of n (1 per voter) and no
exhaustive stop, cost satisfaction; prints the selected ids and the total cost.

pabutools at its best: the profile is turned into a multiprofile
(``as_multiprofile()``), so voters with identical ballots are one ballot with a
multiplicity, as wijkwerk groups them; its default exact gmpy2 fractions stay on
(float fractions would not be an exact count).
"""

from __future__ import annotations

import sys

from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares


def main() -> None:
    instance, profile = parse_pabulib(sys.argv[1])
    threshold = instance.meta.get("min_project_score_threshold")
    if threshold:  # the benchmarked files are approval files: the score is the number of votes
        keep = [p for p in instance if profile.approval_score(p) >= int(threshold)]
        for p in list(instance):
            if p not in keep:
                instance.remove(p)
        for ballot in profile:
            for p in list(ballot):
                if p not in keep:
                    ballot.remove(p)
    n = profile.num_ballots()
    # grouped after the threshold, so that ballots equal on the projects left are one
    multi = profile.as_multiprofile()
    out = exhaustion_by_budget_increase(
        instance,
        multi,
        method_of_equal_shares,
        {"sat_class": Cost_Sat},
        budget_step=n,
        exhaustive_stop=False,
    )
    print(len(out), sum(p.cost for p in out), len(multi), sorted(p.name for p in out))


if __name__ == "__main__":
    main()
