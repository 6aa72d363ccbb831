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
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from kg.errors import InputError
from kg.model import Document

TEXT_SUFFIXES = (".txt", ".md", ".text")
# A real article has almost no control characters; a binary file decoded by luck has many.
MAX_CONTROL_RATIO = 0.05
# GB18030 maps nearly every byte sequence to some character, so a clean decode proves little:
# also require that almost everything is a character that ordinary Chinese/English text uses.
MIN_COMMON_RATIO = 0.95
ZH_RATIO = 0.20
# CJK unified ideographs (basic, extension A, compatibility, extension B and later) and letters of any script
_CJK = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]")
_LETTER = re.compile(r"[^\W\d_]")


def read_documents(inputs: Iterable[str | Path]) -> list[Document]:
    """Read every input file, and every text file under every input directory.

    Files named explicitly are read whatever their suffix; directories contribute their
    ``*.txt``, ``*.md`` and ``*.text`` files (recursively, sorted, hidden ones skipped).
    Documents with the same text are kept once. Raises :class:`InputError`.
    """
    documents: list[Document] = []
    seen: set[str] = set()
    given = False
    for item in inputs:
        given = True
        for path in _expand(str(item)):
            doc = read_document(path)
            if doc.sha256 not in seen:
                seen.add(doc.sha256)
                documents.append(doc)
    if not given:
        raise InputError("no input files given")
    return documents


def read_document(path: str) -> Document:
    """Read and decode one file; ``path`` is kept as given."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    text = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return Document(path=path, text=text,
                    sha256=content_hash(text), lang=language(text))


def decode(data: bytes, path: str = "<bytes>") -> str:
    """Decode file bytes as UTF-8, UTF-16/32 with a BOM, or GB18030; reject binary data.

    >>> decode("微软".encode("utf-16")), decode(codecs.BOM_UTF8 + b"OpenAI"), decode("投资".encode("gbk"))
    ('微软', 'OpenAI', '投资')
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
    text = _try_decode(data, "gb18030")
    if text is None:
        raise InputError(f"{path}: binary file, not text (not UTF-8, UTF-16 or GB18030)")
    if _control_ratio(text) <= MAX_CONTROL_RATIO and _common_ratio(text) >= MIN_COMMON_RATIO:
        return text
    raise InputError(f"{path}: binary file, not text")


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


def _expand(item: str) -> list[str]:
    """The files an input names: itself, or the text files under a directory."""
    if not os.path.isdir(item):
        return [item]
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(item):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES):
                rel = os.path.relpath(os.path.join(root, name), item)
                # Keep the user's spelling of the directory in Document.path.
                found.append((Path(rel).parts, os.path.join(item, rel)))
    if not found:
        raise InputError(f"{item}: no {', '.join('*' + s for s in TEXT_SUFFIXES)} files in directory")
    return [path for _, path in sorted(found)]


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None



def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    return bad / len(text)


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
