from trygghet.figures.indicators import Indicator, Sum

INDICATOR = Indicator(
    id="trafik_olampligt_beteende",
    title="Olämpligt beteende i trafiken vid trafikkontroller",
    description="Rapporterade fall av olämpligt beteende i trafiken vid trafikkontrollerna, en av löftets tre "
    "inriktningar: ett utfallsmått, inget mål (fler fall kan betyda bättre kontroller lika väl som "
    "sämre trafik). Räknar bara kontroller där fältet har fyllts i.",
    commitments=("ml23-trafikkontroller",),
    activity_types=("traffic_control",),
    unit="fall",
    phrase="fall av olämpligt beteende i trafiken",
    aggregation=Sum(field="inappropriate_behaviour_reports", label="summa fall"),
    has_target=False,
)
