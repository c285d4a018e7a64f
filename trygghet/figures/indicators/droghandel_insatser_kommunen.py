from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="droghandel_insatser_kommunen",
    title="Insatser mot öppen droghandel, kommunen ensam",
    description="Insatser mot öppen droghandel som kommunen genomfört utan polisen: sammanhang, inget mål, "
    "eftersom löftet gäller insatser i samverkan.",
    commitments=("ml23-oppen-droghandel",),
    activity_types=("drug_operation",),
    filters=Filters(organisations=("kommunen",)),
    filter_label="endast kommunen",
    unit="insatser",
    phrase="insatser mot öppen droghandel av kommunen ensam",
    aggregation=Count(),
    has_target=False,
)
