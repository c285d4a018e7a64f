from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="trafikkontroller_riskplatser",
    title="Trafikkontroller vid identifierade riskplatser",
    description="Trafikkontroller som genomförts vid de riskplatser och vägar som polisen identifierat.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    filters=Filters(risk_place=True),
    filter_label="endast identifierade riskplatser",
    unit="kontroller",
    phrase="kontroller vid riskplatser",
    aggregation=Count(),
    has_target=True,
    headline=True,
)
