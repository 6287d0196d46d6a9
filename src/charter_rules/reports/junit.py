"""The report as JUnit XML, so CI systems show breaches as failed tests.

One ``<testsuite>`` per rule, one ``<testcase>`` per case-and-rule breach (an obligation overdue or met late). A breach
whose status is chosen by ``--fail-on`` is a ``<failure>`` whose ``type`` is the status ("overdue", "satisfied_late").
One that is not chosen (say, met late when only overdue fails the run) is a passed test case whose ``<system-out>``
says what happened: it did happen and was checked, so it is neither skipped (CI systems show skipped tests as not
run) nor failed (the run's exit code says it passes). A rule with no breach has one passing test case. Rejected
records form a suite of their own: ``<error>`` when ``--fail-on rejected``, else ``<skipped>`` (a rejected record was
not checked). Streamed, and every value from the data is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

import orjson

from ..check.report import Spool
from .baseline_section import baseline_junit
from ..textsafe import xml_chars
from .view import ReportView, duty_label, rejection_text

CLASS_PREFIX = "charter_rules"


def _attr(value: object) -> str:
    return quoteattr(_clean(str(value)))


def _text(value: object) -> str:
    return escape(_clean(str(value)))


def _clean(text: str) -> str:
    """The characters XML 1.0 cannot carry, and terminal controls, shown as visible escapes."""
    return xml_chars(text)


def _breach_case(breach: dict[str, Any], failing: bool) -> str:
    name = f"{breach['case_id']} #{breach['instance']}"
    status = breach["status"].replace("_", " ")
    message = f"{status}: due {breach['due_date']} ({duty_label(breach.get('duty'))})"
    if breach.get("satisfied_at"):
        message += f", met {breach['satisfied_at']} ({breach.get('satisfied_by')})"
    details = [f"case {breach['case_id']} ({breach['where']})", f"rule {breach['rule']} #{breach['instance']}",
               f"status: {status}", f"triggered: {breach.get('triggered_at')} ({breach.get('trigger')})",
               f"due: {breach['due_date']}", f"kind of duty: {duty_label(breach.get('duty'))}"]
    if breach.get("variant"):
        details.append(f"variant: {breach['variant']}")
    if breach.get("needed"):
        details.append(f"needed: {breach['needed']}")
    head = (f'    <testcase classname={_attr(CLASS_PREFIX + "." + breach["rule"])} name={_attr(name)} time="0" '
            f'file={_attr(breach["where"])}>')
    if failing:
        body = f'      <failure message={_attr(message)} type={_attr(breach["status"])}>{_text(chr(10).join(details))}</failure>'
    else:  # checked and found, but not a failure of this run: reported as output of a passed test
        details.insert(0, f"{message} (reported, not a failure: its status is not chosen by --fail-on)")
        body = f"      <system-out>{_text(chr(10).join(details))}</system-out>"
    return f"{head}\n{body}\n    </testcase>\n"


def render_junit(view: ReportView, out: BinaryIO) -> None:
    report, options = view.report, view.options
    failing = set(options.fail_on)
    by_rule: dict[str, Spool] = defaultdict(Spool)
    for line in report.breaches:
        rule = orjson.loads(line)["rule"]
        by_rule[rule].append(line)
    suites = [t.rule_id for t in view.tallies] + [r for r in by_rule if r not in report.rules]
    total = sum(max(len(by_rule.get(rule, ())), 1) for rule in suites) + report.rejected
    failures = sum(1 for line in report.breaches if orjson.loads(line)["status"] in failing)
    errors = report.rejected if "rejected" in failing else 0
    skipped = report.rejected - errors  # rejected records not chosen by --fail-on: not checked
    timestamp = report.as_of.replace(tzinfo=None).isoformat(timespec="seconds")
    compared, compared_tests, compared_failures, compared_skipped = baseline_junit(view, _attr, timestamp)
    total, failures, skipped = total + compared_tests, failures + compared_failures, skipped + compared_skipped
    w = out.write
    w(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    w(f'<testsuites name="charter-rules check" tests="{total}" failures="{failures}" errors="{errors}" '
      f'skipped="{skipped}" time="0">\n'.encode())
    # the split of breaches by kind of duty and the settings in force, as properties of a suite with no tests
    w(f'  <testsuite name="summary" tests="0" failures="0" errors="0" skipped="0" time="0" '
      f'timestamp="{timestamp}">\n    <properties>\n'.encode())
    for duty, overdue, late, _ in view.duty_rows():
        w(f'      <property name={_attr("breaches: " + duty.label)} value="{overdue + late}"/>\n'.encode())
    for setting in report.settings:
        w(f'      <property name={_attr("setting: " + setting.title)} value={_attr(setting.value_title)}/>\n'.encode())
    w(b"    </properties>\n  </testsuite>\n")
    for rule in suites:
        spool = by_rule.get(rule)
        n = len(spool) if spool is not None else 0
        rule_failures = sum(1 for b in (spool.records() if spool else ()) if b["status"] in failing)
        w(f'  <testsuite name={_attr(rule)} tests="{max(n, 1)}" failures="{rule_failures}" errors="0" '
          f'skipped="0" time="0" timestamp="{timestamp}">\n'.encode())
        w(f'    <properties>\n      <property name="title" value={_attr(view.rule_title(rule))}/>\n'
          f'      <property name="as_of" value={_attr(report.as_of.isoformat())}/>\n    </properties>\n'.encode())
        if n == 0:
            w(f'    <testcase classname={_attr(CLASS_PREFIX + "." + rule)} name="no breaches" time="0"/>\n'.encode())
        else:
            for breach in spool.records():  # type: ignore[union-attr]
                w(_breach_case(breach, breach["status"] in failing).encode())
        w(b"  </testsuite>\n")
    if report.rejected:
        w(f'  <testsuite name="rejected records" tests="{report.rejected}" failures="0" errors="{errors}" '
          f'skipped="{report.rejected - errors}" time="0" timestamp="{timestamp}">\n'.encode())
        for entry in view.rejections():
            text = rejection_text(entry)
            w(f'    <testcase classname="{CLASS_PREFIX}.records" name={_attr(entry["where"])} time="0">\n'.encode())
            if errors:
                w(f'      <error message={_attr(text)} type="rejected">{_text(text)}</error>\n'.encode())
            else:
                w(f"      <skipped message={_attr(text + ' (not chosen by --fail-on)')}/>\n".encode())
            w(b"    </testcase>\n")
        w(b"  </testsuite>\n")
    w(compared.encode())
    w(b"</testsuites>\n")
