"""jdclass: classify job postings as Product Manager, Product Owner, hybrid or other.

The classifier is the Rust library behind the ``jdclass`` command; this package only
converts types. Every record is exactly what ``jdclass FILE --format json`` writes::

    >>> import jdclass
    >>> clf = jdclass.Classifier()
    >>> clf.classify("Own the backlog and write user stories with acceptance criteria.")["label"]
    'po'

``Classifier.classify_many`` classifies a list (or pandas Series) on every core with the
GIL released, keeping the order and yielding one record per item.
"""

from ._jdclass import (
    DEFAULT_MAX_BYTES,
    CheckError,
    Classifier,
    InputError,
    JdclassError,
    LexiconError,
    lexicon_info,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CheckError",
    "Classifier",
    "InputError",
    "JdclassError",
    "LexiconError",
    "lexicon_info",
]

__version__ = "0.1.0"


def _rebuild(lexicon_path, max_bytes):
    """Unpickle a Classifier (used by ``Classifier.__reduce__``)."""
    return Classifier(lexicon_path, max_bytes=max_bytes)
