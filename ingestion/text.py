"""The one place where Vietnamese text is normalised and compared.

Every comparison of labels, sheet names, commune names or coded values goes through
:func:`fold`, so "B01_TieuChiXa", "b01 - tiêu chí xã" and "B01.TIEU CHI XA" compare equal.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s_\-.]+")
_WHITESPACE = re.compile(r"\s+")


# Characters that show nothing or reorder what is shown: control characters that are not whitespace, the
# bidirectional overrides, embeddings, isolates and marks (a U+202E in a commune name prints it backwards on the page
# and the console), zero-width spaces and byte-order marks. No Vietnamese text needs them; they are dropped.
_INVISIBLE = dict.fromkeys(
    [
        *(c for c in range(0x20) if not chr(c).isspace()),
        *(c for c in range(0x7F, 0xA0) if not chr(c).isspace()),
        0x061C, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF,
    ]
)  # fmt: skip


def nfc(value: str) -> str:
    """NFC-normalise text, drop invisible and direction-changing characters, collapse runs of whitespace (line
    breaks included)."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value).translate(_INVISIBLE)).strip()


def strip_diacritics(value: str) -> str:
    """Remove Vietnamese diacritics; đ/Đ become d/D (they are letters, not accents)."""
    decomposed = unicodedata.normalize("NFD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(value: object) -> str:
    """Comparison key: no case, no diacritics, no spaces, `_`, `-` or `.`."""
    if value is None:
        return ""
    text = strip_diacritics(nfc(str(value))).casefold()
    return _SEPARATORS.sub("", text)


def fold_keep_diacritics(value: object) -> str:
    """Comparison key that keeps diacritics: case, spacing and NFC/NFD differences only."""
    if value is None:
        return ""
    return _SEPARATORS.sub("", nfc(str(value)).casefold())


_UNIT_PREFIXES = ("xã", "phường", "thị trấn", "tỉnh", "thành phố", "huyện", "thị xã", "quận")


def name_keys(name: object) -> tuple[set[str], set[str]]:
    """Keys for matching a unit name, as (keys with diacritics, keys without).

    Both the name as written and the name without its unit prefix ("Xã ", "Phường ",
    "Thị trấn ") are keys, so "Xã Bằng Thành", "bằng thành" and "BANG THANH" all meet the
    reference list's short name "Bằng Thành".
    """
    text = nfc(str(name or ""))
    variants = {text}
    lowered = text.casefold()
    for prefix in _UNIT_PREFIXES:
        if lowered.startswith(prefix + " "):
            variants.add(text[len(prefix) + 1 :])
        # Written without diacritics ("Xa Bang Thanh"): strip only when the prefix has none.
        bare_prefix = strip_diacritics(prefix)
        if lowered.startswith(bare_prefix + " ") and not lowered.startswith(prefix + " "):
            variants.add(text[len(bare_prefix) + 1 :])
    accented = {fold_keep_diacritics(v) for v in variants if v}
    bare = {fold(v) for v in variants if v}
    return accented, bare
