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

# fmt: on
