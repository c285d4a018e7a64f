from trygghet.figures.indicators import Count, Indicator

INDICATOR = Indicator(
    id="atraktor_insatser",
    title="Insatser mot olagliga A-traktorer och buskörning",
    description="Riktade kontroller av A-traktorer och insatser mot buskörning; arbetet sker under säsongen "
    "vår till höst.",
    commitments=("ml23-a-traktorer", "so19-buskorning"),
    activity_types=("atractor_check",),
    unit="insatser",
    phrase="insatser mot A-traktorer och buskörning",
    aggregation=Count(),
    has_target=True,
)
