"""Text read as UTF-8 line by line from a file or stdin; bytes that are not UTF-8 are a message
with their offset (or, with `errors="replace"`, U+FFFD), never a traceback."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from ..core.errors import OgpsiteError


class Utf8Lines:
    """The lines of `stream` decoded as they come: memory stays flat whatever the input's size."""

    def __init__(self, stream: BinaryIO, name: str, errors: str = "strict") -> None:
        self.stream = stream
        self.name = name
        self.errors = errors

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")(self.errors)
        offset = 0  # bytes read before this line
        number = 0
        for number, raw in enumerate(self.stream, 1):
            yield self._decoded(decoder, raw, offset, number, final=False)
            offset += len(raw)
        tail = self._decoded(decoder, b"", offset, number, final=True)
        if tail:
            yield tail

    def read(self) -> str:
        return "".join(self)

    def _decoded(self, decoder: codecs.IncrementalDecoder, raw: bytes, offset: int, number: int, final: bool) -> str:
        pending = len(decoder.getstate()[0])  # bytes of a character begun on the line before
        try:
            return decoder.decode(raw, final)
        except UnicodeDecodeError as error:
            at = offset - pending + error.start
            raise OgpsiteError(f"{self.name}: not valid UTF-8 at byte {at} (line {number}): save it as UTF-8, "
                               "or pass --errors replace to read such bytes as �") from None
