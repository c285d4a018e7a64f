from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="droghandel_insatser_polisen",
    title="Insatser mot öppen droghandel, polisen ensam",
    description="Insatser mot öppen droghandel som polisen genomfört utan kommunen: sammanhang, inget mål, "
    "eftersom löftet gäller insatser i samverkan.",
    commitments=("ml23-oppen-droghandel",),
    activity_types=("drug_operation",),
    filters=Filters(organisations=("polisen",)),
    filter_label="endast polisen",
    unit="insatser",
    phrase="insatser mot öppen droghandel av polisen ensam",
    aggregation=Count(),
    has_target=False,
)
