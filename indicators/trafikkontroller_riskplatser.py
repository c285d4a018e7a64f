from indicators import Count, Indicator

INDICATOR = Indicator(
    id="trafikkontroller_riskplatser",
    title="Trafikkontroller vid identifierade riskplatser",
    description="Trafikkontroller som genomförts vid de riskplatser och vägar som polisen identifierat.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    where="risk_place",
    filter_label="endast identifierade riskplatser",
    unit="kontroller",
    phrase="kontroller vid riskplatser",
    aggregation=Count(),
    has_target=True,
    headline=True,
)
