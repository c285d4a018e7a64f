from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="informationstraffar_unga",
    title="Informationsträffar för unga",
    description="Informationsträffar där de unga själva är målgruppen: förebyggande arbete med ungdomar, som "
    "samverkansöverenskommelsen lovar (träffarna för vårdnadshavare och andra vuxna räknas separat).",
    commitments=("so19-forebyggande-ungdom",),
    activity_types=("info_meeting",),
    filters=Filters(audiences=("unga",)),
    filter_label="målgrupp unga",
    unit="träffar",
    phrase="informationsträffar för unga",
    aggregation=Count(),
    has_target=True,
)
