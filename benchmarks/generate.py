"""Make a synthetic case export for benchmarks and tests, deterministically from a seed.

The mix is meant to look like a force's nightly export: mostly crime reports, then FOI and personal-information
requests, enquiries and complaints; 3 to 20 events a case; facts sometimes missing; and a small share of data faults
of the kinds real exports have (a timestamp without a UTC offset, an event type the vocabulary does not know, a
required field left out, a case exported twice, a line cut short).

    python benchmarks/generate.py 1000000 --out /tmp/export.jsonl            # JSON Lines
    python benchmarks/generate.py 20000 --out /tmp/export.jsonl.gz           # gzip
    python benchmarks/generate.py 5000 --out /tmp/export.csv                 # the flat CSV layout (docs/batch.md)
    python benchmarks/generate.py 1000 --clean --out /tmp/clean.jsonl        # no data faults

The same seed and count give the same bytes, whatever the number of jobs (each block of cases has its own seed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import orjson

BLOCK = 10_000
AS_OF = dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.timezone.utc)  # what bench_check.py evaluates at
LONDON = ZoneInfo("Europe/London")
FIRST_DAY = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
SPAN_DAYS = 540  # cases received between 1 Jan 2025 and late June 2026

KINDS = (("crime_report", 66), ("foi_request", 12), ("subject_access_request", 7), ("general_enquiry", 9),
         ("complaint", 6))
OFFENCES = (("theft", 25), ("burglary", 12), ("criminal_damage", 10), ("assault", 14), ("fraud", 10),
            ("domestic_abuse", 9), ("public_order", 5), ("robbery", 3), ("hate_crime", 3), ("sexual_offence", 3),
            ("other", 6))
METHODS = ("phone", "email", "letter", "text_message", "in_person")
FIRST = ("Alex", "Sam", "Jordan", "Priya", "Mohammed", "Olivia", "Chen", "Aoife", "Kwame", "Fatima", "Tom", "Zofia")
LAST = ("Smith", "Patel", "Okafor", "Nowak", "Jones", "Khan", "Murphy", "Williams", "Li", "Evans", "Taylor", "Ahmed")
NOTES = ("Victim prefers calls after 6pm.", "Spoke to the victim's daughter.", "Left voicemail.",
         "Victim at work, will call back.", "Interpreter needed (Polish).")

# the data faults, as a share of cases (about 1.2% in all)
FAULTS = (("naive_timestamp", 0.003), ("unknown_event_type", 0.003), ("missing_field", 0.002),
          ("duplicate_id", 0.002), ("broken_json", 0.002))


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    total = sum(w for _, w in table)
    roll = rng.random() * total
    for value, weight in table:
        roll -= weight
        if roll < 0:
            return value
    return table[-1][0]


def _iso(moment: dt.datetime) -> str:
    """London local time with its offset, to the second, as force systems export it."""
    return moment.astimezone(LONDON).replace(microsecond=0).isoformat()


class _Case:
    """Builds one case: events are added in time order from the moment the case was received."""

    def __init__(self, rng: random.Random, case_id: str, kind: str, received: dt.datetime) -> None:
        self.rng = rng
        self.received = received
        self.events: list[dict[str, Any]] = []
        self.data: dict[str, Any] = {"case_id": case_id, "kind": kind, "received_at": _iso(received), "facts": {}}

    def at(self, days_min: float, days_max: float, base: dt.datetime | None = None) -> dt.datetime:
        start = base or self.received
        offset = self.rng.uniform(days_min, days_max)
        return start + dt.timedelta(days=offset)

    def event(self, type_: str, moment: dt.datetime, **fields: Any) -> None:
        if moment > AS_OF + dt.timedelta(days=30):
            return
        row: dict[str, Any] = {"id": f"e{len(self.events) + 1}", "type": type_, "at": _iso(moment)}
        row.update(fields)
        if self.rng.random() < 0.08:
            row["note"] = self.rng.choice(NOTES)
        self.events.append(row)

    def finish(self) -> dict[str, Any]:
        self.events.sort(key=lambda e: e["at"])
        self.data["events"] = self.events[:20]
        if not self.data["facts"]:
            del self.data["facts"]
        return self.data


def _crime(case: _Case) -> None:
    rng = case.rng
    facts = case.data["facts"]
    facts["offence_category"] = _pick(rng, OFFENCES)
    if rng.random() < 0.9:
        facts["victim_age_at_offence"] = rng.choice((15, 16, 17)) if rng.random() < 0.08 else rng.randint(18, 90)
    for name, share in (("victim_vulnerable", 0.06), ("victim_intimidated", 0.08),
                        ("victim_persistently_targeted", 0.05), ("bereaved_family", 0.01)):
        if rng.random() < 0.86:
            facts[name] = rng.random() < share
    if rng.random() < 0.95:
        facts["victim_is_business"] = rng.random() < 0.06
    if rng.random() < 0.7:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        facts["victim_name"] = f"{first} {last}"
        facts["victim_phone"] = f"07{rng.randint(100000000, 999999999)}"
        if rng.random() < 0.6:
            facts["victim_email"] = f"{first.lower()}.{last.lower()}@example.org"
    if rng.random() < 0.3:
        facts["agreed_update_interval_days"] = rng.choice((7, 14, 28))
        facts["agreed_update_method"] = rng.choice(METHODS)
    r = case.received
    case.event("reference_number_issued", r + dt.timedelta(minutes=rng.randint(1, 90)),
               reference=case.data["case_id"])
    if rng.random() < 0.9:
        case.event("written_confirmation_sent", case.at(0, 6), reference=case.data["case_id"],
                   includes_officer_contact=rng.random() < 0.8, method=rng.choice(METHODS))
    roll = rng.random()
    if roll < 0.72:
        case.event("referred_to_victim_support", case.at(0, 2.5 if rng.random() < 0.85 else 9),
                   service="Victim Support")
    elif roll < 0.85:
        case.event("victim_opted_out_of_referral", case.at(0, 0.2))
    if rng.random() < 0.8:
        officer = f"PC {rng.randint(1000, 9999)}"
        case.event("officer_in_charge_assigned", case.at(0, 3), officer=officer)
        if rng.random() < 0.75:
            case.event("officer_contact_details_given", case.at(0, 6), officer=officer, method=rng.choice(METHODS))
    if rng.random() < 0.8:
        case.event("needs_assessment_completed", case.at(0, 5))
    if rng.random() < 0.45:
        case.event("victim_personal_statement_offered", case.at(0, 30))
    end: dt.datetime | None = None
    if rng.random() < 0.55:
        end = case.at(5, 200)
    # monthly contacts, some without a review date, some late
    moment = r
    for _ in range(rng.randint(0, 8)):
        moment = case.at(10, 38, base=moment)
        if end is not None and moment > end:
            break
        fields: dict[str, Any] = {"method": rng.choice(METHODS), "investigation_active": True}
        if rng.random() < 0.85:
            fields["next_review_date"] = (moment + dt.timedelta(days=28)).date().isoformat()
        case.event("victim_updated", moment, **fields)
    if rng.random() < 0.35:
        arrest = case.at(0.1, 40)
        suspect = f"S{rng.randint(1, 3)}"
        case.event("suspect_arrested", arrest, suspect=suspect)
        if rng.random() < 0.85:
            case.event("victim_informed", case.at(0, 8, base=arrest), about="arrest", suspect=suspect,
                       method=rng.choice(METHODS))
        follow = rng.random()
        outcome = None
        if follow < 0.3:
            outcome, told = case.at(0.2, 1, base=arrest), "bail"
            case.event("suspect_bailed", outcome, suspect=suspect, with_conditions=rng.random() < 0.5)
        elif follow < 0.5:
            outcome, told = case.at(0.2, 2, base=arrest), "charge"
            case.event("suspect_charged", outcome, suspect=suspect)
        elif follow < 0.7:
            outcome, told = case.at(0.2, 1, base=arrest), "released_under_investigation"
            case.event("suspect_released_under_investigation", outcome, suspect=suspect)
        if outcome is not None and rng.random() < 0.8:
            case.event("victim_informed", case.at(0, 6, base=outcome), about=told, suspect=suspect,
                       method=rng.choice(METHODS))
    if end is not None:
        case.event("investigation_status_changed", end, status="closed", reason="no further lines of enquiry")


def _foi(case: _Case) -> None:
    rng = case.rng
    if rng.random() < 0.6:
        case.data["facts"]["requester_name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    case.event("reference_number_issued", case.at(0, 1), reference=case.data["case_id"])
    base = case.received
    if rng.random() < 0.12:
        sought = case.at(1, 5)
        case.event("foi_clarification_sought", sought)
        if rng.random() < 0.8:
            base = case.at(1, 10, base=sought)
            case.event("foi_clarification_received", base)
    if rng.random() < 0.06:
        notice = case.at(2, 8, base=base)
        case.event("foi_fees_notice_given", notice)
        if rng.random() < 0.7:
            case.event("foi_fee_received", case.at(1, 15, base=notice))
    if rng.random() < 0.08:
        case.event("foi_public_interest_extension_notified", case.at(10, 30, base=base))
    if rng.random() < 0.88:
        case.event("foi_response_sent", case.at(3, 34, base=base))
        if rng.random() < 0.1:
            review = case.at(35, 60, base=base)
            case.event("foi_internal_review_requested", review)
            case.event("foi_internal_review_completed", case.at(5, 40, base=review))


def _sar(case: _Case) -> None:
    rng = case.rng
    case.data["facts"]["requester_name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    case.data["facts"]["sar_regime"] = "uk_gdpr" if rng.random() < 0.85 else "dpa_part_3"
    case.event("reference_number_issued", case.at(0, 1), reference=case.data["case_id"])
    if rng.random() < 0.4:
        asked = case.at(0, 4)
        case.event("sar_identity_requested", asked)
        case.event("sar_identity_received", case.at(1, 12, base=asked))
    if rng.random() < 0.08:
        case.event("sar_extension_notified", case.at(10, 25))
    if rng.random() < 0.85:
        case.event("sar_response_sent", case.at(5, 45))


def _enquiry(case: _Case) -> None:
    rng = case.rng
    facts = case.data["facts"]
    facts["matter_for_police"] = rng.random() < 0.8
    if rng.random() < 0.9:
        facts["resolved_at_first_contact"] = rng.random() < 0.3
    if rng.random() < 0.8:
        facts["visit_needed"] = rng.random() < 0.3
    case.event("reference_number_issued", case.at(0, 0.2), reference=case.data["case_id"])
    case.event("enquiry_explained", case.at(0, 3), method=rng.choice(METHODS))
    if not facts["matter_for_police"]:
        case.event("referred_to_other_organisation", case.at(0, 5), organisation="local authority")
    elif facts.get("visit_needed"):
        case.event("appointment_agreed", case.at(0, 4),
                   appointment_at=_iso(case.at(2, 10)))


def _complaint(case: _Case) -> None:
    rng = case.rng
    facts = case.data["facts"]
    facts["complaint_type"] = rng.choice(("victims_code", "police_conduct", "service", "data_protection"))
    facts["requester_name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if rng.random() < 0.8:
        facts["complaint_recorded_under_schedule_3"] = rng.random() < 0.5
    case.event("reference_number_issued", case.at(0, 1), reference=case.data["case_id"])
    if rng.random() < 0.9:
        case.event("complaint_acknowledged", case.at(0, 15))
    if rng.random() < 0.6:
        case.event("complaint_outcome_given", case.at(20, 120))


BUILDERS = {"crime_report": _crime, "foi_request": _foi, "subject_access_request": _sar,
            "general_enquiry": _enquiry, "complaint": _complaint}
PREFIX = {"crime_report": "CR", "foi_request": "FOI", "subject_access_request": "SAR", "general_enquiry": "ENQ",
          "complaint": "CMP"}


def make_case(rng: random.Random, number: int) -> dict[str, Any]:
    """One realistic case (no faults)."""
    kind = _pick(rng, KINDS)
    received = FIRST_DAY + dt.timedelta(seconds=rng.randint(0, SPAN_DAYS * 86400))
    case = _Case(rng, f"{PREFIX[kind]}-{number:08d}", kind, received)
    BUILDERS[kind](case)
    while len(case.events) < 3:  # every case has 3 to 20 events
        case.event("victim_updated" if kind == "crime_report" else "reference_number_issued",
                   case.at(0, 20), **({"method": "phone"} if kind == "crime_report" else {}))
    return case.finish()


def _fault(rng: random.Random, data: dict[str, Any], recent: list[str]) -> tuple[str | None, bytes | None]:
    """Maybe damage the case; returns (fault name, the line to write instead) or (None, None)."""
    roll = rng.random()
    for name, share in FAULTS:
        if roll >= share:
            roll -= share
            continue
        if name == "naive_timestamp" and data["events"]:
            data["events"][-1]["at"] = data["events"][-1]["at"][:19]
        elif name == "unknown_event_type" and data["events"]:
            data["events"][-1]["type"] = "victim_telephoned"
        elif name == "missing_field":
            del data["received_at"]
        elif name == "duplicate_id" and recent:
            data["case_id"] = rng.choice(recent)
        elif name == "broken_json":
            line = orjson.dumps(data)
            return name, line[: len(line) // 2]
        else:
            return None, None
        return name, None
    return None, None


def block_lines(seed: int, block: int, count: int, clean: bool) -> list[bytes]:
    """JSON lines for cases ``block * BLOCK`` to ``block * BLOCK + count`` (one seed per block)."""
    rng = random.Random(f"{seed}:{block}")
    lines: list[bytes] = []
    recent: list[str] = []
    for i in range(count):
        number = block * BLOCK + i + 1
        data = make_case(rng, number)
        if not clean:
            fault, raw = _fault(rng, data, recent)
            if raw is not None:
                lines.append(raw)
                continue
        lines.append(orjson.dumps(data))
        recent.append(data["case_id"])
        if len(recent) > 50:
            recent.pop(0)
    return lines


def generate(count: int, seed: int = 1, clean: bool = False, jobs: int = 1) -> Iterator[bytes]:
    """Every line of the export, in order."""
    blocks = [(seed, b, min(BLOCK, count - b * BLOCK), clean) for b in range((count + BLOCK - 1) // BLOCK)]
    if jobs <= 1:
        for args in blocks:
            yield from block_lines(*args)
        return
    with ProcessPoolExecutor(jobs) as pool:
        for lines in pool.map(_block_star, blocks):
            yield from lines


def _block_star(args: tuple[int, int, int, bool]) -> list[bytes]:
    return block_lines(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, help="how many cases")
    parser.add_argument("--out", type=Path, required=True, help=".jsonl, .json, .csv, optionally .gz")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clean", action="store_true", help="no data faults")
    parser.add_argument("--jobs", type=int, default=2, help="processes used to generate (output is the same)")
    args = parser.parse_args(argv)
    name = args.out.name.lower().removesuffix(".gz")
    opener = gzip.open if args.out.name.lower().endswith(".gz") else open
    lines = generate(args.count, args.seed, args.clean, args.jobs)
    with opener(args.out, "wb") as handle:  # type: ignore[operator]
        if name.endswith(".csv"):
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
            from charter_rules.check.csv_exports import write_csv

            write_csv((orjson.loads(line) for line in lines if _parses(line)), handle)
        elif name.endswith(".json"):
            handle.write(b"[\n")  # a JSON array cannot hold a cut-short line: those are left out
            for i, line in enumerate(line for line in lines if _parses(line)):
                handle.write((b",\n" if i else b"") + line)
            handle.write(b"\n]\n")
        else:
            for line in lines:
                handle.write(line + b"\n")
    print(f"wrote {args.count} cases to {args.out}", file=sys.stderr)
    return 0


def _parses(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
