"""An HSDS schedule's repeat rule (RFC 5545 `freq`, `byday`, `opens_at`, ...) in plain words.

Materials print hours as people say them ("Monday to Friday, 9 am to 5 pm"). Only the rules
that can be said simply are put in words; for any other, `rule_words` says which field is in
the way and why, so the mapping can print the schedule's own description or leave it out
with a note.
"""

from __future__ import annotations

import re

from handout.hsds.rows import Row

DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDINALS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    -1: "last",
    -2: "second to last",
}
UNSUPPORTED_RULES = ("until", "count", "byweekno", "bymonthday", "byyearday")
TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def rule_words(row: Row) -> tuple[str | None, tuple[str, str]]:
    """The schedule's repeat rule and times in words, or None and (field, why not)."""
    for name in UNSUPPORTED_RULES:
        if row.get(name):
            return None, (name, f"a rule with `{name}` cannot be put in plain words")
    interval = row.get("interval")
    if interval and interval != "1":
        return None, ("interval", f"repeats every {interval} weeks or months: too complex to print")
    freq = (row.get("freq") or "WEEKLY").upper()
    days = [day.strip().upper() for day in (row.get("byday") or "").split(",") if day.strip()]
    if not days:
        return None, ("byday", "no days given")
    if freq == "WEEKLY":
        if any(day not in DAYS for day in days):
            return None, ("byday", f"`{row.get('byday')}` are not days such as MO,TU")
        when = _day_list(days)
    elif freq == "MONTHLY":
        when = _monthly(days)
        if when is None:
            return None, ("byday", f"`{row.get('byday')}` is not a rule such as 1SA or -1FR")
    else:
        return None, ("freq", f"`{freq}` is neither WEEKLY nor MONTHLY")
    opens, closes = row.get("opens_at"), row.get("closes_at")
    if not opens or not closes:
        return when, ("", "")
    times = [TIME.match(value) for value in (opens, closes)]
    for name, match in zip(("opens_at", "closes_at"), times, strict=True):
        if match is None:
            return None, (name, f"`{row.get(name)}` is not a time such as 09:00")
        if match.group(3) == "Z":
            return None, (name, "the time is in UTC (Z), so the local time is not known")
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 24 or minute > 59 or (hour == 24 and minute != 0):
            return None, (
                name,
                f"`{row.get(name)}` is not a time of day (hours 00 to 23, minutes 00 to 59)",
            )
    (start_h, start_m), (end_h, end_m) = ((int(m.group(1)), int(m.group(2))) for m in times)
    if (start_h, start_m) == (0, 0) and (end_h, end_m) in ((23, 59), (24, 0), (0, 0)):
        return f"{when}, 24 hours", ("", "")
    return f"{when}, {_clock(start_h, start_m)} to {_clock(end_h, end_m)}", ("", "")


def _day_list(days: list[str]) -> str:
    """MO,TU,WE,TH,FR -> "Monday to Friday"; all seven -> "Every day"."""
    order = [day for day in DAYS if day in days]
    if len(order) == 7:
        return "Every day"
    runs: list[list[str]] = []
    for day in order:
        if runs and list(DAYS).index(day) == list(DAYS).index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]} to {DAYS[run[-1]]}")
        else:
            parts += [DAYS[day] for day in run]
    return _and(parts)


def _monthly(days: list[str]) -> str | None:
    """1SA -> "First Saturday of the month"; 1SA,3SA -> "First and third Saturday ..."."""
    parsed = []
    for day in days:
        match = re.fullmatch(r"([+-]?\d)([A-Z]{2})", day)
        if not match or match.group(2) not in DAYS or int(match.group(1)) not in ORDINALS:
            return None
        parsed.append((ORDINALS[int(match.group(1))], DAYS[match.group(2)]))
    if len({weekday for _o, weekday in parsed}) == 1:
        text = f"{_and([ordinal for ordinal, _w in parsed])} {parsed[0][1]}"
    else:
        text = _and([f"{ordinal} {weekday}" for ordinal, weekday in parsed])
    return f"{text[0].upper()}{text[1:]} of the month"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _clock(hour: int, minute: int) -> str:
    if (hour % 24, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "noon"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown} {suffix}" if minute == 0 else f"{shown}:{minute:02d} {suffix}"
