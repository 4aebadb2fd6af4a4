"""Tumar's exceptions. Every error a user can cause is a :class:`TumarError`.

::

    TumarError                      base; the CLI turns it into exit code 1, the API into 4xx
    ├── InputError                  bad input from the user (exit code 2)
    │   ├── UnknownFormError        a form id that is not one of the 27
    │   ├── UnsupportedLanguageError a language other than ky, ru, kk, en
    │   ├── EmptyQueryError         an empty search query
    │   ├── BadRecordError          a malformed input record (file, line, field)
    │   ├── ImportFormatError       a chat export Tumar cannot read (file, position)
    │   ├── NotFoundError           a case, item or user that does not exist
    │   └── WrongPassphraseError    the passphrase does not open the evidence store
    ├── IntegrityError              evidence or a bundle failed verification (names the item)
    └── KnowledgeBaseError          the packaged knowledge base is invalid (a bug, never the user's fault)

Interfaces catch :class:`TumarError` only; anything else is a bug and is allowed to surface.
"""

from __future__ import annotations

__all__ = [
    "BadRecordError",
    "EmptyQueryError",
    "ImportFormatError",
    "InputError",
    "IntegrityError",
    "KnowledgeBaseError",
    "NotFoundError",
    "TumarError",
    "UnknownFormError",
    "UnsupportedLanguageError",
    "WrongPassphraseError",
]


class TumarError(Exception):
    """Base class of every error Tumar raises on purpose."""

    exit_code = 1


class InputError(TumarError):
    """The user gave something Tumar cannot use."""

    exit_code = 2


class UnknownFormError(InputError):
    def __init__(self, form_id: str, suggestions: tuple[str, ...] = ()) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown form id {form_id!r}.{hint}")
        self.form_id = form_id
        self.suggestions = suggestions


class UnsupportedLanguageError(InputError):
    def __init__(self, lang: str) -> None:
        super().__init__(f"unsupported language {lang!r}: use one of ky, ru, kk, en")
        self.lang = lang


class EmptyQueryError(InputError):
    def __init__(self) -> None:
        super().__init__("the search query is empty: type a word, e.g. доксинг or kiberstalking")


class BadRecordError(InputError):
    """A malformed record; says where (source, line) and which field."""

    def __init__(self, message: str, *, source: str = "", line: int | None = None, field: str = "") -> None:
        where = source or "input"
        if line is not None:
            where += f", line {line}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.field = field


class ImportFormatError(InputError):
    """A chat export that cannot be read; names the file and the position (line or byte offset)."""

    def __init__(self, message: str, *, source: str, position: str = "") -> None:
        where = f"{source}, {position}" if position else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.position = position


class NotFoundError(InputError):
    """A case, evidence item or user that does not exist."""


class WrongPassphraseError(InputError):
    """The passphrase does not decrypt the evidence store."""


class IntegrityError(TumarError):
    """Evidence failed verification: a hash, a custody entry or a bundle file does not match."""

    exit_code = 3


class KnowledgeBaseError(TumarError):
    """The packaged knowledge base failed validation."""
