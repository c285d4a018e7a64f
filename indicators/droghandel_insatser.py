from indicators import Count, Indicator

INDICATOR = Indicator(
    id="droghandel_insatser",
    title="Riktade insatser mot öppen droghandel",
    description="Insatser i samverkan mot öppen droghandel, med fokus på att förhindra nyrekrytering av unga.",
    commitments=("ml23-oppen-droghandel", "so19-oppet-missbruk", "so19-unga-narkotika-alkohol"),
    activity_types=("drug_operation",),
    unit="insatser",
    phrase="insatser mot öppen droghandel",
    aggregation=Count(),
    has_target=True,
)
