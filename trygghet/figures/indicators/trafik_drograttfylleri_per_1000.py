from trygghet.figures.indicators import Indicator, Ratio

INDICATOR = Indicator(
    id="trafik_drograttfylleri_per_1000",
    title="Misstänkt drograttfylleri per 1 000 utandningsprov",
    description="Misstänkta drograttfylleribrott per 1 000 utandningsprov vid trafikkontroller: ett utfallsmått, "
    "inget mål.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    unit="per 1 000 prov",
    aggregation=Ratio(
        numerator="drugged_driving_suspected",
        denominator="breath_tests",
        scale=1000.0,
        label="misstänkta per 1 000 prov",
    ),
    has_target=False,
    decimals=1,
)
