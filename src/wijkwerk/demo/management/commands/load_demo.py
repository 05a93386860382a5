"""manage.py load_demo: the Oosterhout and Oss demo data set (see docs/demo.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from wijkwerk.areas.importing import AreaImportError
from wijkwerk.areas.models import Municipality
from wijkwerk.demo.areas import load_demo
from wijkwerk.demo.budgeting import load_demo_budgeting
from wijkwerk.demo.challenges import load_demo_challenges
from wijkwerk.demo.comments import load_demo_comments
from wijkwerk.demo.councils import load_demo_councils
from wijkwerk.demo.events import load_demo_events
from wijkwerk.demo.expertise import load_demo_expertise
from wijkwerk.demo.follows import load_demo_follows
from wijkwerk.demo.funds import load_demo_funds
from wijkwerk.demo.groups import load_demo_groups
from wijkwerk.demo.initiatives import DemoDataError, load_demo_initiatives
from wijkwerk.demo.learning import load_demo_learning
from wijkwerk.demo.news import load_demo_news
from wijkwerk.demo.reach import load_demo_reach
from wijkwerk.demo.reports import load_demo_reports
from wijkwerk.demo.statements import load_demo_statements
from wijkwerk.demo.surveys import load_demo_surveys


class Command(BaseCommand):
    help = (
        "Load the demo data: Oosterhout and Oss with their areas, officials for every role, "
        "councils, resident groups and residents. Demo accounts share one published password and "
        "officials one published two-factor secret: never load this in production. Loading "
        "again adds what is missing and changes nothing else."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when any municipality exists (used by ./dev run on every start)",
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "The demo data has a published password and two-factor secret; it is not loaded "
                "when WIJKWERK_ENV=production."
            )
        if options["if_empty"] and Municipality.objects.exists():
            self.stdout.write("Municipalities exist already; the demo data was not loaded.")
            return
        try:
            summary = load_demo()
        except AreaImportError as error:
            raise CommandError("The demo area files have problems:\n" + str(error)) from None
        funds = load_demo_funds()
        statements = load_demo_statements()
        try:
            initiatives = load_demo_initiatives()
        except DemoDataError as error:
            raise CommandError(f"The demo initiatives file has a problem: {error}") from None
        budgeting = load_demo_budgeting()
        events = load_demo_events()
        councils = load_demo_councils()
        surveys = load_demo_surveys()
        expertise = load_demo_expertise()
        news = load_demo_news()
        comments = load_demo_comments()
        follows = load_demo_follows()
        challenges = load_demo_challenges()
        learning = load_demo_learning()
        groups = load_demo_groups()
        reach = load_demo_reach()
        # last: the quarterly report reads everything above (learning and reach demo too)
        reports = load_demo_reports()
        created = sum(len(s.created) for s in summary.areas)
        updated = sum(len(s.updated) for s in summary.areas)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {created} areas created, {updated} updated; "
                f"{summary.users_created} people, {summary.roles_created} roles, "
                f"{summary.councils_created} councils, {summary.groups_created} groups and "
                f"{summary.memberships_created} memberships, {funds.schemes} schemes, "
                f"{funds.funds} funds and {statements} statements (privacy, accessibility, "
                f"contact), {initiatives.initiatives} initiatives and {initiatives.photos} photos, "
                f"{budgeting.rounds} budget rounds with {budgeting.plans} plans and "
                f"{budgeting.ballots} ballots, {councils.meetings} council meetings with "
                f"{councils.decisions} decisions added. Logins: docs/demo.md."
            )
        )
        self.stdout.write(
            f"{surveys.surveys} polls and surveys with {surveys.responses} responses added."
        )
        self.stdout.write(f"{events.events} events with {events.rsvps} sign-ups added.")
        self.stdout.write(
            f"{expertise.offers} offers, {expertise.invitations} invitations, "
            f"{expertise.questions} questions from the municipality with {expertise.answers} "
            f"answers added."
        )
        self.stdout.write(
            f"{news.posts} news posts ({news.published} published) and {comments.comments} "
            f"comments ({comments.reported} reported, {comments.hidden} hidden) added."
        )
        self.stdout.write(
            f"{follows.follows} follows added, {follows.waiting} updates waiting for the weekly "
            f"digest (manage.py send_digests)."
        )
        self.stdout.write(
            f"{challenges.challenges} challenges (right to challenge) with {challenges.reports} "
            f"progress reports added."
        )
        self.stdout.write(
            f"{learning.pilots} pilots with {learning.lessons} lessons ({learning.waiting} "
            f"waiting for moderation) added."
        )
        self.stdout.write(
            f"{reports.published} quarterly report published and {reports.drafts} draft added."
        )
        self.stdout.write(
            f"{groups.groups} resident groups founded by residents, with {groups.members} "
            f"members, {groups.requests} waiting request and {groups.invitations} invitation "
            f"added."
        )
        self.stdout.write(
            f"{reach.figures} population figures (demo figures, not the CBS's) of "
            f"{' and '.join(str(year) for year in reach.years)} added."
        )
        if budgeting.imported:
            self.stdout.write(budgeting.imported)
        for note in budgeting.notes:
            self.stdout.write(note)
