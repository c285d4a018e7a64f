from trygghet.figures.indicators import Count, Indicator

INDICATOR = Indicator(
    id="fotpatrull_antal",
    title="Fotpatruller i hela kommunen",
    description="Antal fotpatruller i alla kommundelar: samverkansöverenskommelsen lovar ökad synlighet genom "
    "fotpatrullering utan att begränsa den till centrala Timrå.",
    commitments=("so19-fotpatrullering",),
    activity_types=("foot_patrol",),
    unit="patruller",
    phrase="fotpatruller i hela kommunen",
    aggregation=Count(),
    has_target=True,
)
