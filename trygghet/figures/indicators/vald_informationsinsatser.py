from trygghet.figures.indicators import Count, Indicator

INDICATOR = Indicator(
    id="vald_informationsinsatser",
    title="Informationsinsatser om våld i nära relation",
    description="Kampanjer, föreläsningar och andra insatser som ökar medvetenheten om mäns våld mot kvinnor "
    "och våld i nära relation.",
    commitments=("ml23-medvetenhet-vald",),
    activity_types=("awareness",),
    unit="insatser",
    phrase="informationsinsatser",
    aggregation=Count(),
    has_target=True,
)
