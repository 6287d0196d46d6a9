"""The clock of one obligation: where it starts, restarts, pauses (and lapses) and is extended.

Each step acts from its own moment and never rewrites what already happened: a restart counts only while the
deadline is still running, a pause only if it begins by the running due date, an extension only by the deadline
(unless the rule says otherwise), and a pause left unfinished for its lapse period ends the obligation then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ..calendars import format_date, nth_working_day_after
from ..caseview import CaseView, Occurrence, london_date, start_of_london_day
from ..compiled import CompiledVersion, DeadlineSpec, LapseSpec, PauseSpec, PeriodSpec
from ..deadlines import ClosedPause, add_period, compute_deadline
from ..units import unit_text
from ..obligation import DeadlineWork, PausePeriod
from .build import clause, first_match, matches
from .words import event_title, start_words


@dataclass(slots=True)
class Clock:
    """A deadline being worked out: what is counted, from when, and the pauses found so far."""

    spec: DeadlineSpec
    count: int
    start: dt.datetime
    start_reason: str
    start_date: dt.date
    at_risk: tuple[int, str] | None
    variant: tuple[str, str] | None
    pauses: list[ClosedPause] = field(default_factory=list)
    restart_ignored: str | None = None
    first_start: dt.datetime | None = None  # when the clock first started, if it has started again since

    def work(self, spec: DeadlineSpec | None = None, count: int | None = None, **notes: str | None) -> DeadlineWork:
        return compute_deadline(spec or self.spec, self.count if count is None else count, self.start,
                                self.start_reason, self.pauses, self.at_risk, variant=self.variant,
                                start_date=self.start_date, restart_ignored=self.restart_ignored, **notes)

    def restart(self, at: dt.datetime, reason: str, case: CaseView) -> None:
        if self.first_start is None:
            self.first_start = self.start
        self.start, self.start_reason, self.start_date = at, reason, case.date_of(at)
        self.pauses = []


def deadline_count(spec: DeadlineSpec, case: CaseView) -> int | None:
    """How many units the deadline has: a number, or the case fact that holds it (None when it is not recorded)."""
    count = spec.count
    if isinstance(count, int):
        return count
    value = getattr(case.facts, count, None)
    return None if value is None else int(value)


def start_reason(version: CompiledVersion, label: str | None, occurrence: Occurrence | None = None) -> str:
    """What started the clock, in words (the event's id stays in ``trigger_event``, for JSON)."""
    return start_words(version, label, occurrence)


# --- restarts -----------------------------------------------------------------------------------------------------


def apply_restarts(version: CompiledVersion, case: CaseView, clock: Clock, satisfied: Occurrence | None) -> None:
    """Start the clock again at each restarting event that comes while the deadline is still running (before the
    moment it is late) and before the obligation was met. A restart at or after that moment is recorded, not applied:
    the breach stands, just as an answer sent at that moment would be late."""
    candidates = [(o, restart) for restart in version.restarts for t in restart.matcher.types
                  for o in case.by_type.get(t, ())
                  if o.at >= clock.start and (satisfied is None or o.at <= satisfied.at)]
    if not candidates:
        return
    candidates.sort(key=lambda pair: pair[0].order)
    for occurrence, restart in candidates:
        if occurrence.at < clock.start or not matches(restart.matcher, case, occurrence):
            continue
        if restart.only_after is not None and not asked_for(case, restart.only_after, clock, occurrence):
            clock.restart_ignored = (
                f"{event_title(version, occurrence.type)} on {format_date(occurrence.date)} does not restart the "
                f"clock: no {event_title(version, restart.only_after)} is recorded before it, and the time starts "
                f"again only for what the force asked for ({clause(restart.reason)})")
            continue
        running = running_deadline(version, case, clock, satisfied)
        if isinstance(running, Stopped):
            if running.lapse_at is not None and occurrence.at >= running.lapse_at:
                return  # the obligation had lapsed: nothing restarts it
        elif occurrence.at >= (running.breach_utc or running.breach_at):
            clock.restart_ignored = (
                f"{event_title(version, occurrence.type)} on {format_date(occurrence.date)} came after the deadline "
                f"(the end of {format_date(running.due_date)}) had passed, so it does not restart the clock "
                f"({clause(restart.reason)})")
            return
        clock.restart(occurrence.at, f"restarted by {event_title(version, occurrence.type)} on "
                                     f"{format_date(occurrence.date)}: {clause(restart.reason)}", case)


def asked_for(case: CaseView, request_type: str, clock: Clock, arrived: Occurrence) -> bool:
    """Whether an event of ``request_type`` (the force asking) was recorded before ``arrived``, since the clock
    first started."""
    since = clock.first_start or clock.start
    return any(since <= asked.at and asked.order < arrived.order for asked in case.by_type.get(request_type, ()))


def running_deadline(version: CompiledVersion, case: CaseView, clock: Clock,
                     satisfied: Occurrence | None) -> "DeadlineWork | Stopped":
    """The deadline as it runs from the clock's current start with the pauses so far, or where it stands stopped
    (a stopped clock is not running out, so a restart then applies, unless the pause had lapsed by then)."""
    probe = replace(clock, at_risk=None, variant=None, pauses=[], restart_ignored=None)
    return apply_pauses(version, case, probe, satisfied)


# --- pauses -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stopped:
    """The clock is stopped by an unfinished pause, or the pause lapsed and the obligation ended."""

    pause: ClosedPause
    spec: PauseSpec
    lapse_at: dt.datetime | None  # when it lapses (or lapsed), if it can
    lapsed: bool  # the lapse moment has come: the obligation has ended


def apply_pauses(version: CompiledVersion, case: CaseView, clock: Clock, satisfied: Occurrence | None, *,
                 original_due: dt.date | None = None) -> DeadlineWork | Stopped:
    """The deadline with every pause that began while the clock was still running (on or before the running due
    date); or where the clock stands stopped, or lapsed. For an extended clock (``original_due`` is the deadline
    before the extension), a pause that began after the original deadline counts only if it may run in an
    extension."""
    work = clock.work()
    for pause, spec in find_pauses(version, case, clock.start, satisfied, since=clock.first_start):
        if pause.period.start > work.due_date or (
                original_due is not None and pause.period.start > original_due and not spec.during_extension):
            continue
        lapse_at = lapse_moment(pause, spec.lapse, clock.spec) if spec.lapse is not None else None
        if lapse_at is not None and (pause.period.end is None or start_of_london_day(pause.period.end) >= lapse_at):
            if case.as_of >= lapse_at:
                return Stopped(pause, spec, lapse_at, True)
        if pause.period.end is None:
            return Stopped(pause, spec, lapse_at, False)
        clock.pauses.append(pause)
        work = clock.work()
    return work


def find_pauses(version: CompiledVersion, case: CaseView, start: dt.datetime, satisfied: Occurrence | None, *,
                since: dt.datetime | None = None) -> list[tuple[ClosedPause, PauseSpec]]:
    """Every pause after the clock start, in time order; an unfinished one has ``period.end`` None. A pause with a
    ``when`` condition counts only in cases where it holds.

    When the clock has started again (``since`` is when it first started), a pause that began before the restart
    and was still running at it goes on stopping the clock until it ends: a restart moves the day counting begins
    from, and does not end a stop that was in force (FOIA s.10(2) disregards the days from the fees notice to the
    fee whatever the date of receipt is). Its period keeps the day it began, so its lapse runs from that day; the days
    before the restart count for nothing anyway. A pause that ended by the restart is not carried over.

    A pause still open when the obligation was met is taken to end on the day it was met.
    """
    found: list[tuple[ClosedPause, PauseSpec]] = []
    for spec in version.pauses:
        if spec.when is not None and spec.when.test(case, None) is not True:
            continue  # this pause is not for this case (or cannot be shown to be): the clock keeps running
        cursor = start if since is None else since
        for stop in case.by_type.get(spec.start, ()):
            if stop.at < cursor or (satisfied is not None and stop.at > satisfied.at):
                continue
            resume = next((o for o in case.by_type.get(spec.until, ()) if o.at >= stop.at), None)
            if stop.at < start and resume is not None and resume.at <= start:
                cursor = resume.at  # over before the clock started again
                continue
            if resume is None:
                if satisfied is not None:
                    period = PausePeriod(stop.date, satisfied.date, spec.reason, stop.ref, satisfied.ref)
                    found.append((ClosedPause(period, spec.include_from_day, False, stop.at), spec))
                else:
                    period = PausePeriod(stop.date, None, spec.reason, stop.ref, None)
                    found.append((ClosedPause(period, spec.include_from_day, spec.include_until_day, stop.at), spec))
                break
            period = PausePeriod(stop.date, resume.date, spec.reason, stop.ref, resume.ref)
            found.append((ClosedPause(period, spec.include_from_day, spec.include_until_day, stop.at), spec))
            cursor = resume.at
    found.sort(key=lambda pair: pair[0].period.start)
    return found


def lapse_moment(pause: ClosedPause, lapse: LapseSpec, deadline: DeadlineSpec) -> dt.datetime:
    """When a pause still unfinished ends the obligation: the end of the period of the lapse's length beginning
    with the day the clock stopped (three months beginning with 10 January end with 9 April, so the obligation
    ends as 10 April begins; with no corresponding day, the period ends with the last day of the month)."""
    first = pause.period.start
    if lapse.unit == "hours":
        return (pause.started_at or start_of_london_day(first)) + dt.timedelta(hours=lapse.count)
    if lapse.unit == "working_days":  # day 1 is the first working day on or after the day the clock stopped
        last, _ = nth_working_day_after(deadline.calendar, first - dt.timedelta(days=1), lapse.count)
        return start_of_london_day(last + dt.timedelta(days=1))
    day, _ = add_period(first, PeriodSpec(lapse.count, lapse.unit, "first_day_of_next_month", lapse.text))
    return start_of_london_day(day)


def lapse_text(stopped: Stopped, case: CaseView) -> str:
    """Why a lapsed obligation is no longer owed, in words."""
    pause, lapse = stopped.pause.period, stopped.spec.lapse
    assert lapse is not None and stopped.lapse_at is not None
    text = (f"ended on {format_date(london_date(stopped.lapse_at))}: the clock stopped on {format_date(pause.start)} "
            f"({pause.started_by}) and had not started again within {lapse.text}; {clause(lapse.reason)}")
    if pause.ended_by is not None and pause.end is not None:
        text += (f"; '{stopped.spec.until}' ({pause.ended_by}) on {format_date(pause.end)} came after that and "
                 "restarts nothing")
    return text


# --- extensions ---------------------------------------------------------------------------------------------------


def apply_extensions(version: CompiledVersion, case: CaseView, clock: Clock, work: DeadlineWork,
                     satisfied: Occurrence | None) -> tuple[DeadlineWork | Stopped, DeadlineSpec]:
    """The deadline after the first extension that counts (or where its clock stands stopped), and the deadline spec
    that then holds.

    A pause that begins after the original deadline but by the extended one stops the extended clock only if its
    rule says so (``during_extension``: UK GDPR Art 12A and DPA 2018 s.54(3C) leave the days awaiting a
    clarification out of the time allowed, extended or not)."""
    for extension in version.extensions:
        event = first_match(extension.matcher, case, clock.start)
        if event is None or (satisfied is not None and event.at > satisfied.at):
            continue
        if extension.only_if_before_deadline and event.at >= (work.breach_utc or work.breach_at):
            work = clock.work(extension_ignored=(
                f"{event_title(version, event.type)} on {format_date(event.date)} came after the deadline of "
                f"{format_date(work.due_date)}, so it does not extend it"))
            continue
        longer = clock.spec.changed(extension.change)
        count = longer.count if isinstance(longer.count, int) else clock.count
        extended = replace(clock, spec=longer, count=count, pauses=[])
        running = apply_pauses(version, case, extended, satisfied, original_due=work.due_date)
        if isinstance(running, Stopped):
            return running, longer
        return extended.work(extension=(
            f"extended to {unit_text(count, longer.unit)} by {event_title(version, event.type)} on "
            f"{format_date(event.date)}: {extension.reason}")), longer
    return work, clock.spec
