from trygghet.figures.indicators import Indicator, Sum

INDICATOR = Indicator(
    id="trafik_utandningsprov_alla",
    title="Utandningsprov vid alla trafikkontroller",
    description="Antal utandningsprov (sållningsprov för alkohol) vid alla trafikkontroller, var de än hölls: "
    "sammanhang, inget mål. Löftet gäller kontroller vid identifierade riskplatser; målet sitter på "
    "utandningsprov vid riskplatser.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    unit="prov",
    phrase="utandningsprov vid alla kontroller",
    aggregation=Sum(field="breath_tests", label="summa prov"),
    has_target=False,
)
