from trygghet.figures.indicators import CENTRAL_AREAS, Count, Filters, Indicator

INDICATOR = Indicator(
    id="fotpatrull_antal_centrala",
    title="Fotpatruller i centrala Timrå",
    description="Antal fotpatruller i de områden som räknas till centrala Timrå.",
    commitments=("ml23-fotpatrull", "so19-fotpatrullering"),
    activity_types=("foot_patrol",),
    filters=Filters(area_groups=(CENTRAL_AREAS,)),
    filter_label="endast centrala Timrå",
    unit="patruller",
    phrase="fotpatruller i centrala Timrå",
    aggregation=Count(),
    has_target=True,
)
