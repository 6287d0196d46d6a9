"""Planning ahead: what to do today (the work queue), what will change by itself (forecast) and what an event
would change (what-if). Each module has one job; all of them only call the evaluator, never change it."""

from __future__ import annotations

from .forecast import Forecast, ForecastChange, forecast
from .owed import is_owed
from .queue import QueueGroup, QueueRow, WorkQueue, build_queue, queue_rows
from .whatif import CaseEdit, WhatIf, WhatIfChange, parse_edit, what_if

__all__ = ["CaseEdit", "Forecast", "ForecastChange", "QueueGroup", "QueueRow", "WhatIf", "WhatIfChange",
           "WorkQueue", "build_queue", "forecast", "is_owed", "parse_edit", "queue_rows", "what_if"]
