from indicators import Count, Indicator

INDICATOR = Indicator(
    id="personal_utbildningstillfallen",
    title="Utbildningstillfällen för medarbetare",
    description="Antal utbildningstillfällen för kommunens och polisens medarbetare om våld i nära relation.",
    commitments=("ml23-kunskap-medarbetare",),
    activity_types=("staff_training",),
    where="topics IS NULL OR list_contains(topics, 'våld i nära relation')",
    filter_label="utbildningar om våld i nära relation",
    unit="tillfällen",
    phrase="utbildningstillfällen",
    aggregation=Count(),
    has_target=False,
)
