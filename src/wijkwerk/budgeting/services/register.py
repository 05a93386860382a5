"""The register extract: who may vote with a voting code, from the municipality's CSV file.

`register_upload` reads the whole file first and lists every problem with its line number;
nothing is saved while there is one (one transaction). The columns and their values are in
docs/budgeting.md ("The register extract"). No BSN is stored: a `bsn` column is kept only as its
keyed hash (`bsn_hash`), with which a DigiD login finds the row.

The extract is kept until the round's close plus `BudgetProcess.register_retention_days`
(`voting_close` sets `RegisterExtract.delete_after` through `set_delete_after`); then
`purge_due_extracts` (the task `purge_register_task`, queued at the close for that day, and
`manage.py purge_register_extracts` from cron) deletes its rows and the round's unused voting
codes, keeps the extract's own row with `deleted_at`, and records it in the audit trail. The
ballots never link to either, so they survive it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerk.areas.models import Area
from wijkwerk.core import audit

from ..audit_actions import BudgetAction
from ..eligibility import Capacity, age_on, reference_day
from ..models import BudgetProcess, ProcessArea, RegisterEntry, RegisterExtract, VotingCode
from ..refusals import BudgetRefused
from ..register_selectors import codes_used
from ..states import VOTING_ENDED
from .voting import BALLOT_BOX_LOCK

# A round's extract: at most this large (a big municipality's district has some 60,000 people,
# some 2.6 MB), below the app's limit on a request body (settings.WIJKWERK_MAX_REQUEST_BYTES,
# 10 MB), so that a file too large is told so in words rather than refused with a 413.
MAX_BYTES = 9 * 1024 * 1024
MAX_ROWS = 200_000
# The page lists at most this many problems (the count says how many there were).
MAX_PROBLEMS = 200

REQUIRED_COLUMNS = ("kenmerk", "postcode", "huisnummer", "geboortedatum", "gebiedscode", "geheim")
OPTIONAL_COLUMNS = ("kvk", "bsn")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
# a number with an optional addition: 12, 12a, 12 A, 12-2, 12-II, 12 bis, 12hs
HOUSE_NUMBER = re.compile(r"^([1-9][0-9]{0,4})(?:([ -]?)([A-Z0-9]{1,6}))?$")
KVK = re.compile(r"^[0-9]{8}$")
BSN = re.compile(r"^[0-9]{9}$")
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
DUTCH_DATE = re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})$")
YES = {"ja", "j", "yes", "1", "true", "waar"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}
MAX_REFERENCE = 40


def bsn_hash(municipality_id: int, bsn: str) -> str:
    """The keyed hash a BSN is known by (`RegisterEntry.bsn_hash`): the same in every round of
    the municipality, so that a DigiD login finds its row; the BSN itself is never stored."""
    return salted_hmac(
        "wijkwerk.budgeting.bsn", f"{municipality_id}:{bsn}", algorithm="sha256"
    ).hexdigest()


def eleven_test(bsn: str) -> bool:
    """A BSN's check (the elfproef): 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11."""
    if not BSN.match(bsn) or bsn == "000000000":
        return False
    digits = [int(d) for d in bsn]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


@dataclass
class _Reading:
    entries: list[RegisterEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    def problem(self, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)


def _lines(reading: _Reading, line: int, message: str) -> None:
    reading.problem(_("Line %(line)s: %(problem)s") % {"line": line, "problem": message})


def _decode(file: IO[bytes] | Any) -> str:
    raw = file.read(MAX_BYTES + 1)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise BudgetRefused(
            _("The file is larger than %(max)s MB; an extract for one round is at most that.")
            % {"max": MAX_BYTES // (1024 * 1024)},
            "bad_register",
        )
    if not raw.strip():
        raise BudgetRefused(_("The file is empty."), "bad_register")
    try:
        return bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BudgetRefused(
            _(
                "The file is not UTF-8 text. Save it from your spreadsheet as "
                "'CSV UTF-8 (comma-separated)' and upload it again."
            ),
            "bad_register",
        ) from None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise BudgetRefused(
            _("Line %(line)s: the file cannot be read as CSV (%(error)s).")
            % {"line": reader.line_num, "error": error},
            "bad_register",
        ) from None


def _header(line: int, row: list[str]) -> dict[str, int]:
    """The columns' places; every problem with the header at once."""
    names = [name.strip().lower() for name in row]
    problems: list[str] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(_("the column '%(column)s' occurs twice") % {"column": name})
        elif name not in COLUMNS:
            problems.append(_("unknown column '%(column)s'") % {"column": name})
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        problems.append(
            ngettext(
                "the column %(columns)s is missing",
                "the columns %(columns)s are missing",
                len(missing),
            )
            % {"columns": ", ".join(missing)}
        )
    if problems:
        raise BudgetRefused(
            [
                _("Line %(line)s: %(problem)s.") % {"line": line, "problem": problem}
                for problem in problems
            ]
            + [
                _(
                    "The first line names the columns: %(required)s, and for entrepreneurs "
                    "%(kvk)s; %(bsn)s may be added."
                )
                % {"required": ", ".join(REQUIRED_COLUMNS), "kvk": "kvk", "bsn": "bsn"}
            ],
            "bad_register",
        )
    return {name: names.index(name) for name in seen}


def _date(value: str) -> datetime.date | None:
    found = ISO_DATE.match(value)
    if found:
        year, month, day = (int(part) for part in found.groups())
    else:
        found = DUTCH_DATE.match(value)
        if not found:
            return None
        day, month, year = (int(part) for part in found.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _area_codes(process: BudgetProcess) -> dict[str, ProcessArea]:
    """Every CBS code that names one of the round's areas: the areas themselves and the areas
    (neighbourhoods) inside them."""
    by_area = {item.area_id: item for item in process.process_areas.select_related("area")}
    codes: dict[str, ProcessArea] = {}
    for area in Area.objects.filter(municipality_id=process.municipality_id).select_related(
        "parent__parent"
    ):
        for ancestor in area.lineage_ids:
            if ancestor in by_area:
                codes[area.cbs_code.upper()] = by_area[ancestor]
                break
    return codes


def _age_range(process: BudgetProcess) -> str:
    if process.maximum_age is None:
        return _("from the age of %(min)s") % {"min": process.minimum_age}
    return _("from %(min)s to %(max)s years old") % {
        "min": process.minimum_age,
        "max": process.maximum_age,
    }


def _read(process: BudgetProcess, text: str) -> _Reading:
    reading = _Reading()
    rows = _rows(text)
    for line, row in rows:
        if any(cell.strip() for cell in row):
            columns = _header(line, row)
            break
    else:
        raise BudgetRefused(_("The file is empty."), "bad_register")
    codes = _area_codes(process)
    day = reference_day(process)
    today = timezone.localdate()
    references: dict[str, int] = {}
    bsns: dict[str, int] = {}
    count = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # an empty line (at the end, say)
        count += 1
        if count > MAX_ROWS:
            raise BudgetRefused(
                _("The file has more than %(max)s rows; an extract for one round has at most that.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")},
                "bad_register",
            )
        if len(row) != len(columns):
            _lines(
                reading,
                line,
                _("%(found)s values where the first line names %(expected)s columns.")
                % {"found": len(row), "expected": len(columns)},
            )
            continue
        entry = _entry(process, reading, line, row, columns, codes, day, today)
        if entry is None:
            continue
        first = references.setdefault(entry.reference, line)
        if first != line:
            _lines(
                reading,
                line,
                _("reference '%(value)s' is on line %(first)s too; each person has their own.")
                % {"value": entry.reference, "first": first},
            )
            continue
        if entry.bsn_hash:
            first = bsns.setdefault(entry.bsn_hash, line)
            if first != line:
                _lines(reading, line, _("the same BSN as on line %(first)s.") % {"first": first})
                continue
        reading.entries.append(entry)
    if count == 0 and not reading.problem_count:
        raise BudgetRefused(
            _("The file names the columns but has no rows of people."), "bad_register"
        )
    return reading


def _entry(
    process: BudgetProcess,
    reading: _Reading,
    line: int,
    row: list[str],
    columns: dict[str, int],
    codes: dict[str, ProcessArea],
    day: datetime.date,
    today: datetime.date,
) -> RegisterEntry | None:
    """One row as an entry, or None after listing its problems."""

    def value(name: str) -> str:
        return row[columns[name]].strip() if name in columns else ""

    before = reading.problem_count

    def problem(message: str) -> None:
        _lines(reading, line, message)

    reference = value("kenmerk")
    if not reference:
        problem(_("the reference (kenmerk) is empty."))
    elif len(reference) > MAX_REFERENCE:
        problem(
            _("reference '%(value)s' is longer than %(max)s characters.")
            % {"value": reference[:MAX_REFERENCE] + "…", "max": MAX_REFERENCE}
        )

    postcode = value("postcode").upper()
    found = POSTCODE.match(postcode)
    if not found:
        problem(
            _("postcode '%(value)s' is not a Dutch postcode (such as 4901 AB).")
            % {"value": value("postcode")}
        )
    postcode = "".join(found.groups()) if found else ""

    house_number = value("huisnummer").upper()
    number = HOUSE_NUMBER.match(house_number)
    if not number:
        problem(
            _("house number '%(value)s' is not a house number (such as 12, 12a or 12-2).")
            % {"value": value("huisnummer")}
        )

    kvk = value("kvk").replace(" ", "").replace(".", "")
    capacity = Capacity.ENTREPRENEUR if kvk else Capacity.RESIDENT
    if kvk and not KVK.match(kvk):
        problem(_("KvK number '%(value)s' is not 8 digits.") % {"value": value("kvk")})
    if capacity == Capacity.ENTREPRENEUR and not process.entrepreneurs_vote:
        problem(_("a business (with a KvK number), but only residents vote in this round."))
    if capacity == Capacity.RESIDENT and not process.residents_vote:
        problem(_("a resident (no KvK number), but only businesses vote in this round."))

    birth_date = None
    written = value("geboortedatum")
    if written:
        birth_date = _date(written)
        if birth_date is None:
            problem(
                _(
                    "date of birth '%(value)s' is not a date (such as 31-03-2001, or "
                    "year-month-day)."
                )
                % {"value": written}
            )
        elif birth_date > today:
            problem(_("date of birth %(date)s is in the future.") % {"date": _day(birth_date)})
        elif capacity == Capacity.RESIDENT:
            age = age_on(birth_date, day)
            if age < process.minimum_age or (
                process.maximum_age is not None and age > process.maximum_age
            ):
                problem(
                    _(
                        "born on %(date)s, %(age)s years old on %(day)s; this round is for "
                        "people %(range)s."
                    )
                    % {
                        "date": _day(birth_date),
                        "age": age,
                        "day": _day(day),
                        "range": _age_range(process),
                    }
                )
    elif capacity == Capacity.RESIDENT:
        problem(_("the date of birth is empty (only a business's row, with a KvK number, may be)."))

    area = codes.get(value("gebiedscode").upper())
    if area is None:
        problem(
            _(
                "area code '%(value)s' is not an area of this round or a neighbourhood in one "
                "(%(codes)s)."
            )
            % {
                "value": value("gebiedscode"),
                "codes": ", ".join(
                    sorted(
                        item.area.cbs_code for item in {a.pk: a for a in codes.values()}.values()
                    )
                ),
            }
        )

    secret = value("geheim").lower()
    if secret not in YES | NO:
        problem(_("geheim '%(value)s' is not ja or nee.") % {"value": value("geheim")})

    hashed = None
    bsn = value("bsn").replace(" ", "").replace(".", "")
    if bsn:
        if not BSN.match(bsn):
            problem(_("the BSN is not 9 digits."))
        elif not eleven_test(bsn):
            problem(_("the BSN does not pass the eleven test (elfproef)."))
        else:
            hashed = bsn_hash(process.municipality_id, bsn)

    if reading.problem_count != before or area is None:
        return None
    return RegisterEntry(
        process=process,
        process_area=area,
        reference=reference,
        capacity=capacity,
        postcode=postcode,
        house_number=_house_number(number),
        birth_date=birth_date,
        secret_address=secret in YES,
        kvk_number=kvk,
        bsn_hash=hashed,
    )


def _house_number(found: re.Match[str] | None) -> str:
    """The number with its addition as the BAG writes them: a house letter right after the
    number (12A), any other addition after a hyphen (12-2, 3-BIS)."""
    if found is None:
        return ""
    number, _separator, addition = found.groups()
    if not addition:
        return number
    if len(addition) == 1 and addition.isalpha():
        return f"{number}{addition}"
    return f"{number}-{addition}"


def _check_replaceable(process: BudgetProcess) -> None:
    if process.status in VOTING_ENDED:
        raise BudgetRefused(
            _("The voting in this round has closed: its register extract no longer changes."),
            "voting_closed",
        )
    used = codes_used(process)
    if used:
        raise BudgetRefused(
            ngettext(
                "%(count)s voting code of this round has been used: the register extract "
                "can no longer be replaced.",
                "%(count)s voting codes of this round have been used: the register extract "
                "can no longer be replaced.",
                used,
            )
            % {"count": used},
            "register_in_use",
        )


def register_upload(*, actor: Any, process: BudgetProcess, file: Any) -> RegisterExtract:
    """Read the round's register extract from `file` (a CSV, see the module) and save it,
    replacing an earlier one while no voting code was used; else BudgetRefused listing every
    problem with its line number, and nothing saved."""
    if not actor.has_perm("budgeting.manage_process", process):
        raise BudgetRefused(
            _("Only the municipality's administrator uploads the register extract."),
            "bad_register",
        )
    _check_replaceable(BudgetProcess.objects.only("status").get(pk=process.pk))
    text = _decode(file)
    # read and checked before any lock: a large file takes seconds
    reading = _read(process, text)
    if reading.problem_count:
        messages = list(reading.problems)
        if reading.problem_count > len(messages):
            messages.append(
                _("… and %(more)s problems more; the first %(shown)s are listed.")
                % {"more": reading.problem_count - len(messages), "shown": len(messages)}
            )
        raise BudgetRefused(messages, "bad_register")
    with transaction.atomic():
        # under the ballot box's exclusive lock (as the close takes it): no code is used
        # while the codes of the extract it replaces are withdrawn
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [BALLOT_BOX_LOCK, process.pk]
                )
        process = BudgetProcess.objects.select_for_update().get(pk=process.pk)
        _check_replaceable(process)
        earlier = list(process.register_extracts.filter(deleted_at__isnull=True))
        withdrawn = 0
        if earlier:
            # the earlier extract's codes (none used) would let its letters vote beside the new
            withdrawn, _by_model = VotingCode.objects.filter(
                process=process, entry__extract__in=earlier
            ).delete()
            RegisterEntry.objects.filter(extract__in=earlier).delete()
            RegisterExtract.objects.filter(pk__in=[item.pk for item in earlier]).delete()
        person = getattr(actor, "is_authenticated", False) and not getattr(
            actor, "is_system", False
        )
        extract = RegisterExtract.objects.create(
            process=process,
            file_name=str(getattr(file, "name", "") or "register.csv")[-200:],
            row_count=len(reading.entries),
            uploaded_by=actor if person else None,
        )
        for entry in reading.entries:
            entry.extract = extract
        RegisterEntry.objects.bulk_create(reading.entries, batch_size=2000)
        entrepreneurs = sum(e.capacity == Capacity.ENTREPRENEUR for e in reading.entries)
        audit.record(
            actor=actor,
            action=BudgetAction.REGISTER_UPLOAD,
            instance=process,
            after={
                "register_rows": len(reading.entries),
                "residents": len(reading.entries) - entrepreneurs,
                "entrepreneurs": entrepreneurs,
                "secret_addresses": sum(entry.secret_address for entry in reading.entries),
                "extracts_replaced": len(earlier),
                "codes_withdrawn": withdrawn,
            },
        )
    return extract


# --- Retention ------------------------------------------------------------------------------


def set_delete_after(process: BudgetProcess) -> None:
    """At the close (in its transaction): the round's extracts are kept until the close plus
    the round's retention days, and the purge is queued for the day after."""
    closed = timezone.localdate(process.closed_at) if process.closed_at else timezone.localdate()
    delete_after = closed + datetime.timedelta(days=process.register_retention_days)
    extracts = process.register_extracts.filter(deleted_at__isnull=True)
    if not extracts.update(delete_after=delete_after):
        return
    process_id = process.pk
    transaction.on_commit(lambda: _enqueue_purge(process_id, delete_after))


def _enqueue_purge(process_id: int, delete_after: datetime.date) -> None:
    """Queue the purge for the first minutes after `delete_after`, where the queue can wait
    (the database queue can; without it, cron's `manage.py purge_register_extracts` does it)."""
    if not purge_register_task.get_backend().supports_defer:
        return
    day = delete_after + datetime.timedelta(days=1)
    run_after = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 5)))
    purge_register_task.using(run_after=run_after).enqueue(process_id=process_id)


def due_extracts(today: datetime.date | None = None) -> QuerySet[RegisterExtract]:
    today = today or timezone.localdate()
    return RegisterExtract.objects.filter(
        deleted_at__isnull=True, delete_after__isnull=False, delete_after__lt=today
    ).select_related("process")


def register_purge(*, actor: Any, extract: RegisterExtract) -> int:
    """Delete the rows of an extract whose retention ended, and the round's unused voting codes
    (their letters can no longer vote: the round is closed); keep the extract's row with
    `deleted_at`. Used codes stay, without their row: only that they were used, and how.
    Returns the number of rows deleted; 0 when it was done already."""
    with transaction.atomic():
        extract = RegisterExtract.objects.select_for_update().get(pk=extract.pk)
        today = timezone.localdate()
        if (
            extract.deleted_at is not None
            or extract.delete_after is None
            or extract.delete_after >= today
        ):
            return 0
        process = extract.process
        codes, _by_model = VotingCode.objects.filter(process=process, used_channel="").delete()
        VotingCode.objects.filter(entry__extract=extract).update(entry=None)
        rows, _by_model = RegisterEntry.objects.filter(extract=extract).delete()
        extract.deleted_at = timezone.now()
        extract.save(update_fields=["deleted_at"])
        audit.record(
            actor=actor,
            action=BudgetAction.REGISTER_DELETE,
            instance=process,
            after={"register_rows": rows, "codes_deleted": codes},
        )
    return rows


def purge_due_extracts(
    *, actor: Any, process_id: int | None = None
) -> list[tuple[RegisterExtract, int]]:
    """Purge every extract whose retention ended (of one round, or all)."""
    done: list[tuple[RegisterExtract, int]] = []
    extracts = due_extracts()
    if process_id is not None:
        extracts = extracts.filter(process_id=process_id)
    for extract in extracts:
        rows = register_purge(actor=actor, extract=extract)
        done.append((extract, rows))
    return done


@task()
def purge_register_task(*, process_id: int) -> None:
    """The task worker's purge of a round's register extract (queued at the close for the
    day after its retention ends)."""
    from wijkwerk.core.actors import SCHEDULE

    purge_due_extracts(actor=SCHEDULE, process_id=process_id)
