"""Read a text file line by line, decoded block by block, in bounded memory.

The encoding is chosen with :mod:`textio`'s order of evidence (a BOM or UTF-16's zero
bytes, strict UTF-8, then a legacy guess from the file's non-ASCII lines); UTF-8 is
checked in a first pass over the file, and the legacy guess in a second one, so a file
is never held whole. Memory is one block plus the longest line; a line longer than
:data:`MAX_LINE` characters fails with its line number, as do damaged bytes, NULs and
binary data.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.textio import (
    guess_legacy,
    line_of,
    not_text,
    unicode_encoding,
)

Opener = Callable[[], BinaryIO]
BLOCK = 1 << 20
HEAD = 1 << 20  # the text :meth:`TextSource.head` gives (at least, whole lines)
MAX_LINE = 1 << 25
MAX_SAMPLE = 1 << 20  # bytes of non-ASCII lines that choose a legacy encoding
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLANK = b" \t\r\n\x00"


class TextSource:
    """A text file that can be read line by line, from its start, any number of times.

    ``opener`` opens the file (or its bytes) for reading; ``path`` names it in messages.
    Raises :class:`ContactImportError` when the file is empty, not text, or damaged.
    """

    def __init__(self, opener: Opener, path: Path | str) -> None:
        self.opener = opener
        self.path = path
        self.size = 0
        self.done = 0  # bytes read by the current pass
        self._codec, self._skip, self._errors = "utf-8", 0, "strict"
        self.encoding = self._choose()

    def _choose(self) -> str:
        with self.opener() as source:
            head = source.read(BLOCK)
            blank = not head.strip(_BLANK)
            while blank and (more := source.read(BLOCK)):
                blank = not more.strip(_BLANK)
            self.size = source.seek(0, io.SEEK_END)
        if blank:
            raise ContactImportError(self.path, 1, "the file is empty.")
        found = unicode_encoding(head)
        if found:
            self._codec, self._skip = found
            return "utf-8-sig" if found == ("utf-8", 3) else found[0]
        if self._is_utf8():
            return "utf-8"
        self._codec, self._errors = guess_legacy(self._legacy_sample()), "replace"
        return self._codec

    def _legacy_sample(self) -> bytes:
        """The file's lines that are not ASCII (up to :data:`MAX_SAMPLE` bytes of them)."""
        sample = bytearray()
        lines = 0
        with self.opener() as source:
            while block := source.read(BLOCK):
                if b"\x00" in block:
                    raise not_text(self.path, lines + line_of(block, block.index(b"\x00")))
                lines += line_of(block, len(block)) - 1
                if len(sample) < MAX_SAMPLE and not block.isascii():
                    sample += b"\n".join(line for line in block.splitlines()
                                         if not line.isascii()) + b"\n"
        return bytes(sample)

    def _is_utf8(self) -> bool:
        decoder = codecs.getincrementaldecoder("utf-8")()
        with self.opener() as source:
            try:
                while block := source.read(BLOCK):
                    if b"\x00" in block:
                        return False  # binary: refused below, with its line
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return False
        return True

    def head(self) -> str:
        """The first lines of the text, about :data:`HEAD` characters."""
        kept: list[str] = []
        size = 0
        for line in self.lines():
            kept.append(line)
            size += len(line)
            if size >= HEAD:
                break
        return "".join(kept)

    def lines(self) -> Iterator[str]:
        """The lines with their ends (LF, CRLF or CR), the BOM left out."""
        decoder = codecs.getincrementaldecoder(self._codec)(errors=self._errors)
        newlines = controls = 0
        carry = ""
        first = True
        self.done = 0
        with self.opener() as source:
            source.seek(self._skip)
            while True:
                block = source.read(BLOCK)
                self.done += len(block)
                try:
                    text = decoder.decode(block, final=not block)
                except UnicodeDecodeError as error:
                    good = error.object[: error.start].decode(self._codec, errors="ignore")
                    raise ContactImportError(
                        self.path, newlines + carry.count("\n") + good.count("\n") + 1,
                        f"the file looks like {self._codec.upper()} text but is damaged here "
                        "(bytes that are not valid in that encoding)."
                    ) from error
                if first:
                    text, first = text.removeprefix("\ufeff"), False
                for match in _CONTROLS.finditer(text):
                    controls += 1
                    if match.group() == "\x00" or controls > 8 + self.size // 200:
                        line = newlines + carry.count("\n") + text.count("\n", 0, match.start())
                        raise not_text(self.path, line + 1)
                text = carry + text
                parts = io.StringIO(text, newline="").readlines()
                carry = ""
                if block and parts and (not parts[-1].endswith("\n")):
                    carry = parts.pop()  # unfinished, or a \r that a \n may follow
                for part in parts:
                    newlines += part.count("\n")
                    yield part
                if len(carry) > MAX_LINE:
                    raise ContactImportError(
                        self.path, newlines + 1,
                        f"this line is longer than {MAX_LINE // 2**20} million characters.")
                if not block:
                    return
