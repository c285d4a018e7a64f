from trygghet.figures.indicators import Indicator, Sum

INDICATOR = Indicator(
    id="fotpatrull_timmar",
    title="Fotpatrullering i hela kommunen, timmar",
    description="Timmar med fotpatrull i alla kommundelar: samverkansöverenskommelsen lovar ökad synlighet genom "
    "fotpatrullering utan att begränsa den till centrala Timrå.",
    commitments=("so19-fotpatrullering",),
    activity_types=("foot_patrol",),
    unit="timmar",
    phrase="timmar fotpatrull i hela kommunen",
    aggregation=Sum(field="duration_min", scale=1 / 60, label="summa timmar"),
    has_target=True,
    decimals=1,
)
