"""The content's data types: what the loader builds and the bot reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from content.sign_model import SignModel
    from content.topic_model import TopicModel


@dataclass(frozen=True)
class Topic:
    """One topic command: its menu entry and its rendered body."""

    command: str
    title: str
    description: str
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    section: str
    order: int
    html: str


@dataclass(frozen=True)
class Tip:
    """One aftercare tip an admin can broadcast."""

    id: str
    title: str
    audience: str
    html: str


@dataclass(frozen=True)
class RedFlagFamily:
    """A group of warning signs that get urgent guidance instead of a topic."""

    id: str
    title: str
    urgent_html: str
    pointer_html: str
    phrases: tuple[str, ...]
    subject_keywords: tuple[str, ...]
    topic: str
    # "article" or "leaflet": where the guidance comes from.
    source: str = "leaflet"
    # The family's button in the urgent-help chooser.
    label: str = ""
    # Wordings too weak for urgent guidance: they get the check-in question instead.
    weak_phrases: tuple[str, ...] = ()
    ask_html: str = ""
    ask_yes: str = ""
    ask_no: str = ""
    # The answer to "no" in the check-in.
    reply_no_html: str = ""
    # The advice for someone looking after a person on the course, with its closing line.
    carer_html: str = ""
    # Words that elsewhere explain a sign away ("bruised" for a sore leg) but here are the sign.
    own_words: frozenset[str] = frozenset()
    # The chooser's button for someone looking after a person on the course, where `label`
    # speaks as the person ("I might be pregnant").
    carer_label: str = ""

    @property
    def label_for_carer(self) -> str:
        return self.carer_label or self.label


@dataclass(frozen=True)
class Guide:
    """A short how-to for using the bot itself ("how do I delete my data"): the command to use."""

    id: str
    keywords: tuple[str, ...]
    html: str
    # Whether the text gives any health information, so that it needs the disclaimer; a plain
    # how-to does not, and the disclaimer under it would only add noise.
    health: bool = False

    def message(self, disclaimer_html: str) -> str:
        """The guide as it is sent."""
        return f"{self.html}\n\n{disclaimer_html}" if self.health else self.html


@dataclass(frozen=True)
class Library:
    """Everything the content package offers, checked and ready to send."""

    topics: dict[str, Topic]
    tips: dict[str, Tip]
    red_flags: tuple[RedFlagFamily, ...]
    disclaimer_html: str
    # The shared urgent advice, for the chooser's "something else".
    urgent_general_html: str = ""
    # The check-in for someone else's sign, and its "milder" answer (texts.yaml).
    carer_ask_html: str = ""
    carer_milder_html: str = ""
    # The shared advice for them, for the carer's chooser's "something else".
    carer_general_html: str = ""
    crisis_lines: CrisisLines | None = None
    sign_model: SignModel | None = None
    topic_model: TopicModel | None = None
    # How-tos for using the bot, in file order, which breaks ties between them.
    guides: tuple[Guide, ...] = ()

    def red_flag(self, family_id: str) -> RedFlagFamily | None:
        return next((f for f in self.red_flags if f.id == family_id), None)


@dataclass(frozen=True)
class HelpLine:
    """Where to get help now in one country, or anywhere when the country is unknown."""

    country: str  # a name to show, "" for the fallback
    emergency: str
    line: str
    url: str


@dataclass(frozen=True)
class CrisisLines:
    """Emergency numbers and crisis lines by country, and the IANA zones of each country."""

    fallback: HelpLine
    countries: dict[str, HelpLine]
    zone_countries: dict[str, str]

    def for_zone(self, zone: str) -> HelpLine:
        """The help line for the country a timezone belongs to; the fallback elsewhere."""
        return self.countries.get(self.zone_countries.get(zone, ""), self.fallback)
