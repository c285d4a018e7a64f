from indicators import CENTRAL_AREAS, Indicator, Sum

INDICATOR = Indicator(
    id="fotpatrull_timmar_centrala",
    title="Fotpatrullering i centrala Timrå, timmar",
    description="Timmar med fotpatrull i de områden som räknas till centrala Timrå.",
    commitments=("ml23-fotpatrull", "so19-fotpatrullering"),
    activity_types=("foot_patrol",),
    where=CENTRAL_AREAS,
    filter_label="endast centrala Timrå",
    unit="timmar",
    aggregation=Sum("duration_min / 60.0", "summa timmar"),
    has_target=True,
    decimals=1,
)
