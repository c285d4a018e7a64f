"""The indicator cards of Översikt and Rådets möte as a page test reads them. A commitment's cards are one HTML
block (trygghet.web.glance.indicator_cards): this reads each card's parts back from it by their class, as AppTest
reads `at.metric` and `at.caption` of Streamlit's own elements."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Card:
    label: str = ""
    value: str = ""
    delta: str | None = None  # "↑ +2 mot samma period i fjol"
    delta_tone: str | None = None  # its colour: "up" (green), "down" (red) or "off" (grey)
    share: str | None = None  # "64 % av målet"
    status: str | None = None  # symbol and word: "▼ efter"
    status_colour: str | None = None  # the badge's colour, as st.badge names it: "red", "green" …
    notes: list[str] = field(default_factory=list)  # the target's line, the context line, since the last meeting

    @property
    def lines(self) -> list[str]:
        """Every text of the card, in order."""
        parts = [self.label, self.value, self.delta, self.share, self.status, *self.notes]
        return [p for p in parts if p is not None]


class _Cards(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[Card] = []
        self.part: str | None = None  # the class of the <p> being read
        self.text = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "card" in classes:
            self.cards.append(Card())
        elif tag == "p" and self.cards:
            self.part, self.text = classes[0], ""
            if self.part in ("delta", "status"):  # its colour, the second class
                setattr(self.cards[-1], "delta_tone" if self.part == "delta" else "status_colour", classes[1])

    def handle_data(self, data):
        if self.part is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag != "p" or self.part is None:
            return
        card, text = self.cards[-1], self.text.strip()
        if self.part == "note":
            card.notes.append(text)
        else:
            setattr(card, self.part, text)
        self.part = None


def parse_cards(body: str) -> list[Card]:
    """The cards of one HTML block, in order."""
    parser = _Cards()
    parser.feed(body)
    return parser.cards


def cards(at) -> list[Card]:
    """Every card the page shows, in order."""
    return [card for block in at.get("html") if 'class="cards"' in block.value for card in parse_cards(block.value)]


def card_texts(at) -> list[str]:
    """Every text of every card, as the texts of Streamlit's metric, badge and captions were read."""
    return [line for card in cards(at) for line in card.lines]


def figures(at) -> dict[str, str]:
    """Each card's label and figure, as `{m.label: m.value for m in at.metric}` read them from st.metric."""
    return {card.label: card.value for card in cards(at)}
