from trygghet.figures.indicators import Filters, Indicator, Sum

INDICATOR = Indicator(
    id="trafik_utandningsprov",
    title="Utandningsprov vid identifierade riskplatser",
    description="Antal utandningsprov (sållningsprov för alkohol) vid trafikkontroller på identifierade "
    "riskplatser och vägar: löftets inriktning på onykterhet, där löftet säger att kontrollerna ska ske.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    filters=Filters(risk_place=True),
    filter_label="endast identifierade riskplatser",
    unit="prov",
    phrase="utandningsprov vid riskplatser",
    aggregation=Sum(field="breath_tests", label="summa prov"),
    has_target=True,
)
