"""The budget rounds' pages, by subject: rounds (lists, the round page, setting up),
plans (plans, likes, moderation, feasibility), voting (the ballot, the receipt) and results."""
