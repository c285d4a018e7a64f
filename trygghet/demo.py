"""Deterministic, plausible demo logs for every activity type.

The same generator fills an empty database for a first look at the dashboard
and produces millions of rows for the benchmarks (`--rows`). It is vectorised
with numpy so that 10 M rows take seconds, not minutes. Everything it writes is
one import batch marked as demo data, so the pages can say so and
`python -m trygghet demo --remove` can take it out again.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import numpy.typing as npt
import pandas as pd

from trygghet.auth import Role, User
from trygghet.reference.activity_types import AUDIENCES, TOPICS
from trygghet.store.database import BatchInfo, Store

DEMO_FILE_NAME = "Demodata (påhittade aktiviteter)"

# Activities per year in a municipality of Timrå's size (about 18 000 inhabitants).
YEARLY_RATE = {
    "foot_patrol": 230,
    "traffic_control": 110,
    "atractor_check": 40,
    "info_meeting": 22,
    "drug_operation": 14,
    "staff_training": 10,
    "awareness": 16,
}
# Share of traffic-control rows that are monthly totals from the police system.
SUMMARY_SHARE = 0.1

CENTRAL = ("timra-centrum", "vivsta", "akroken")
OUTER = ("sorberge", "bergeforsen", "soraker", "fagervik", "stavreviken", "ljustorp", "tyndero", "logdo", "hassjo")
COMMENTS = (
    None,
    None,
    None,
    None,
    "Lugnt i området.",
    "Samverkan med fältassistenter.",
    "Många ungdomar ute efter skolavslutning.",
    "Genomfört enligt plan.",
)


def _days(first_year: int, last_year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{first_year}-01-01", f"{last_year}-12-31", freq="D")


def _school_term(days: pd.DatetimeIndex) -> np.ndarray:
    """Mid-January to mid-June and mid-August to mid-December."""
    doy: np.ndarray = days.day_of_year.to_numpy()
    return ((doy >= 12) & (doy <= 166)) | ((doy >= 228) & (doy <= 350))


def _day_weights(kind: str, days: pd.DatetimeIndex) -> npt.NDArray[np.float64]:
    weekday: np.ndarray = days.day_of_week.to_numpy()
    month: np.ndarray = days.month.to_numpy()
    weekend = np.where(weekday >= 4, 2.0, 1.0)  # Friday-Sunday
    if kind == "foot_patrol":
        w: npt.NDArray[np.float64] = weekend * np.where(np.isin(month, (6, 7, 8, 12)), 1.3, 1.0)
    elif kind == "atractor_check":
        w = np.where((month >= 4) & (month <= 10), weekend, 0.0)
    elif kind in ("info_meeting", "staff_training"):
        w = np.where(_school_term(days) & (weekday < 5), 1.0, 0.0)
    elif kind == "awareness":
        w = np.where(month == 11, 4.0, 1.0)  # around 25 November, the day against violence against women
    else:
        w = np.where(weekday < 5, 1.0, 0.7)
    return w / np.sum(w)


def _choice(
    rng: np.random.Generator, values: tuple[str | None, ...], n: int, p: tuple[float, ...] | None = None
) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p)]


def _areas(rng: np.random.Generator, n: int, central_share: float) -> np.ndarray:
    central = rng.random(n) < central_share
    return np.where(central, _choice(rng, CENTRAL, n, (0.6, 0.25, 0.15)), _choice(rng, OUTER, n))


def _lists(rng: np.random.Generator, values: tuple[str, ...], n: int, p: tuple[float, ...]) -> list[list[str]]:
    first = rng.choice(len(values), size=n, p=p)
    second = rng.choice(len(values), size=n, p=p)
    two = rng.random(n) < 0.3
    return [sorted({values[a], values[b]}) if t else [values[a]] for a, b, t in zip(first, second, two, strict=True)]


def _type_rows(kind: str, n: int, days: pd.DatetimeIndex, rng: np.random.Generator) -> pd.DataFrame:
    day = days[rng.choice(len(days), size=n, p=_day_weights(kind, days))].to_numpy().astype("datetime64[D]")
    frame = pd.DataFrame({"activity_type": kind, "date_from": day, "date_to": day, "activity_count": 1})
    hour = {
        "foot_patrol": rng.choice(
            [16, 17, 18, 19, 20, 21, 22, 13, 10], size=n, p=[0.08, 0.12, 0.18, 0.2, 0.16, 0.1, 0.06, 0.06, 0.04]
        ),
        "info_meeting": rng.choice([18, 19], size=n),
    }.get(kind, rng.integers(8, 22, size=n))
    minute = rng.choice([0, 15, 30, 45], size=n)
    frame["start_time"] = [dt.time(int(h), int(m)) for h, m in zip(hour, minute, strict=True)]
    duration = {
        "foot_patrol": rng.choice([60, 90, 120, 150, 180], size=n, p=[0.2, 0.25, 0.3, 0.15, 0.1]),
        "info_meeting": rng.choice([60, 90, 120], size=n),
    }.get(kind, rng.choice([60, 120, 180, 240], size=n))
    frame["duration_min"] = duration
    frame["staff_count"] = rng.choice([2, 2, 2, 3, 4], size=n)
    frame["organisation"] = "polisen"
    frame["comment"] = _choice(rng, COMMENTS, n)

    if kind == "foot_patrol":
        frame["area_code"] = _areas(rng, n, 0.7)
        frame["citizen_contacts"] = rng.poisson(6, n)
        frame.loc[rng.random(n) < 0.2, "organisation"] = "samverkan"
    elif kind == "traffic_control":
        frame["area_code"] = _areas(rng, n, 0.35)
        control = _choice(rng, ("hastighet", "nykterhet", "kombinerad"), n, (0.45, 0.35, 0.2))
        frame["control_kind"] = control
        frame["risk_place"] = rng.random(n) < 0.65
        vehicles = rng.poisson(35, n) + 5
        sober = control != "hastighet"
        speed = control != "nykterhet"
        tests = np.where(sober, np.minimum(vehicles, rng.poisson(30, n)), 0)
        frame["vehicles_checked"] = vehicles
        frame["breath_tests"] = tests
        frame["drunk_driving_suspected"] = rng.binomial(tests, 0.008)
        frame["drugged_driving_suspected"] = rng.binomial(tests, 0.004)
        frame["speeding_offences"] = np.where(speed, rng.binomial(vehicles, 0.12), 0)
        summary = rng.random(n) < SUMMARY_SHARE
        if summary.any():
            starts = pd.to_datetime(frame.loc[summary, "date_from"]).dt.to_period("M")
            frame.loc[summary, "date_from"] = starts.dt.start_time.to_numpy().astype("datetime64[D]")
            frame.loc[summary, "date_to"] = starts.dt.end_time.dt.normalize().to_numpy().astype("datetime64[D]")
            count = rng.integers(3, 9, size=summary.sum())
            frame.loc[summary, "activity_count"] = count
            frame.loc[summary, "start_time"] = None
            frame.loc[summary, "duration_min"] = frame.loc[summary, "duration_min"] * count
            for col in (
                "vehicles_checked",
                "breath_tests",
                "drunk_driving_suspected",
                "drugged_driving_suspected",
                "speeding_offences",
            ):
                frame.loc[summary, col] = frame.loc[summary, col] * count
            frame.loc[summary, "comment"] = "Månadssammanställning från polisens system."
    elif kind == "atractor_check":
        frame["area_code"] = _areas(rng, n, 0.45)
        vehicles = rng.poisson(9, n) + 1
        illegal = rng.binomial(vehicles, 0.22)
        frame["vehicles_checked"] = vehicles
        frame["illegal_vehicles"] = illegal
        frame["driving_bans"] = rng.binomial(illegal, 0.6)
        frame["reports_filed"] = rng.binomial(illegal, 0.5)
    elif kind == "info_meeting":
        frame["area_code"] = _areas(rng, n, 0.5)
        frame["organisation"] = _choice(rng, ("samverkan", "kommunen", "polisen"), n, (0.6, 0.3, 0.1))
        frame["topics"] = _lists(rng, TOPICS, n, (0.25, 0.25, 0.15, 0.2, 0.1, 0.05))
        frame["audiences"] = _lists(rng, AUDIENCES, n, (0.45, 0.15, 0.2, 0.1, 0.05, 0.05))
        frame["participants"] = rng.poisson(28, n) + 3
    elif kind == "drug_operation":
        frame["area_code"] = _areas(rng, n, 0.6)
        frame["organisation"] = "samverkan"
        frame["persons_checked"] = rng.poisson(8, n)
        frame["seizures"] = rng.poisson(1.2, n)
        frame["reports_filed"] = rng.poisson(1.5, n)
    elif kind == "staff_training":
        frame["area_code"] = "hela-kommunen"
        frame["organisation"] = _choice(rng, ("kommunen", "polisen", "samverkan"), n, (0.6, 0.2, 0.2))
        frame["topics"] = [["våld i nära relation"]] * n
        frame["participants"] = rng.poisson(18, n) + 4
    elif kind == "awareness":
        frame["area_code"] = _areas(rng, n, 0.5)
        frame["organisation"] = _choice(rng, ("samverkan", "kommunen"), n, (0.6, 0.4))
        frame["topics"] = [["våld i nära relation"]] * n
        frame["audiences"] = _lists(rng, AUDIENCES, n, (0.1, 0.2, 0.1, 0.2, 0.35, 0.05))
        frame["participants"] = rng.poisson(60, n) + 10
    frame["external_id"] = [f"DEMO-{kind}-{i:07d}" for i in range(1, n + 1)]
    return frame


def generate(seed: int = 1, years: tuple[int, int] = (2023, 2024), rows: int | None = None) -> pd.DataFrame:
    """Demo activities for the given years; with `rows`, that many rows in the same proportions."""
    rng = np.random.default_rng(seed)
    days = _days(*years)
    n_years = years[1] - years[0] + 1
    total_rate = sum(YEARLY_RATE.values())
    if rows is None:
        counts = {kind: int(rng.poisson(rate * n_years)) for kind, rate in YEARLY_RATE.items()}
    else:  # exactly `rows`: floor of each share, the remainder to the largest fractions
        shares = {kind: rows * rate / total_rate for kind, rate in YEARLY_RATE.items()}
        counts = {kind: int(share) for kind, share in shares.items()}
        for kind in sorted(shares, key=lambda k: shares[k] - counts[k], reverse=True)[: rows - sum(counts.values())]:
            counts[kind] += 1
    parts = []
    for kind, n in counts.items():
        if n:
            parts.append(_type_rows(kind, n, days, rng))
    frame = pd.concat(parts, ignore_index=True).sort_values(["date_from", "activity_type"], kind="stable")
    _add_issue_15_fields(frame, np.random.default_rng([seed, 15]))
    return frame.reset_index(drop=True)


def _add_issue_15_fields(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """The fields of migration 010, drawn from a generator of their own so that every earlier field
    (and every figure worked out on the demo) stays as it was: reports of inappropriate behaviour at
    about 3 % of the vehicles checked; two in five drug-trade operations aimed at young people; and
    the people trained for the first time, about three in four attendances, on four rows in five
    (the rest do not say, as a log kept before the field existed would not)."""
    n, kind = len(frame), frame.activity_type
    behaviour = rng.binomial(frame.vehicles_checked.fillna(0).astype(int), 0.03)
    frame["inappropriate_behaviour_reports"] = pd.Series(behaviour, frame.index, "Int64").where(
        kind == "traffic_control"
    )
    frame["youth_focus"] = pd.Series(rng.random(n) < 0.4, frame.index, "boolean").where(kind == "drug_operation")
    unique = rng.binomial(frame.participants.fillna(0).astype(int), 0.75)
    given = (kind == "staff_training") & (rng.random(n) < 0.8)
    frame["unique_participants"] = pd.Series(unique, frame.index, "Int64").where(given)


def demo_meetings(years: tuple[int, int]) -> list[tuple[dt.date, str]]:
    """About five council meetings a year, on a Tuesday in Feb, Apr, Jun, Sep and Nov."""
    meetings = []
    for year in range(years[0], years[1] + 1):
        for month in (2, 4, 6, 9, 11):
            day = dt.date(year, month, 8)
            day += dt.timedelta(days=(1 - day.weekday()) % 7)
            meetings.append((day, "Rådet för trygghet och hälsa"))
    return meetings


def load_demo(
    store: Store,
    seed: int = 1,
    years: tuple[int, int] = (2023, 2024),
    rows: int | None = None,
    imported_by: str = "demo",
) -> int:
    """Insert generated demo data for `years` as one batch (and demo meetings); returns the batch id."""
    return _insert(store, generate(seed, years, rows), demo_meetings(years), f"demo:{seed}:{years}:{rows}", imported_by)


def _insert(store: Store, frame: pd.DataFrame, meetings: list[tuple[dt.date, str]], key: str, imported_by: str) -> int:
    digest = hashlib.sha256(key.encode()).hexdigest()
    with store.transaction() as con:
        batch_id = store.insert_batch(con, BatchInfo(DEMO_FILE_NAME, digest, imported_by, is_demo=True), frame)
        store.add_meetings(con, meetings, is_demo=True)
    return batch_id


# --- the demo a newcomer sees on any day ---------------------------------------------------------------

SOURCE_YEARS = (2019, 2024)  # the two real agreements' time, with invented activities
EXAMPLE_BASIS = "medborgarlofte-2023"  # the example agreement is a copy of the last real one
FIRST_EXAMPLE_YEAR = 2025


def example_span(today: dt.date) -> tuple[dt.date, dt.date]:
    """The invented example agreement's span: from the year before today (not before 2025, when the real
    medborgarlöfte has ended) to the end of next year, so that today and the next meetings lie inside it."""
    start = dt.date(max(FIRST_EXAMPLE_YEAR, today.year - 1), 1, 1)
    return start, dt.date(today.year + 1, 12, 31)


def load_living_demo(store: Store, today: dt.date, seed: int = 1, imported_by: str = "demo") -> int:
    """The demo that is alive on any day: invented activities for 2019–2024 under the two real agreements
    and, when no agreement is in force today, an invented example agreement that covers today (titled and
    flagged as an example), with its targets, activities up to yesterday and meetings before and after today.
    Everything is marked as demo data; `demo --remove` (Store.remove_demo) takes all of it away."""
    from trygghet.figures.compute import agreement_standing

    parts = [generate(seed + 1, (SOURCE_YEARS[0], 2022)), generate(seed, (2023, SOURCE_YEARS[1]))]
    last_meeting_year = SOURCE_YEARS[1]
    if today.year > SOURCE_YEARS[1] and not agreement_standing(store.agreements(), today).in_force:
        start, end = example_span(today)
        _example_agreement(store, start, end, imported_by)
        recent = generate(seed + 2, (start.year, today.year))
        parts.append(recent[recent.date_to < pd.Timestamp(today)])
        last_meeting_year = end.year
    frame = pd.concat(parts, ignore_index=True)
    return _insert(
        store,
        frame,
        demo_meetings((SOURCE_YEARS[0], last_meeting_year)),
        f"demo:{seed}:living:{today.isoformat()}",
        imported_by,
    )


def _example_agreement(store: Store, start: dt.date, end: dt.date, by: str) -> None:
    """A published copy of the last real medborgarlöfte for [start, end], titled 'Exempel: …(påhittat)', with
    example targets: the basis's own, relative to the year before the example where the promise says öka or
    minska or where the basis's target was already relative."""
    from trygghet.figures.compute import target_suggestions
    from trygghet.figures.periods import AgreementSpan
    from trygghet.figures.targets import stored_targets, to_row
    from trygghet.reference.agreements import copy_from
    from trygghet.store import agreements as agreement_store

    source = agreement_store.get(store, EXAMPLE_BASIS)
    draft = copy_from(
        source, agreement_store.all_agreements(store), agreement_store.indicators_of(source), by, agreement_store.now()
    )
    new_id = f"exempel-medborgarlofte-{start.year}"
    commitments = tuple(c.model_copy(update={"id": c.id.replace(draft.id, new_id, 1)}) for c in draft.commitments)
    title = f"Exempel: Medborgarlöfte {start.year}–{end.year} (påhittat)"
    example = draft.model_copy(
        update={
            "id": new_id,
            "title": title,
            "valid_from": start,
            "valid_to": end,
            "is_example": True,
            "commitments": commitments,
            "signatories": (),
            "source": "Påhittat exempel som följer med demodata; inget beslutat medborgarlöfte",
        }
    )
    operator = User(by, Role.ADMIN)  # the demo sets itself up as its operator
    agreement_store.save_draft(store, example, operator, new=True)
    agreement_store.publish(store, new_id, operator)
    suggestions = target_suggestions(store, AgreementSpan(new_id, title, start, end))
    rows = []
    for target in stored_targets(store):
        if target.agreement != EXAMPLE_BASIS or target.valid_to is not None:
            continue
        offer = suggestions.get(target.indicator)
        if offer and offer.relative:
            relative = {"value": None, "baseline_year": offer.baseline_year, "increase_pct": offer.increase_pct}
        else:  # a relative target of the basis compares with the year before the example, not before the basis
            relative = {} if target.baseline_year is None else {"baseline_year": start.year - 1}
        rows.append(
            to_row(
                target.model_copy(
                    update={
                        "agreement": new_id,
                        "valid_from": start,
                        "example": True,
                        "origin": "Exempelmål för det påhittade exemplet, inte beslutat av rådet",
                        **relative,
                    }
                )
            )
        )
    store.add_targets(rows)
