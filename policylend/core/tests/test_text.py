from hypothesis import given
from hypothesis import strategies as st

from policylend.core.text import fold


def test_vietnamese_accents_and_d_with_stroke_fold_away():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("BẮC SƠN") == "bac son"
    assert fold("Thôn  Đồng   Ý") == "thon dong y"


def test_plain_ascii_is_only_lowered():
    assert fold("Khang Chien 21") == "khang chien 21"


@given(st.text(max_size=40))
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
