from indicators import Count, Indicator

INDICATOR = Indicator(
    id="trafik_hastighetskontroller",
    title="Hastighetskontroller",
    description="Trafikkontroller med inriktning på hastighet (hastighets- och kombinerade kontroller).",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    where="control_kind IN ('hastighet', 'kombinerad')",
    filter_label="kontroller av hastighet",
    unit="kontroller",
    phrase="hastighetskontroller",
    aggregation=Count(),
    has_target=True,
)
