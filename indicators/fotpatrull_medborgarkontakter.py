from indicators import Indicator, Sum

INDICATOR = Indicator(
    id="fotpatrull_medborgarkontakter",
    title="Medborgarkontakter vid fotpatrull",
    description="Samtal med medborgare under fotpatruller i hela kommunen.",
    commitments=("ml23-fotpatrull", "so19-fotpatrullering"),
    activity_types=("foot_patrol",),
    unit="kontakter",
    phrase="medborgarkontakter",
    aggregation=Sum("citizen_contacts", "summa kontakter"),
    has_target=False,
)
