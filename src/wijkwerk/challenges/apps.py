from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "wijkwerk.challenges"
    label = "challenges"
    verbose_name = _("Right to challenge")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register
        from wijkwerk.funds import cases

        from . import audit_actions, notifications, panels

        # the ledger books a challenge's money as a case of its own (funds.cases)
        cases.register(
            cases.CaseType(
                key="challenge",
                model="challenges.Challenge",
                verbose_name=_("right to challenge"),
                url_name="challenges:detail",
                permission="challenges.book_money",
            )
        )

        audit_actions.register()
        notifications.register()
        panels.register()
        register(Panel("nav", "challenges", "challenges/_nav.html", order=40))
