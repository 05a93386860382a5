"""Why a step in a budget round was refused: `BudgetRefused` with a stable code.

The message is for people (translated); the code is for tests and clients and never changes
meaning.

Setting up a round:
    phase_order             phases overlap, or are not in the order ideas → … → execution
    budget_mismatch         the areas' budgets do not add up to the round's budget
    no_areas                a round without an area
    foreign_area            an area or fund of another municipality
    not_editable            changing a round whose voting began or ended
    not_publishable         publishing a round that misses phases, areas or ballot rules
Plans and likes:
    wrong_phase             the round's running phase does not allow this (propose, like, vote,
                            review), or moderating and checking plans once voting has begun
    not_in_round            an area, category or plan that is not part of the round (merging
                            plans of different rounds or areas)
    not_visible             liking, merging, hiding or checking a hidden or merged plan
    not_hidden              showing again a plan that is not hidden
    own_plan                liking one's own plan
    official_like           an official (anyone with a role) liking a plan
    same_plan               merging a plan into itself
    reason_required         hiding a plan or an infeasible verdict without a public reason
    cost_required           a plan without an estimated cost above zero (or an absurd one), or
                            a feasible verdict without the municipality's cost estimate
    incomplete              a plan without a title or summary, with one coordinate of its spot
    bad_picture             a picture that is no image (PNG, JPEG, WebP), too large or damaged
    foreign_initiative      entering an initiative that is not the author's own, was decided
                            on, or lies outside the plan's area
    unknown_verdict         a verdict other than feasible or not feasible
Voting:
    not_eligible            the voter does not live in the round's areas, or is too young or
                            too old, or may not vote in this capacity (each message says which)
    already_voted           a second ballot where the round does not allow a change
    empty_ballot            fewer plans than the round's minimum
    too_many                more plans than the round's maximum
    over_budget             a knapsack ballot whose plans cost more than the area's budget
    points                  points below zero, or more points than the voter has
    unknown_plan            a plan id that is not on this area's ballot
    voting_closed           the voting has ended (or was never opened)
The register extract (services/register.py):
    bad_register            a register file with problems (columns, postcodes, area codes,
                            references twice, birth dates, ages, KvK numbers, BSNs; every one
                            listed with its line), empty, too large or not UTF-8 CSV
    register_in_use         replacing the extract after a voting code of the round was used
Voting codes (services/codes.py):
    code_typo               a typed code whose length, characters or check character is wrong
    code_unknown            a well-formed code that does not exist (same message as code_typo:
                            typing never tells whether a code exists)
    code_other_round        a code of another round (same message as code_unknown)
    code_used               a code that was used already, online or on paper (only said of a
                            code that was found)
    code_handed_out         a desk code for a register entry that has an unused code already
                            and the official did not void it (a lost letter)
    codes_off               making letters or handing out codes in a round without voting codes
    code_used               a voting code used online typed in for paper, or the other way
                            round (the message says which)
Paper ballots (double entry):
    paper_closed            taking in a code when the voting is not open, or entering a paper
                            ballot in a round not yet voting or counted already
    paper_number            a paper ballot's number below 1 (or unknown, for a resolution)
    same_official           an official entering the same paper ballot a second time
    third_entry             one of its two officials resolving a disputed paper ballot
    paper_disputed          entering a disputed paper ballot (a third official resolves it)
    paper_entered           entering a paper ballot that both entries already settled
    too_many_papers         more paper ballots for an area than codes were taken in for paper
Counting:
    not_closed              counting a round whose voting has not been closed
    paper_pending           counting while a paper ballot waits for its second entry or a
                            third official
DigiD and eHerkenning (oidc.py, services/digid.py; `not_eligible` as above for someone the
login shows may not vote: not in the register extract, too young, an address outside the
round, a round without DigiD):
    digid_level             a login below the lowest accepted assurance level (acr)
    digid_claims            a login without the claims a vote needs (the BSN, the KvK number,
                            the postcode and house number where there is no register), or
                            with a date of birth or postcode that cannot be read
Importing (manage.py import_pabulib):
    import                  a pabulib file that cannot become a round: ballots we do not have
                            (ordinal, scoring), a rule we do not count with, another currency,
                            amounts below a cent, or a file imported into the area before
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class BudgetRefused(Refused):
    """A step the round's set-up or phase does not allow; the message is for the user."""
