# ruff: noqa: E501, SIM905  (word tables: one long line per list reads better than hundreds of short ones)
"""Word lists the rules share: synonym groups for the pattern language, and negation/hedge cues.

Everything here is written as lemmas (lower case). Pattern strings in :mod:`nlp.patterns` refer to a
group as ``@NAME``, so one list of synonyms feeds many patterns and stays easy to extend.
"""

from __future__ import annotations

GROUPS: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "COST": "price pricing cost fee rate quote spend spending licence license seat subscription "
        "tier invoice bill billing plan number investment ticket contract-value acv arr",
        "EXPENSIVE": "expensive pricey pricy costly overpriced steep high spendy exorbitant outrageous "
        "insane crazy ridiculous hefty premium rich stiff lofty",
        "INTENS": "too so very way really super pretty quite bit little insanely crazy ridiculously "
        "kinda kind rather bloody damn fairly extremely awfully hella wildly",
        "PROBLEM": "issue problem concern blocker dealbreaker deal-breaker hurdle obstacle challenge worry "
        "objection pushback friction roadblock showstopper sticking snag hangup hang-up barrier "
        "headache pain complaint",
        "BUDGET": "budget money fund funding cash dollar capital spend",
        "BOSS": "boss cfo ceo cto cio coo cro vp vps manager director leadership exec execs executive "
        "executives board committee finance procurement purchasing legal head founder founders "
        "owner chief management svp evp gm partner superior",
        "APPROVE": "approval approve sign-off signoff sign greenlight blessing okay ok buy-in consent "
        "authorization authorisation authorize authorise",
        "TOOL": "tool solution vendor provider system platform setup stack product software app "
        "process spreadsheet spreadsheets crm",
        "HAPPY": "happy satisfied content fine good pleased comfortable ok okay",
        "LATER": "later quarter year month week q1 q2 q3 q4 spring summer fall autumn winter january "
        "february march april may june july august september october november december "
        "h1 h2 new-year holiday holidays",
        "COMPLEX": "complex complicated heavy overwhelming convoluted overkill "
        "over-engineered overengineered intimidating daunting bloated",
        "SLOW": "slow sluggish laggy lag lagging latency glacial",
        "REPORT": "report reporting dashboard analytics metric metrics kpi kpis insight insights chart "
        "charts graph graphs forecast forecasting scorecard leaderboard visibility trend trends",
        "ASK": "ask request want need require expect demand",
        "TEAM": "team rep reps user users people staff seller sellers ae aes sdr sdrs bdr bdrs",
        "MISC_NONE": "",
    }.items()
}

#: Tokens that negate what follows them in the same clause.
NEGATORS: frozenset[str] = frozenset(
    "not no never none nobody nothing zero without neither nor hardly barely nope nah n't nt".split()
)

#: Words that may stand between a negator and the thing it negates ("no real concerns about
#: security", "didn't even mention Gong") without breaking the negation. Anything else in between
#: ("not happy with support") means the negation is about something else.
TRANSPARENT: frozenset[str] = frozenset(
    """
    a an the any any_ their our its his her my your this that these those it they he she we them us
    about with on around re regarding over for of to in at from by up as much many at all
    be do have get seem look sound feel
    anything something stuff much whatsoever at_all really even real major big serious specific particular actual single much whatsoever further
    one ever once too so that very
    mention bring raise ask discuss talk care worry concern bother complain flag hear say think
    come push focus cover note notice pushback question questions comment comments complaint
    complaints issue issues problem problems concern concerns blocker blockers objection objections
    mention mentions discussion talk worried concerned bothered fuss fussed thought word peep
    sign signs red flag flags hesitation hesitancy hiccup hiccups
    """.split()
)

#: After a match, these mean "... was never mentioned": the mention before them does not count.
NOT_RAISED = (
    "be|seem|look|feel|sound? not|n't|never ~1 mention|raise|discuss|bring|cover|relevant",
    "do|have? not|n't|never ~1 come|mention|matter|raise|bring|surface|feature",
)

#: After a match, these mean "... was not an issue": they neutralise a theme or objection. They start
#: with a verb so that "budget cut / no objections on cost" is not read as one statement.
NON_ISSUE = (
    "be|seem|look|feel|sound not|n't|never ~2 @PROBLEM|factor|deal|thing|dealbreaker|biggie|bother|priority|"
    "topic|question",
    "be|seem|look|sound fine|ok|okay|non-issue|nonissue|irrelevant",
    "be|seem|look a? non issue",
    "will|would|should|can|do|wo not|n't be ~2 @PROBLEM|factor|deal|thing|dealbreaker|biggie|bother|priority",
    "be|seem no ~1 problem|issue|concern|blocker|big",
    "be n/a",
)

#: Words that say a topic is settled or went well ("kickoff went fine", "pen test cleared", "soc2 rcvd, no more q's"):
#: a theme named in the same clause as one of them, with no problem word, was not raised as a concern.
SETTLED: frozenset[str] = frozenset(
    """
    fine clean cleanly cleared approved signed resolved sorted fixed shipped smooth smoothly painless passed
    rcvd received nailed
    """.split()
)

#: Cues that an objection is only hypothetical ("not sure if budget is a problem").
HEDGES: frozenset[str] = frozenset(
    "maybe might perhaps possibly potentially hypothetically unclear unsure wonder wondering if whether could".split()
)

#: Tokens that end a clause: negation and hedges do not reach across them.
CLAUSE_BREAKS: frozenset[str] = frozenset(
    [
        ".",
        "!",
        "?",
        ";",
        ":",
        ",",
        "—",
        "–",
        "-",
        "/",
        "(",
        ")",
        "\n",
        "\n\n",
        "...",
        "…",
        "..",
        *"but though although however except whereas while yet because whereas unlike".split(),
    ]
)

#: Words before a vendor name that make it an integration target, not a competitor.
INTEGRATION_BEFORE: frozenset[str] = frozenset(
    """
    sync synch synced syncs syncing integrate integration integrated connect connector connected
    plug plugin push pull write writeback log import export feed pipe map mapping hook embed
    embedded inside into within api bidirectional two-way 2-way live store stored crm dial dialer
    """.split()
)

#: Words just after a vendor name that mean the vendor is a system the customer runs.
INTEGRATION_AFTER: frozenset[str] = frozenset(
    """
    integration integrations sync syncs connector connectors api apis plugin plug-in package
    instance org admin admins field fields object objects record records data sandbox
    webhook webhooks field-mapping mapping opportunity opportunities opp opps contact contacts dialer
    """.split()
)

#: Words near a vendor name that make a comparison ("switching from", "also looking at").
COMPARISON_CUES: frozenset[str] = frozenset(
    """
    use using used switch switching switched move moving moved migrate leave leaving churn evaluate
    evaluating evaluation look looking compare compared comparison vs vs. versus than cheaper instead
    replace replacing rip demo demoed trial trialing pilot piloting considering consider bake-off
    competitor competition incumbent current already renew renewed quote quoted shortlist
    """.split()
)

#: Words near a vendor name that make the mention incidental: a person's past employer, an event, a partner
#: ("their new VP used to be at Outreach", "spoke at a HubSpot event"). A comparison cue nearby still wins.
INCIDENTAL_NEAR: frozenset[str] = frozenset(
    """
    event events conference conferences summit webinar webinars keynote podcast booth meetup panel
    partner partners partnership agency alum alumni ex former formerly investor investors backed
    certified certification hire hired poach poached career
    """.split()
)
#: Words that, followed by "at"/"for" and the vendor, describe where a person worked or spoke.
INCIDENTAL_AT: frozenset[str] = frozenset(
    "be work worked working spend spent intern join joined speak spoke talk time stint day".split()
)

#: Words just before an unlisted vendor name that make it one the customer compares, evaluates, uses or
#: leaves ("also piloting Freshsales", "switching from Close"): such names become candidate competitors.
CANDIDATE_BEFORE: frozenset[str] = frozenset(
    """
    pilot piloting trial trialing trialling evaluate evaluating test testing compare comparing vs vs. versus
    switch switching migrate migrating move moving leave leaving replace replacing ditch ditching rip
    consider considering shortlist shortlisted demo demoed than from incumbent
    """.split()
)
#: Words just after an unlisted vendor name with the same meaning ("Freshsales is cheaper").
CANDIDATE_AFTER: frozenset[str] = frozenset(
    "cheap cheaper undercut undercutting quote quoted pilot trial poc demo".split()
)

# Words that may stand between a cue and the vendor it is about ("piloting out also the X").
CANDIDATE_SKIP: frozenset[str] = frozenset("also out with to from over off the a an both their another some".split())
CANDIDATE_SKIP_BACK: frozenset[str] = frozenset("be is was were 's come came in a much way far".split())
#: Words after a cue that are never a vendor's name.
NOT_NAMES: frozenset[str] = frozenset(
    """
    we us our they them their it this that these those you he she i me my your the a an and or but so our
    excel spreadsheet spreadsheets sheets email emails manual paper notebook notes process vendor vendors tool
    tools platform solution solutions product products system systems us. one two something anything nothing
    """.split()
)


#: Words of a commitment to a vendor ("locked into a contract with Outreach"): met before any integration word,
#: they make it the vendor the customer is tied to, so a competitor.
CONTRACT_CUES: frozenset[str] = frozenset(
    "contract contracts locked lock stuck tied sign signed subscription subscriptions license licence renewal".split()
)

#: Vendors whose name is also an ordinary word: lower-case mentions need a cue nearby.
AMBIGUOUS_NAMES: frozenset[str] = frozenset(
    "outreach seismic otter zoom apollo fireflies wingman dynamics close copper".split()
)
AMBIGUITY_CUES: frozenset[str] = COMPARISON_CUES | frozenset(
    "from off rep reps and or like also vs on + & better worse prefer happy fine hate clunky over".split()
)

#: Vendors that are also where the call happened ("on a Zoom", "zoom call"): that is no mention.
MEDIUM_AFTER: frozenset[str] = frozenset("call calls meeting meetings link invite room recording chat".split())
MEDIUM_BEFORE: frozenset[str] = frozenset("on via over through".split())

#: Fixes for contractions and common typos the lookup table leaves alone.
LEMMA_OVERRIDES: dict[str, str] = {
    "n't": "not",
    "nt": "not",
    "ca": "can",
    "wo": "will",
    "sha": "shall",
    "'ll": "will",
    "ll": "will",
    "'re": "be",
    "'m": "be",
    "'ve": "have",
    "'d": "would",
    "cannot": "can",
    "gonna": "go",
    "pricing": "price",
    "priced": "price",
    "prices": "price",
    "pricy": "pricey",
    "pricier": "pricey",
    "priciest": "pricey",
    "onboarded": "onboard",
    "onboarding": "onboarding",
    "synced": "sync",
    "syncing": "sync",
    "syncs": "sync",
    "integrations": "integration",
    "dashboards": "dashboard",
    "reps": "rep",
    "approvals": "approval",
    "signoff": "sign-off",
    "u": "you",
    "ur": "your",
    "thru": "through",
    "w/": "with",
    "w/o": "without",
    "bc": "because",
    "b/c": "because",
    "b4": "before",
    "w/e": "whatever",
    "cuz": "because",
    "tho": "though",
    "pls": "please",
    "prob": "probably",
    "def": "definitely",
}
