from trygghet.figures.indicators import Indicator, Sum

INDICATOR = Indicator(
    id="vald_nadda_personer",
    title="Personer nådda av informationsinsatser om våld",
    description="Antal personer som nåtts av informationsinsatserna om våld i nära relation.",
    commitments=("ml23-medvetenhet-vald",),
    activity_types=("awareness",),
    unit="personer",
    phrase="nådda personer",
    aggregation=Sum(field="participants", label="summa nådda personer"),
    has_target=False,
)
