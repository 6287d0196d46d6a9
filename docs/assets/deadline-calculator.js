/* The deadline calculator: counts a deadline in the browser with the rule book's calendars (embedded in the page)
   the way charter_rules.deadlines does. Dates are handled as whole days (UTC arithmetic on YYYY-MM-DD), moments as
   instants, and London time through the browser's own time-zone data. */
(function () {
  "use strict";
  var DAY = 86400000;
  var WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"];
  var LONDON_PARTS = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit"
  });

  function CalculatorError(message) { this.message = message; }

  /* --- days: a day is its number of days since 1970-01-01 --------------------------------------------------- */
  function dayOf(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m) { throw new CalculatorError("'" + iso + "' is not a date (YYYY-MM-DD)"); }
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    var back = new Date(t);
    if (back.getUTCMonth() !== +m[2] - 1 || back.getUTCDate() !== +m[3]) {
      throw new CalculatorError("'" + iso + "' is not a real date");
    }
    return Math.round(t / DAY);
  }
  function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  function weekdayOf(day) { return (new Date(day * DAY).getUTCDay() + 6) % 7; } /* Monday 0 ... Sunday 6 */
  function formatDay(day) {
    var d = new Date(day * DAY);
    return WEEKDAYS[weekdayOf(day)].slice(0, 3) + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " +
      d.getUTCFullYear();
  }

  /* --- London time ------------------------------------------------------------------------------------------ */
  function londonParts(ms) {
    var out = {};
    LONDON_PARTS.formatToParts(new Date(ms)).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function londonDay(ms) {
    var p = londonParts(ms);
    return dayOf(p.year + "-" + p.month + "-" + p.day);
  }
  function londonOffsetMinutes(ms) {
    var p = londonParts(ms);
    var asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
  }
  function londonMoment(day, hour) { /* the instant of hour:00 London time on day */
    var guess = day * DAY + hour * 3600000;
    var first = guess - londonOffsetMinutes(guess) * 60000;
    return guess - londonOffsetMinutes(first) * 60000;
  }
  function offsetText(minutes) {
    var sign = minutes < 0 ? "-" : "+";
    var a = Math.abs(minutes);
    return sign + String(Math.floor(a / 60)).padStart(2, "0") + ":" + String(a % 60).padStart(2, "0");
  }
  function isoMoment(ms, offset) { /* like Python's isoformat() of an aware datetime */
    var local = new Date(ms + offset * 60000).toISOString().slice(0, 19);
    return local + offsetText(offset);
  }
  function londonIso(ms) { return isoMoment(ms, londonOffsetMinutes(ms)); }
  function londonText(ms) {
    var p = londonParts(ms);
    var zone = londonOffsetMinutes(ms) === 60 ? "BST" : "GMT";
    return formatDay(londonDay(ms)) + " " + p.hour + ":" + p.minute + " " + zone;
  }

  /* --- the start moment: a date (midday in London) or a timestamp with a UTC offset ------------------------- */
  function parseStart(text) {
    text = text.trim();
    if (text.length === 10) {
      var day = dayOf(text);
      var ms = londonMoment(day, 12);
      return { ms: ms, offset: londonOffsetMinutes(ms), date: day, london: true };
    }
    var m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
    if (!m) {
      throw new CalculatorError("'" + text + "' is not a date (2026-03-26) or a timestamp with a UTC offset " +
                                "(2026-03-26T14:00:00+00:00)");
    }
    var offset = 0;
    if (m[5].toUpperCase() !== "Z") {
      offset = (m[5][0] === "-" ? -1 : 1) * (+m[5].slice(1, 3) * 60 + +m[5].slice(4, 6));
    }
    var hour = +m[2], minute = +m[3], second = +(m[4] || 0);
    if (hour > 23 || minute > 59 || second > 59) { throw new CalculatorError("'" + text + "' is not a real time"); }
    var msAt = dayOf(m[1]) * DAY + ((hour * 60 + minute) * 60 + second) * 1000 - offset * 60000;
    return { ms: msAt, offset: offset, date: londonDay(msAt) };
  }

  /* --- calendars ---------------------------------------------------------------------------------------------- */
  function Calendar(data, name) {
    var spec = data.calendars[name];
    if (!spec) { throw new CalculatorError("unknown calendar '" + name + "'"); }
    this.title = spec.title;
    this.nations = spec.nations;
    this.holidays = spec.holidays;
    this.first = dayOf(data.first_year + "-01-01");
    this.last = dayOf(data.last_year + "-12-31");
    this.lastYear = data.last_year;
  }
  Calendar.prototype.reason = function (day) { /* why day is not a working day, or null */
    if (day < this.first || day > this.last) {
      throw new CalculatorError("the calculator knows bank holidays up to " + this.lastYear + " only");
    }
    var weekday = weekdayOf(day);
    if (weekday >= 5) { return WEEKDAYS[weekday]; }
    return Object.prototype.hasOwnProperty.call(this.holidays, isoOf(day)) ? this.holidays[isoOf(day)] : null;
  };

  /* --- counting (charter_rules.deadlines) -------------------------------------------------------------------- */
  function daysInMonth(year, month) { return new Date(Date.UTC(year, month + 1, 0)).getUTCDate(); }
  function addMonths(day, months, shortMonth) {
    var d = new Date(day * DAY);
    var total = d.getUTCMonth() + months;
    var year = d.getUTCFullYear() + Math.floor(total / 12), month = ((total % 12) + 12) % 12;
    var length = daysInMonth(year, month);
    if (d.getUTCDate() <= length) { return { day: Math.round(Date.UTC(year, month, d.getUTCDate()) / DAY), note: null }; }
    var moved = Math.round(Date.UTC(year, month, length) / DAY);
    if (shortMonth === "first_day_of_next_month") {
      return { day: moved + 1, unadjusted: moved, note: formatDay(moved) + " is the last day of the month; there is " +
               "no day " + d.getUTCDate() + " in it, so the deadline is the first day of the next month" };
    }
    return { day: moved, unadjusted: moved, note: "there is no day " + d.getUTCDate() + " in " + MONTH_NAMES[month] +
             " " + year + ", so the deadline is its last day" };
  }

  function compute(input, data) {
    var calendar = new Calendar(data, input.calendar);
    var count = input.count;
    if (!(count >= 0 && count <= 100000 && Math.floor(count) === count)) {
      throw new CalculatorError("the count must be a whole number from 0 to 100000");
    }
    var start = parseStart(input.start);
    var result = { skipped: [], adjustment: null, warnings: [] };
    var due;
    if (input.unit === "hours") {
      var breach = start.ms + count * 3600000;
      due = londonDay(breach);
      result.lateFromMs = breach;
      result.lateFrom = start.london ? londonIso(breach) : isoMoment(breach, start.offset);
    } else {
      var dayOne = input.day_one === "trigger_day" ? start.date : start.date + 1;
      if (input.unit === "working_days") {
        due = dayOne - 1;
        var counted = 0;
        while (counted < count) {
          due += 1;
          var why = calendar.reason(due);
          if (why !== null) { result.skipped.push({ date: isoOf(due), reason: why }); } else { counted += 1; }
        }
      } else {
        if (input.unit === "calendar_days") {
          due = count > 0 ? dayOne + count - 1 : dayOne - 1;
        } else if (input.unit === "calendar_months") {
          var moved = addMonths(dayOne, count, input.short_month);
          due = moved.day;
          if (moved.note) { result.adjustment = moved.note; result.unadjusted = moved.unadjusted; }
        } else {
          throw new CalculatorError("unknown unit '" + input.unit + "'");
        }
        if (input.roll_forward) {
          var rolledFrom = due, reason;
          while ((reason = calendar.reason(due)) !== null) {
            result.skipped.push({ date: isoOf(due), reason: reason });
            due += 1;
          }
          if (due !== rolledFrom) {
            result.adjustment = (result.adjustment ? result.adjustment + "; then " : "") + formatDay(rolledFrom) +
              " is not a working day, so the deadline rolls forward to " + formatDay(due);
          }
        }
      }
      calendar.reason(due); /* refuses a date past the data */
      result.lateFromMs = londonMoment(due + 1, 0);
      result.lateFrom = londonIso(result.lateFromMs);
    }
    if (due > dayOf(data.known_through)) {
      result.warnings.push(formatDay(due) + " is after " + data.known_through_text + ", the last date for which " +
        "bank holidays in " + calendar.nations + " are known; a bank holiday proclaimed later would move this date");
    }
    result.due = isoOf(due);
    result.dueText = formatDay(due);
    result.unit = input.unit;
    result.calendarTitle = calendar.title;
    return result;
  }

  /* --- the page ------------------------------------------------------------------------------------------------ */
  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function show(result, out) {
    out.textContent = "";
    var head = element("p", "", "calculator-due");
    head.appendChild(element("strong", "Due: " + result.dueText));
    head.appendChild(document.createTextNode(" (" + result.due + ")"));
    head.setAttribute("data-due", result.due);
    out.appendChild(head);
    var late = element("p", (result.unit === "hours" ? "Late from " : "Late from the start of ") +
      londonText(result.lateFromMs) + ".");
    late.setAttribute("data-late-from", result.lateFrom);
    out.appendChild(late);
    if (result.adjustment) { out.appendChild(element("p", "Adjusted: " + result.adjustment + ".")); }
    if (result.skipped.length) {
      out.appendChild(element("p", "Not counted (" + result.skipped.length + "):"));
      var list = element("ul", undefined, "calculator-skipped");
      result.skipped.forEach(function (s) {
        var item = element("li", formatDay(dayOf(s.date)) + ": " + s.reason);
        item.setAttribute("data-date", s.date);
        item.setAttribute("data-reason", s.reason);
        list.appendChild(item);
      });
      out.appendChild(list);
    } else if (result.unit === "working_days") {
      out.appendChild(element("p", "Every day in between was a working day."));
    }
    result.warnings.forEach(function (w) { out.appendChild(element("p", "Warning: " + w + ".", "calculator-warning")); });
  }

  function readForm(form) {
    return {
      start: form.elements.start.value, count: Number(form.elements.count.value), unit: form.elements.unit.value,
      calendar: form.elements.calendar.value, day_one: form.elements.day_one.value,
      short_month: form.elements.short_month.value, roll_forward: form.elements.roll_forward.checked
    };
  }

  function run(form, out, data) {
    try {
      show(compute(readForm(form), data), out);
    } catch (error) {
      if (!(error instanceof CalculatorError)) { throw error; }
      out.textContent = "";
      var p = element("p", error.message, "calculator-error");
      p.setAttribute("role", "alert");
      out.appendChild(p);
    }
  }

  var form = document.getElementById("deadline-form");
  var source = document.getElementById("calendar-data");
  if (!form || !source) { return; }
  var data = JSON.parse(source.textContent);
  var out = document.getElementById("deadline-result");
  form.addEventListener("submit", function (event) { event.preventDefault(); run(form, out, data); });
  form.addEventListener("change", function () { run(form, out, data); });
  window.charterDeadline = function (input) { return compute(input, data); }; /* for tests and the curious */
  run(form, out, data);
})();
