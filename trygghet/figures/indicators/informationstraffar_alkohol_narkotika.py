from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="informationstraffar_alkohol_narkotika",
    title="Informationsträffar om alkohol och narkotika",
    description="Informationsträffar där alkohol, narkotika eller nätdroger är ett av ämnena.",
    commitments=("ml23-informationstraffar", "so19-unga-narkotika-alkohol", "so19-natdroger"),
    activity_types=("info_meeting",),
    filters=Filters(topics=("alkohol", "narkotika", "nätdroger")),
    filter_label="ämne alkohol, narkotika eller nätdroger",
    unit="träffar",
    phrase="träffar om alkohol och narkotika",
    aggregation=Count(),
    has_target=False,
)
