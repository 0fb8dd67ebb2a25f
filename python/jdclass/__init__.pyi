"""Type stubs for jdclass (the compiled module is jdclass._jdclass)."""

import os
from typing import Any, Iterable, Optional, Union

__version__: str
DEFAULT_MAX_BYTES: int
"""The largest posting accepted by default, in bytes (10 MiB), as in the CLI."""

Posting = Union[str, bytes]
"""A posting: plain text, markdown or HTML. Bytes that are not UTF-8 are decoded with
U+FFFD replacements and a warning in the record's ``warnings``."""

Record = dict[str, Any]
"""One record, exactly as ``jdclass FILE --format json`` writes it: ``source``,
``label`` (``"pm"``, ``"po"``, ``"hybrid"``, ``"other"``), ``confidence``,
``reliable``, ``reason``, ``scores``, ``mass``, ``title``, ``hits``, ``evidence``,
``discounted``, ``title_evidence``, ``warnings``, ``lexicon`` (and any field the
library adds). An error record has ``source``, ``error`` and ``lexicon`` only."""

class JdclassError(Exception):
    """Base class of every error jdclass raises."""

class LexiconError(JdclassError):
    """A lexicon file that cannot be read or used; the message names the file, line
    and entry at fault."""

class InputError(JdclassError):
    """A posting that cannot be classified: over ``max_bytes``, empty (no text) or
    binary (NUL bytes) — no text gets no verdict, as in the CLI."""

class CheckError(JdclassError):
    """A check whose intended role cannot be told from the title: pass ``as_``."""

class Classifier:
    """A compiled lexicon, ready to classify postings. Immutable and thread-safe.

    ``Classifier()`` uses the lexicon built into jdclass; ``Classifier(path)`` loads a
    lexicon file (``LexiconError`` if it cannot be used). ``max_bytes`` caps one
    posting, like the CLI's ``--max-bytes``.
    """

    def __init__(
        self,
        lexicon_path: Optional[Union[str, os.PathLike[str]]] = None,
        *,
        max_bytes: int = ...,
    ) -> None: ...
    @property
    def lexicon(self) -> dict[str, Any]:
        """The lexicon in use: ``name``, ``version``, ``hash``, ``source``,
        ``description``, ``entries``."""
    @property
    def max_bytes(self) -> int:
        """The largest posting accepted, in bytes."""
    def classify(
        self,
        text: Posting,
        title: Optional[str] = None,
        *,
        source: Optional[str] = None,
    ) -> Record:
        """Classify one posting; the record ``jdclass FILE --format json`` writes.

        ``title``, when given, is read as the posting's first line (unless the text
        already opens with it). ``source`` names the posting in the record
        (default ``"<text>"``). Raises ``TypeError`` for anything but ``str`` or
        ``bytes``, ``InputError`` for a posting over ``max_bytes``, empty or binary. The GIL is
        released while classifying.
        """
    def classify_many(
        self,
        texts: Iterable[Any],
        titles: Optional[Iterable[Optional[str]]] = None,
        *,
        threads: Optional[int] = None,
    ) -> list[Record]:
        """Classify many postings in parallel with the GIL released; order is kept.

        Each item yields exactly one record: what ``classify`` gives, or an error
        record (``source``, ``error``, ``lexicon``) for an item that is not a str or
        bytes (``None``, ``NaN``) or is over ``max_bytes``. A record's ``source`` is
        the item's position as a string. ``titles``, when given, has one title (or a missing
        value: ``None``, ``NaN``) per text. ``threads=None`` uses one thread per core.
        """
    def scan_many(
        self,
        texts: Iterable[Any],
        titles: Optional[Iterable[Optional[str]]] = None,
        *,
        ids: Optional[Iterable[Any]] = None,
        threads: Optional[int] = None,
    ) -> list[dict[str, Any]]:
        """Classify many postings as ``jdclass scan`` does, with the GIL released.

        Each item yields the lean record of ``jdclass scan``'s JSONL output: ``id``,
        ``source`` (``"<text>"``), ``line`` (the item's position from 1), ``label``,
        ``confidence``, ``scores``, ``evidence`` (the strongest terms), ``title_role``,
        ``lexicon``; or its error record (``error``, ``error_kind``) for a missing,
        empty, non-string or oversized text. Several times faster than
        ``classify_many``, which builds every piece of evidence. ``ids`` and
        ``titles``, when given, have one value (or a missing one) per text.
        """
    def check(
        self,
        text: Posting,
        as_: Optional[str] = None,
        title: Optional[str] = None,
        *,
        source: Optional[str] = None,
    ) -> dict[str, Any]:
        """Check a posting against the role it is meant to hire for.

        ``as_`` is ``"pm"``, ``"po"`` or ``"hybrid"``; when ``None`` the role is read
        from ``title``, or else from the posting's first line (``CheckError`` when
        neither names a product role). Returns what ``jdclass check --format json``
        writes: ``intended``, ``label``, ``consistent``, ``summary``, ``findings``,
        ``missing``, ``changes``, ``after``, ``flips``, ``confidence``, ``lexicon``.
        """
    def __reduce__(self) -> tuple[Any, tuple[Optional[str], int]]: ...

def lexicon_info(path: Optional[Union[str, os.PathLike[str]]] = None) -> dict[str, Any]:
    """The built-in lexicon (or the file at ``path``): ``name``, ``version``,
    ``hash``, ``source``, ``description`` and number of ``entries``."""

def _rebuild(lexicon_path: Optional[str], max_bytes: int) -> Classifier: ...
