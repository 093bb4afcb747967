# ruff: noqa: E501  (phrase tables: one long line per list reads better than hundreds of short ones)
"""Phrasings the note generator draws from: many genuinely different ways to say each label.

A fragment may carry extra labels after ``##`` (comma-separated). ``{comp}`` is a competitor named in
a comparison (it is labelled), ``{integ}`` a vendor named as an integration target (it is not).
Objections imply their theme (see ``nlp.patterns.IMPLIES``); the generator adds it.
"""

from __future__ import annotations

FRAGMENTS: dict[str, list[str]] = {
    # ---- themes -----------------------------------------------------------------------------
    "pricing": [
        "asked about pricing tiers", "wanted to know how the per-seat price works",
        "they asked if we do annual vs monthly billing", "pricing came up, they want a quote for 40 seats",
        "discussed a discount for a 2 year deal", "curious what the cost looks like at 200 users",
        "need a formal quote by friday", "asked whether onboarding is included in the price ## onboarding",
        "compared our packaging to what they pay now", "wants to understand the licensing model",
        "asked for ROI numbers to take to finance", "price per rep was the first question",
        "how does the free tier compare to pro", "their ops lead asked what the renewal price would be ## contract and legal",
        "wants usage based pricing instead of seats", "asked if there's a startup discount",
        "money talk went ok, sent them the rate card", "asked if we can bill in euros",
        "wanted a breakdown of cost by plan", "they asked how much it costs to add managers later",
        "TCO vs building it themselves came up", "price increase at renewal was a question",
    ],
    "integration": [
        "needs the crm sync to be two-way", "asked if we integrate with {integ}",
        "big question was whether it plugs into their {integ} instance",
        "they want call notes pushed into {integ} automatically", "api access is a must for their data team",
        "wanted webhooks so they can trigger stuff in slack", "asked about a connector for their data warehouse",
        "does it talk to marketo?", "their ops guy asked about field mapping",
        "they need it to work with their existing stack", "wants to pipe transcripts into snowflake",
        "asked if there is a zapier app", "the {integ} integration was the main topic",
        "worried the sync with {integ} would create duplicate contacts", "want everything to flow back into {integ}",
        "they want to hook us up to their in-house data pipeline", "asked how we import contacts from {integ}",
        "they asked if the api has rate limits", "needs a native app in the {integ} marketplace",
        "data has to land in their warehouse nightly",
    ],
    "onboarding": [
        "worried about how long implementation takes", "want to be live before their sales kickoff",
        "asked how we handle onboarding for 150 reps", "need training sessions for managers",
        "the rollout plan needs to fit in 2 weeks", "asked what setup looks like on their side",
        "they had a rough onboarding with their last vendor", "want a dedicated implementation manager",
        "how fast can new hires ramp with it", "getting started seemed like a lot to them",
        "asked about time to value, want results in the first month",
        "asked if we offer professional services for the setup", "go-live date matters, SKO is in march",
        "want hands-on help getting reps up and running", "asked whether admins get a walkthrough",
        "kickoff needs to include their IT folks", "their last tool took 3 months to deploy",
        "want a phased launch by region", "concerned about adoption after we turn it on",
        "migration of old call recordings is a must",
    ],
    "security and compliance": [
        "security questionnaire incoming", "need SOC 2 type II report before they go further",
        "asked where data is hosted, they need EU hosting", "GDPR came up a lot",
        "infosec wants to review our pen test results", "they need SSO with SAML",
        "asked about encryption at rest", "data retention has to match their policy, 90 days max",
        "HIPAA compliance is required for the healthcare team", "vendor risk assessment has to happen first",
        "their CISO wants a call with our security team", "asked about access controls and audit logs",
        "they need a DPA signed ## contract and legal", "call recording consent rules in california came up",
        "want to know if we store PII", "they need ISO 27001", "MFA for all users is mandatory there",
        "asked about data residency in canada", "asked for our SOC2 and a pentest summary",
        "their compliance team has to review how we process voice data",
    ],
    "performance and reliability": [
        "complained the app was slow in the demo", "dashboard took ages to load ## reporting and analytics",
        "they heard we had an outage last month", "transcripts came out inaccurate on accented speakers",
        "asked about our uptime SLA ## contract and legal", "the chrome extension keeps crashing for pilot users",
        "sync lag of a few hours is a problem ## integration", "recordings sometimes drop halfway",
        "their trial had a bunch of bugs", "pages freeze when you open a long call",
        "wanted to know if it scales to 2000 users", "search is sluggish",
        "they got errors when uploading recordings", "pilot was flaky, calls went missing",
        "reliability is huge for them after their last vendor went down for a day",
        "latency on live coaching was noticeable", "the mobile app is buggy", "it timed out twice during the demo",
        "calls take forever to process after they end", "the player glitches on safari",
    ],
    "missing feature": [
        "they asked for a mobile app", "would love a spanish transcription option",
        "feature request: auto summaries in slack", "wish it had a forecast view by territory ## reporting and analytics",
        "asked if custom scorecards are on the roadmap ## reporting and analytics",
        "want the ability to clip parts of calls", "they want bulk editing of tags",
        "asked when we will support teams meetings", "any plans for an offline mode?",
        "would be great if there was a chrome plugin", "they'd like multi-language support down the line",
        "asked for a way to tag deals by product line", "keen on an AI coaching feature, told them it is coming",
        "requested dark mode lol", "asked if we could add custom fields", "they want role based views",
        "wanted to know if there's a public roadmap", "asked for a browser extension for gmail",
        "want alerts when a competitor gets mentioned", "asked for call translation",
    ],
    "support": [
        "they asked what our support hours are", "want a named CSM", "had bad experiences with support at their last vendor",
        "asked about response times for urgent tickets", "want 24/7 support because they have reps in APAC",
        "asked if support is included or extra ## pricing", "customer success at their current vendor never responds",
        "they liked that we have live chat support", "want a dedicated account manager",
        "their admins open a lot of tickets, want a fast help desk", "escalation path matters to them",
        "asked whether we offer phone support", "the help center articles were outdated",
        "support took a week to answer their trial question", "want a shared slack channel with our support folks",
        "nobody got back to them during the trial", "they want onsite help from a CSM ## onboarding",
        "customer care at the old vendor was terrible",
    ],
    "usability": [
        "reps found the UI clunky", "said it looks dated", "they loved how easy it is to use",
        "too many clicks to find a call", "navigation confused their managers",
        "asked if the interface can be simplified for SDRs", "user friendly was the main thing they cared about",
        "the layout is cluttered", "search UX is confusing", "reps need something intuitive, no manuals",
        "said it was hard to find the coaching tab", "liked the slick design",
        "the editor is awkward on small screens", "the tagging workflow felt clumsy to them",
        "ease of use is the top criterion", "said the screens are busy and hard to read",
        "managers got lost in the menus", "the ux of the call library is not great",
    ],
    "reporting and analytics": [
        "need dashboards for each team lead", "wanted reporting on talk ratios", "asked about pipeline analytics",
        "their VP lives in forecasts, wants a weekly roll up", "they want to export reports to excel",
        "asked if we track win rates by competitor", "want metrics on rep activity",
        "needs custom reports for the board deck", "asked about trend analysis over quarters",
        "visibility into deal risk was the big ask", "they want a leaderboard for SDRs",
        "KPI tracking is weak in their current setup", "the insights page impressed them",
        "want charts of objection frequency", "they need attribution of pipeline to campaigns",
        "asked whether managers can drill into individual calls", "want a scorecard per rep each week",
        "forecasting accuracy is what the CRO cares about",
    ],
    "contract and legal": [
        "legal is reviewing the MSA", "they sent back redlines on liability", "want a 30 day out clause",
        "asked for net 60 payment terms", "procurement needs a vendor form filled", "wants a one year term, not multi-year",
        "they want auto-renew turned off", "their lawyers want changes to the indemnity section",
        "need a PO before anything is signed", "asked about termination for convenience",
        "paperwork is with their counsel", "order form needs to show monthly billing ## pricing",
        "they insist on using their own paper", "NDA first before the technical deep dive",
        "renewal terms came up", "want the SLA written into the agreement", "contract length was debated",
        "their attorney flagged the limitation of liability cap",
    ],
    # ---- objections ---------------------------------------------------------------------------
    "too expensive": [
        "said it's too expensive", "way too pricey for a team their size", "{comp} quoted them half of what we did",
        "the number made them wince", "can't justify the spend for 20 reps", "price is the blocker",
        "we came in way over their number", "they think we cost twice what {comp} does",
        "sticker shock on the enterprise tier", "not worth the money in their view", "cost per seat is steep",
        "pushed hard for a discount, said we're overpriced", "out of their price range",
        "said it's a lot of money for what it does", "their CFO balked at the price ## needs approval",
        "there are cheaper options out there according to them", "they'd pay maybe half of our quote",
        "too rich for their blood", "expensive compared to {comp}", "price tag is hard to swallow",
        "we're the priciest vendor on their list", "the quote was a shock, way above expectations",
        "costs too much for a pilot", "said our pricing is insane",
    ],
    "no budget": [
        "no budget this year", "budget is frozen till Q2", "they spent their tooling budget already",
        "spending freeze, nothing new gets bought", "zero money for new tools right now",
        "cost cutting everywhere, they cut two vendors last month", "don't have the funds",
        "their budget got slashed", "can't afford it at the moment", "they're waiting on next year's budget",
        "no money allocated for this", "finance froze all new spend", "budget's tight after layoffs",
        "it wasn't budgeted", "they're cash strapped until the funding round closes", "no line item for this",
        "the money just isn't there", "their budget was cut in half",
    ],
    "bad timing": [
        "bad timing, they're mid reorg", "asked us to circle back in Q3", "come back after the holidays",
        "not the right time, they're in the middle of a CRM migration", "they're swamped until year end",
        "timing is off, new VP starts next month", "want to revisit in the new year", "pushed the eval out to next quarter",
        "on hold until the merger closes", "they said reach out in 6 months", "they postponed the decision",
        "wrong quarter for this", "just got acquired, everything is paused", "too much going on for them right now",
        "launching a new product, no bandwidth till spring", "ping them again after their busy season",
        "wait until after the reorg settles",
    ],
    "happy with current tool": [
        "they're happy with {comp}", "already using {comp} and it works fine for them", "no reason to switch",
        "said their current setup does the job", "just renewed with {comp}", "they love their current tool",
        "switching costs feel too high to them", "not looking to replace anything", "content with what they have",
        "rip and replace is a non-starter", "their reps are used to {comp} and like it",
        "they're locked in with {comp} for two more years", "their spreadsheets work fine for now",
        "status quo wins, they don't see a need to change", "built their whole process around {comp}",
        "satisfied with their existing vendor", "they don't want to move off {comp}",
    ],
    "needs approval": [
        "needs sign off from the CFO", "has to run it by her boss", "the VP of sales makes the final call",
        "procurement needs to approve any new vendor", "our champion has to sell it internally",
        "it goes to the steering committee next week", "he's not the decision maker", "needs buy-in from the CRO",
        "board has to approve anything over 50k", "legal and finance both have to sign off ## contract and legal",
        "wants to loop in his director", "above her pay grade, she said", "needs a business case for leadership",
        "waiting for the exec team to green light it", "has to get the CEO's blessing",
        "several stakeholders need to weigh in", "she can't sign without her manager",
    ],
    "not a priority": [
        "not a priority right now", "on the back burner", "nice to have, not a must have",
        "they have bigger fish to fry", "low priority compared to the CRM cleanup", "not urgent for them",
        "no urgency at all", "other projects come first", "not top of mind for leadership", "they parked it",
        "deprioritized after planning", "it can wait, they said", "more pressing issues with pipeline",
        "coaching isn't something they're focused on this year", "lower on the list than hiring",
        "it's not critical for them",
    ],
    "security concern": [
        "security team blocked it", "worried about where call recordings are stored",
        "infosec flagged our data retention", "nervous about recording customer calls",
        "data can't leave the EU, big concern", "we failed their security review",
        "they need on-prem and we're cloud only", "privacy concerns about storing transcripts",
        "their CISO is uneasy about AI on customer data", "no SOC 2 means no deal for them",
        "concerned about PII in transcripts", "compliance team said no to third party recording",
        "they worry about a data breach", "the security questionnaire raised red flags",
        "their IT says cloud tools are a risk", "legal flagged recording consent as a risk",
    ],
    "too complex": [
        "said it's too complicated for their reps", "looks like overkill for a 10 person team",
        "steep learning curve", "reps won't use something this heavy",
        "too many features, they want something simpler", "worried it needs a full-time admin",
        "the setup looked like a heavy lift ## onboarding", "overwhelmed by the demo",
        "they want a lightweight tool", "too many bells and whistles they won't use", "hard to learn for new hires",
        "it felt complex compared to {comp}", "intimidating for sdrs", "way too much going on in the product for them",
        "their team isn't technical enough for this",
    ],
    "missing capability": [
        "we don't support Teams and that's a dealbreaker", "doesn't have the Spanish transcription they need",
        "no way to redact PII in recordings ## security and compliance",
        "lacks a native {integ} integration ## integration", "can't export call data and they need that",
        "we're missing role based permissions", "no mobile app = no deal", "they need offline mode and we don't have it",
        "until we support multi-currency they're out", "missing the forecasting piece they need ## reporting and analytics",
        "gap in our coaching features vs {comp}", "we don't do dialing, they need a dialer",
        "feature gap on territory management", "can't record in-person meetings, which kills it for them",
        "our product lacks the call scoring they need", "without a sandbox they can't move forward",
    ],
}

#: A competitor named in a comparison: labelled with the competitor only.
COMPARISONS: list[str] = [
    "they're also looking at {comp}", "switching from {comp}", "currently on {comp}", "{comp} demoed last week",
    "evaluating us vs {comp}", "shortlist is us and {comp}", "they use {comp} today", "their last vendor was {comp}",
    "had a bake-off with {comp}", "{comp} gave them a free trial", "compared us to {comp} a lot",
    "{comp} rep is also in the deal", "moving off {comp}", "trialed {comp} last year", "{comp} came up as an option",
    "considering {comp} too", "got a demo from {comp} yesterday", "mentioned {comp} twice",
]

#: A vendor named as something the customer connects to: never a competitor mention.
INTEGRATIONS: list[str] = [
    "we sync with {integ}", "they need it to integrate with {integ}", "they log everything into {integ}",
    "asked about our {integ} integration", "want to pull opportunities from {integ}", "their {integ} admin will set it up",
    "does it connect to {integ}?", "pushes notes to {integ}", "data lives in {integ}", "the {integ} sync has to work",
]

#: Mentions that are negated or neutral: no label at all.
NEGATED: list[str] = [
    "price wasn't an issue", "pricing was fine", "no concerns about security", "they didn't mention {comp}",
    "budget isn't a problem for them", "never brought up integrations", "onboarding wasn't discussed",
    "no complaints about support", "timing is not a concern", "legal didn't have any issues",
    "security was not a blocker", "didn't ask about reporting", "performance never came up",
    "cost wasn't mentioned at all", "no pushback on price", "they have budget set aside", "not worried about the price",
    "no issues with the UI", "contract terms weren't a problem", "nobody raised anything about compliance",
    "no questions about the api", "approval won't be an issue, she owns the budget", "{comp} never came up",
    "not too expensive for them", "no objections on cost", "nothing on security", "didn't talk about pricing",
]

FILLERS: list[str] = [
    "good call overall", "next step is a demo for the wider team", "sent recap", "follow up next week",
    "they liked the demo", "great energy on the call", "will send the deck", "call ran 45 min", "decent call",
    "talked through their process", "they have 35 AEs and 10 SDRs", "new logo opp", "ok call", "nothing major",
    "positive overall", "booked a second meeting", "they asked for the slides", "discovery call", "intro call w/ head of sales",
    "they're growing fast", "good rapport with the champion", "waiting on them", "champion seems engaged",
    "spoke with their revops lead", "3 people from their side joined", "they took a lot of notes",
    "sending a follow up email today", "second call with this account", "warm lead from the webinar",
    "they want to see it live with their data", "overall promising", "meh call", "tough crowd",
    "they are hiring 20 reps this year", "their sales team is mostly remote", "demo went smoothly",
]

ACCOUNTS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark Ind", "Wayne Co", "Pied Piper",
            "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Oscorp", "Northwind", "Contoso", "Dunder Mifflin", "Massive Dynamic"]

#: Competitors as reps write them: name, lower case, aliases and misspellings.
COMP_SPELLINGS: dict[str, list[str]] = {
    "Gong": ["Gong", "gong", "Gong.io", "GONG"], "Chorus": ["Chorus", "Chorus.ai", "chorus.ai"],
    "Salesforce": ["Salesforce", "salesforce", "SFDC", "sfdc", "sales force", "Salesfroce"],
    "HubSpot": ["HubSpot", "Hubspot", "hubspot", "Hub Spot", "hubspt"], "Outreach": ["Outreach", "Outreach.io"],
    "Salesloft": ["Salesloft", "SalesLoft", "salesloft", "Sales Loft"], "Clari": ["Clari", "clari"],
    "ZoomInfo": ["ZoomInfo", "zoominfo", "Zoom Info"], "Apollo": ["Apollo", "Apollo.io"],
    "Pipedrive": ["Pipedrive", "pipedrive"], "Microsoft Dynamics": ["MS Dynamics", "Dynamics 365", "Microsoft Dynamics"],
    "Highspot": ["Highspot", "highspot"], "Mindtickle": ["Mindtickle", "MindTickle"], "Avoma": ["Avoma", "avoma"],
    "Fireflies": ["Fireflies", "Fireflies.ai"], "Otter": ["Otter", "Otter.ai"], "Zoho": ["Zoho", "zoho crm"],
}

#: Vendors reps name as integration targets.
INTEG_SPELLINGS: dict[str, list[str]] = {
    "Salesforce": ["Salesforce", "salesforce", "SFDC", "sfdc"], "HubSpot": ["HubSpot", "hubspot"],
    "Microsoft Dynamics": ["Dynamics 365", "MS Dynamics"], "Zoho": ["Zoho"], "Pipedrive": ["Pipedrive"],
    "Outreach": ["Outreach"], "Salesloft": ["Salesloft"],
}
