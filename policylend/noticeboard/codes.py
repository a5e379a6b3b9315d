"""The check code printed on a household's contract and receipts: with the contract number it
lets the household read its own loans on the public check page (/public/check/), and nothing
else. An HMAC of the loan number keyed with the site's SECRET_KEY, so it needs no column and
cannot be guessed from the number; 8 characters of base 32 (A–Z, 2–7: no 0/O or 1/I to confuse
on paper)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

CODE_LENGTH = 8
_PURPOSE = b"policylend.noticeboard.loan-check:"


def loan_check_code(loan_number: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), _PURPOSE + loan_number.strip().encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def loan_check_code_matches(loan_number: str, code: str) -> bool:
    """Compare in constant time; spaces, dashes and case do not matter."""
    typed = "".join(code.split()).replace("-", "").upper()
    return hmac.compare_digest(loan_check_code(loan_number), typed[: CODE_LENGTH * 2])
