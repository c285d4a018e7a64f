from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="informationstraffar_vuxna",
    title="Informationsträffar för vårdnadshavare och andra viktiga vuxna",
    description="Informationsträffar där målgruppen är vårdnadshavare eller andra viktiga vuxna.",
    commitments=("ml23-informationstraffar", "so19-forebyggande-ungdom"),
    activity_types=("info_meeting",),
    filters=Filters(audiences=("vårdnadshavare", "andra viktiga vuxna")),
    filter_label="målgrupp vårdnadshavare eller andra viktiga vuxna",
    unit="träffar",
    phrase="träffar för vårdnadshavare och andra vuxna",
    aggregation=Count(),
    has_target=True,
)
