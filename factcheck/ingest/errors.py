"""The one exception ingest raises for bad input."""

from __future__ import annotations


class IngestError(ValueError):
    """An input that cannot become a page (binary, undecodable, corrupt archive, bad JSONL line...).

    ``source`` names the input (file, ``file.jsonl:17``, ``crawl.warc.gz#<record>``) so a batch can
    report it and go on.
    """

    def __init__(self, message: str, *, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message

    def with_source(self, source: str) -> IngestError:
        """The same error naming ``source`` (keeps an existing, more specific source)."""
        return self if self.source else IngestError(self.message, source=source)

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries in parallel scans; keyword-only args need help to pickle.
        return (_rebuild, (self.message, self.source))


def _rebuild(message: str, source: str) -> IngestError:
    return IngestError(message, source=source)
