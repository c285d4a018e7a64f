from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="trafik_hastighetskontroller_alla",
    title="Hastighetskontroller på alla platser",
    description="Trafikkontroller med inriktning på hastighet (hastighets- och kombinerade kontroller), var de "
    "än hölls: sammanhang, inget mål. Målet sitter på hastighetskontroller vid riskplatser.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    filters=Filters(control_kinds=("hastighet", "kombinerad")),
    filter_label="kontroller av hastighet, alla platser",
    unit="kontroller",
    phrase="hastighetskontroller på alla platser",
    aggregation=Count(),
    has_target=False,
)
