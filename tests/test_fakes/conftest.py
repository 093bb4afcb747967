"""Fixtures for the fakes' own tests: a seeded `FakeSlack` and a real slack-sdk `WebClient` pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from tests.fakes import FakeSlack
from tests.support.slack_client import BOT_TOKEN


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U0001", name="ana", real_name="Ana Rep", email="ana@example.com")
        fake.add_user("U0002", name="mia", real_name="Mia Marketer", email="mia@example.com", tz="Europe/Berlin")
        fake.add_user("UADMIN", name="ada", email="ada@example.com", is_admin=True, is_owner=True)
        fake.add_channel("C0001", "general", members=["U0001", "U0002", fake.bot_user_id])
        fake.add_channel("C0002", "sales", members=["U0001"])
        fake.add_channel("G0001", "leadership", members=["UADMIN"], is_private=True)
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(
        token=BOT_TOKEN,
        base_url=fake.url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0)),
        ],
    )
