"""Dates as users type them: ISO (2024-06-30) or the Vietnamese day/month/year (30/06/2024)."""
import datetime as dt
import re

from sohoa.core.errors import UsageError

FORMATS = ((re.compile(r"\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"), (re.compile(r"\d{1,2}/\d{1,2}/\d{4}"), "%d/%m/%Y"))


def iso_date(value: str | None, option: str) -> str | None:
    """The date as YYYY-MM-DD; a value that is not a real date in either form is a usage error naming option."""
    if value is None:
        return None
    text = value.strip()
    for pattern, form in FORMATS:
        if pattern.fullmatch(text):
            try:
                return dt.datetime.strptime(text, form).date().isoformat()
            except ValueError:
                break
    raise UsageError(f"{option} {value!r}: not a date; write it as YYYY-MM-DD or DD/MM/YYYY")
