"""The labels a workspace tags notes with.

A :class:`Taxonomy` is a plain, frozen, hashable value. The tagger compiles matchers per taxonomy
*value*, so a workspace that edits its labels gets a new value and the change takes effect on the
next call without a restart.

The shipped labels carry rich lemma patterns (see :mod:`nlp.patterns`); ``Label.phrases`` holds only
what a workspace adds on top of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "GROUPS",
    "KINDS",
    "Competitor",
    "Label",
    "Taxonomy",
    "default_taxonomy",
]

#: kind name -> Taxonomy attribute, in the order reports and tags list them.
GROUPS: dict[str, str] = {"theme": "themes", "objection": "objections", "competitor": "competitors"}
#: the kinds of tag, in that order.
KINDS: tuple[str, ...] = tuple(GROUPS)


@dataclass(frozen=True)
class Label:
    name: str
    description: str = ""
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competitor:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[Label, ...]
    objections: tuple[Label, ...]
    competitors: tuple[Competitor, ...]

    def names(self, kind: str) -> list[str]:
        """Label (or competitor) names of one kind: ``"theme"``, ``"objection"`` or ``"competitor"``."""
        return [item.name for item in getattr(self, GROUPS[kind])]

    def has(self, kind: str, name: str) -> bool:
        return name in self.names(kind)

    def with_label(self, kind: str, label: Label | Competitor) -> Taxonomy:
        """A copy with ``label`` added, or replacing the one of the same name."""
        attr = GROUPS[kind]
        items = [item for item in getattr(self, attr) if item.name != label.name]
        return replace(self, **{attr: (*items, label)})

    def without(self, kind: str, name: str) -> Taxonomy:
        attr = GROUPS[kind]
        return replace(self, **{attr: tuple(item for item in getattr(self, attr) if item.name != name)})


_THEMES: tuple[tuple[str, str], ...] = (
    ("pricing", "Price, cost, discounts, licences and how the product is packaged and billed."),
    ("integration", "Connecting to other tools: CRM sync, APIs, connectors, data import and export."),
    ("onboarding", "Getting started: implementation, setup, migration, training and time to value."),
    ("security and compliance", "SSO, SOC 2, GDPR, data residency, audits, infosec reviews and privacy."),
    ("performance and reliability", "Speed, outages, bugs, crashes, downtime, latency and data accuracy."),
    ("missing feature", "Something the customer wants that the product does not do yet."),
    ("support", "Customer support, success management, response times and account help."),
    ("usability", "Ease of use, UI and UX, learning curve, clunky or confusing workflows."),
    ("reporting and analytics", "Dashboards, reports, forecasting, metrics, insights and exports of data."),
    ("contract and legal", "Contract terms, MSA, redlines, procurement paperwork, legal review, renewals."),
)

_OBJECTIONS: tuple[tuple[str, str], ...] = (
    ("too expensive", "The price is too high, or higher than a competitor's or than the value they see."),
    ("no budget", "No money allocated, budget frozen or already spent."),
    ("bad timing", "Not now: wrong quarter, reorg, hiring freeze, come back later."),
    ("happy with current tool", "Content with what they already use; no reason to switch."),
    ("needs approval", "Someone else must sign off: boss, CFO, procurement, legal or a committee."),
    ("not a priority", "Other projects come first; this is a nice-to-have."),
    ("security concern", "Worries about data security, privacy or compliance blocking the deal."),
    ("too complex", "The product or rollout looks too complicated or heavy for the team."),
    ("missing capability", "A deal blocker: the product lacks something they need."),
)

# Vendors a sales-software company meets in deals. Aliases cover spellings, old names and the
# shorthand reps type; misspellings within one or two edits are also caught by fuzzy matching.
_COMPETITORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Gong", ("gong.io", "gong io")),
    ("Chorus", ("chorus.ai", "chorus ai", "zoominfo chorus")),
    ("Salesforce", ("SFDC", "sales force", "salesforce.com", "sales cloud", "SF CRM", "salesforce einstein")),
    ("HubSpot", ("hub spot", "hubspot crm", "hubspot sales hub", "sales hub")),
    ("Outreach", ("outreach.io", "outreach io")),
    ("Salesloft", ("sales loft", "salesloft cadence")),
    ("Clari", ("clari.com", "clari copilot", "wingman")),
    ("Zoom", ("zoom revenue accelerator", "zoom iq", "zoom ai companion", "zoom ai")),
    ("ZoomInfo", ("zoom info", "zi")),
    ("Apollo", ("apollo.io", "apollo io")),
    ("Pipedrive", ("pipe drive",)),
    ("Microsoft Dynamics", ("dynamics 365", "ms dynamics", "dynamics crm", "d365")),
    ("Highspot", ("high spot",)),
    ("Seismic", ("seismic enablement",)),
    ("Mindtickle", ("mind tickle",)),
    ("People.ai", ("people ai", "peopleai")),
    ("Avoma", ()),
    ("Fireflies", ("fireflies.ai", "fireflies ai")),
    ("Otter", ("otter.ai", "otter ai")),
    ("Zoho", ("zoho crm",)),
)


def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy. Workspaces start from it and add or remove labels and phrases."""
    return Taxonomy(
        themes=tuple(Label(name, description) for name, description in _THEMES),
        objections=tuple(Label(name, description) for name, description in _OBJECTIONS),
        competitors=tuple(Competitor(name, aliases) for name, aliases in _COMPETITORS),
    )
