from trygghet.figures.indicators import Indicator, Sum

INDICATOR = Indicator(
    id="atraktor_kontrollerade_fordon",
    title="Kontrollerade A-traktorer och andra fordon",
    description="Antal fordon som kontrollerats vid insatser mot A-traktorer och buskörning.",
    commitments=("ml23-a-traktorer", "so19-buskorning"),
    activity_types=("atractor_check",),
    unit="fordon",
    phrase="kontrollerade fordon",
    aggregation=Sum(field="vehicles_checked", label="summa fordon"),
    has_target=False,
)
