"""The activity types the promises name, and the fields each one logs.

One declaration serves the schema's documentation, the import templates, the
upload validation and the pages, so a field is described once. Column names
match the `activities` table of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldKind = Literal["int", "bool", "choice", "choices", "text", "date", "time", "hours"]

ORGANISATIONS = {"polisen": "Polisen", "kommunen": "Timrå kommun", "samverkan": "Polisen och kommunen i samverkan"}
CONTROL_KINDS = ("hastighet", "nykterhet", "kombinerad")
TOPICS = ("alkohol", "narkotika", "trafik", "våld i nära relation", "brott och trygghet", "nätdroger")
AUDIENCES = ("vårdnadshavare", "andra viktiga vuxna", "skolpersonal", "unga", "allmänheten", "föreningar")


@dataclass(frozen=True)
class Field:
    column: str
    label: str
    kind: FieldKind
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class ActivityType:
    code: str
    label: str
    plural: str
    colour: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.column for f in self.fields)


COMMON_FIELDS: tuple[Field, ...] = (
    Field("date_from", "Datum", "date", True, help="Dagen för aktiviteten, eller första dagen i en sammanställning."),
    Field("date_to", "Till och med", "date", help="Sista dagen i en sammanställning av flera aktiviteter."),
    Field("activity_count", "Antal aktiviteter", "int", help="Antal aktiviteter som raden sammanfattar (standard 1)."),
    Field("start_time", "Starttid", "time", help="Klockslag då aktiviteten började, t.ex. 18:30."),
    Field("duration_min", "Varaktighet (timmar)", "hours", help="Total tid i timmar, t.ex. 2,5."),
    Field("area_code", "Område", "choice", True, help="Ett område i Timrå kommun, t.ex. Timrå centrum."),
    Field("place", "Plats", "text", help="Plats inom området, t.ex. Köpcentrum."),
    Field("organisation", "Organisation", "choice", True, tuple(ORGANISATIONS), "Polisen, kommunen eller samverkan."),
    Field("staff_count", "Antal personal", "int", help="Antal medarbetare som deltog."),
    Field("external_id", "Id i källsystemet", "text", help="Valfritt id från det system filen kommer ifrån."),
    Field("comment", "Kommentar", "text", help="Fri text utan personuppgifter."),
)

# Okabe–Ito based, one colour per type across the whole app.
ACTIVITY_TYPES: dict[str, ActivityType] = {
    t.code: t
    for t in (
        ActivityType("foot_patrol", "Fotpatrull", "Fotpatruller", "#0072B2", (
            Field("citizen_contacts", "Medborgarkontakter", "int", help="Antal samtal med medborgare."),
        )),
        ActivityType("traffic_control", "Trafikkontroll", "Trafikkontroller", "#E69F00", (
            Field("control_kind", "Typ av kontroll", "choice", True, CONTROL_KINDS),
            Field("risk_place", "Identifierad riskplats", "bool", True, help="ja eller nej"),
            Field("vehicles_checked", "Kontrollerade fordon", "int"),
            Field("breath_tests", "Utandningsprov", "int"),
            Field("drunk_driving_suspected", "Misstänkt rattfylleri", "int"),
            Field("drugged_driving_suspected", "Misstänkt drograttfylleri", "int"),
            Field("speeding_offences", "Hastighetsöverträdelser", "int"),
        )),
        ActivityType("atractor_check", "A-traktorkontroll", "A-traktorkontroller och insatser mot buskörning", "#009E73", (
            Field("vehicles_checked", "Kontrollerade fordon", "int"),
            Field("illegal_vehicles", "Olagliga eller ombyggda fordon", "int"),
            Field("driving_bans", "Körförbud", "int"),
            Field("reports_filed", "Anmälningar", "int"),
        )),
        ActivityType("info_meeting", "Informationsträff", "Informationsträffar", "#CC79A7", (
            Field("topics", "Ämnen", "choices", True, TOPICS),
            Field("audiences", "Målgrupp", "choices", True, AUDIENCES),
            Field("participants", "Deltagare", "int"),
        )),
        ActivityType("drug_operation", "Insats mot öppen droghandel", "Insatser mot öppen droghandel", "#D55E00", (
            Field("persons_checked", "Kontrollerade personer", "int"),
            Field("seizures", "Beslag", "int"),
            Field("reports_filed", "Anmälningar", "int"),
        )),
        ActivityType("staff_training", "Utbildning av personal", "Utbildningar av personal", "#56B4E9", (
            Field("topics", "Ämnen", "choices", False, TOPICS),
            Field("participants", "Deltagare", "int"),
        )),
        ActivityType("awareness", "Informationsinsats", "Informationsinsatser om våld i nära relation", "#7F5FB0", (
            Field("topics", "Ämnen", "choices", False, TOPICS),
            Field("audiences", "Målgrupp", "choices", False, AUDIENCES),
            Field("participants", "Nådda personer", "int"),
        )),
    )
}

TYPE_COLOURS = {code: t.colour for code, t in ACTIVITY_TYPES.items()}


def type_label(code: str) -> str:
    return ACTIVITY_TYPES[code].label
