"""Compile calendars, deadlines and periods: counts with their parameters looked up (and their units checked),
calendars with their bank-holiday overrides."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .calendars import Calendar, HolidayOverride
from .condition_compiler import ConditionCompiler, choices
from .condition_syntax import ParamRef
from .model import Deadline, DeadlineChange, FactRef, Lapse, Period
from .obligation import DutyKind
from .rulebook import Rulebook, SourceFile
from .rulebook_limits import length_problem
from .units import unit_plural, unit_text


@dataclass(frozen=True, slots=True, eq=False)
class DeadlineSpec:
    """A deadline with its parameters resolved. ``count`` is an int, or the name of a fact holding it.

    Compared and hashed by identity, so the deadline caches look it up cheaply; ``changed`` returns the same object
    for the same change, so a variant's deadline is shared across cases too.
    """

    count: int | str
    unit: str
    calendar: Calendar
    day_one: str
    roll_forward: bool
    short_month: str | None
    count_source: str  # where the number comes from, in words: "as set in 'Working days to ...'" ("" if written in)
    count_duty: DutyKind | None = None  # the kind of duty of the parameter that sets the count, if it says

    def changed(self, change: "DeadlineChangeSpec") -> "DeadlineSpec":
        return _changed(self, change)


@lru_cache(maxsize=4096)
def _changed(base: DeadlineSpec, change: "DeadlineChangeSpec") -> DeadlineSpec:
    return DeadlineSpec(
        count=base.count if change.count is None else change.count,
        unit=change.unit or base.unit,
        calendar=change.calendar or base.calendar,
        day_one=change.day_one or base.day_one,
        roll_forward=base.roll_forward if change.roll_forward is None else change.roll_forward,
        short_month=base.short_month,
        count_source=base.count_source if change.count is None else (change.count_source or ""),
        count_duty=base.count_duty if change.count is None else change.count_duty,
    )


@dataclass(frozen=True, slots=True)
class DeadlineChangeSpec:
    count: int | str | None
    unit: str | None
    calendar: Calendar | None
    count_source: str | None
    count_duty: DutyKind | None = None
    day_one: str | None = None
    roll_forward: bool | None = None


@dataclass(frozen=True, slots=True)
class PeriodSpec:
    """A period with its parameter resolved: where a delayed or scheduled obligation starts."""

    count: int
    unit: str  # calendar_days | calendar_months
    short_month: str | None
    text: str  # plain English: "12 calendar months (parameter x)"


@dataclass(frozen=True, slots=True)
class LapseSpec:
    """How long a pause may stay unfinished before the obligation ends, with the law that says so."""

    count: int
    unit: str
    text: str  # plain English: "3 calendar months (parameter foi_fee_lapse_months)"
    reason: str


class DeadlineCompiler(ConditionCompiler):
    """Compiles the deadlines and periods of a rule book (and its conditions, as a ``ConditionCompiler``)."""

    def __init__(self, book: Rulebook) -> None:
        super().__init__(book)
        self.calendars = self._build_calendars()

    # --- calendars ----------------------------------------------------------------------------------------------
    def _build_calendars(self) -> dict[str, Calendar]:
        spec = self.book.calendars
        overrides = tuple(
            HolidayOverride(o.date, tuple(o.subdivisions), o.action, o.name, o.source) for o in spec.overrides
        )
        return {
            name: Calendar(
                name=name,
                title=cal.title,
                subdivisions=tuple(cal.subdivisions),
                known_through=spec.known_through,
                overrides=overrides,
                description=cal.description,
            )
            for name, cal in spec.calendars.items()
        }

    # --- deadlines ----------------------------------------------------------------------------------------------
    def count_duty(self, count: Any) -> DutyKind | None:
        """The kind of duty of the parameter a count is taken from (None for a number, a fact or an unmarked one)."""
        if isinstance(count, ParamRef) and count.param in self.params:
            return DutyKind(self.params[count.param].duty)
        return None

    def lapse(self, lapse: Lapse | None, reason: str | None, source: SourceFile, loc: tuple[Any, ...]) -> LapseSpec | None:
        if lapse is None:
            return None
        count, text = self._span(lapse.count, lapse.unit, "a lapse", source, loc + ("count",))
        return LapseSpec(count, lapse.unit, text, reason or "")

    def _span(self, written: Any, unit: str, what: str, source: SourceFile, loc: tuple[Any, ...]) -> tuple[int, str]:
        """A lapse's or a period's length: at least 1 unit and a sensible length, with its words
        ("3 calendar months (as set in '...')")."""
        count, origin = self.count(written, source, loc, unit)
        assert isinstance(count, int)  # a number or a parameter, never a fact
        if count < 1:
            self.problem(source, f"{what} must be at least 1 unit long, got {count}", loc)
        self.length(count, unit, None, source, loc, what)
        return count, unit_text(count, unit) + (f" ({origin})" if origin else "")

    def length(self, count: int | str | None, unit: str, reason: str | None, source: SourceFile,
               loc: tuple[Any, ...], what: str = "a deadline") -> None:
        """A count written in the rule (or its parameter) must be a sensible length (``rulebook_limits.py``)."""
        if isinstance(count, int):
            problem = length_problem(count, unit, reason=reason, what=what)
            if problem is not None:
                self.problem(source, problem, loc)

    def count(self, count: Any, source: SourceFile, loc: tuple[Any, ...], unit: str | None) -> tuple[int | str, str]:
        """A count as a number or a fact's name, and its origin in words; a parameter must be in ``unit``."""
        if isinstance(count, ParamRef):
            self._check_unit(count.param, unit, source, loc + ("param",))
            value = self.value(count, source, loc)
            if value is not None and not isinstance(value, int):
                self.problem(source, f"parameter {count.param!r} is not a whole number", loc + ("param",))
                value = 0
            return (value if isinstance(value, int) else 0), self.param_origin(count.param)
        if isinstance(count, FactRef):
            spec = self.vocab.facts.get(count.fact)
            if spec is None or spec.type != "integer":
                self.problem(source, f"fact {count.fact!r} is not an integer fact", loc + ("fact",),
                             hint="name a fact of type integer in vocabulary.yaml")
            return count.fact, f"the number in '{spec.label(count.fact) if spec is not None else count.fact}'"
        return int(count), ""

    def _check_unit(self, name: str, unit: str | None, source: SourceFile, loc: tuple[Any, ...]) -> None:
        """A parameter that states its unit may only count that unit (20 working days is not 20 months)."""
        param = self.params.get(name)
        # a parameter's unit may be written in words ("working days"): it is the same unit as working_days
        if param is None or param.unit is None or unit is None or param.unit.strip().replace(" ", "_") == unit:
            return
        where = self.book.sources.get("parameters")
        line = where.locate(("parameters", name, "unit"))[0] if where else None
        place = f" ({where.path.name}:{line})" if where and line else ""
        self.problem(source, f"parameter {name!r} is a number of {unit_plural(param.unit)}{place}, but it is used "
                     f"here as a number of {unit_plural(unit)}", loc,
                     hint=f"use a parameter in {unit_plural(unit)}, or change the unit here to {param.unit}")

    def period(self, period: Period | None, source: SourceFile, loc: tuple[Any, ...]) -> PeriodSpec | None:
        if period is None:
            return None
        count, text = self._span(period.count, period.unit, "a period", source, loc + ("count",))
        return PeriodSpec(count, period.unit, period.short_month, text)

    def calendar(self, name: str, source: SourceFile, loc: tuple[Any, ...]) -> Calendar:
        calendar = self.calendars.get(name)
        if calendar is None:
            self.problem(source, f"unknown calendar {name!r}", loc, hint=choices(self.calendars, name, "calendars.yaml"))
            return next(iter(self.calendars.values()))
        return calendar

    def deadline(self, deadline: Deadline, source: SourceFile, loc: tuple[Any, ...]) -> DeadlineSpec:
        count, text = self.count(deadline.count, source, loc + ("count",), deadline.unit)
        self.length(count, deadline.unit, deadline.long_deadline_reason, source, loc + ("count",))
        return DeadlineSpec(
            count=count,
            unit=deadline.unit,
            calendar=self.calendar(deadline.calendar, source, loc + ("calendar",)),
            day_one=deadline.day_one,
            roll_forward=deadline.if_due_on_non_working_day == "roll_forward",
            short_month=deadline.short_month,
            count_source=text,
            count_duty=self.count_duty(deadline.count),
        )

    def change(self, change: DeadlineChange, base: Deadline, source: SourceFile, loc: tuple[Any, ...]) -> DeadlineChangeSpec:
        count, text = (None, None)
        if change.count is not None:
            count, text = self.count(change.count, source, loc + ("count",), change.unit or base.unit)
            self.length(count, change.unit or base.unit, base.long_deadline_reason, source, loc + ("count",))
        unit = change.unit
        if unit == "calendar_months" and base.short_month is None:
            self.problem(source, "a change to calendar_months needs the base deadline to state short_month", loc + ("unit",))
        calendar = self.calendar(change.calendar, source, loc + ("calendar",)) if change.calendar else None
        roll = None if change.if_due_on_non_working_day is None else change.if_due_on_non_working_day == "roll_forward"
        if roll and (unit or base.unit) in ("working_days", "hours"):
            self.problem(source, f"if_due_on_non_working_day has no meaning for {unit or base.unit}; leave it out",
                         loc + ("if_due_on_non_working_day",))
        return DeadlineChangeSpec(count, unit, calendar, text, self.count_duty(change.count), change.day_one, roll)
