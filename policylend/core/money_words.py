"""An amount of dong in words, as receipts and lists print it under the figures.

Vietnamese follows the accountants' reading: groups of three digits (nghìn, triệu, tỷ); "linh"
for a zero ten before a unit; "mười" for ten, "mươi" for the other tens; "mốt" for a one and
"lăm" for a five after a ten (11 is "mười một", 105 is "một trăm linh năm"); a group below a
hundred after a higher group is read with its hundreds ("một triệu không trăm linh một").
English uses the British "and" (one hundred and five; one million and one). Hindi groups by the
Indian system (hazaar, lakh, crore); the currency is always the dong (डोंग), never the rupee.
"""

from __future__ import annotations

from policylend.core.money import require_amount

# --- Vietnamese -----------------------------------------------------------------------------------

_VI_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_VI_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _vi_three(number: int, full: bool) -> list[str]:
    """Words of 0 < number < 1000; ``full`` reads the hundreds even when they are zero."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_VI_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_VI_DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [_VI_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("một" if tens == 1 else "mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_VI_DIGITS[units])
    return words


def _vi(amount: int) -> list[str]:
    if amount == 0:
        return ["không"]
    # Above 999 tỷ the count of tỷ is itself read as a number ("một nghìn tỷ").
    billions, below = divmod(amount, 10**9)
    words: list[str] = [*_vi(billions), "tỷ"] if billions else []
    groups = []
    while below:
        below, group = divmod(below, 1000)
        groups.append(group)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _vi_three(group, full=bool(words))
        if _VI_GROUPS[index]:
            words.append(_VI_GROUPS[index])
    return words


# --- English --------------------------------------------------------------------------------------

_EN_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905
_EN_GROUPS = ["", "thousand", "million", "billion", "trillion", "quadrillion"]


def _en_below_hundred(number: int) -> str:
    if number < 20:
        return _EN_SMALL[number]
    tens, units = divmod(number, 10)
    return _EN_TENS[tens] + (f"-{_EN_SMALL[units]}" if units else "")


def _en_three(number: int) -> list[str]:
    hundreds, rest = divmod(number, 100)
    words: list[str] = []
    if hundreds:
        words += [_EN_SMALL[hundreds], "hundred"]
        if rest:
            words.append("and")
    if rest:
        words.append(_en_below_hundred(rest))
    return words


def _en(amount: int) -> list[str]:
    if amount == 0:
        return ["zero"]
    groups = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        if words and index == 0 and group < 100:
            words.append("and")
        words += _en_three(group)
        if _EN_GROUPS[index]:
            words.append(_EN_GROUPS[index])
    return words


# --- Hindi ----------------------------------------------------------------------------------------

_HI_WORDS = [
    "शून्य",
    "एक",
    "दो",
    "तीन",
    "चार",
    "पाँच",
    "छह",
    "सात",
    "आठ",
    "नौ",
    "दस",
    "ग्यारह",
    "बारह",
    "तेरह",
    "चौदह",
    "पंद्रह",
    "सोलह",
    "सत्रह",
    "अठारह",
    "उन्नीस",
    "बीस",
    "इक्कीस",
    "बाईस",
    "तेईस",
    "चौबीस",
    "पच्चीस",
    "छब्बीस",
    "सत्ताईस",
    "अट्ठाईस",
    "उनतीस",
    "तीस",
    "इकतीस",
    "बत्तीस",
    "तैंतीस",
    "चौंतीस",
    "पैंतीस",
    "छत्तीस",
    "सैंतीस",
    "अड़तीस",
    "उनतालीस",
    "चालीस",
    "इकतालीस",
    "बयालीस",
    "तैंतालीस",
    "चवालीस",
    "पैंतालीस",
    "छियालीस",
    "सैंतालीस",
    "अड़तालीस",
    "उनचास",
    "पचास",
    "इक्यावन",
    "बावन",
    "तिरपन",
    "चौवन",
    "पचपन",
    "छप्पन",
    "सत्तावन",
    "अट्ठावन",
    "उनसठ",
    "साठ",
    "इकसठ",
    "बासठ",
    "तिरसठ",
    "चौंसठ",
    "पैंसठ",
    "छियासठ",
    "सड़सठ",
    "अड़सठ",
    "उनहत्तर",
    "सत्तर",
    "इकहत्तर",
    "बहत्तर",
    "तिहत्तर",
    "चौहत्तर",
    "पचहत्तर",
    "छिहत्तर",
    "सतहत्तर",
    "अठहत्तर",
    "उन्यासी",
    "अस्सी",
    "इक्यासी",
    "बयासी",
    "तिरासी",
    "चौरासी",
    "पचासी",
    "छियासी",
    "सत्तासी",
    "अट्ठासी",
    "नवासी",
    "नब्बे",
    "इक्यानबे",
    "बानबे",
    "तिरानबे",
    "चौरानबे",
    "पंचानबे",
    "छियानबे",
    "सत्तानबे",
    "अट्ठानबे",
    "निन्यानबे",
]
assert len(_HI_WORDS) == 100


def _hi(amount: int) -> list[str]:
    if amount == 0:
        return [_HI_WORDS[0]]
    crores, rest = divmod(amount, 10**7)
    words: list[str] = []
    if crores:
        words += [*_hi(crores), "करोड़"]
    for size, name in ((10**5, "लाख"), (1000, "हज़ार"), (100, "सौ")):
        count, rest = divmod(rest, size)
        if count:
            words += [_HI_WORDS[count], name]
    if rest:
        words.append(_HI_WORDS[rest])
    return words


def amount_in_words(amount: int, language: str) -> str:
    """``150000`` → "Một trăm năm mươi nghìn đồng" (vi), "One hundred and fifty thousand dong"
    (en), "एक लाख पचास हज़ार डोंग" (hi). A negative amount is read with "minus"."""
    require_amount(amount)
    language = (language or "vi").split("-")[0]
    reader, currency, minus = {
        "en": (_en, "dong", "minus"),
        "hi": (_hi, "डोंग", "ऋण"),
    }.get(language, (_vi, "đồng", "âm"))
    words = reader(abs(amount))
    if amount < 0:
        words = [minus, *words]
    text = " ".join([*words, currency])
    return text[0].upper() + text[1:]
