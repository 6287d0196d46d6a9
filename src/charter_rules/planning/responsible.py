"""Who is responsible for a case at a moment, from its events: the officer in charge and the team.

The officer is the latest 'Officer in charge assigned' event at or before the moment; the team is the latest
'Team assigned' event, or the team recorded with the latest officer assignment, whichever came later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..snapshot import CaseSnapshot

OFFICER_EVENT = "officer_in_charge_assigned"
TEAM_EVENT = "team_assigned"


@dataclass(frozen=True)
class Responsible:
    officer: str | None = None
    team: str | None = None


def responsible(snapshot: CaseSnapshot, as_of: dt.datetime) -> Responsible:
    officer: tuple[dt.datetime, str] | None = None
    team: tuple[dt.datetime, str] | None = None
    for event in snapshot.events:
        if event.at > as_of or event.type not in (OFFICER_EVENT, TEAM_EVENT):
            continue
        if event.type == OFFICER_EVENT and getattr(event, "officer", None) is not None:
            if officer is None or event.at >= officer[0]:
                officer = (event.at, event.officer)
        named_team = getattr(event, "team", None)
        if named_team is not None and (team is None or event.at >= team[0]):
            team = (event.at, named_team)
    return Responsible(officer[1] if officer else None, team[1] if team else None)
