from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="droghandel_insatser_unga",
    title="Insatser i samverkan mot öppen droghandel med fokus på unga",
    description="Insatser i samverkan mot öppen droghandel som särskilt riktar sig mot unga eller mot "
    "nyrekrytering av unga (fältet Fokus på unga). Har mål: löftet lovar ”särskilt fokus på "
    "förhindrande av nyrekrytering av unga”, och utan ett eget mål skulle den delen av löftet inte "
    "bedömas alls; ett mål på alla insatser säger inget om fokus.",
    commitments=("ml23-oppen-droghandel", "so19-unga-narkotika-alkohol"),
    activity_types=("drug_operation",),
    filters=Filters(organisations=("samverkan",), youth_focus=True),
    filter_label="endast insatser i samverkan med fokus på unga",
    unit="insatser",
    phrase="insatser i samverkan mot droghandel med fokus på unga",
    aggregation=Count(),
    has_target=True,
)
