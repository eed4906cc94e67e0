"""A copy of the default content that also prints Arabic, Simplified Chinese, Vietnamese
and Haitian Creole, with a few real translations of each (the card's titles and verbs), so
that tests see right-to-left, Chinese and Vietnamese pages before the full catalogs land.
Untranslated texts print in English."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from tests.conftest import CONTENT

TRANSLATIONS: dict[str, dict[str, str]] = {
    "ar": {
        "Free help, any time": "مساعدة مجانية في أي وقت",
        "For anyone who sells or trades sex, is forced to, or wants out. No judgment.": (
            "لكل من يبيع الجنس أو يُجبر عليه أو يريد الخروج منه. دون أحكام."
        ),
        "Help near {region}": "مساعدة قرب {region}",
        "Call or text": "اتصل أو أرسل رسالة",
        "Call": "اتصل",
        "Text": "أرسل رسالة",
        "Text {keyword} to {number}": "أرسل {keyword} إلى {number}",
        "Emergency": "الطوارئ",
        "Contacts": "جهات الاتصال",
        "Appointment reminder": "تذكير بموعد",
        "Please call 24 hours ahead to change.": "يرجى الاتصال قبل 24 ساعة للتغيير.",
        "Help is here, day and night.": "المساعدة هنا، ليلاً ونهاراً.",
        "Numbers to keep": "أرقام للاحتفاظ بها",
        "Take a number": "خذ رقماً",
        "Help and Safety Guide": "دليل المساعدة والسلامة",
        "Draft translation, not yet checked by a native speaker.": (
            "ترجمة أولية، لم يراجعها متحدث أصلي بعد."
        ),
    },
    "zh-Hans": {
        "Free help, any time": "免费帮助，随时可用",
        "For anyone who sells or trades sex, is forced to, or wants out. No judgment.": (
            "为任何出卖或交换性服务、被迫这样做或想要退出的人提供帮助。不加评判。"
        ),
        "Help near {region}": "{region}附近的帮助",
        "Call or text": "致电或发短信",
        "Call": "致电",
        "Text": "发短信",
        "Text {keyword} to {number}": "发送 {keyword} 至 {number}",
        "Emergency": "紧急情况",
        "Contacts": "联系人",
        "Appointment reminder": "预约提醒",
        "Please call 24 hours ahead to change.": "如需更改，请提前24小时致电。",
        "Help is here, day and night.": "帮助就在这里，日夜不停。",
        "Numbers to keep": "请保存这些号码",
        "Take a number": "请取一个号码",
        "Help and Safety Guide": "帮助与安全指南",
        "Draft translation, not yet checked by a native speaker.": (
            "翻译草稿，尚未经母语人士审核。"
        ),
    },
    "vi": {
        "Free help, any time": "Trợ giúp miễn phí, bất cứ lúc nào",
        "For anyone who sells or trades sex, is forced to, or wants out. No judgment.": (
            "Dành cho bất kỳ ai bán hoặc trao đổi tình dục, bị ép buộc, hoặc muốn thoát ra. "
            "Không phán xét."
        ),
        "Help near {region}": "Trợ giúp gần {region}",
        "Call or text": "Gọi hoặc nhắn tin",
        "Call": "Gọi",
        "Text": "Nhắn tin",
        "Text {keyword} to {number}": "Nhắn {keyword} đến {number}",
        "Emergency": "Khẩn cấp",
        "Contacts": "Danh bạ",
        "Appointment reminder": "Nhắc lịch hẹn",
        "Please call 24 hours ahead to change.": "Vui lòng gọi trước 24 giờ để thay đổi.",
        "Help is here, day and night.": "Trợ giúp luôn ở đây, ngày và đêm.",
        "Numbers to keep": "Các số cần giữ",
        "Take a number": "Lấy một số",
        "Help and Safety Guide": "Hướng dẫn Trợ giúp và An toàn",
    },
    "ht": {},
}
NAMES = {"ar": "العربية", "zh-Hans": "简体中文", "vi": "Tiếng Việt", "ht": "Kreyòl ayisyen"}
FORBIDDEN = {
    "ar": ["شرطة", "جنس", "اتجار", "دعارة"],
    "zh-Hans": ["警察", "性", "贩卖", "卖淫"],
    "vi": ["cảnh sát", "tình dục", "buôn người", "mại dâm"],
    "ht": ["polis", "sèks", "trafik", "pwostitisyon"],
}


def with_scripts(folder: Path) -> Path:
    """A copy of the default content in `folder`, printing the four languages too."""
    content = Path(shutil.copytree(CONTENT, folder))
    project = content / "project.yaml"
    text = project.read_text("utf-8")
    languages = "".join(
        f"  - code: {code}\n    name: {name}\n    reviewed: false\n" for code, name in NAMES.items()
    )
    marker = "\n# The front of the discreet card"
    text = text.replace(marker, languages + marker, 1)
    words = "".join(f"  {code}: [{', '.join(found)}]\n" for code, found in FORBIDDEN.items())
    marker = "forbidden_on_discreet_front:\n"
    start = text.index(marker) + len(marker)
    end = text.index("\n\n", start) + 1
    text = text[:end] + words + text[end:]
    project.write_text(text, "utf-8")
    for code, strings in TRANSLATIONS.items():
        catalog = Catalog(locale=code.replace("-", "_"), project="Help and Safety Guide")
        for english, translated in strings.items():
            catalog.add(english, translated)
        with (content / "locale" / f"{code}.po").open("wb") as file:
            write_po(file, catalog, omit_header=False)
    return content
