"""Who may see the public area pages.

Areas, their councils, resident groups and the officials' public contact routes are public
information: the municipality publishes who works where so that residents know whom to ask. Keeping
the decision here (and not as "no check" in the views) makes it one place to change and lets the
permission matrix test it. Rules about managing areas live in `wijkwerk.accounts.rules`.
"""

from __future__ import annotations

import rules

rules.add_perm("areas.view_municipality", rules.always_allow)
rules.add_perm("areas.view_area", rules.always_allow)
