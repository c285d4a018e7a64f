from indicators import Indicator, Sum

INDICATOR = Indicator(
    id="trafik_utandningsprov",
    title="Utandningsprov vid trafikkontroller",
    description="Antal utandningsprov (sållningsprov för alkohol) vid alla trafikkontroller.",
    commitments=("ml23-trafikkontroller", "so19-hastighet-nykterhet"),
    activity_types=("traffic_control",),
    unit="prov",
    phrase="utandningsprov",
    aggregation=Sum(field="breath_tests", label="summa prov"),
    has_target=True,
)
