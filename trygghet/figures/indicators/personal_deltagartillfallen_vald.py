from trygghet.figures.indicators import Filters, Indicator, Sum

INDICATOR = Indicator(
    id="personal_deltagartillfallen_vald",
    title="Deltagartillfällen i utbildningar om våld i nära relation",
    description="Alla deltagartillfällen i utbildningarna om våld i nära relation, också där antalet unika "
    "personer inte anges: en medarbetare på två utbildningar räknas två gånger, så talet är inte "
    "antalet utbildade medarbetare. Sammanhang, inget mål.",
    commitments=("ml23-kunskap-medarbetare",),
    activity_types=("staff_training",),
    filters=Filters(topics=("våld i nära relation",), topics_or_none=True),
    filter_label="utbildningar om våld i nära relation",
    unit="deltagartillfällen",
    phrase="deltagartillfällen",
    aggregation=Sum(field="participants", label="summa deltagartillfällen"),
    has_target=False,
)
