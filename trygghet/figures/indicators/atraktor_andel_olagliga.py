from trygghet.figures.indicators import Indicator, Ratio

INDICATOR = Indicator(
    id="atraktor_andel_olagliga",
    title="Andel kontrollerade fordon som var olagliga eller ombyggda",
    description="Olagliga eller ombyggda fordon i procent av de kontrollerade: ett utfallsmått, inget mål.",
    commitments=("ml23-a-traktorer", "so19-buskorning"),
    activity_types=("atractor_check",),
    unit="%",
    aggregation=Ratio(
        numerator="illegal_vehicles",
        denominator="vehicles_checked",
        scale=100.0,
        label="procent av kontrollerade fordon",
    ),
    has_target=False,
    decimals=1,
)
