"""Text folding for search: "Nguyễn Văn Đức" and "nguyen van duc" fold to the same string.

SQLite's lower()/LIKE fold ASCII only, and stripping combining marks turns "Đ" into "Đ" (it is a
letter of its own, not D with a mark), so the folded form is computed here and stored in a column.
"""

import unicodedata

_LETTERS = str.maketrans({"đ": "d", "ð": "d"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", (text or "").casefold().translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())
