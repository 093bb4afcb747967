"""Field Notes NLP: tag feedback notes with themes, objections and competitors, offline.

Importing this package is cheap: spaCy and the model load on the first :func:`get_tagger` call.
"""

from nlp.quotes import pick_quote
from nlp.redact import redact
from nlp.tagger import Analysis, Tag, Tagger, get_tagger
from nlp.taxonomy import Competitor, Label, Taxonomy, default_taxonomy
from nlp.terms import EmergingTerm, emerging_terms

__all__ = [
    "Analysis",
    "Competitor",
    "EmergingTerm",
    "Label",
    "Tag",
    "Tagger",
    "Taxonomy",
    "default_taxonomy",
    "emerging_terms",
    "get_tagger",
    "pick_quote",
    "redact",
]
