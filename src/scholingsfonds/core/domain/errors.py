"""Domain errors with a stable code and bilingual messages."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule was violated; `code` is stable, the messages are for people."""

    code: str
    message_nl: str
    message_en: str

    def __init__(self, code: str, message_nl: str, message_en: str = "") -> None:
        super().__init__(f"{code}: {message_nl}")
        self.code = code
        self.message_nl = message_nl
        # The Dutch text is the legally relevant one; fall back to it rather than show nothing.
        self.message_en = message_en or message_nl

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message_nl!r}, {self.message_en!r})"
