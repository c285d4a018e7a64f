"""Charts that do not mislead: one unit per axis, gaps where there is no data, time axes that fit, titles that
name unit and period and fit a phone."""

from __future__ import annotations

from trygghet.reports.charts import chart_title, period_chart, rate_chart, thinned, wrap


def test_titles_wrap_after_commas_to_fit_a_phone():
    title = "Fotpatruller per månad, 1 januari–30 juni 2024, och samma period i fjol"
    # 42 characters a line: the first two parts together are 47, so each part is a line of its own.
    assert wrap(title).split("<br>") == [
        "Fotpatruller per månad,",
        "1 januari–30 juni 2024,",
        "och samma period i fjol",
    ]
    # A part longer than a line is broken between words.
    assert wrap("Informationsträffar för vårdnadshavare och andra viktiga vuxna, 2024").split("<br>") == [
        "Informationsträffar för vårdnadshavare och",
        "andra viktiga vuxna, 2024",
    ]
    assert wrap("Kort titel") == "Kort titel"


def test_a_title_names_its_unit_unless_it_already_does():
    assert chart_title("Fotpatrullering i centrala Timrå, timmar", "timmar", "2024") == (
        "Fotpatrullering i centrala Timrå, timmar, 2024"
    )
    assert chart_title("Medarbetare utbildade om våld i nära relation", "medarbetare", "2024") == (
        "Medarbetare utbildade om våld i nära relation, 2024"
    )
    assert chart_title("Utandningsprov vid identifierade riskplatser", "prov", "2024") == (
        "Utandningsprov vid identifierade riskplatser, 2024"
    )  # "prov" is in "Utandningsprov"
    assert chart_title("Fotpatruller i hela kommunen", "timmar", "2024") == "Fotpatruller i hela kommunen, timmar, 2024"


def test_a_24_month_axis_shows_at_most_8_labels_with_the_year_below():
    labels = [
        f"{m} {y}"
        for y in (2023, 2024)
        for m in ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
    ]
    ticks, texts = thinned(labels, labels)
    # 24 / 8 = every third month.
    assert ticks == ["jan 2023", "apr 2023", "jul 2023", "okt 2023", "jan 2024", "apr 2024", "jul 2024", "okt 2024"]
    assert texts[0] == "jan<br>2023"
    six = ["jan", "feb", "mar", "apr", "maj", "jun"]
    assert thinned(six, six) == (six, six)  # few enough: every one, no year


def test_last_year_without_data_is_a_gap_not_a_drop_to_zero():
    fig = period_chart(
        "Fotpatruller per månad, 2024",
        "aktiviteter",
        ["jan", "feb"],
        [("Fotpatruller", "#005A9C", [3.0, 4.0])],
        [None, 2.0],
    )
    line = next(t for t in fig.data if t.name == "Samma period i fjol")
    assert list(line.y) == [None, 2.0] and line.connectgaps is False
    assert line.customdata[0] == "jan i fjol: inget underlag"


def test_a_rate_chart_has_one_unit_on_its_axis():
    fig = rate_chart(
        "Misstänkt rattfylleri per 1 000 utandningsprov, per månad, 2024",
        "per 1 000 utandningsprov",
        ["jan", "feb"],
        [("Misstänkt rattfylleri", [1.0, None])],
        "#005A9C",
    )
    assert fig.layout.yaxis.title.text == "per 1 000 utandningsprov"
    assert "2024" in fig.layout.title.text
