"""Place and people names of the demo province (pure data, no Django).

The ten districts of Lạng Sơn outside the provincial city, each served by one transaction office,
with their commune-level units as they stood between the 2019-2020 mergers and the 2025 reform
(194 in all, which is why the demo has 194 communes). A name starting with "Thị trấn" is a
district town; every other name is a commune (*xã*). The lists were written from public
administrative lists for a demonstration, not as a gazetteer: a name may be out of date.
Villages and people are generated from the syllables below, in the style of the Tày and Nùng
names common in the province.
"""

from __future__ import annotations

TOWN_PREFIX = "Thị trấn "

# Name lists are kept compact, a few names a line, rather than one name a line.
# fmt: off

# (office name, GSO district code, communes in the order the district lists them)
DISTRICTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Bắc Sơn", "185", (
        "Thị trấn Bắc Sơn", "Long Đống", "Bắc Quỳnh", "Hưng Vũ", "Vũ Sơn", "Chiêu Vũ", "Tân Hương",
        "Vũ Lăng", "Nhất Hòa", "Tân Tri", "Vạn Thủy", "Chiến Thắng", "Tân Lập", "Đồng Ý", "Vũ Lễ",
        "Tân Thành", "Nhất Tiến", "Quỳnh Sơn", "Hữu Vĩnh", "Tân Hòa",
    )),
    ("Bình Gia", "181", (
        "Thị trấn Bình Gia", "Hoa Thám", "Hoàng Văn Thụ", "Hòa Bình", "Hồng Phong", "Hồng Thái",
        "Hưng Đạo", "Minh Khai", "Mông Ân", "Quang Trung", "Quý Hòa", "Tân Hòa", "Tân Văn",
        "Thiện Hòa", "Thiện Long", "Thiện Thuật", "Tô Hiệu", "Vĩnh Yên", "Yên Lỗ",
    )),
    ("Cao Lộc", "183", (
        "Thị trấn Cao Lộc", "Thị trấn Đồng Đăng", "Bảo Lâm", "Bình Trung", "Cao Lâu", "Công Sơn",
        "Gia Cát", "Hải Yến", "Hòa Cư", "Hồng Phong", "Lộc Yên", "Mẫu Sơn", "Phú Xá", "Song Giáp",
        "Tân Liên", "Tân Thành", "Thạch Đạn", "Thanh Lòa", "Thụy Hùng", "Xuân Long", "Xuất Lễ",
        "Yên Trạch",
    )),
    ("Chi Lăng", "187", (
        "Thị trấn Chi Lăng", "Thị trấn Đồng Mỏ", "Bắc Thủy", "Bằng Hữu", "Bằng Mạc", "Chi Lăng",
        "Chiến Thắng", "Gia Lộc", "Hòa Bình", "Hữu Kiên", "Lâm Sơn", "Liên Sơn", "Mai Sao",
        "Nhân Lý", "Quan Sơn", "Thượng Cường", "Vân An", "Vạn Linh", "Vân Thủy", "Y Tịch",
    )),
    ("Đình Lập", "189", (
        "Thị trấn Đình Lập", "Thị trấn Nông trường Thái Bình", "Bắc Lãng", "Bắc Xa", "Bính Xá",
        "Châu Sơn", "Cường Lợi", "Đình Lập", "Đồng Thắng", "Kiên Mộc", "Lâm Ca", "Thái Bình",
    )),
    ("Hữu Lũng", "186", (
        "Thị trấn Hữu Lũng", "Cai Kinh", "Đồng Tân", "Đồng Tiến", "Đô Lương", "Hòa Bình",
        "Hòa Lạc", "Hòa Sơn", "Hòa Thắng", "Hồ Sơn", "Hữu Liên", "Minh Hòa", "Minh Sơn",
        "Minh Tiến", "Nhật Tiến", "Quyết Thắng", "Tân Thành", "Thanh Sơn", "Thiện Tân", "Vân Nham",
        "Yên Bình", "Yên Sơn", "Yên Thịnh", "Yên Vượng",
    )),
    ("Lộc Bình", "188", (
        "Thị trấn Lộc Bình", "Thị trấn Na Dương", "Ái Quốc", "Đông Quan", "Đồng Bục", "Hữu Khánh",
        "Hữu Lân", "Khánh Xuân", "Khuất Xá", "Lợi Bác", "Mẫu Sơn", "Minh Hiệp", "Nam Quan",
        "Sàn Viên", "Tam Gia", "Thống Nhất", "Tĩnh Bắc", "Tú Đoạn", "Tú Mịch", "Xuân Dương",
        "Yên Khoái",
    )),
    ("Tràng Định", "180", (
        "Thị trấn Thất Khê", "Bắc Ái", "Cao Minh", "Chi Lăng", "Chí Minh", "Đại Đồng", "Đào Viên",
        "Đề Thám", "Đoàn Kết", "Đội Cấn", "Hùng Sơn", "Hùng Việt", "Kháng Chiến", "Kim Đồng",
        "Khánh Long", "Quốc Khánh", "Quốc Việt", "Tân Minh", "Tân Tiến", "Tân Yên", "Tri Phương",
        "Trung Thành",
    )),
    ("Văn Lãng", "182", (
        "Thị trấn Na Sầm", "An Hùng", "Bắc Hùng", "Bắc La", "Gia Miễn", "Hoàng Văn Thụ",
        "Hoàng Việt", "Hội Hoan", "Hồng Thái", "Nhạc Kỳ", "Tân Mỹ", "Tân Tác", "Tân Thanh",
        "Thanh Long", "Thành Hòa", "Thụy Hùng", "Trùng Khánh",
    )),
    ("Văn Quan", "184", (
        "Thị trấn Văn Quan", "An Sơn", "Bình Phúc", "Chu Túc", "Đại An", "Điềm He", "Hòa Bình",
        "Hữu Lễ", "Khánh Khê", "Liên Hội", "Lương Năng", "Tân Đoàn", "Tràng Các", "Tràng Phái",
        "Tri Lễ", "Tú Xuyên", "Yên Phúc",
    )),
)

# Session days the bank has fixed by decision and the demo keeps whatever the seed
# (domain.md §1: Kháng Chiến commune, Tràng Định, holds its session on the 21st).
FIXED_SESSION_DAYS: dict[tuple[str, str], int] = {("Tràng Định", "Kháng Chiến"): 21}

# Villages: a Tày or Nùng place word and a second syllable ("Bản Nà Pàn", "Thôn Khuổi Phầy"), or
# a Kinh name given after 1954 ("Thôn Đồng Tiến").
VILLAGE_PREFIXES = ("Thôn", "Bản")
VILLAGE_FIRST = (
    "Nà", "Khuổi", "Pác", "Cốc", "Khau", "Lũng", "Phai", "Bó", "Nặm", "Pò", "Kéo", "Còn", "Slằng",
    "Pắc", "Co", "Hang", "Lạng", "Quán", "Khòn",
)
VILLAGE_SECOND = (
    "Pàn", "Thí", "Phầy", "Lạn", "Lùng", "Mò", "Riềng", "Slai", "Tèo", "Cằm", "Cáy", "Hin", "Mạ",
    "Pục", "Tấu", "Khà", "Sla", "Nưa", "Vài", "Càng", "Lếch", "Ngà", "Nọi", "Luông", "Sao", "Bây",
)
VILLAGE_KINH = (
    "Đồng Tiến", "Tân Lập", "Trung Tâm", "Hòa Bình", "Quyết Tiến", "Đoàn Kết", "Minh Khai",
    "Làng Mới", "Bình Minh", "Phố Mới", "Đồng Tâm", "Thống Nhất", "Tiến Bộ", "Hợp Thành",
)

# People: surnames common in Lạng Sơn, middle and given names by gender.
SURNAMES = (
    "Hoàng", "Nông", "Lương", "Vi", "Lăng", "Hà", "Triệu", "Lộc", "Nguyễn", "Chu", "Đinh", "Lý",
    "Mông", "Dương", "Hứa", "Lâm", "Vy", "Trần",
)
MIDDLE_NAMES = {
    "male": ("Văn", "Đức", "Minh", "Quang", "Văn"),
    "female": ("Thị", "Thu", "Thanh", "Thị", "Ngọc"),
}
GIVEN_NAMES = {
    "male": (
        "Hùng", "Dũng", "Cường", "Tuấn", "Thắng", "Long", "Hải", "Sơn", "Bình", "Quân", "Trung",
        "Toàn", "Hoàn", "Khánh", "Phúc", "Thành", "Định", "Lợi",
    ),
    "female": (
        "Hoa", "Lan", "Hương", "Mai", "Thảo", "Hạnh", "Nga", "Huyền", "Liên", "Dung", "Yến",
        "Loan", "Thúy", "Nhung", "Hiền", "Phượng",
    ),
}

# --- the registers (associations, households, groups) ------------------------------------------------

# Households with outstanding and savings-and-loan groups per transaction office. The province
# totals are the branch's reported figures (domain.md §9: about 90,300 borrowers, 2,043 groups);
# Bắc Sơn has "over 8,500 households with outstanding". The split between the other offices
# follows the districts' populations and poverty, for a demonstration.
OFFICE_REGISTERS: dict[str, tuple[int, int]] = {
    # office: (households, groups)
    "Bắc Sơn": (8_620, 196), "Bình Gia": (8_150, 185), "Cao Lộc": (9_480, 214),
    "Chi Lăng": (9_640, 218), "Đình Lập": (4_860, 110), "Hữu Lũng": (13_240, 300),
    "Lộc Bình": (10_320, 233), "Tràng Định": (9_050, 205), "Văn Lãng": (7_960, 180),
    "Văn Quan": (8_980, 202),
}

# Ethnic groups as households.rules names them, and their share of each district's households
# (percent; after the 2019 census: Nùng 43 %, Tày 36 %, Kinh 16 %, Dao 3.5 % province-wide, and a
# few H'Mông villages). District towns count three times as many Kinh households.
KINH, TAY, NUNG, DAO, HMONG = "Kinh", "Tày", "Nùng", "Dao", "H'Mông"
ETHNIC_GROUPS = (KINH, TAY, NUNG, DAO, HMONG)
ETHNIC_SHARES: dict[str, tuple[int, int, int, int, int]] = {
    # district: (Kinh, Tày, Nùng, Dao, H'Mông)
    "Bắc Sơn": (20, 58, 11, 8, 3), "Bình Gia": (6, 70, 10, 12, 2), "Cao Lộc": (18, 16, 60, 6, 0),
    "Chi Lăng": (30, 21, 45, 4, 0), "Đình Lập": (20, 32, 25, 23, 0), "Hữu Lũng": (45, 21, 25, 9, 0),
    "Lộc Bình": (10, 20, 61, 9, 0), "Tràng Định": (7, 55, 30, 8, 0), "Văn Lãng": (7, 25, 65, 3, 0),
    "Văn Quan": (8, 45, 45, 2, 0),
}
TOWN_KINH_FACTOR = 3

# People's names by ethnic group. A name listed twice is drawn twice as often. Tày and Nùng
# share their family names (Hoàng, Nông, Lường, Lộc, Vi, Lăng, Mã …) and many given names.
SURNAMES_BY_GROUP: dict[str, tuple[str, ...]] = {
    KINH: (
        "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng",
        "Ngô", "Dương", "Đinh", "Phan",
    ),
    TAY: (
        "Hoàng", "Hoàng", "Hoàng", "Nông", "Nông", "Lường", "Lộc", "Vi", "Hà", "Lăng", "Mã",
        "Lương", "Chu", "Hứa", "Lý", "Đinh", "Dương", "Mông", "Lâm", "Ma", "Bế", "Triệu",
        "Nguyễn",
    ),
    DAO: ("Triệu", "Triệu", "Triệu", "Bàn", "Bàn", "Đặng", "Lý", "Phùng", "Chu", "Trương"),
    HMONG: ("Vàng", "Vàng", "Giàng", "Thào", "Lý", "Sùng", "Hầu", "Mùa", "Lầu", "Vừ", "Hạng"),
}
SURNAMES_BY_GROUP[NUNG] = SURNAMES_BY_GROUP[TAY]
MIDDLE_NAMES_BY_GROUP: dict[str, dict[str, tuple[str, ...]]] = {
    KINH: {
        "male": ("Văn", "Văn", "Đức", "Minh", "Quang", "Xuân", "Hữu"),
        "female": ("Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Kim"),
    },
    TAY: {
        "male": ("Văn", "Văn", "Văn", "Văn", "Đức", "Minh", "Quang"),
        "female": ("Thị", "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc"),
    },
    DAO: {"male": ("Văn", "Văn", "Tài", "Kim", "Quý"), "female": ("Thị", "Thị", "Thị", "Mùi")},
    HMONG: {"male": ("A", "Seo", "Văn", "Mí", "A"), "female": ("Thị", "Thị", "Thị")},
}
MIDDLE_NAMES_BY_GROUP[NUNG] = MIDDLE_NAMES_BY_GROUP[TAY]
GIVEN_NAMES_BY_GROUP: dict[str, dict[str, tuple[str, ...]]] = {
    KINH: {
        "male": (
            "Hùng", "Dũng", "Cường", "Tuấn", "Thắng", "Long", "Hải", "Sơn", "Bình", "Quân",
            "Trung", "Toàn", "Khánh", "Phúc", "Thành", "Đức", "Hiếu", "Nam", "Tiến", "Mạnh",
        ),
        "female": (
            "Hoa", "Lan", "Hương", "Mai", "Thảo", "Hạnh", "Nga", "Huyền", "Liên", "Dung", "Yến",
            "Loan", "Thúy", "Nhung", "Hiền", "Phượng", "Trang", "Linh",
        ),
    },
    TAY: {
        "male": (
            "Dền", "Páo", "Pẻo", "Lìn", "Sinh", "Khuyến", "Pản", "Sáng", "Khoa", "Pằn", "Hùng",
            "Dũng", "Cường", "Thắng", "Long", "Hải", "Sơn", "Bình", "Quân", "Định", "Lợi",
            "Hoàn", "Thành", "Tuấn", "Đức",
        ),
        "female": (
            "Slao", "Mìn", "Pha", "Nhài", "Lìu", "Mến", "Pái", "Điều", "Hoa", "Lan", "Hương",
            "Mai", "Thảo", "Hạnh", "Nga", "Huyền", "Liên", "Dung", "Yến", "Thúy", "Hiền",
        ),
    },
    DAO: {
        "male": ("Phú", "Tài", "Quý", "Sinh", "Lưu", "Chàn", "Quẩy", "Kiềm", "Vảng", "Sềnh", "Dếnh"),
        "female": ("Mây", "Xuân", "Nhàn", "Mùi", "Phấy", "Kiều", "Chải", "Slì", "Dự"),
    },
    HMONG: {
        "male": ("Páo", "Sử", "Chứ", "Dình", "Tủa", "Lềnh", "Chơ", "Sình", "Khua", "Pó", "Chính"),
        "female": ("Mỷ", "Dợ", "Sua", "Chở", "Mai", "Pà", "Lan", "Xuân", "Say", "Dua"),
    },
}
GIVEN_NAMES_BY_GROUP[NUNG] = GIVEN_NAMES_BY_GROUP[TAY]

# Province codes a citizen ID starts with (Circular 07/2016/TT-BCA): Lạng Sơn, and the provinces
# a spouse most often comes from.
PROVINCE_ID_CODE = "020"
OTHER_PROVINCE_ID_CODES = ("004", "006", "019", "022", "024", "001")

# Mobile prefixes in use (Viettel, Vinaphone, MobiFone, Vietnamobile, Gmobile).
MOBILE_PREFIXES = (
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039", "088",
    "091", "094", "081", "082", "083", "084", "085", "089", "090", "093", "070", "076", "077",
    "078", "079", "092", "056", "058", "099", "059",
)
# Lạng Sơn's landline area code (association offices).
LANDLINE_AREA = "0205"

# fmt: on
