"""Deadlines in working days: Monday to Friday, less Vietnam's public holidays (New Year, Tết and the Hùng
Kings' day by the lunar calendar, 30 April, 1 May, National Day; the days off the government moves each
year as far as the installed `holidays` release knows them) and the days off the agency adds
(SOHOA_DAYS_OFF, for the moves announced after that release); a Saturday made a working day counts."""
import datetime as dt

import holidays

from sohoa.core.errors import ConfigurationError

_public_holidays = holidays.country_holidays("VN")


def days_off(value: str | None) -> frozenset[dt.date]:
    """SOHOA_DAYS_OFF: dates YYYY-MM-DD separated by commas."""
    try:
        return frozenset(dt.date.fromisoformat(day.strip()) for day in (value or "").split(",") if day.strip())
    except ValueError:
        raise ConfigurationError(f"invalid settings: SOHOA_DAYS_OFF={value!r}: expected dates YYYY-MM-DD "
                                 "separated by commas, e.g. 2027-02-03,2027-02-11") from None


def is_working_day(day: dt.date, extra_days_off: frozenset[dt.date] = frozenset()) -> bool:
    return _public_holidays.is_working_day(day) and day not in extra_days_off


def add_working_days(moment: dt.datetime, days: int, extra_days_off: frozenset[dt.date] = frozenset()) -> dt.datetime:
    """The same time of day (moment in local time), that many working days later."""
    while days:
        moment += dt.timedelta(days=1)
        days -= is_working_day(moment.date(), extra_days_off)
    return moment
