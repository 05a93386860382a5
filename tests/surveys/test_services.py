"""Survey services: who builds, publishing rules, answering once, every answer checked before
anything is saved, the count and the audit trail (never the answers)."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.areas.models import CouncilPosition
from wijkwerk.core.models import AuditEvent
from wijkwerk.surveys import services
from wijkwerk.surveys.models import (
    Access,
    Answer,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
    Tally,
)
from wijkwerk.surveys.refusals import AnswersRefused, SurveyRefused
from wijkwerk.surveys.services import Contact, QuestionValues, SurveySettings

from ..accounts.factories import UserFactory
from ..areas.factories import CouncilMembershipFactory
from .factories import every_kind, good_answers, ids, publish

pytestmark = pytest.mark.django_db


def respond(survey: Survey, raw: dict, **kwargs):
    kwargs.setdefault("session_key", uuid.uuid4().hex)
    kwargs.setdefault("actor", None)
    return services.respond(survey=survey, raw=raw, **kwargs)


def test_the_broker_builds_publishes_and_closes_with_an_audit_trail(cast) -> None:
    survey = publish(cast, every_kind(cast))
    assert survey.status == SurveyStatus.PUBLISHED and survey.questions.count() == 6
    services.close(actor=cast.broker, survey=survey)
    actions = list(
        AuditEvent.objects.filter(object_type="surveys.survey", object_id=str(survey.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["survey.create"] + ["survey.questions"] * 6 + [
        "survey.publish",
        "survey.close",
    ]


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("broker", True),
        ("coordinator", True),
        ("admin", True),
        ("other_broker", False),
        ("neighbour", False),
        ("council_member", False),
        ("oss_admin", False),
    ],
)
def test_who_may_make_a_survey_of_the_area(cast, who, allowed) -> None:
    make = lambda: services.create_survey(  # noqa: E731
        actor=getattr(cast, who), area=cast.district, values=SurveySettings(title="Peiling")
    )
    if allowed:
        assert make().area == cast.district
    else:
        with pytest.raises(PermissionDenied):
            make()
        assert Survey.objects.count() == 0


def test_a_council_chair_makes_a_council_survey_a_plain_member_may_not(cast) -> None:
    chair = UserFactory(home_area=cast.district)
    CouncilMembershipFactory(council=cast.council, user=chair, position=CouncilPosition.CHAIR)
    survey = services.create_poll(
        actor=chair,
        council=cast.council,
        values=SurveySettings(title="Kermis"),
        question="Kermis in juni of september?",
        options=["Juni", "September"],
    )
    assert survey.area == cast.district and survey.kind == "poll"
    assert [q.kind for q in survey.questions.all()] == [QuestionKind.SINGLE]
    with pytest.raises(PermissionDenied):
        services.create_survey(
            actor=cast.council_member, council=cast.council, values=SurveySettings(title="X")
        )


def test_publishing_without_questions_or_options_is_refused(cast) -> None:
    survey = services.create_survey(
        actor=cast.broker, area=cast.district, values=SurveySettings(title="Leeg")
    )
    with pytest.raises(SurveyRefused) as refused:
        services.publish(actor=cast.broker, survey=survey)
    assert refused.value.code == "no_questions"
    services.add_question(
        actor=cast.broker,
        survey=survey,
        values=QuestionValues(kind=QuestionKind.SINGLE, text="Ja of nee?"),
    )
    with pytest.raises(SurveyRefused) as refused:
        services.publish(actor=cast.broker, survey=survey)
    assert refused.value.code == "no_options"
    assert refused.value.messages == ["De vraag “Ja of nee?” heeft minstens twee keuzes nodig."]
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


@pytest.mark.parametrize(
    "values, message",
    [
        (QuestionValues(kind=QuestionKind.SINGLE, text=" "), "Schrijf de vraag."),
        (
            QuestionValues(kind=QuestionKind.SCALE, text="Schaal", min_value=1, max_value=20),
            "Een schaal loopt van 0 of meer naar een hoger getal, hoogstens 11 punten "
            "(1 tot en met 5).",
        ),
        (
            QuestionValues(kind=QuestionKind.NUMBER, text="Getal", min_value=5, max_value=1),
            "Het maximum mag niet onder het minimum liggen.",
        ),
        (
            QuestionValues(kind=QuestionKind.TEXT, text="Tekst", max_length=5001),
            "Een open antwoord is hoogstens 5.000 tekens lang.",
        ),
        (
            QuestionValues(kind=QuestionKind.SINGLE, text="Twee", options=["Ja", "ja"]),
            "Elke keuze mag maar één keer voorkomen.",
        ),
        (
            QuestionValues(
                kind=QuestionKind.MULTIPLE, text="Veel", options=["A", "B"], max_value=3
            ),
            "Het kleinste en grootste aantal keuzes kan niet meer zijn dan er keuzes zijn.",
        ),
    ],
)
def test_bad_questions_are_refused_and_not_saved(cast, values, message) -> None:
    survey = services.create_survey(
        actor=cast.broker, area=cast.district, values=SurveySettings(title="Vragen")
    )
    with pytest.raises(SurveyRefused) as refused:
        services.add_question(actor=cast.broker, survey=survey, values=values)
    assert refused.value.code == "bad_question"
    assert refused.value.messages == [message]
    assert survey.questions.count() == 0


def test_questions_move_and_a_published_survey_cannot_change(cast) -> None:
    survey = every_kind(cast)
    questions = list(survey.questions.all())
    services.move_question(actor=cast.broker, question=questions[1], up=True)
    assert [q.pk for q in survey.questions.all()][:2] == [questions[1].pk, questions[0].pk]
    publish(cast, survey)
    with pytest.raises(SurveyRefused) as refused:
        services.delete_question(actor=cast.broker, question=questions[0])
    assert refused.value.code == "not_editable"


def test_a_good_response_is_saved_counted_and_audited_without_its_answers(cast) -> None:
    survey = publish(cast, every_kind(cast))
    response = respond(survey, good_answers(survey))
    survey.refresh_from_db()
    assert survey.response_count == 1
    # one choice 1 row, several 2, scale 1, ranking 3, number 1, text 1
    assert Answer.objects.filter(response=response).count() == 9
    event = AuditEvent.objects.filter(action="survey.response").get()
    assert event.actor_id is None and event.after == {"responses": 1}


def test_errors_for_every_question_and_nothing_saved(cast) -> None:
    survey = publish(cast, every_kind(cast))
    q = ids(survey)
    ranking, items = q["ranking"]
    raw = {
        f"q{q['single'][0].pk}": ["999"],
        f"q{q['multiple'][0].pk}": [str(o.pk) for o in q["multiple"][1][:3]],
        f"q{q['scale'][0].pk}": ["6"],
        f"q{q['number'][0].pk}": ["veertig"],
        f"q{q['text'][0].pk}": ["x" * 201],
        f"q{ranking.pk}_{items[0].pk}": ["1"],
        f"q{ranking.pk}_{items[1].pk}": ["1"],
        f"q{ranking.pk}_{items[2].pk}": ["2"],
    }
    with pytest.raises(AnswersRefused) as refused:
        respond(survey, raw)
    assert refused.value.errors == {
        q["single"][0].pk: "Kies een van de keuzes die er staan.",
        q["multiple"][0].pk: "Kies hoogstens 2 keuzes.",
        q["scale"][0].pk: "Geef een getal van 1 tot en met 5.",
        ranking.pk: "Geef elke plaats één keer: twee onderdelen hebben dezelfde plaats.",
        q["number"][0].pk: "Geef een heel getal, zoals 12.",
        q["text"][0].pk: "Je antwoord is 201 tekens lang; hoogstens 200 mag.",
    }
    with pytest.raises(AnswersRefused) as refused:
        respond(survey, {})
    assert len(refused.value.errors) == 5  # every required question; the open one is optional
    assert set(refused.value.errors.values()) == {"Beantwoord deze vraag."}
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    survey.refresh_from_db()
    assert survey.response_count == 0


def test_one_response_per_person_per_browser_and_not_when_closed(cast) -> None:
    survey = publish(cast, every_kind(cast, access=Access.ACCOUNT))
    respond(survey, good_answers(survey), actor=cast.neighbour)
    with pytest.raises(SurveyRefused) as refused:
        respond(survey, good_answers(survey), actor=cast.neighbour)
    assert refused.value.code == "duplicate"
    with pytest.raises(SurveyRefused) as refused:
        respond(survey, good_answers(survey))  # anonymous
    assert refused.value.code == "login"

    open_survey = publish(cast, every_kind(cast))
    respond(open_survey, good_answers(open_survey), session_key="abc")
    with pytest.raises(SurveyRefused) as refused:
        respond(open_survey, good_answers(open_survey), session_key="abc")
    assert refused.value.code == "duplicate"
    services.close(actor=cast.broker, survey=open_survey)
    open_survey.refresh_from_db()
    with pytest.raises(SurveyRefused) as refused:
        respond(open_survey, good_answers(open_survey))
    assert refused.value.code == "not_open"
    assert Response.objects.count() == 2


def test_a_survey_opens_and_closes_by_its_times(cast) -> None:
    now = timezone.now()
    later = every_kind(cast, opens_at=now + datetime.timedelta(days=1))
    publish(cast, later)
    later.refresh_from_db()
    assert not later.is_open() and later.not_yet_open()
    assert later.is_open(now + datetime.timedelta(days=2))
    ending = publish(cast, every_kind(cast, closes_at=now + datetime.timedelta(hours=1)))
    assert ending.is_open() and ending.has_ended(now + datetime.timedelta(hours=2))


def test_contact_details_only_with_consent(cast) -> None:
    survey = publish(cast, every_kind(cast, ask_contact=True))
    response = respond(
        survey, good_answers(survey), contact=Contact(False, "Niels Buur", "niels@example.nl")
    )
    assert (response.contact_name, response.contact_email) == ("", "")
    with pytest.raises(SurveyRefused) as refused:
        respond(survey, good_answers(survey), contact=Contact(True, "Niels", "geen-adres"))
    assert refused.value.code == "contact"
    response = respond(
        survey, good_answers(survey), contact=Contact(True, "Niels Buur", "niels@example.nl")
    )
    assert response.contact_consent and response.contact_email == "niels@example.nl"


# --- Properties -----------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def valid_answers(draw, survey_ids):
    """Any valid answer set: every required question answered within its rules, the optional
    one answered or not."""
    q = survey_ids
    single, single_options = q["single"]
    multiple, multiple_options = q["multiple"]
    ranking, ranking_options = q["ranking"]
    raw = {
        f"q{single.pk}": [str(draw(st.sampled_from(single_options)).pk)],
        f"q{multiple.pk}": [
            str(o.pk)
            for o in draw(
                st.lists(st.sampled_from(multiple_options), min_size=1, max_size=2, unique=True)
            )
        ],
        f"q{q['scale'][0].pk}": [str(draw(st.integers(1, 5)))],
        f"q{q['number'][0].pk}": [str(draw(st.integers(0, 120)))],
    }
    places = draw(st.permutations(range(1, len(ranking_options) + 1)))
    for option, place in zip(ranking_options, places, strict=True):
        raw[f"q{ranking.pk}_{option.pk}"] = [str(place)]
    text = draw(st.one_of(st.none(), st.text(min_size=1, max_size=200)))
    if text is not None and text.strip():
        raw[f"q{q['text'][0].pk}"] = [text]
    return raw


@pytest.mark.django_db(transaction=False)
def test_any_valid_answer_set_is_accepted_and_counted_exactly_once(cast) -> None:
    survey = publish(cast, every_kind(cast))
    survey_ids = ids(survey)

    @PROPERTY_SETTINGS
    @given(raw=valid_answers(survey_ids))
    def check(raw) -> None:
        before = Response.objects.filter(survey=survey).count()
        response = respond(survey, raw)
        assert Response.objects.filter(survey=survey).count() == before + 1
        survey.refresh_from_db()
        assert survey.response_count == before + 1
        saved = Answer.objects.filter(response=response)
        ranking, items = survey_ids["ranking"]
        assert sorted(saved.filter(question=ranking).values_list("option_id", "number")) == sorted(
            (o.pk, int(raw[f"q{ranking.pk}_{o.pk}"][0])) for o in items
        )
        multiple = survey_ids["multiple"][0]
        assert sorted(saved.filter(question=multiple).values_list("option_id", flat=True)) == (
            sorted(int(v) for v in raw[f"q{multiple.pk}"])
        )

    check()
    # the running counts every response kept are what counting all the answers again gives
    kept = sorted(Tally.objects.values_list("question_id", "key", "count", "total"))
    assert kept and all(count >= 0 for _q, _k, count, _t in kept)
    services.recount(survey)
    assert sorted(Tally.objects.values_list("question_id", "key", "count", "total")) == kept
    answered = dict(Tally.objects.filter(key="answered").values_list("question__kind", "count"))
    assert answered["single"] == Response.objects.filter(survey=survey).count()


@st.composite
def one_wrong(draw, survey_ids):
    """A valid answer set with one answer made wrong: out of range, of the wrong type, too
    many choices, a duplicate place, a text too long."""
    raw = draw(valid_answers(survey_ids))
    q = survey_ids
    ranking, items = q["ranking"]
    kind = draw(st.sampled_from(["single", "multiple", "scale", "number", "ranking", "text"]))
    if kind == "single":
        raw[f"q{q['single'][0].pk}"] = [draw(st.sampled_from(["0", "-1", "x", "1.5", "99999"]))]
    elif kind == "multiple":
        raw[f"q{q['multiple'][0].pk}"] = [str(o.pk) for o in q["multiple"][1][:3]]
    elif kind == "scale":
        raw[f"q{q['scale'][0].pk}"] = [
            str(draw(st.one_of(st.integers(max_value=0), st.integers(min_value=6))))
        ]
    elif kind == "number":
        raw[f"q{q['number'][0].pk}"] = [
            draw(
                st.one_of(
                    st.integers(max_value=-1).map(str),
                    st.integers(min_value=121).map(str),
                    st.sampled_from(["12,5", "twaalf", "1e3", "١٢"]),
                )
            )
        ]
    elif kind == "ranking":
        raw[f"q{ranking.pk}_{items[0].pk}"] = raw[f"q{ranking.pk}_{items[1].pk}"]
    else:
        raw[f"q{q['text'][0].pk}"] = ["a" * draw(st.integers(201, 400))]
    return kind, raw


def test_any_wrong_answer_is_refused_with_nothing_saved(cast) -> None:
    survey = publish(cast, every_kind(cast))
    survey_ids = ids(survey)

    @PROPERTY_SETTINGS
    @given(case=one_wrong(survey_ids))
    def check(case) -> None:
        kind, raw = case
        with pytest.raises(AnswersRefused) as refused:
            respond(survey, raw)
        assert list(refused.value.errors) == [survey_ids[kind][0].pk]
        assert Response.objects.count() == 0 and Answer.objects.count() == 0
        survey.refresh_from_db()
        assert survey.response_count == 0

    check()


def test_a_voting_code_answers_once_and_only_its_keyed_hash_is_kept(cast) -> None:
    from wijkwerk.budgeting.services import codes

    from ..budgeting.factories import register_entry
    from ..budgeting.test_codes import code_round

    process = code_round(cast)
    register_entry(process)
    register_entry(process)
    plain: list[str] = []
    codes.issue_codes(
        actor=cast.admin,
        process=process,
        letters=lambda issued: plain.extend(i.plain for i in issued),
    )
    survey = publish(cast, every_kind(cast, access=Access.CODE, process=process))
    first = respond(survey, good_answers(survey), code=plain[0].lower().replace("-", " "))
    assert first.user_id is None and first.session_key == ""
    assert len(first.voter_key) == 64
    stored = [codes.normalise(plain[0]), codes.code_hash(plain[0])]
    assert first.voter_key not in stored
    with pytest.raises(SurveyRefused) as refused:
        respond(survey, good_answers(survey), code=plain[0])
    assert refused.value.code == "duplicate"
    with pytest.raises(SurveyRefused) as refused:
        respond(survey, good_answers(survey), code="7KQM-4TZX-HR9C-2WNF")
    assert refused.value.code == "code"
    respond(survey, good_answers(survey), code=plain[1])
    assert Response.objects.filter(survey=survey).count() == 2
    # nothing in the audit trail names the code or the person
    assert not AuditEvent.objects.filter(after__icontains=codes.normalise(plain[0])).exists()


def test_publishing_mails_the_followers_of_the_area_not_the_maker(
    cast, smtp_server, django_capture_on_commit_callbacks
) -> None:
    from wijkwerk.follows import services as follows
    from wijkwerk.follows.models import Frequency

    follows.follow(cast.neighbour, cast.district, frequency=Frequency.IMMEDIATE)
    follows.follow(cast.broker, cast.district, frequency=Frequency.IMMEDIATE)
    survey = every_kind(cast)
    assert smtp_server.messages == []  # a draft tells no one
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast, survey)
    deadline = time.monotonic() + 10  # the SMTP server takes the mail in its own thread
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [cast.neighbour.email]
    mail = smtp_server.messages[0]
    assert mail["Subject"].endswith("Praat mee: Leven in Dorst")
    body = smtp_server.body(mail)
    assert "Dorst vraagt je mening:" in body
    assert f"/peilingen/{survey.pk}/" in body


def test_the_audit_trail_reads_in_dutch_without_answers(cast) -> None:
    from ..core.test_auditlog import assert_readable, line, read

    survey = publish(cast, every_kind(cast))
    respond(survey, good_answers(survey))
    services.close(actor=cast.broker, survey=survey)
    views = read()
    assert_readable(views)
    assert line(views, "survey.questions", "Stap") == "Stap: vraag toegevoegd"
    assert line(views, "survey.response", "Antwoorden") == "Antwoorden: 1"
    assert not any("Meer bankjes" in text for view in views for text in view.lines)
