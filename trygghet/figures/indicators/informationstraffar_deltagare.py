from trygghet.figures.indicators import Indicator, Sum

INDICATOR = Indicator(
    id="informationstraffar_deltagare",
    title="Deltagare på informationsträffar",
    description="Antal deltagare på alla informationsträffar, oavsett målgrupp.",
    commitments=("ml23-informationstraffar", "so19-forebyggande-ungdom"),
    activity_types=("info_meeting",),
    unit="deltagare",
    aggregation=Sum(field="participants", label="summa deltagare"),
    has_target=False,
)
