"""The self-service filter model: what a bookmarked link asks for, and the page views that show it.

Pure code (no Streamlit, no DuckDB), so every query parameter, bad ones included,
can be tested without a browser. A link carries short Swedish ASCII parameters:

    ?period=egen&fran=2024-06-01&till=2024-08-31&omrade=soraker&riskplats=ja

A parameter that cannot be read falls back to its default with a Swedish notice; a
list keeps the values it knows and drops the rest. `to_query` writes the canonical
form back, leaving out defaults, so the same view always has the same link.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from trygghet.figures.indicators import Count, Indicator, Ratio, Sum, builtin
from trygghet.figures.indicators._base import AREA_GROUPS, CENTRAL_AREAS
from trygghet.figures.periods import DAY, shift_years
from trygghet.formatting import MONTHS_SV_SHORT, echo, format_date, format_date_range, format_number, is_missing
from trygghet.reference.activity_types import (
    ACTIVITY_TYPES,
    AUDIENCES,
    COMMON_FIELDS,
    CONTROL_KINDS,
    ORGANISATIONS,
    TOPICS,
)
from trygghet.store.database import without_dust

EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # custom dates outside are a mistake


class Preset(StrEnum):
    MONTH = "manad"
    MEETING = "mote"
    YEAR = "ar"
    AGREEMENT = "overenskommelse"
    LAST_12 = "12man"
    CUSTOM = "egen"


PRESET_LABELS = {
    Preset.MONTH: "Denna månad",
    Preset.MEETING: "Sedan rådets senaste möte",
    Preset.YEAR: "I år",
    Preset.AGREEMENT: "Överenskommelsens hela tid",
    Preset.LAST_12: "Senaste 12 månaderna",
    Preset.CUSTOM: "Egna datum",
}
DEFAULT_PRESET = Preset.YEAR

# Activity types in links: Swedish ASCII slugs rather than the code's English names.
TYPE_SLUGS = {
    "foot_patrol": "fotpatrull",
    "traffic_control": "trafikkontroll",
    "atractor_check": "a-traktor",
    "info_meeting": "informationstraff",
    "drug_operation": "droghandel",
    "staff_training": "utbildning",
    "awareness": "informationsinsats",
}
SLUG_TYPES = {slug: code for code, slug in TYPE_SLUGS.items()}
RISK_VALUES = {"ja": True, "nej": False}

# Query parameter -> (field name, what the notice calls it). Period, areas and organisation are on every page.
PARAMS = {
    "period": ("preset", "perioden"),
    "fran": ("start", "datumet från och med"),
    "till": ("end", "datumet till och med"),
    "omrade": ("areas", "området"),
    "org": ("organisations", "organisationen"),
    "typ": ("types", "aktivitetstypen"),
    "riskplats": ("risk_place", "riskplatsvalet"),
    "kontroll": ("control_kinds", "typen av kontroll"),
    "amne": ("topics", "ämnet"),
    "malgrupp": ("audiences", "målgruppen"),
}
COMMON_PARAMS = ("period", "fran", "till", "omrade", "org")
FIELD_PARAMS = {name: param for param, (name, _) in PARAMS.items()}
LIST_CHOICES = {
    "organisations": tuple(ORGANISATIONS),
    "types": tuple(SLUG_TYPES),
    "control_kinds": CONTROL_KINDS,
    "topics": TOPICS,
    "audiences": AUDIENCES,
}


def figure_text(value: float | None, decimals: int) -> str:
    """A figure as shown: whole numbers plain, a pro-rated share of a summary row with decimals,
    a ratio over nothing in words."""
    if value is None:
        return "inget underlag"
    return format_number(value, 0 if abs(value - round(value)) < 1e-9 else max(decimals, 1))


class Filters(BaseModel):
    """What a link asks for; empty lists mean "all". Validated against the page's options (the context)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    preset: Preset = Field(DEFAULT_PRESET, alias="period")
    start: dt.date | None = Field(None, alias="fran")
    end: dt.date | None = Field(None, alias="till")
    areas: tuple[str, ...] = Field((), alias="omrade")
    organisations: tuple[str, ...] = Field((), alias="org")
    types: tuple[str, ...] = Field((), alias="typ")
    risk_place: bool | None = Field(None, alias="riskplats")
    control_kinds: tuple[str, ...] = Field((), alias="kontroll")
    topics: tuple[str, ...] = Field((), alias="amne")
    audiences: tuple[str, ...] = Field((), alias="malgrupp")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise PydanticCustomError("date", "not a date") from None
        if isinstance(value, dt.date) and not EARLIEST <= value <= LATEST:
            raise PydanticCustomError("date_range", "outside the years the dashboard covers")
        return value

    @field_validator("risk_place", mode="before")
    @classmethod
    def _yes_no(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().lower() not in RISK_VALUES:
                raise PydanticCustomError("choice", "not ja or nej")
            return RISK_VALUES[value.strip().lower()]
        return value

    @field_validator("areas", "organisations", "types", "control_kinds", "topics", "audiences", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
        return value

    @field_validator("areas", "organisations", "types", "control_kinds", "topics", "audiences")
    @classmethod
    def _known(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        assert info.field_name is not None  # a field validator always names its field
        if info.field_name == "areas":  # known only to the store: checked when a link is read (the context)
            if info.context is None:
                return value
            allowed = info.context["areas"]
        else:
            allowed = LIST_CHOICES[info.field_name]
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise PydanticCustomError("unknown", "unknown values", {"unknown": unknown})
        return value

    @model_validator(mode="after")
    def _custom_dates(self) -> Filters:
        if self.preset == Preset.CUSTOM:
            if self.start is None or self.end is None:
                raise PydanticCustomError("custom_missing", "egna datum saknas")
            if self.end < self.start:
                raise PydanticCustomError("custom_order", "till före från")
        return self


@dataclass(frozen=True)
class FilterOptions:
    """What a page accepts: its query parameters and the areas known to the store."""

    params: tuple[str, ...]
    areas: tuple[str, ...]


def parse_query(query: Mapping[str, str], options: FilterOptions) -> tuple[Filters, list[str]]:
    """Filters from the URL's parameters; whatever cannot be read falls back to its default, with a notice each."""
    raw = {key: value for key, value in query.items() if key in options.params}
    notices = [
        f"Adressen innehåller ”{echo(key)}”, som inte är ett filter på den här sidan. Det används inte."
        for key in query
        if key not in options.params
    ]
    if raw.get("fran") or raw.get("till"):
        raw.setdefault("period", Preset.CUSTOM.value)
    context = {"areas": options.areas}
    for _ in range(len(PARAMS) + 1):
        try:
            return Filters.model_validate(raw, context=context), notices
        except ValidationError as exc:  # one at a time: repairing one may remove another's parameter
            notices.append(_fix(raw, exc.errors()[0]))
    raise AssertionError("every failing parameter is removed or repaired")  # pragma: no cover


def _fix(raw: dict[str, str], error: ErrorDetails) -> str:
    """Repair `raw` after one validation error and say in Swedish what the page shows instead."""
    default = PRESET_LABELS[DEFAULT_PRESET].lower()
    if not error["loc"]:  # custom period without two dates in order
        for key in ("period", "fran", "till"):
            raw.pop(key, None)
        if error["type"] == "custom_order":
            return f"Perioden i adressen slutar före den börjar. Sidan visar {default} i stället."
        return f"Egna datum i adressen behöver både från och med och till och med. Sidan visar {default} i stället."
    param = str(error["loc"][0])  # a parameter name (the field's alias), never a list index here
    _, noun = PARAMS[param]
    value = raw.pop(param)
    if error["type"] == "unknown":
        unknown = error["ctx"]["unknown"]
        kept = [v for v in value.split(",") if v.strip() and v.strip() not in unknown]
        if kept:
            raw[param] = ",".join(kept)
        values = ", ".join(f"”{echo(v)}”" for v in unknown)
        return f"Adressen anger {noun} {values}, som inte finns. Det är borttaget ur urvalet."
    if param == "period":
        return f"Adressen anger {noun} ”{echo(value)}”, som inte finns. Sidan visar {default} i stället."
    if param in ("fran", "till"):
        raw.pop("period", None)
        raw.pop("till" if param == "fran" else "fran", None)
        problem = (
            f"som ligger utanför åren {EARLIEST.year}–{LATEST.year}"
            if error["type"] == "date_range"
            else "som inte är ett datum (ÅÅÅÅ-MM-DD)"
        )
        return f"Adressen anger {noun} ”{echo(value)}”, {problem}. Sidan visar {default} i stället."
    return f"Adressen anger {noun} ”{echo(value)}”, som inte finns. Filtret används inte."


def to_query(filters: Filters) -> dict[str, str]:
    """The canonical parameters of a view: defaults left out, lists comma-separated in the given order."""
    query: dict[str, str] = {}
    if filters.preset != DEFAULT_PRESET:
        query["period"] = filters.preset.value
    if filters.preset == Preset.CUSTOM and filters.start and filters.end:  # both set: the model's rule
        query["fran"], query["till"] = filters.start.isoformat(), filters.end.isoformat()
    for name in ("areas", "organisations", "types", "control_kinds", "topics", "audiences"):
        if getattr(filters, name):
            query[FIELD_PARAMS[name]] = ",".join(getattr(filters, name))
    if filters.risk_place is not None:
        query["riskplats"] = "ja" if filters.risk_place else "nej"
    return query


# --- the period of a view ------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A closed range of dates with the words that name it on the page."""

    start: dt.date
    end: dt.date
    name: str

    @property
    def label(self) -> str:
        return format_date_range(self.start, self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def grain(self) -> str:
        """Weeks for up to about a quarter, months beyond."""
        return "week" if self.days <= 92 else "month"

    def last_year(self) -> Window:
        """The comparison a year back: 52 weeks back when counted in weeks (same weekdays), else the dates."""
        if self.grain == "week":
            return Window(self.start - 364 * DAY, self.end - 364 * DAY, "samma period i fjol")
        return Window(shift_years(self.start, -1), shift_years(self.end, -1), "samma period i fjol")


def align_last_year(bucket: dt.date, grain: str) -> dt.date:
    """Where a bucket of the comparison window is drawn on this period's axis."""
    return bucket + 364 * DAY if grain == "week" else shift_years(bucket, 1)


def resolve_period(
    filters: Filters,
    today: dt.date,
    meetings: list[dt.date],
    agreement: tuple[str, dt.date, dt.date],
    last_data: dt.date | None = None,
) -> tuple[Window, str | None]:
    """The dates a preset means today; "since the last meeting" without a meeting falls back to this year.

    Time moves on past the log: when the chosen preset's window lies wholly after the latest data
    (`last_data`), the page opens on the calendar year of that data instead, and says so."""
    window, note = _preset_window(filters, today, meetings, agreement)
    if filters.preset == Preset.CUSTOM or last_data is None or last_data >= window.start:
        return window, note
    latest = Window(dt.date(last_data.year, 1, 1), dt.date(last_data.year, 12, 31), str(last_data.year))
    return latest, (
        f"Det finns inga aktiviteter för {window.name.lower()} ({window.label}). Sidan visar "
        f"{last_data.year}, det senaste året med uppgifter (senaste aktiviteten "
        f"{format_date(last_data)})."
    )


def _preset_window(
    filters: Filters, today: dt.date, meetings: list[dt.date], agreement: tuple[str, dt.date, dt.date]
) -> tuple[Window, str | None]:
    name = PRESET_LABELS[filters.preset]
    if filters.preset == Preset.CUSTOM and filters.start and filters.end:  # both set: the model's rule
        return Window(filters.start, filters.end, name), None
    if filters.preset == Preset.MONTH:
        return Window(today.replace(day=1), today, name), None
    if filters.preset == Preset.LAST_12:
        return Window(shift_years(today, -1) + DAY, today, name), None
    if filters.preset == Preset.AGREEMENT:
        title, first, last = agreement
        return Window(first, min(last, today) if first <= today else last, f"{title}, hela tiden"), None
    if filters.preset == Preset.MEETING:
        earlier = [m for m in meetings if m < today]
        if earlier:
            return Window(max(earlier) + DAY, today, name), None
    year = Window(today.replace(month=1, day=1), today, PRESET_LABELS[Preset.YEAR])
    if filters.preset == Preset.MEETING:
        return year, "Inga tidigare möten med rådet är registrerade. Sidan visar i år i stället."
    return year, None


# --- what the store is asked for -----------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The resolved filters the store reads with: concrete types and dates, empty tuples meaning all."""

    types: tuple[str, ...]
    start: dt.date
    end: dt.date
    areas: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    control_kinds: tuple[str, ...] = ()
    risk_place: bool | None = None
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()

    def over(self, window: Window) -> Selection:
        return replace(self, start=window.start, end=window.end)


def area_groups(areas: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The area groups a filter may name (?omrade=centrala), each with its areas as the store lists them now."""
    return {CENTRAL_AREAS: tuple(areas.code[areas.is_central])}


def area_choices(areas: pd.DataFrame) -> dict[str, str]:
    """The area filter's choices and their names: each group first ("Centrala Timrå"), then every area."""
    groups = {
        key: AREA_GROUPS[key][0][:1].upper() + AREA_GROUPS[key][0][1:]
        for key, codes in area_groups(areas).items()
        if codes
    }
    return groups | dict(zip(areas.code, areas.name, strict=True))


def area_groups_text(areas: pd.DataFrame) -> str:
    """What each group holds, so nobody has to know it: 'Centrala Timrå är Timrå centrum, Vivsta och Åkroken.'"""
    names, choices = dict(zip(areas.code, areas.name, strict=True)), area_choices(areas)
    parts = []
    for key, codes in area_groups(areas).items():
        if codes:
            listed = [names[c] for c in codes]
            members = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} och {listed[-1]}"
            parts.append(f"{choices[key]} är {members}.")
    return " ".join(parts)


def selection(
    filters: Filters, window: Window, page_types: tuple[str, ...], groups: Mapping[str, tuple[str, ...]] | None = None
) -> Selection:
    """The store's selection: a group among the areas (`groups`, from `area_groups`) stands for its areas."""
    types = tuple(SLUG_TYPES[s] for s in filters.types) or page_types
    areas = tuple(dict.fromkeys(code for area in filters.areas for code in (groups or {}).get(area, (area,))))
    return Selection(
        types,
        window.start,
        window.end,
        areas,
        filters.organisations,
        filters.control_kinds,
        filters.risk_place,
        filters.topics,
        filters.audiences,
    )


# --- the views: one per activity type (or family), and all activities ---------------------------


def metric(label: str, aggregation: Count | Sum | Ratio, types: tuple[str, ...], decimals: int = 0) -> Indicator:
    """A headline figure of a view, declared as an indicator: the indicators' rules check it and their compiler
    computes it, with the selection's filters as its scope. The label is its title; its id the label in ASCII."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return Indicator(
        id=re.sub(r"[^a-z0-9]+", "_", ascii_label).strip("_"),
        title=label,
        unit=label.lower(),
        activity_types=types,
        aggregation=aggregation,
        decimals=decimals,
    )


def registered(indicator_id: str, label: str) -> Indicator:
    """A built-in indicator shown under a shorter label: the same declaration, so the figure is defined once."""
    return builtin()[indicator_id].model_copy(update={"title": label})


@dataclass(frozen=True)
class View:
    slug: str
    title: str
    explanation: str
    types: tuple[str, ...]
    noun: str  # "fotpatruller": what the empty state says is missing
    params: tuple[str, ...] = ()  # type-field filters beyond period, areas and organisation
    metrics: tuple[Indicator, ...] = ()
    charts: tuple[str, ...] = ()

    @property
    def options_params(self) -> tuple[str, ...]:
        return COMMON_PARAMS + self.params


COUNT = "activity_count"
HOURS = "hours"
IN_HOURS = Sum(field="duration_min", scale=1 / 60)
FOOT, TRAFFIC, ATRACTOR, INFO, DRUGS = (
    ("foot_patrol",),
    ("traffic_control",),
    ("atractor_check",),
    ("info_meeting",),
    ("drug_operation",),
)
TRAINING, AWARENESS, EVERY_TYPE = ("staff_training",), ("awareness",), tuple(ACTIVITY_TYPES)
VIEWS: dict[str, View] = {
    v.slug: v
    for v in (
        View(
            "fotpatrull",
            "Fotpatrull",
            "Fotpatruller per period, område, veckodag och klockslag, med loggen bakom.",
            FOOT,
            "fotpatruller",
            metrics=(
                metric("Fotpatruller", Count(), FOOT),
                metric("Timmar", IN_HOURS, FOOT, 1),
                metric("Personaltimmar", Sum(field="staff_minutes", scale=1 / 60), FOOT, 1),
                metric("Medborgarkontakter", Sum(field="citizen_contacts"), FOOT),
            ),
            charts=("count", "hours", "area", "weekday_hour"),
        ),
        View(
            "trafikkontroller",
            "Trafikkontroller",
            "Trafikkontroller och vad de gav: fordon, utandningsprov, misstänkt ratt- och drograttfylleri, fortkörning.",
            TRAFFIC,
            "trafikkontroller",
            ("riskplats", "kontroll"),
            metrics=(
                metric("Trafikkontroller", Count(), TRAFFIC),
                metric("Kontrollerade fordon", Sum(field="vehicles_checked"), TRAFFIC),
                metric("Utandningsprov", Sum(field="breath_tests"), TRAFFIC),
                metric("Misstänkt rattfylleri", Sum(field="drunk_driving_suspected"), TRAFFIC),
                metric("Misstänkt drograttfylleri", Sum(field="drugged_driving_suspected"), TRAFFIC),
                metric("Hastighetsöverträdelser", Sum(field="speeding_offences"), TRAFFIC),
                metric("Olämpligt beteende i trafiken", Sum(field="inappropriate_behaviour_reports"), TRAFFIC),
                registered("trafik_rattfylleri_per_1000", "Rattfylleri per 1 000 prov"),
                registered("trafik_drograttfylleri_per_1000", "Drograttfylleri per 1 000 prov"),
                metric(
                    "Hastighetsöverträdelser per 100 fordon",
                    Ratio(numerator="speeding_offences", denominator="vehicles_checked", scale=100),
                    TRAFFIC,
                    1,
                ),
            ),
            charts=("count", "hours", "area", "traffic_rates"),
        ),
        View(
            "a-traktorer",
            "A-traktorer och buskörning",
            "Insatser mot olagliga A-traktorer och buskörning över säsongen, och hur stor andel av fordonen som var olagliga.",
            ATRACTOR,
            "insatser mot A-traktorer",
            metrics=(
                metric("Insatser", Count(), ATRACTOR),
                metric("Kontrollerade fordon", Sum(field="vehicles_checked"), ATRACTOR),
                metric("Olagliga eller ombyggda", Sum(field="illegal_vehicles"), ATRACTOR),
                metric("Körförbud", Sum(field="driving_bans"), ATRACTOR),
                metric("Anmälningar", Sum(field="reports_filed"), ATRACTOR),
                registered("atraktor_andel_olagliga", "Andel olagliga, %"),
            ),
            charts=("count", "hours", "illegal_share", "area"),
        ),
        View(
            "informationstraffar",
            "Informationsträffar",
            "Informationsträffar per ämne och målgrupp, med antal deltagare.",
            INFO,
            "informationsträffar",
            ("amne", "malgrupp"),
            metrics=(
                metric("Informationsträffar", Count(), INFO),
                metric("Deltagare", Sum(field="participants"), INFO),
                metric("Deltagare per träff", Ratio(numerator="participants", denominator=COUNT), INFO, 1),
            ),
            charts=("count", "topic", "audience", "area"),
        ),
        View(
            "droghandel",
            "Öppen droghandel",
            "Riktade insatser mot öppen droghandel: var, när och vad de gav.",
            DRUGS,
            "insatser mot öppen droghandel",
            metrics=(
                metric("Insatser", Count(), DRUGS),
                metric("Kontrollerade personer", Sum(field="persons_checked"), DRUGS),
                metric("Beslag", Sum(field="seizures"), DRUGS),
                metric("Anmälningar", Sum(field="reports_filed"), DRUGS),
            ),
            charts=("count", "hours", "area"),
        ),
        View(
            "vald-i-nara-relation",
            "Våld i nära relation",
            "Utbildning av medarbetare och informationsinsatser om våld i nära relation, med deltagare och nådda personer.",
            TRAINING + AWARENESS,
            "utbildningar eller informationsinsatser",
            ("amne", "malgrupp"),
            metrics=(
                metric("Utbildningstillfällen", Count(), TRAINING),
                metric("Deltagartillfällen i utbildning", Sum(field="participants"), TRAINING),
                metric("Informationsinsatser", Count(), AWARENESS),
                metric("Nådda personer", Sum(field="participants"), AWARENESS),
            ),
            charts=("count", "hours", "audience", "area"),
        ),
        View(
            "aktiviteter",
            "Aktiviteter",
            "Alla loggade aktiviteter med filter, tabell och nedladdning.",
            EVERY_TYPE,
            "aktiviteter",
            ("typ",),
            metrics=(metric("Aktiviteter", Count(), EVERY_TYPE), metric("Timmar", IN_HOURS, EVERY_TYPE, 1)),
            charts=("count", "hours"),
        ),
    )
}

# The speeding rate the traffic page charts, over every control (the indicator trafik_hastighetsovertradelser_per_1000
# counts speed and combined controls only).
SPEEDING_PER_1000 = metric(
    "Hastighetsöverträdelser per 1 000 fordon",
    Ratio(numerator="speeding_offences", denominator="vehicles_checked", scale=1000),
    TRAFFIC,
    1,
)


# --- the activities behind the figures ------------------------------------------------------------

COMMON_TABLE_COLUMNS = (
    "id",
    "activity_type",
    "date_from",
    "date_to",
    "activity_count",
    "start_time",
    "duration_min",
    "area_code",
    "place",
    "organisation",
    "staff_count",
)
TAIL_TABLE_COLUMNS = ("external_id", "comment", "batch_id", "file_name")
BOOL_COLUMNS = frozenset(f.column for t in ACTIVITY_TYPES.values() for f in t.fields if f.kind == "bool")
LABELS = {f.column: f.label for f in COMMON_FIELDS} | {
    "id": "Id",
    "activity_type": "Typ",
    "batch_id": "Importomgång",
    "file_name": "Fil",
}


def type_columns(types: tuple[str, ...]) -> tuple[str, ...]:
    """The type fields of the given types, each once, in declaration order."""
    return tuple(
        dict.fromkeys(f.column for code in ACTIVITY_TYPES if code in types for f in ACTIVITY_TYPES[code].fields)
    )


def table_columns(types: tuple[str, ...]) -> tuple[str, ...]:
    return COMMON_TABLE_COLUMNS + type_columns(types) + TAIL_TABLE_COLUMNS


def activity_table(raw: pd.DataFrame, types: tuple[str, ...], area_names: Mapping[str, str]) -> pd.DataFrame:
    """Activity rows as the table and the downloads show them: Swedish headings and words, numbers as numbers.

    A summary row stays one row with its count and date range; hours keep their decimals."""
    labels = LABELS.copy()
    for column in type_columns(types):  # a column shared by types takes the first type's label
        labels[column] = next(
            f.label
            for code in ACTIVITY_TYPES
            if code in types
            for f in ACTIVITY_TYPES[code].fields
            if f.column == column
        )
    out = pd.DataFrame(index=raw.index)
    for column in table_columns(types):
        values = raw[column]
        if column == "activity_type":
            values = values.map(lambda c: ACTIVITY_TYPES[c].label)
        elif column == "area_code":
            values = values.map(lambda c: area_names.get(c, c))
        elif column == "organisation":
            values = values.map(lambda c: ORGANISATIONS.get(c, c))
        elif column == "start_time":
            values = values.map(lambda t: None if is_missing(t) else t.strftime("%H:%M"))
        elif column == "duration_min":
            values = values / 60
        elif column in BOOL_COLUMNS:
            values = values.map(lambda v: None if is_missing(v) else ("ja" if v else "nej"))
        elif column in ("topics", "audiences"):
            values = values.map(lambda v: None if is_missing(v) else ", ".join(v))
        elif column in ("date_from", "date_to"):
            values = pd.to_datetime(values).dt.date
        out[labels[column]] = values
    return out.reset_index(drop=True)


# --- chart data --------------------------------------------------------------------------------------


def buckets(window: Window) -> list[dt.date]:
    """Every week (Monday) or month (first day) that meets the window, so empty ones show as zero."""
    if window.grain == "week":
        day = window.start - window.start.weekday() * DAY
        step: Callable[[dt.date], dt.date] = lambda d: d + 7 * DAY  # noqa: E731
    else:
        day = window.start.replace(day=1)
        step = lambda d: dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)  # noqa: E731
    found = []
    while day <= window.end:
        found.append(day)
        day = step(day)
    return found


def bucket_label(bucket: dt.date, grain: str, with_year: bool) -> str:
    """'v. 23' or 'jun', with the (ISO week-) year when the axis spans years."""
    if grain == "week":
        year, week, _ = bucket.isocalendar()
        return f"v. {week}" + (f" {year}" if with_year else "")
    return MONTHS_SV_SHORT[bucket.month - 1] + (f" {bucket.year}" if with_year else "")


def per_bucket(
    frame: pd.DataFrame,
    grain: str,
    axis: list[dt.date],
    measure: str,
    shift: bool = False,
    logged_from: dt.date | None = None,
) -> list[float | None]:
    """A measure per bucket of `axis` from sums grouped by `grain`; `shift` draws last year's buckets on this axis.

    With `logged_from`, a bucket whose (last year's) days all lie before the first logged day is None: nothing
    was logged then, which is not the same as zero."""
    values = dict.fromkeys(axis, 0.0)
    for bucket, value in zip(frame[grain], frame[measure], strict=True):
        day = pd.Timestamp(bucket).date()
        day = align_last_year(day, grain) if shift else day
        if day in values:
            values[day] += value
    unlogged = set()
    if logged_from is not None and axis:
        last = axis[-1]
        after = [
            *axis[1:],
            last + 7 * DAY if grain == "week" else dt.date(last.year + last.month // 12, last.month % 12 + 1, 1),
        ]
        back = (lambda d: d - 364 * DAY) if grain == "week" else (lambda d: shift_years(d, -1))  # noqa: E731
        unlogged = {b for b, end in zip(axis, after, strict=True) if (back(end) if shift else end) <= logged_from}
    return [None if b in unlogged else without_dust(v) for b, v in values.items()]


def ratio_per_bucket(frame: pd.DataFrame, grain: str, axis: list[dt.date], rate: Indicator) -> list[float | None]:
    """A ratio indicator per bucket, by its own formula, from the selection's sums (which have no dimension for
    its own filters, so it may have none); None where there is nothing to divide by."""
    if not isinstance(rate.aggregation, Ratio) or rate.filters.dimensions():
        raise ValueError(f"{rate.id} is no ratio without filters of its own, which the exploration's sums lack")
    tops = per_bucket(frame, grain, axis, rate.aggregation.numerator)
    bottoms = per_bucket(frame, grain, axis, rate.aggregation.denominator)
    return [None if t is None else rate.value(t, b) for t, b in zip(tops, bottoms, strict=True)]


def weekday_hour_matrix(frame: pd.DataFrame) -> tuple[list[list[float]], float]:
    """Activities as 7 weekday rows (Monday first) × 24 hours, and how many had no start time."""
    matrix = [[0.0] * 24 for _ in range(7)]
    without_time = 0.0
    for weekday, hour, count in zip(frame.weekday, frame.hour, frame.activities, strict=True):
        if pd.isna(hour):
            without_time += float(count)
        else:
            matrix[int(weekday) - 1][int(hour)] += float(count)
    return matrix, without_time
