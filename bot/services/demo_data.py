"""A realistic generated quarter of call notes for `fieldnotes demo`: a dozen reps, ~30 accounts.

Notes are composed from many interchangeable fragments (openers, what was said per theme, objections,
competitor remarks, next steps), so no two read alike, and their mix follows trends a marketer would
want to see: pricing rising through the quarter, reporting slowly rising, security fading, and Gong
spiking in the latest week. The notes are tagged by the real tagger afterwards, not here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["ACCOUNTS", "REPS", "DemoNote", "DemoPrompt", "generate_quarter"]

REPS: tuple[tuple[str, str, str], ...] = (
    ("UDEMO01", "Ana Ortiz", "America/New_York"),
    ("UDEMO02", "Ben Keller", "Europe/Berlin"),
    ("UDEMO03", "Chloé Martin", "Europe/Paris"),
    ("UDEMO04", "Dev Patel", "America/Chicago"),
    ("UDEMO05", "Emma Brooks", "America/Los_Angeles"),
    ("UDEMO06", "Farid Haddad", "Europe/London"),
    ("UDEMO07", "Grace Liu", "America/New_York"),
    ("UDEMO08", "Hugo Silva", "America/Sao_Paulo"),
    ("UDEMO09", "Ines Novak", "Europe/Berlin"),
    ("UDEMO10", "Jamal Wright", "America/Denver"),
    ("UDEMO11", "Kenji Sato", "Asia/Tokyo"),
    ("UDEMO12", "Lena Fischer", "Europe/Zurich"),
)

ACCOUNTS = (
    "Acme Corp",
    "Northwind Traders",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Logistics",
    "Wayne Capital",
    "Hooli",
    "Pied Piper",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Systems",
    "Cyberdyne Robotics",
    "Oscorp Labs",
    "Wonka Retail",
    "Gringotts Bank",
    "Monarch Insurance",
    "Blue Sun Energy",
    "Aperture Science",
    "Massive Dynamic",
    "Nakatomi Trading",
    "Prestige Worldwide",
    "Dunder Mifflin",
    "Sterling Cooper",
    "Bluth Company",
    "Krusty Brands",
    "Los Pollos Hermanos",
    "Duff Beverages",
    "Virtucon",
    "Omni Consumer Products",
)

ROLES = (
    "VP of Sales",
    "RevOps lead",
    "CRO",
    "sales director",
    "head of enablement",
    "CFO",
    "IT manager",
    "procurement lead",
    "front-line manager",
    "COO",
)
COMPETITORS = ("Gong", "Chorus", "Clari", "Outreach", "Salesloft", "HubSpot")

OPENERS = (
    "Discovery call with the {role} at {account}.",
    "Second meeting with {account}, this time with their {role}.",
    "Demo for {account}; the {role} joined halfway.",
    "Quick check-in with {account}.",
    "Renewal conversation with {account}'s {role}.",
    "Follow-up with {account} after last week's trial kickoff.",
    "Met the {role} of {account} at their office.",
    "Call with {account} about expanding to {number} more seats.",
    "Pricing walkthrough with {account}.",
    "",
    "",
)

THEMES: dict[str, tuple[str, ...]] = {
    "pricing": (
        "They think the per-seat price is steep for a team of {number}.",
        "Pricing came up again: they want a discount for a two-year term.",
        "The {role} asked why our price went up {number}% since the last quote.",
        "They compared our pricing page with {competitor} and found us more expensive.",
        "Budget owner pushed hard on cost, wants a cheaper tier without the analytics add-on.",
        "They asked for usage-based pricing instead of paying per seat.",
        "Licensing is confusing to them: too many tiers and add-ons.",
    ),
    "integration": (
        "They need the Salesforce sync to write back to custom objects.",
        "Asked whether we integrate with their data warehouse through an API.",
        "The HubSpot connector dropped fields during their import test.",
        "IT wants a webhook when a call is logged so they can sync it to Snowflake.",
        "They rely on Slack and Teams and want notifications in both.",
        "Their admin asked about our REST API rate limits for a nightly export.",
    ),
    "onboarding": (
        "Worried about how long onboarding takes; last vendor needed three months.",
        "They asked who runs the implementation and whether training is included.",
        "Setup looked heavy for their small ops team.",
        "They want a migration plan for {number} reps before the new quarter.",
        "Asked for a sandbox so they can try the setup before signing.",
    ),
    "security and compliance": (
        "Infosec sent a security questionnaire and asked for our SOC 2 report.",
        "They need SSO with Okta before anyone can log in.",
        "Data residency in the EU is a must for their legal team.",
        "GDPR came up: they want to know where call data is stored.",
        "Security review is scheduled and could take a few weeks.",
    ),
    "performance and reliability": (
        "They saw the dashboard load slowly during the trial.",
        "Complained about an outage last month that hit their pipeline review.",
        "Sync delays of several hours make the data feel stale to them.",
        "A bug in the mobile app lost two of their notes.",
    ),
    "missing feature": (
        "They asked for a native mobile app for reps on the road.",
        "The feature they need most is automatic call summaries, which we do not have yet.",
        "They wish we supported multiple currencies in forecasts.",
        "Asked if we have a Chrome extension; we do not yet.",
        "Would buy today if we had territory management built in.",
    ),
    "support": (
        "Their current CSM rarely answers, so support responsiveness matters a lot.",
        "Asked about support hours in APAC.",
        "Wants a named customer success manager in the contract.",
        "Raised a support ticket that took four days to answer during the trial.",
    ),
    "usability": (
        "Reps found the UI clunky and the workflow confusing.",
        "The {role} loved how easy it is to use compared to their spreadsheet.",
        "They said there are too many clicks to log a call.",
        "New hires need to get going without training, so ease of use matters.",
    ),
    "reporting and analytics": (
        "They want a dashboard of win rates by segment.",
        "Forecasting reports are what the {role} cares about most.",
        "Asked whether they can export reports to Excel every Monday.",
        "They need custom metrics for pipeline coverage.",
        "Analytics on rep activity would help them coach the team.",
    ),
    "contract and legal": (
        "Legal sent redlines on the MSA, mostly about liability caps.",
        "Procurement wants net-60 payment terms and a termination clause.",
        "Their contract renews in {quarter}, so timing depends on the notice period.",
        "The DPA needs to go through legal review first.",
    ),
}

OBJECTIONS: dict[str, tuple[str, ...]] = {
    "too expensive": (
        "Flat out said it is too expensive for what they get.",
        "The {role} said we cost twice what {competitor} does.",
        "They feel the price is too high compared to the value so far.",
    ),
    "no budget": (
        "No budget left this year; everything is frozen until {quarter}.",
        "They have not allocated any money for this.",
    ),
    "bad timing": (
        "Bad timing: they are in the middle of a reorg.",
        "Asked us to come back next quarter after their hiring freeze.",
    ),
    "happy with current tool": (
        "They are happy with {competitor} and see no reason to switch.",
        "Their current tool does the job, so switching is a hard sell.",
    ),
    "needs approval": (
        "The CFO has to sign off before anything moves.",
        "It needs approval from procurement and their steering committee.",
    ),
    "not a priority": (
        "It is a nice-to-have; other projects come first this half.",
        "Not a priority until the CRM migration is done.",
    ),
}

COMPETITOR_LINES = (
    "They are also evaluating {competitor}.",
    "{competitor} offered them a big discount last week.",
    "The {role} mentioned a demo with {competitor} on Thursday.",
    "They used {competitor} before and churned because of price.",
    "{competitor} is already in the building for the sales team.",
)

NEXT_STEPS = (
    "Next step: a technical deep dive with their admin.",
    "Sending a proposal by Friday.",
    "They will loop in the {role} next week.",
    "Trial starts Monday with {number} users.",
    "Follow-up call booked for {day}.",
    "",
    "",
)

HELPED = (
    ("A one-pager comparing us with Gong", 3),
    ("An ROI calculator for the CFO", 3),
    ("Our SOC 2 report and a security whitepaper", 2),
    ("A customer story from a fintech company", 2),
    ("An integration guide for Salesforce", 2),
    ("A pricing page that explains the tiers", 2),
    ("A short video of the onboarding steps", 1),
    ("Reference customers in healthcare", 1),
)

OUTCOMES = (("progressing", 45), ("won", 15), ("lost", 15), ("stalled", 15), ("no decision", 10))
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class DemoNote:
    author: str  # Slack user id of the rep
    account: str
    outcome: str
    text: str
    helped: str | None
    created_at: datetime
    stage: str | None = None  # the funnel fields are added by bot/services/demo_funnel.py
    segment: str | None = None
    worked: str | None = None


@dataclass(frozen=True)
class DemoPrompt:
    rep: str
    sent_at: datetime
    answered: bool


def _theme_weights(week: int, weeks: int) -> dict[str, float]:
    progress = week / max(1, weeks - 1)
    return {
        "pricing": 0.10 + 0.32 * progress,
        "integration": 0.24,
        "onboarding": 0.12,
        "security and compliance": 0.16 - 0.08 * progress,
        "performance and reliability": 0.07,
        "missing feature": 0.14,
        "support": 0.06,
        "usability": 0.10,
        "reporting and analytics": 0.08 + 0.08 * progress,
        "contract and legal": 0.05,
    }


def _fill(rng: random.Random, template: str, account: str, competitor: str) -> str:
    return template.format(
        role=rng.choice(ROLES),
        account=account,
        competitor=competitor,
        number=rng.choice((5, 12, 20, 25, 40, 60, 150)),
        quarter=rng.choice(("Q1", "Q2", "January", "the new fiscal year")),
        day=rng.choice(DAYS),
    )


def _compose(rng: random.Random, week: int, weeks: int, account: str) -> tuple[str, bool, bool]:
    """(text, mentions a price objection, mentions Gong)."""
    latest = week == weeks - 1
    competitor = "Gong" if rng.random() < (0.5 if latest else 0.25) else rng.choice(COMPETITORS[1:])
    parts = [_fill(rng, rng.choice(OPENERS), account, competitor)]
    said = [t for t, weight in _theme_weights(week, weeks).items() if rng.random() < weight]
    if not said:
        said = [rng.choice(list(THEMES))]
    sentences = [_fill(rng, rng.choice(THEMES[theme]), account, competitor) for theme in said[:3]]
    pricey = "pricing" in said and rng.random() < 0.5
    if pricey:
        sentences.append(_fill(rng, rng.choice(OBJECTIONS["too expensive"]), account, competitor))
    elif rng.random() < 0.3:
        objection = rng.choice([k for k in OBJECTIONS if k != "too expensive"])
        sentences.append(_fill(rng, rng.choice(OBJECTIONS[objection]), account, competitor))
    gong_spike = latest and rng.random() < 0.35
    if gong_spike or rng.random() < 0.12:
        name = "Gong" if gong_spike else competitor
        sentences.append(_fill(rng, rng.choice(COMPETITOR_LINES), account, name))
    rng.shuffle(sentences)
    parts += sentences
    parts.append(_fill(rng, rng.choice(NEXT_STEPS), account, competitor))
    text = " ".join(p for p in parts if p)
    return text, pricey, "Gong" in text


def _at(rng: random.Random, monday: datetime, tz: str) -> datetime:
    day = monday.date() + timedelta(days=rng.randrange(5))
    local = datetime(day.year, day.month, day.day, rng.randrange(9, 18), rng.randrange(60), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def generate_quarter(end: datetime, *, weeks: int = 13, seed: int = 7) -> tuple[list[DemoNote], list[DemoPrompt]]:
    """Notes and prompts for the `weeks` weeks before `end` (a Monday 00:00 UTC), oldest first."""
    rng = random.Random(seed)
    notes: list[DemoNote] = []
    prompts: list[DemoPrompt] = []
    helped_texts = [text for text, weight in HELPED for _ in range(weight)]
    outcomes = [name for name, weight in OUTCOMES for _ in range(weight)]
    shuffled = rng.sample(ACCOUNTS, len(ACCOUNTS))  # overlapping books of six that cover every account
    book = {rep: [shuffled[(i * 5 + k) % len(shuffled)] for k in range(6)] for i, (rep, _, _) in enumerate(REPS)}
    for week in range(weeks):
        monday = end - timedelta(days=7 * (weeks - week))
        for rep, _name, tz in REPS:
            count = rng.randint(3, 7) + (week * 2 // weeks)
            for _ in range(count):
                account = rng.choice(book[rep])
                text, pricey, gong = _compose(rng, week, weeks, account)
                outcome = "lost" if pricey and rng.random() < 0.4 else rng.choice(outcomes)
                helped = None
                if rng.random() < 0.3:
                    helped = "A one-pager comparing us with Gong" if gong and rng.random() < 0.6 else None
                    helped = helped or rng.choice(helped_texts)
                notes.append(DemoNote(rep, account, outcome, text, helped, _at(rng, monday, tz)))
            answered = count - rng.randint(0, 1)  # the odd note comes from /feedback, not a prompt
            for index in range(answered + rng.randint(0, 3)):
                prompts.append(DemoPrompt(rep, _at(rng, monday, tz), index < answered))
    notes.sort(key=lambda n: n.created_at)
    return notes, prompts
