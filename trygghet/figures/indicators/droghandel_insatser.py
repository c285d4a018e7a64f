from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="droghandel_insatser",
    title="Riktade insatser i samverkan mot öppen droghandel",
    description="Insatser mot öppen droghandel som polisen och kommunen genomfört tillsammans (organisation: "
    "samverkan), som löftet lyder. Insatser som polisen eller kommunen gjort ensam visas bredvid som "
    "sammanhang.",
    commitments=("ml23-oppen-droghandel", "so19-oppet-missbruk", "so19-unga-narkotika-alkohol"),
    activity_types=("drug_operation",),
    filters=Filters(organisations=("samverkan",)),
    filter_label="endast insatser i samverkan",
    unit="insatser",
    phrase="insatser i samverkan mot öppen droghandel",
    aggregation=Count(),
    has_target=True,
)
