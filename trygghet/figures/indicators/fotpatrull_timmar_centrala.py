from trygghet.figures.indicators import CENTRAL_AREAS, Filters, Indicator, Sum

INDICATOR = Indicator(
    id="fotpatrull_timmar_centrala",
    title="Fotpatrullering i centrala Timrå, timmar",
    description="Timmar med fotpatrull i de områden som räknas till centrala Timrå.",
    commitments=("ml23-fotpatrull", "so19-fotpatrullering"),
    activity_types=("foot_patrol",),
    filters=Filters(area_groups=(CENTRAL_AREAS,)),
    filter_label="endast centrala Timrå",
    unit="timmar",
    aggregation=Sum(field="duration_min", scale=1 / 60, label="summa timmar"),
    has_target=True,
    decimals=1,
)
