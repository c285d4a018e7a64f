from trygghet.figures.indicators import Filters, Indicator, Sum

INDICATOR = Indicator(
    id="personal_utbildade_vald",
    title="Medarbetare utbildade om våld i nära relation",
    description="Unika medarbetare från kommunen och polisen som utbildats om att upptäcka och motverka våld i "
    "nära relation: varje person räknas en gång (fältet Unika deltagare). Utbildningar som bara anger "
    "deltagartillfällen räknas inte här utan i Deltagartillfällen i utbildningar om våld i nära "
    "relation, eftersom en person på två utbildningar där räknas två gånger.",
    commitments=("ml23-kunskap-medarbetare",),
    activity_types=("staff_training",),
    filters=Filters(topics=("våld i nära relation",), topics_or_none=True),
    filter_label="utbildningar om våld i nära relation, unika personer",
    unit="medarbetare",
    phrase="utbildade medarbetare",
    aggregation=Sum(field="unique_participants", label="summa unika deltagare"),
    has_target=True,
)
