"""The overview's period in its URL: ?overenskommelse=medborgarlofte-2023&indelning=quarter&period=2024-Q1.

Plain functions of plain data (no Streamlit), so that every link, good or bad, is tested on its own:
a wrong or stale value falls back to the default with a Swedish notice that quotes it cut short.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from trygghet.figures.compute import default_agreement
from trygghet.figures.periods import (
    GRAIN_LABELS_SV,
    PICKER_GRAINS,
    AgreementSpan,
    Grain,
    Period,
    period_containing,
    periods_between,
)
from trygghet.formatting import echo, format_date_range

PERIOD_PARAMS = ("overenskommelse", "indelning", "period")
DEFAULT_GRAIN = Grain.YEAR
WHOLE_AGREEMENT = "hela"  # the one period of the agreement grain; not written to the URL
# What a period key of each grain looks like, for the notice about a key that names no period.
KEY_EXAMPLES = {
    Grain.YEAR: "ett år (till exempel 2024)",
    Grain.TERTIAL: "ett tertial (till exempel 2024-T2)",
    Grain.QUARTER: "ett kvartal (till exempel 2024-Q1)",
    Grain.MONTH: "en månad (till exempel 2024-03)",
    Grain.WEEK: "en ISO-vecka (till exempel 2024-W05)",
}


@dataclass(frozen=True)
class PeriodView:
    """What the overview shows: an agreement, a grain and the key of one of its periods."""

    agreement_id: str
    grain: Grain
    period: str


def period_key(period: Period) -> str:
    """The stable name of a calendar period in a link: '2024', '2024-T2', '2024-Q1', '2024-03', '2024-W05'.

    Read from the start, so a period cut by its agreement keeps the name of the whole period."""
    start = period.start
    if period.grain == Grain.YEAR:
        return f"{start.year}"
    if period.grain == Grain.TERTIAL:
        return f"{start.year}-T{(start.month - 1) // 4 + 1}"
    if period.grain == Grain.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if period.grain == Grain.MONTH:
        return f"{start.year}-{start.month:02d}"
    if period.grain == Grain.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period.grain == Grain.AGREEMENT:
        return WHOLE_AGREEMENT
    raise ValueError(f"no period key for grain {period.grain}")


def named_period(grain: Grain, key: str) -> Period | None:
    """The whole calendar period a key names ('2024-Q1' as a quarter), or None when it names none."""
    patterns = {
        Grain.YEAR: r"(\d{4})",
        Grain.TERTIAL: r"(\d{4})-T([1-3])",
        Grain.QUARTER: r"(\d{4})-Q([1-4])",
        Grain.MONTH: r"(\d{4})-(\d{2})",
        Grain.WEEK: r"(\d{4})-W(\d{2})",
    }
    match = re.fullmatch(patterns[grain], key) if grain in patterns else None
    if not match:
        return None
    year, number = int(match[1]), int(match[2]) if grain != Grain.YEAR else 1
    try:
        if grain == Grain.WEEK:
            day = dt.date.fromisocalendar(year, number, 1)
        else:
            size = {Grain.YEAR: 12, Grain.TERTIAL: 4, Grain.QUARTER: 3, Grain.MONTH: 1}[grain]
            day = dt.date(year, (number - 1) * size + 1, 1)
    except ValueError:
        return None
    period = period_containing(grain, day)
    return period if period_key(period) == key else None


def period_options(grain: Grain, agreement: AgreementSpan, day: dt.date) -> dict[str, Period]:
    """The periods of `grain` the picker offers for an agreement up to `day`, latest first, by key."""
    span = (agreement.start, agreement.end)
    if grain == Grain.AGREEMENT:
        return {WHOLE_AGREEMENT: period_containing(Grain.AGREEMENT, span[0], span=span, span_label=agreement.title)}
    last_day = max(span[0], min(span[1], day))
    return {
        period_key(p): clipped
        for p in reversed(periods_between(grain, span[0], last_day))
        if (clipped := p.clip(*span)) is not None
    }


def default_agreement_of(agreements: Sequence[AgreementSpan], day: dt.date) -> AgreementSpan:
    frame = SimpleNamespace(
        title=[a.title for a in agreements],
        valid_from=[a.start for a in agreements],
        valid_to=[a.end for a in agreements],
    )
    return agreements[default_agreement(frame, day)]


def parse_period_query(
    query: Mapping[str, str], agreements: Sequence[AgreementSpan], day: dt.date
) -> tuple[PeriodView, list[str]]:
    """The overview's agreement, grain and period from the URL's parameters. Whatever is missing takes its
    default (the agreement valid today, per year, the latest period); whatever is wrong or stale too, with a
    Swedish notice each (the bad value cut short)."""
    notices = [
        f"Adressen innehåller ”{echo(key)}”, som inte är ett val på den här sidan. Det används inte."
        for key in query
        if key not in PERIOD_PARAMS
    ]
    by_id = {a.id: a for a in agreements}
    agreement = default_agreement_of(agreements, day)
    wanted = query.get("overenskommelse")
    if wanted is not None:
        if wanted.strip() in by_id:
            agreement = by_id[wanted.strip()]
        else:
            notices.append(
                f"Adressen anger överenskommelsen ”{echo(wanted)}”, som inte finns. "
                f"Sidan visar {agreement.title} i stället."
            )
    grain = DEFAULT_GRAIN
    wanted, grain_known = query.get("indelning"), True
    if wanted is not None:
        if wanted.strip().lower() in PICKER_GRAINS:
            grain = Grain(wanted.strip().lower())
        else:
            grain_known = False  # a period meant for another grain is not judged (nor noticed) on its own
            notices.append(
                f"Adressen anger indelningen ”{echo(wanted)}”, som inte finns. "
                f"Sidan visar indelningen {GRAIN_LABELS_SV[DEFAULT_GRAIN]} i stället."
            )
    options = period_options(grain, agreement, day)
    key = next(iter(options))
    wanted = query.get("period")
    if wanted is not None and grain_known and grain != Grain.AGREEMENT:  # the whole agreement has one period
        if wanted.strip().upper() in options:
            key = wanted.strip().upper()
        else:
            named = named_period(grain, wanted.strip().upper())
            if named is None:
                problem = f"som inte är {KEY_EXAMPLES[grain]}"
            elif named.start > day:
                problem = "som inte har börjat än"
            else:
                problem = f"som ligger utanför {agreement.title} ({format_date_range(agreement.start, agreement.end)})"
            notices.append(
                f"Adressen anger perioden ”{echo(wanted)}”, {problem}. Sidan visar {options[key].label} i stället."
            )
    return PeriodView(agreement.id, grain, key), notices


def period_query(view: PeriodView) -> dict[str, str]:
    """The canonical parameters of a view, every one written out so that a link keeps its view over time."""
    query = {"overenskommelse": view.agreement_id, "indelning": view.grain.value}
    if view.grain != Grain.AGREEMENT:
        query["period"] = view.period
    return query
