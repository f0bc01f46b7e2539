"""The briefing's freshness: what Dagster's policy declares and `ntm-ocop status` says in words."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.freshness import briefing_policy, freshness
from orchestration.settings import Settings

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = Settings.load({}).deadline  # the defaults: 08:00 on the 25th, Asia/Ho_Chi_Minh


def at(day: int, month: int = 11, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=HANOI)


@pytest.mark.parametrize(
    ("published", "now", "late"),
    [
        (None, at(10), True),  # never published
        (at(21), at(26), False),  # published in the five days before the 25th's briefing
        (at(10), at(26), True),  # the 25th passed with only a publication of the 10th
        (at(10), at(15), False),  # the last briefing (25/10) is met; the next is not due yet
        (at(19, hour=12), at(25, hour=10), True),  # the deadline is 08:00 on the 25th: the 19th is too early
        (at(25, hour=7), at(25, hour=9), False),  # the scheduled 06:00 run made it
        (at(27), at(28), False),  # late, then published: fresh again
    ],
)
def test_a_briefing_is_late_without_a_publication_in_the_days_before_it(published, now, late):
    state = freshness(published, now, DEADLINE)
    assert state.is_late is late
    assert state.describe().startswith("LATE" if late else "on time")
    assert state.last_deadline <= now < state.next_deadline


def test_naive_publication_times_are_this_machines_local_time():
    local = at(21).astimezone().replace(tzinfo=None)  # as the publish writes it
    assert freshness(local, at(26), DEADLINE).published_at == at(21)


def test_the_briefing_marts_and_the_serving_database_carry_the_policy():
    from orchestration.definitions import defs

    definitions = defs()
    for key in ("marts/mart_province_briefing", "marts/mart_district_briefing", "serving/database"):
        asset_key = dg.AssetKey.from_user_string(key)
        spec = definitions.resolve_assets_def(asset_key).specs_by_key[asset_key]
        assert spec.freshness_policy == briefing_policy(DEADLINE), key


def test_the_deadline_is_a_setting_read_when_the_location_loads(monkeypatch):
    monkeypatch.setenv("NTM_BRIEFING_DEADLINE_CRON", "0 8 20 * *")
    from orchestration.definitions import defs

    key = dg.AssetKey(["serving", "database"])
    spec = defs().resolve_assets_def(key).specs_by_key[key]
    assert spec.freshness_policy == briefing_policy(Settings.load().deadline)
    assert spec.freshness_policy != briefing_policy(DEADLINE)
    assert freshness(None, at(21), Settings.load().deadline).last_deadline == at(20, hour=8)
