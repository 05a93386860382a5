"""Every write in a budget round, by subject: `rounds` (set-up, publishing), `plans` (plans,
likes, moderation, feasibility), `voting` (ballots, the close) and `results` (the count, the
files, funded plans as initiatives). Each write is one transaction with its audit event."""
