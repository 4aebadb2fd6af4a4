"""The recognizer interface: a small class with one job."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from tumar.analysis.doc import Doc
from tumar.analysis.finding import Cue


class Recognizer(ABC):
    """Finds cues of some forms in a :class:`Doc`."""

    name: ClassVar[str]
    languages: ClassVar[tuple[str, ...]] = ("ky", "ru", "kk", "en")

    @abstractmethod
    def analyze(self, doc: Doc) -> list[Cue]:
        """Cues found in ``doc`` (possibly none)."""
