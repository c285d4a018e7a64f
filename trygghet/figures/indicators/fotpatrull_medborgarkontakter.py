from trygghet.figures.indicators import Indicator, Sum

INDICATOR = Indicator(
    id="fotpatrull_medborgarkontakter",
    title="Medborgarkontakter vid fotpatrull",
    description="Samtal med medborgare under fotpatruller i hela kommunen.",
    commitments=("ml23-fotpatrull", "so19-fotpatrullering"),
    activity_types=("foot_patrol",),
    unit="kontakter",
    phrase="medborgarkontakter",
    aggregation=Sum(field="citizen_contacts", label="summa kontakter"),
    has_target=False,
)
