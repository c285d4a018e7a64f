from trygghet.figures.indicators import Filters, Indicator, Ratio

INDICATOR = Indicator(
    id="trafik_hastighetsovertradelser_per_1000",
    title="Hastighetsöverträdelser per 1 000 kontrollerade fordon",
    description="Hastighetsöverträdelser per 1 000 fordon som kontrollerats vid hastighets- och kombinerade "
    "kontroller (vid nykterhetskontroller mäts inte hastigheten, så de fordonen räknas inte): "
    "ett utfallsmått, inget mål.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    filters=Filters(control_kinds=("hastighet", "kombinerad")),
    filter_label="kontroller av hastighet",
    unit="per 1 000 fordon",
    aggregation=Ratio(
        numerator="speeding_offences",
        denominator="vehicles_checked",
        scale=1000.0,
        label="överträdelser per 1 000 fordon",
    ),
    has_target=False,
    decimals=1,
)
