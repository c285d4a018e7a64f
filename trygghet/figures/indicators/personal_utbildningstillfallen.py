from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="personal_utbildningstillfallen",
    title="Utbildningstillfällen för medarbetare",
    description="Antal utbildningstillfällen för kommunens och polisens medarbetare om våld i nära relation.",
    commitments=("ml23-kunskap-medarbetare",),
    activity_types=("staff_training",),
    filters=Filters(topics=("våld i nära relation",), topics_or_none=True),
    filter_label="utbildningar om våld i nära relation",
    unit="tillfällen",
    phrase="utbildningstillfällen",
    aggregation=Count(),
    has_target=False,
)
