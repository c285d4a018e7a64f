from indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="trafik_hastighetskontroller",
    title="Hastighetskontroller",
    description="Trafikkontroller med inriktning på hastighet (hastighets- och kombinerade kontroller).",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    filters=Filters(control_kinds=("hastighet", "kombinerad")),
    filter_label="kontroller av hastighet",
    unit="kontroller",
    phrase="hastighetskontroller",
    aggregation=Count(),
    has_target=True,
)
