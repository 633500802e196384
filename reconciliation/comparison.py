"""Our projection against DWP's confirmation, milestone by milestone, and the flags that
say what to chase. Plain functions of their inputs (``today`` included), so that every
flag is tested with a fixed clock.

- **late**: DWP confirmed more than ``late_weeks`` after the projected date (RTI lag, an
  employer outside PAYE, pay that changed);
- **missing**: projected Achieved (or Verified) ``missing_days`` ago or more, and DWP has
  sent nothing (chase it, or check the PRaP start date);
- **unknown employment**: DWP confirmed, but no job (or self-employment, for that
  outcome) is recorded: evidence is needed before validation. RTE carries no employer.
"""

import datetime
from dataclasses import dataclass

ACHIEVED_STATUSES = ("achieved", "verified")


class Flag:
    LATE = "late"
    MISSING = "missing"
    UNKNOWN_EMPLOYMENT = "unknown_employment"

    LABELS = {
        LATE: "Late",
        MISSING: "Missing",
        UNKNOWN_EMPLOYMENT: "Unknown employment",
    }


@dataclass(frozen=True)
class Comparison:
    projected: datetime.date | None
    confirmed: datetime.date | None
    flags: tuple[str, ...]

    @property
    def difference_days(self) -> int | None:
        """DWP's date minus ours: positive when DWP confirmed later than projected."""
        if self.projected is None or self.confirmed is None:
            return None
        return (self.confirmed - self.projected).days

    @property
    def flag_labels(self) -> list[tuple[str, str]]:
        return [(flag, Flag.LABELS[flag]) for flag in self.flags]


def compare(
    *,
    projected: datetime.date | None,
    status: str,
    confirmed: datetime.date | None,
    has_employment: bool,
    today: datetime.date,
    late_weeks: int,
    missing_days: int,
) -> Comparison:
    flags = []
    if confirmed is not None:
        if projected is not None and (confirmed - projected).days > late_weeks * 7:
            flags.append(Flag.LATE)
        if not has_employment:
            flags.append(Flag.UNKNOWN_EMPLOYMENT)
    elif (
        status in ACHIEVED_STATUSES
        and projected is not None
        and (today - projected).days >= missing_days
    ):
        flags.append(Flag.MISSING)
    return Comparison(projected=projected, confirmed=confirmed, flags=tuple(flags))
