from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="trafik_hastighetskontroller",
    title="Hastighetskontroller vid identifierade riskplatser",
    description="Trafikkontroller med inriktning på hastighet (hastighets- och kombinerade kontroller) på "
    "identifierade riskplatser och vägar: löftets inriktning på hastighet, där löftet säger att "
    "kontrollerna ska ske.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    filters=Filters(risk_place=True, control_kinds=("hastighet", "kombinerad")),
    filter_label="kontroller av hastighet vid identifierade riskplatser",
    unit="kontroller",
    phrase="hastighetskontroller vid riskplatser",
    aggregation=Count(),
    has_target=True,
)
