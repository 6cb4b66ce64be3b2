"""Controlled vocabularies of the coded columns (the codebook documents each term)."""
from __future__ import annotations

GENRES = ["news analysis", "narrative reconstruction", "policy statement"]
FIELD_BASIS = ["stated", "inferred", "context", "not stated"]
DATE_PRECISION = ["day", "range", "month", "season", "year"]
DATE_BASIS = ["stated", "inferred", "context"]

#: PLOVER's sixteen event categories, then three the kit adds for happenings
#: that are not an interaction between two parties.
PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
KIT_EVENT_TYPES = ["DELIBERATE", "INTELLIGENCE", "MOVEMENT"]
EVENT_TYPES = PLOVER + KIT_EVENT_TYPES

#: Signed conflict weight of each event type for the escalation view: the kit's own
#: scale, not Goldstein's. Conflict is positive, from +1 (deliberation, intelligence)
#: to +10 (armed attack); de-escalation and cooperation are negative, from -2 (a
#: consultation or request) to -6 (standing down); a movement is 0.
CONFLICT_WEIGHT = {
    "ASSAULT": 10, "COERCE": 7, "THREATEN": 6, "PROTEST": 5, "MOBILIZE": 4, "SANCTION": 4,
    "ACCUSE": 3, "REJECT": 2, "DELIBERATE": 1, "INTELLIGENCE": 1, "MOVEMENT": 0,
    "CONSULT": -2, "REQUEST": -2, "SUPPORT": -3, "AID": -3, "COOPERATE": -4, "AGREE": -5,
    "CONCEDE": -5, "RETREAT": -6,
}

ACTORS = ["United States", "Iran", "Iran-backed militias", "Pro-Iranian protesters",
          "European leaders", "Several parties", "Unattributed"]
QUOTE_KINDS = ["direct", "partial", "term"]
MEDIA = ["tweet", "speech", "interview", "statement", "unspecified"]
CLAIM_TYPES = ["prediction", "assessment", "recommendation", "justification", "factual"]
QUALIFIERS = ["exactly", "about", "at least", "more than"]

#: ICD 203 (U.S. Intelligence Community Directive 203, Analytic Standards, 2015):
#: each expression of likelihood and its probability band, in per cent.
ICD203 = [
    ("almost no chance", "remote", 1, 5),
    ("very unlikely", "highly improbable", 5, 20),
    ("unlikely", "improbable", 20, 45),
    ("roughly even chance", "roughly even odds", 45, 55),
    ("likely", "probable", 55, 80),
    ("very likely", "highly probable", 80, 95),
    ("almost certain", "nearly certain", 95, 99),
]
#: adverb forms that mean the same term
ICD203_FORMS = {"probably": "likely", "almost certainly": "almost certain", "nearly certainly": "almost certain"}
