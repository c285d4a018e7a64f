from indicators import Filters, Indicator, Sum

INDICATOR = Indicator(
    id="personal_utbildade_vald",
    title="Medarbetare utbildade om våld i nära relation",
    description="Deltagare från kommunen och polisen i utbildningar om att upptäcka och motverka våld i nära relation.",
    commitments=("ml23-kunskap-medarbetare",),
    activity_types=("staff_training",),
    filters=Filters(topics=("våld i nära relation",), topics_or_none=True),
    filter_label="utbildningar om våld i nära relation",
    unit="medarbetare",
    phrase="utbildade medarbetare",
    aggregation=Sum(field="participants", label="summa deltagare"),
    has_target=True,
)
