"""Quiet hours (18:00-08:00): the next morning in the rep's own timezone, across DST; weekends are not quiet."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.schedule import out_of_quiet_hours, zone


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "tz", "expected"),
    [
        (utc(2026, 11, 25, 15, 40), "America/New_York", utc(2026, 11, 25, 15, 40)),  # Wed 10:40: as is
        (utc(2026, 11, 25, 23, 5), "America/New_York", utc(2026, 11, 26, 13, 0)),  # Wed 18:05 -> Thu 08:00
        (utc(2026, 11, 26, 10, 0), "America/New_York", utc(2026, 11, 26, 13, 0)),  # Thu 05:00 -> Thu 08:00
        (utc(2026, 11, 27, 23, 5), "America/New_York", utc(2026, 11, 28, 13, 0)),  # Fri 18:05 -> Sat 08:00
        (utc(2026, 11, 28, 17, 0), "America/New_York", utc(2026, 11, 28, 17, 0)),  # Sat noon: as is
        (utc(2026, 11, 29, 23, 0), "Europe/Berlin", utc(2026, 11, 30, 7, 0)),  # Mon 00:00 Berlin -> Mon 08:00
        # DST starts Sunday 8 March 2026 in New York: Saturday evening EST -> Sunday 08:00 EDT (12:00 UTC).
        (utc(2026, 3, 7, 23, 30), "America/New_York", utc(2026, 3, 8, 12, 0)),
        # DST ends Sunday 25 October 2026 in Berlin: Saturday evening CEST -> Sunday 08:00 CET (07:00 UTC).
        (utc(2026, 10, 24, 18, 0), "Europe/Berlin", utc(2026, 10, 25, 7, 0)),
        (utc(2026, 11, 25, 20, 0), None, utc(2026, 11, 26, 8, 0)),  # unknown timezone: UTC
        (utc(2026, 11, 25, 20, 0), "Not/AZone", utc(2026, 11, 26, 8, 0)),
    ],
)
def test_out_of_quiet_hours(at: datetime, tz: str | None, expected: datetime) -> None:
    assert out_of_quiet_hours(at, tz) == expected


@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "UTC"]),
)
def test_always_daytime_not_before_and_within_a_day(at: datetime, tz: str) -> None:
    due = out_of_quiet_hours(at, tz)
    local = due.astimezone(zone(tz))
    assert due >= at and (due - at).days < 1
    assert 8 <= local.hour < 18
