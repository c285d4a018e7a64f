from trygghet.figures.indicators import Indicator, Ratio

INDICATOR = Indicator(
    id="trafik_rattfylleri_per_1000",
    title="Misstänkt rattfylleri per 1 000 utandningsprov",
    description="Misstänkta rattfylleribrott (alkohol) per 1 000 utandningsprov: ett utfallsmått, inget mål.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    unit="per 1 000 prov",
    aggregation=Ratio(
        numerator="drunk_driving_suspected", denominator="breath_tests", scale=1000.0, label="misstänkta per 1 000 prov"
    ),
    has_target=False,
    decimals=1,
)
