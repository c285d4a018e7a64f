from trygghet.figures.indicators import Count, Filters, Indicator

INDICATOR = Indicator(
    id="samverkan_trygghetsinsatser",
    title="Trygghetsskapande insatser i samverkan",
    description="Alla aktiviteter som polisen och kommunen genomfört tillsammans (organisation: samverkan).",
    commitments=("ml23-trygghetsskapande", "so19-oppet-missbruk"),
    activity_types=(
        "foot_patrol",
        "traffic_control",
        "atractor_check",
        "info_meeting",
        "drug_operation",
        "staff_training",
        "awareness",
    ),
    filters=Filters(organisations=("samverkan",)),
    filter_label="endast aktiviteter i samverkan",
    unit="insatser",
    phrase="insatser i samverkan",
    aggregation=Count(),
    has_target=True,
)
