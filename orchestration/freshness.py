"""How fresh the published marts must be before the monthly briefing, for Dagster's UI and `ntm-ocop status`.

A briefing needs a publication made in the days before it: by the deadline (08:00 on the 25th,
Asia/Ho_Chi_Minh, two hours after the monthly schedule), the marts must have been published within
the last PUBLISHED_WITHIN. Dagster shows the briefing marts and the serving database as late (its
freshness policy, turned on in dagster.yaml) from the deadline until the next publication; `ntm-ocop
status` says the same in words.

Settings (orchestration/settings.py): NTM_BRIEFING_DEADLINE_CRON (default "0 8 25 * *") and
NTM_BRIEFING_TIMEZONE, given here as a :class:`Deadline`; orchestration/definitions.py puts the policy on the
assets of BRIEFING_ASSETS when the code location loads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import dagster as dg

from orchestration.settings import Deadline

# Units send their workbooks by about the 20th: a publication of the last five days holds them.
PUBLISHED_WITHIN = dt.timedelta(days=5)
# The assets the briefing reads, which carry the policy.
BRIEFING_ASSETS = ("marts/mart_province_briefing", "marts/mart_district_briefing", "serving/database")


def briefing_policy(deadline: Deadline) -> dg.FreshnessPolicy:
    """Dagster's freshness policy for the briefing's assets: published within PUBLISHED_WITHIN before the deadline."""
    return dg.FreshnessPolicy.cron(
        deadline_cron=deadline.cron, lower_bound_delta=PUBLISHED_WITHIN, timezone=deadline.timezone
    )


@dataclass(frozen=True)
class Freshness:
    published_at: dt.datetime | None  # aware
    last_deadline: dt.datetime
    next_deadline: dt.datetime
    timezone: str

    @property
    def is_late(self) -> bool:
        """No publication in the window before the last deadline, nor since it."""
        return self.published_at is None or self.published_at < self.last_deadline - PUBLISHED_WITHIN

    def describe(self) -> str:
        def when(moment: dt.datetime) -> str:
            return f"{moment:%d/%m/%Y %H:%M}"

        published = f"last published {when(self.published_at)}" if self.published_at else "never published"
        due = f"next briefing {when(self.next_deadline)}: publish from {when(self.next_deadline - PUBLISHED_WITHIN)}"
        if self.is_late:
            return (
                f"LATE: {published}; the briefing of {when(self.last_deadline)} needed a publication from "
                f"{when(self.last_deadline - PUBLISHED_WITHIN)} ({self.timezone}). Run `ntm-ocop run`. {due}."
            )
        return f"on time: {published} ({self.timezone}); {due}."


def freshness(published_at: dt.datetime | None, now: dt.datetime, deadline: Deadline) -> Freshness:
    """The briefing deadlines around `now` (aware), and whether `published_at` (naive: local time) meets them."""
    from dagster._utils.schedules import cron_string_iterator, reverse_cron_string_iterator

    last = next(reverse_cron_string_iterator(now.timestamp(), deadline.cron, deadline.timezone))
    following = next(cron_string_iterator(now.timestamp(), deadline.cron, deadline.timezone))
    if published_at is not None and published_at.tzinfo is None:
        published_at = published_at.astimezone()  # the publish writes this machine's local time
    return Freshness(
        published_at.astimezone(last.tzinfo) if published_at else None,
        last,
        following,
        deadline.timezone,
    )
