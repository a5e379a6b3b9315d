"""The chart of accounts policylend starts with (pure data; a migration loads it).

Codes follow the shape of a Vietnamese bank's chart (cash 10xx, loans 21xx, interest receivable
39xx, deposits 42xx, payables 46xx, funds 45xx/48xx, capital 6xxx, income 7xxx, expense 8xxx,
off-balance 9xxx). Loans receivable are kept per programme in three states: in term, overdue and
frozen (domain.md §5–§6), so every report by programme is a sum over accounts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartAccount:
    code: str
    type: str
    name_vi: str
    name_en: str
    name_hi: str
    parent: str | None = None
    is_postable: bool = True
    off_balance: bool = False
    programme_code: str = ""


# The 19 programmes of domain.md §5 (code, Vietnamese, English, Hindi).
PROGRAMMES = [
    ("01", "Hộ nghèo", "Poor households", "गरीब परिवार"),
    ("19", "Hộ cận nghèo", "Near-poor households", "लगभग-गरीब परिवार"),
    ("09", "Hộ mới thoát nghèo", "Households just escaped poverty", "हाल ही में गरीबी से उबरे परिवार"),
    ("03", "Giải quyết việc làm", "Job creation and maintenance", "रोज़गार सृजन और संरक्षण"),
    ("04", "Xuất khẩu lao động", "Labour export", "विदेश में रोज़गार"),
    ("02", "Học sinh sinh viên", "Students", "विद्यार्थी"),
    ("02S", "Sinh viên STEM", "STEM students", "STEM विद्यार्थी"),
    ("06", "Nước sạch và vệ sinh môi trường", "Clean water and sanitation", "स्वच्छ जल और स्वच्छता"),
    ("12", "Nhà ở xã hội", "Social housing", "सामाजिक आवास"),
    (
        "10",
        "SXKD vùng khó khăn",
        "Production and business in disadvantaged areas",
        "वंचित क्षेत्रों में उत्पादन और व्यवसाय",
    ),
    (
        "15",
        "Thương nhân vùng đặc biệt khó khăn",
        "Traders in especially disadvantaged areas",
        "अति वंचित क्षेत्रों के व्यापारी",
    ),
    (
        "26",
        "Người chấp hành xong án phạt tù",
        "People who served prison sentences",
        "कारावास की सज़ा पूरी कर चुके व्यक्ति",
    ),
    ("25", "Nhà ở đồng bào dân tộc thiểu số", "Ethnic-minority housing", "जातीय अल्पसंख्यक आवास"),
    (
        "25L",
        "Đất ở đồng bào dân tộc thiểu số",
        "Ethnic-minority residential land",
        "जातीय अल्पसंख्यक आवासीय भूमि",
    ),
    ("07", "Nhà ở hộ nghèo", "Poor-household housing", "गरीब परिवार आवास"),
    (
        "17",
        "Hộ đồng bào dân tộc thiểu số nghèo",
        "Poor ethnic-minority households",
        "गरीब जातीय अल्पसंख्यक परिवार",
    ),
    ("21", "Phát triển dân tộc thiểu số", "Ethnic-minority development", "जातीय अल्पसंख्यक विकास"),
    (
        "31",
        "Mua máy tính, thiết bị học trực tuyến",
        "Computers and devices for online learning",
        "ऑनलाइन पढ़ाई के लिए कंप्यूटर और उपकरण",
    ),
    ("99", "Chương trình ngân sách địa phương", "Local-budget programmes", "स्थानीय बजट कार्यक्रम"),
]

LOAN_STATES = [
    # suffix, state (vi, en, hi)
    ("1", "trong hạn", "in term", "अवधि के भीतर"),
    ("2", "quá hạn", "overdue", "अतिदेय"),
    ("3", "khoanh nợ", "frozen", "स्थगित"),
]

ASSET, LIABILITY, EQUITY, INCOME, EXPENSE = "asset", "liability", "equity", "income", "expense"


def _header(code, type_, vi, en, hi, parent=None, off_balance=False):
    return ChartAccount(code, type_, vi, en, hi, parent, is_postable=False, off_balance=off_balance)


def _loan_accounts() -> list[ChartAccount]:
    accounts = [_header("21", ASSET, "Cho vay", "Loans receivable", "प्राप्य ऋण", "1")]
    for suffix, vi_state, en_state, hi_state in LOAN_STATES:
        header = f"211{suffix}"
        accounts.append(
            _header(
                header, ASSET, f"Cho vay {vi_state}", f"Loans {en_state}", f"ऋण — {hi_state}", "21"
            )
        )
        for code, vi, en, hi in PROGRAMMES:
            accounts.append(
                ChartAccount(
                    f"{header}.{code}",
                    ASSET,
                    f"Cho vay {vi} — {vi_state}",
                    f"Loans: {en} — {en_state}",
                    f"ऋण: {hi} — {hi_state}",
                    header,
                    programme_code=code,
                )
            )
    return accounts


CHART: list[ChartAccount] = [
    _header("1", ASSET, "Tài sản", "Assets", "परिसंपत्तियाँ"),
    _header("10", ASSET, "Tiền mặt", "Cash", "नकद", "1"),
    ChartAccount(
        "1011",
        ASSET,
        "Tiền mặt tại điểm giao dịch xã",
        "Cash at transaction point",
        "लेन-देन केंद्र पर नकद",
        "10",
    ),
    ChartAccount(
        "1012",
        ASSET,
        "Tiền mặt tại phòng giao dịch",
        "Cash at transaction office",
        "लेन-देन कार्यालय में नकद",
        "10",
    ),
    ChartAccount(
        "1019",
        ASSET,
        "Tiền của các cuộc vận động (tách riêng)",
        "Campaign fund cash (kept apart)",
        "अभियान निधि नकद (अलग रखा गया)",
        "10",
    ),
    ChartAccount(
        "1311",
        ASSET,
        "Thanh toán với Hội sở chính",
        "Settlement with head office",
        "मुख्य कार्यालय के साथ निपटान",
        "1",
    ),
    *_loan_accounts(),
    _header("39", ASSET, "Lãi phải thu", "Interest receivable", "प्राप्य ब्याज", "1"),
    ChartAccount(
        "3941",
        ASSET,
        "Lãi phải thu từ cho vay",
        "Interest receivable on loans",
        "ऋणों पर प्राप्य ब्याज",
        "39",
    ),
    _header("4", LIABILITY, "Nợ phải trả", "Liabilities", "देनदारियाँ"),
    ChartAccount(
        "4231",
        LIABILITY,
        "Tiền gửi tiết kiệm của thành viên tổ",
        "Member savings payable",
        "सदस्य बचत देय",
        "4",
    ),
    ChartAccount(
        "4511",
        LIABILITY,
        "Nguồn vốn ngân sách trung ương",
        "Central budget funds",
        "केंद्रीय बजट निधि",
        "4",
    ),
    ChartAccount(
        "4512",
        LIABILITY,
        "Nguồn vốn ngân sách địa phương ủy thác",
        "Entrusted local budget funds",
        "सौंपी गई स्थानीय बजट निधि",
        "4",
    ),
    ChartAccount(
        "4611",
        LIABILITY,
        "Phí ủy thác phải trả",
        "Entrustment fees payable",
        "देय प्रत्यायोजन शुल्क",
        "4",
    ),
    ChartAccount(
        "4612",
        LIABILITY,
        "Hoa hồng tổ TK&VV phải trả",
        "Group commissions payable",
        "देय समूह कमीशन",
        "4",
    ),
    ChartAccount(
        "4891",
        LIABILITY,
        "Quỹ các cuộc vận động (tách riêng)",
        "Campaign funds held (kept apart)",
        "अभियान निधि (अलग रखी गई)",
        "4",
    ),
    _header("6", EQUITY, "Vốn và quỹ", "Capital and reserves", "पूंजी और आरक्षित निधि"),
    ChartAccount("6011", EQUITY, "Vốn điều lệ", "Charter capital", "चार्टर पूंजी", "6"),
    ChartAccount(
        "6131",
        EQUITY,
        "Quỹ dự phòng rủi ro tín dụng",
        "Credit risk reserve",
        "ऋण जोखिम आरक्षित निधि",
        "6",
    ),
    _header("7", INCOME, "Thu nhập", "Income", "आय"),
    ChartAccount(
        "7021", INCOME, "Thu lãi cho vay", "Interest income on loans", "ऋणों पर ब्याज आय", "7"
    ),
    ChartAccount(
        "7022", INCOME, "Thu lãi phạt quá hạn", "Penalty interest income", "दंड ब्याज आय", "7"
    ),
    _header("8", EXPENSE, "Chi phí", "Expenses", "व्यय"),
    ChartAccount(
        "8011",
        EXPENSE,
        "Chi trả lãi tiền gửi tiết kiệm",
        "Savings interest expense",
        "बचत ब्याज व्यय",
        "8",
    ),
    ChartAccount(
        "8711", EXPENSE, "Chi phí ủy thác", "Entrustment fee expense", "प्रत्यायोजन शुल्क व्यय", "8"
    ),
    ChartAccount(
        "8712", EXPENSE, "Chi hoa hồng tổ TK&VV", "Group commission expense", "समूह कमीशन व्यय", "8"
    ),
    _header(
        "9",
        ASSET,
        "Tài khoản ngoại bảng",
        "Off-balance accounts",
        "तुलन-पत्र से बाहर खाते",
        off_balance=True,
    ),
    ChartAccount(
        "9711",
        ASSET,
        "Nợ đã xóa đang theo dõi",
        "Written-off loans under monitoring",
        "निगरानी में बट्टे खाते डाले गए ऋण",
        "9",
        off_balance=True,
    ),
    ChartAccount(
        "9719",
        LIABILITY,
        "Đối ứng tài khoản ngoại bảng",
        "Off-balance memorandum contra",
        "तुलन-पत्र से बाहर प्रति-खाता",
        "9",
        off_balance=True,
    ),
]


def loan_account_code(programme_code: str, state: str) -> str:
    """``loan_account_code("01", "overdue")`` → ``"2112.01"``."""
    suffix = {"in_term": "1", "overdue": "2", "frozen": "3"}[state]
    return f"211{suffix}.{programme_code}"
