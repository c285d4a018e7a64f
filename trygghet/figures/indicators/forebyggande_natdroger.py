from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="forebyggande_natdroger",
    title="Informationsträffar och utbildningar om nätdroger",
    description="Informationsträffar och personalutbildningar där nätdroger är ett av ämnena: det fortsatta "
    "arbetet ”Tillsammans mot nätdroger”.",
    commitments=("so19-natdroger",),
    activity_types=("info_meeting", "staff_training"),
    filters=Filters(topics=("nätdroger",)),
    filter_label="ämne nätdroger",
    unit="aktiviteter",
    phrase="aktiviteter om nätdroger",
    aggregation=Count(),
    has_target=True,
)
