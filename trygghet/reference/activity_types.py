"""The activity types the promises name, and the fields each one logs.

One declaration serves the schema's documentation, the import templates, the
upload validation and the pages, so a field is described once. Column names
match the `activities` table of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldKind = Literal["int", "bool", "choice", "choices", "text", "date", "time", "hours", "minutes"]

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
    # Other headers that mean this column (English, and what source systems call it).
    aliases: tuple[str, ...] = ()

    @property
    def minimum(self) -> int:
        """The least whole number allowed (as the store's CHECK constraints): a row sums at least one
        activity by at least one person; every other count may be 0."""
        return 1 if self.column in ("activity_count", "staff_count") else 0


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
    Field(
        "date_from",
        "Datum",
        "date",
        True,
        help="Dagen för aktiviteten, eller första dagen i en sammanställning.",
        aliases=("date", "från", "från och med", "fr.o.m.", "startdatum", "from", "date from", "datum från"),
    ),
    Field(
        "date_to",
        "Till och med",
        "date",
        help="Sista dagen i en sammanställning av flera aktiviteter.",
        aliases=("t.o.m.", "tom", "till", "slutdatum", "to", "date to", "datum till"),
    ),
    Field(
        "activity_count",
        "Antal aktiviteter",
        "int",
        help="Antal aktiviteter som raden sammanfattar (standard 1).",
        aliases=("antal", "count", "activities", "number of activities"),
    ),
    Field(
        "start_time",
        "Starttid",
        "time",
        help="Klockslag då aktiviteten började, t.ex. 18:30.",
        aliases=("tid", "klockslag", "start", "time", "start time"),
    ),
    Field(
        "duration_min",
        "Varaktighet (timmar)",
        "hours",
        help="Total tid i timmar, t.ex. 2,5.",
        aliases=("varaktighet", "timmar", "tid timmar", "duration", "hours", "duration hours"),
    ),
    Field(
        "area_code",
        "Område",
        "choice",
        True,
        help="Ett område i Timrå kommun, t.ex. Timrå centrum.",
        aliases=("kommundel", "area", "district"),
    ),
    Field(
        "place", "Plats", "text", help="Plats inom området, t.ex. Köpcentrum.", aliases=("place", "location", "adress")
    ),
    Field(
        "organisation",
        "Organisation",
        "choice",
        True,
        tuple(ORGANISATIONS),
        "polisen, kommunen eller samverkan",
        aliases=("org", "organization", "ansvarig"),
    ),
    Field(
        "staff_count",
        "Antal personal",
        "int",
        help="Antal medarbetare som deltog.",
        aliases=("personal", "medarbetare", "staff", "staff count"),
    ),
    Field(
        "external_id",
        "Id i källsystemet",
        "text",
        help="Valfritt id från det system filen kommer ifrån.",
        aliases=("id", "externt id", "ärendenummer", "external id", "source id"),
    ),
    Field(
        "comment",
        "Kommentar",
        "text",
        help="Fri text utan personuppgifter.",
        aliases=("anteckning", "notering", "comment", "note", "notes"),
    ),
)

# Okabe–Ito based, one colour per type across the whole app.
ACTIVITY_TYPES: dict[str, ActivityType] = {
    t.code: t
    for t in (
        ActivityType(
            "foot_patrol",
            "Fotpatrull",
            "Fotpatruller",
            "#0072B2",
            (
                Field(
                    "citizen_contacts",
                    "Medborgarkontakter",
                    "int",
                    help="Antal samtal med medborgare.",
                    aliases=("kontakter", "citizen contacts", "contacts"),
                ),
            ),
        ),
        ActivityType(
            "traffic_control",
            "Trafikkontroll",
            "Trafikkontroller",
            "#E69F00",
            (
                Field(
                    "control_kind",
                    "Typ av kontroll",
                    "choice",
                    True,
                    CONTROL_KINDS,
                    aliases=("kontrolltyp", "control kind", "kind"),
                ),
                Field(
                    "risk_place",
                    "Identifierad riskplats",
                    "bool",
                    True,
                    help="ja eller nej",
                    aliases=("riskplats", "risk place", "risk site"),
                ),
                Field(
                    "vehicles_checked",
                    "Kontrollerade fordon",
                    "int",
                    aliases=("fordon", "vehicles", "vehicles checked"),
                ),
                Field(
                    "breath_tests", "Utandningsprov", "int", aliases=("alkoholprov", "sållningsprov", "breath tests")
                ),
                Field(
                    "drunk_driving_suspected", "Misstänkt rattfylleri", "int", aliases=("rattfylleri", "drunk driving")
                ),
                Field(
                    "drugged_driving_suspected",
                    "Misstänkt drograttfylleri",
                    "int",
                    aliases=("drograttfylleri", "drugged driving", "drug driving"),
                ),
                Field(
                    "speeding_offences",
                    "Hastighetsöverträdelser",
                    "int",
                    aliases=("fortkörning", "speeding", "speeding offences"),
                ),
                Field(
                    "inappropriate_behaviour_reports",
                    "Olämpligt beteende i trafiken",
                    "int",
                    help="Antal rapporterade fall av olämpligt beteende i trafiken vid kontrollen.",
                    aliases=(
                        "olämpligt beteende",
                        "olämpligt beteende i trafik",
                        "inappropriate behaviour",
                        "inappropriate behavior",
                        "inappropriate behaviour reports",
                    ),
                ),
            ),
        ),
        ActivityType(
            "atractor_check",
            "A-traktorkontroll",
            "A-traktorkontroller och insatser mot buskörning",
            "#009E73",
            (
                Field(
                    "vehicles_checked",
                    "Kontrollerade fordon",
                    "int",
                    aliases=("fordon", "vehicles", "vehicles checked"),
                ),
                Field(
                    "illegal_vehicles",
                    "Olagliga eller ombyggda fordon",
                    "int",
                    aliases=("olagliga fordon", "ombyggda fordon", "illegal vehicles"),
                ),
                Field("driving_bans", "Körförbud", "int", aliases=("driving bans",)),
                Field("reports_filed", "Anmälningar", "int", aliases=("rapporter", "reports")),
            ),
        ),
        ActivityType(
            "info_meeting",
            "Informationsträff",
            "Informationsträffar",
            "#CC79A7",
            (
                Field("topics", "Ämnen", "choices", True, TOPICS, aliases=("ämne", "topic", "topics")),
                Field(
                    "audiences", "Målgrupp", "choices", True, AUDIENCES, aliases=("målgrupper", "audience", "audiences")
                ),
                Field("participants", "Deltagare", "int", aliases=("antal deltagare", "participants")),
            ),
        ),
        ActivityType(
            "drug_operation",
            "Insats mot öppen droghandel",
            "Insatser mot öppen droghandel",
            "#D55E00",
            (
                Field("persons_checked", "Kontrollerade personer", "int", aliases=("personer", "persons checked")),
                Field("seizures", "Beslag", "int", aliases=("seizures",)),
                Field("reports_filed", "Anmälningar", "int", aliases=("rapporter", "reports")),
                Field(
                    "youth_focus",
                    "Fokus på unga",
                    "bool",
                    help="ja om insatsen särskilt riktar sig mot unga eller mot nyrekrytering av unga, annars nej.",
                    aliases=(
                        "fokus på unga / nyrekrytering",
                        "fokus på unga och nyrekrytering",
                        "fokus unga",
                        "nyrekrytering",
                        "nyrekrytering av unga",
                        "youth focus",
                    ),
                ),
            ),
        ),
        ActivityType(
            "staff_training",
            "Utbildning av personal",
            "Utbildningar av personal",
            "#56B4E9",
            (
                Field("topics", "Ämnen", "choices", False, TOPICS, aliases=("ämne", "topic", "topics")),
                Field(
                    "participants",
                    "Deltagare",
                    "int",
                    help="Antal deltagartillfällen: en person på två utbildningar räknas två gånger.",
                    aliases=("antal deltagare", "deltagartillfällen", "participants"),
                ),
                Field(
                    "unique_participants",
                    "Unika deltagare",
                    "int",
                    help="Antal personer som utbildas för första gången under perioden (varje person räknas en gång).",
                    aliases=(
                        "unika",
                        "nya deltagare",
                        "antal unika deltagare",
                        "unique participants",
                        "distinct participants",
                    ),
                ),
            ),
        ),
        ActivityType(
            "awareness",
            "Informationsinsats",
            "Informationsinsatser om våld i nära relation",
            "#7F5FB0",
            (
                Field("topics", "Ämnen", "choices", False, TOPICS, aliases=("ämne", "topic", "topics")),
                Field(
                    "audiences",
                    "Målgrupp",
                    "choices",
                    False,
                    AUDIENCES,
                    aliases=("målgrupper", "audience", "audiences"),
                ),
                Field(
                    "participants", "Nådda personer", "int", aliases=("deltagare", "nådda", "reached", "participants")
                ),
            ),
        ),
    )
}

TYPE_COLOURS = {code: t.colour for code, t in ACTIVITY_TYPES.items()}

# Values a type column in an uploaded file may hold, besides the code, label and plural.
TYPE_ALIASES = {
    "foot_patrol": ("fotpatrullering", "foot patrol", "patrull"),
    "traffic_control": ("traffic control", "trafik"),
    "atractor_check": ("a-traktor", "a-traktorer", "epa", "buskörning", "a-tractor check"),
    "info_meeting": ("informationsmöte", "info meeting", "information meeting"),
    "drug_operation": ("droghandel", "narkotikainsats", "drug operation"),
    "staff_training": ("utbildning", "personalutbildning", "staff training", "training"),
    "awareness": ("medvetandeinsats", "kampanj", "awareness"),
}
TYPE_COLUMN_HEADERS = ("typ", "aktivitetstyp", "aktivitet", "type", "activity type")


def type_label(code: str) -> str:
    return ACTIVITY_TYPES[code].label
