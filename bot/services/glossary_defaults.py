"""What counts and what does not for each label of the shipped taxonomy (the one-line definitions are the
labels' descriptions, nlp/taxonomy.py). From the labelling guide the tagger is measured against."""

from __future__ import annotations

__all__ = ["SCOPE"]

#: label -> (what counts, what does not)
SCOPE: dict[str, tuple[str, str]] = {
    "pricing": (
        "the customer raises price, seats, discounts, packaging or billing as a concern or a question",
        "price mentioned in passing, or said to be fine (“price was not an issue”)",
    ),
    "integration": (
        "connecting to other tools: CRM sync, APIs, connectors, webhooks, import and export between systems",
        "a vendor named only as what we sync with is not a competitor mention",
    ),
    "onboarding": (
        "implementation, setup, migration, rollout, training, time to value",
        "everyday usability once the product is running (that is usability)",
    ),
    "security and compliance": (
        "SSO, SOC 2, ISO 27001, GDPR, HIPAA, data residency, audits, security questionnaires, privacy",
        "a review that was settled in the call with nothing left open",
    ),
    "performance and reliability": (
        "speed, outages, bugs, crashes, latency, data accuracy, things that break",
        "praise for speed with nothing asked for",
    ),
    "missing feature": (
        "something the customer wants that the product does not do yet",
        "a feature that exists but is hard to find (usability)",
    ),
    "support": ("support, customer success, response times, help with the account", "onboarding projects"),
    "usability": (
        "ease of use, UI and UX, learning curve, clunky workflows, too many clicks",
        "the rollout being heavy (onboarding, or the objection too complex)",
    ),
    "reporting and analytics": (
        "dashboards, reports, forecasting, metrics, exporting data for analysis",
        "sync of data to another tool (integration)",
    ),
    "contract and legal": (
        "contract terms, MSA, DPA, redlines, procurement paperwork, legal review, renewal terms",
        "a boss or CFO who must sign off (the objection needs approval)",
    ),
    "too expensive": (
        "the price is too high, or higher than a competitor's or than the value they see; hedged counts",
        "a price question that was answered and no longer stands",
    ),
    "no budget": ("no money allocated, budget frozen or spent, nothing until next year's budget", "price too high"),
    "bad timing": ("not now: wrong quarter, reorg, merger, freeze, “come back in Q3”", "not a priority at all"),
    "happy with current tool": ("content with what they use, no reason to switch", "evaluating a competitor"),
    "needs approval": ("someone else must sign off: boss, CFO, procurement, legal, a committee", "no budget"),
    "not a priority": ("other projects first, a nice-to-have, nobody owns the problem", "bad timing"),
    "security concern": ("security, privacy or compliance worries that block or slow the deal", "a question answered"),
    "too complex": ("the product or rollout looks too heavy for the team", "one confusing screen (usability)"),
    "missing capability": ("a deal blocker: the product lacks something they need", "a wish (missing feature)"),
}
