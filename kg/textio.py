"""Read input files and directories as :class:`kg.model.Document` objects.

News text arrives as UTF-8, UTF-16 (Windows "Unicode" saves) or GBK/GB18030 (older Chinese
sites and editors), so each file is read as bytes and decoded by trying those in turn.
Only newlines are normalized: the evidence offsets kg writes refer to the decoded text.

>>> import tempfile, pathlib
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> _ = (tmp / "a.txt").write_bytes("微软对OpenAI进行了投资。\\r\\n".encode("gbk"))
>>> _ = (tmp / "b.md").write_text("Microsoft invested in OpenAI.\\n", encoding="utf-8")
>>> _ = (tmp / "image.png").write_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
>>> [(pathlib.Path(d.path).name, d.lang, d.text) for d in read_documents([tmp])]
[('a.txt', 'zh', '微软对OpenAI进行了投资。\\n'), ('b.md', 'en', 'Microsoft invested in OpenAI.\\n')]
>>> read_documents([tmp / "missing.txt"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.InputError: .../missing.txt: no such file or directory
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Document

TEXT_SUFFIXES = (".txt", ".md", ".text")
MAX_DOCUMENT_BYTES = 64 << 20   # one document; /dev/zero or a runaway log is refused, not read into memory
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
# A real article has almost no control characters; a binary file decoded by luck has many.
MAX_CONTROL_RATIO = 0.05
# GB18030 maps nearly every byte sequence to some character, so a clean decode proves little:
# also require that almost everything is a character that ordinary Chinese/English text uses.
MIN_COMMON_RATIO = 0.95
ZH_RATIO = 0.20
# CJK unified ideographs (basic, extension A, compatibility, extension B and later) and letters of any script
_CJK = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]")
_LETTER = re.compile(r"[^\W\d_]")
# Unicode category Cc is exactly U+0000-001F and U+007F-009F; the whitespace controls among them are text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Notice:
    """Something the user should hear about an input: a file left out (``skipped``), or read with a caveat."""
    path: str
    message: str
    skipped: bool = True


def read_documents(inputs: Iterable[str | Path], notices: list[Notice] | None = None, *,
                   unique: bool = True) -> list[Document]:
    """Read every input file, and every text file under every input directory.

    Files named explicitly are read whatever their suffix; directories contribute their
    ``*.txt``, ``*.md`` and ``*.text`` files (recursively, sorted, hidden ones skipped).
    Documents with the same text are kept once (all of them with ``unique=False``). Raises :class:`InputError` for a file named
    explicitly that cannot be read. A file found in a directory that cannot be read (binary, empty,
    a FIFO or device, a dangling symlink) is left out with a :class:`Notice` when ``notices`` is given
    (else it raises too); so is a caveat such as a stray byte replaced.
    """
    documents: list[Document] = []
    seen: set[str] = set()
    given = False
    for item in inputs:
        given = True
        found = not os.path.isdir(item)
        for path in _expand(str(item), notices):
            try:
                doc = read_document(path, notices)
            except InputError as e:
                if found or notices is None:
                    raise
                notices.append(Notice(path, _reason(e, path)))
                continue
            if not unique or doc.sha256 not in seen:
                seen.add(doc.sha256)
                documents.append(doc)
    if not given:
        raise InputError("no input files given")
    return documents


def input_files(inputs: Iterable[str | Path]) -> list[str]:
    """The files ``inputs`` name (directories expanded as :func:`read_documents` does), without reading
    them: what an output path must not be."""
    return [path for item in inputs for path in _expand(str(item), [])]


def read_document(path: str, notices: list[Notice] | None = None) -> Document:
    """Read and decode one file; ``path`` is kept as given. At most :data:`MAX_DOCUMENT_BYTES`."""
    data = read_bytes(path)
    text = decode(data, path, notices)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return Document(path=path, text=text,
                    sha256=content_hash(text), lang=language(text))


def read_bytes(path: str | Path, limit: int = MAX_DOCUMENT_BYTES, what: str = "one document") -> bytes:
    """The bytes of a file, pipe or device, read in pieces: stops early on binary data (``/dev/zero``)
    and past ``limit`` bytes, instead of filling the memory. Raises :class:`InputError`."""
    try:
        with open(path, "rb") as f:
            chunks, size = [], 0
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                if not chunks and b"\x00" in chunk[:8192] and not chunk.startswith(_WIDE_BOMS):
                    raise InputError(f"{path}: binary file, not text")
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise InputError(f"{path}: too large for {what} (more than {limit >> 20} MiB)"
                                     + ("; split it into several files" if what == "one document" else ""))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    return b"".join(chunks)


def decode(data: bytes, path: str = "<bytes>", notices: list[Notice] | None = None) -> str:
    """Decode file bytes as UTF-8, UTF-16/32 with a BOM, or GB18030; reject binary data.

    UTF-8 with a few broken bytes (a truncated copy, one stray Latin-1 byte) is read with U+FFFD in their
    place and a :class:`Notice`, not taken for GB18030: GB18030 is chosen only when its reading is made of
    the common (GB2312) characters real Chinese text is made of.

    >>> decode("微软".encode("utf-16")), decode(codecs.BOM_UTF8 + b"OpenAI"), decode("投资".encode("gbk"))
    ('微软', 'OpenAI', '投资')
    >>> decode("微软投资了".encode() + b"\\xff" + "OpenAI。".encode())
    '微软投资了\ufffdOpenAI。'
    >>> decode(b"GIF89a\\x00\\x01", "x.gif")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: x.gif: binary file, not text
    """
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = _try_decode(data, codec)
            if text is not None and _control_ratio(text) <= MAX_CONTROL_RATIO:
                return text
            raise InputError(f"{path}: binary file, not text")
    if b"\x00" in data:                  # NUL never occurs in UTF-8 or GBK text
        raise InputError(f"{path}: binary file, not text")
    text = _try_decode(data, "utf-8")
    if text is not None:
        if _control_ratio(text) <= MAX_CONTROL_RATIO:
            return text
        raise InputError(f"{path}: binary file, not text")
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in lenient if ord(ch) >= 0x80) - lenient.count("\ufffd")
    if bad * 4 <= good:                  # mostly well-formed UTF-8: a few broken bytes
        return _replaced(lenient, bad, path, notices)
    text = _try_decode(data, "gb18030")
    if text is not None and _control_ratio(text) <= MAX_CONTROL_RATIO and _common_ratio(text) >= MIN_COMMON_RATIO \
            and _gb2312_ratio(text) >= MIN_COMMON_RATIO:
        return text
    if bad <= max(1, len(data) // 100) and _control_ratio(lenient) <= MAX_CONTROL_RATIO:   # a stray byte or two
        return _replaced(lenient, bad, path, notices)
    raise InputError(f"{path}: binary file, not text (not UTF-8, UTF-16 or GB18030)")


def _replaced(text: str, bad: int, path: str, notices: list[Notice] | None) -> str:
    if notices is not None:
        notices.append(Notice(path, f"not valid UTF-8: {bad} byte{'s' if bad != 1 else ''} replaced by U+FFFD",
                              skipped=False))
    return text


def _gb2312_ratio(text: str) -> float:
    """Share of the non-ASCII characters that GB2312 has (the common ones): bytes read as GB18030 by
    mistake give rare characters (a stray byte takes the ASCII letter after it as a trail byte)."""
    wide = [ch for ch in text if ord(ch) >= 0x80]
    if not wide:
        return 1.0
    ok = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            ok += 1
        except UnicodeEncodeError:
            pass
    return ok / len(wide)


def _reason(e: InputError, path: str) -> str:
    text = str(e)
    return text[len(path) + 2:] if text.startswith(f"{path}: ") else text


def language(text: str) -> str:
    """``"zh"`` when Chinese characters are at least 20% of the letters, else ``"en"``.

    >>> language("OpenAI 获得微软投资"), language("Microsoft invested in 智谱 AI")
    ('zh', 'en')
    """
    letters = len(_LETTER.findall(text))
    return "zh" if letters and len(_CJK.findall(text)) / letters >= ZH_RATIO else "en"


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character.

    >>> has_cjk("微软 Azure"), has_cjk("Azure")
    (True, False)
    """
    return _CJK.search(text) is not None


def content_hash(text: str) -> str:
    """sha256 (hex) of the text as UTF-8: a document's identity."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _expand(item: str, notices: list[Notice] | None = None) -> list[str]:
    """The files an input names: itself, or the text files under a directory. In a directory, what is
    not a regular file (a FIFO would block the read, a device never ends, a dangling symlink cannot be
    read) is left out, with a :class:`Notice` when ``notices`` is given."""
    if not os.path.isdir(item):
        return [item]
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(item):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES):
                rel = os.path.relpath(os.path.join(root, name), item)
                # Keep the user's spelling of the directory in Document.path.
                found.append((Path(rel).parts, os.path.join(item, rel)))
    out = []
    for _, path in sorted(found):
        why = _not_regular(path)
        if why is None:
            out.append(path)
        elif notices is not None:
            notices.append(Notice(path, why))
    if not found:
        raise InputError(f"{item}: no {', '.join('*' + s for s in TEXT_SUFFIXES)} files in directory")
    return out


def _not_regular(path: str) -> str | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "a dangling symlink" if os.path.islink(path) else "disappeared while reading the directory"
    except OSError as e:
        return f"cannot read ({e.strerror or e})"
    if stat.S_ISREG(st.st_mode):
        return None
    return "a FIFO, not a regular file" if stat.S_ISFIFO(st.st_mode) else "not a regular file (a device or socket)"


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None



def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _common_ratio(text: str) -> float:
    """Share of characters ordinary Chinese or English prose is made of."""
    if not text:
        return 1.0
    ok = 0
    for ch in text:
        o = ord(ch)
        if (o < 0x80 or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
                or 0x2000 <= o <= 0x206F or 0x00A0 <= o <= 0x00FF):
            ok += 1
    return ok / len(text)
