"""The names and sentences of every script a district roster brings, for the print, phone-search
and library-search tests. ``rtl`` marks the ones that read right to left; ``words`` are the
space-separated words in logical (reading) order."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    key: str
    text: str
    rtl: bool = False

    @property
    def words(self) -> list[str]:
        return self.text.split()


NAMES = [
    Sample("hebrew", "שרה כהן", rtl=True),
    Sample("arabic", "محمد علي", rtl=True),
    Sample("persian-zwnj", "زهرا محمدی‌نژاد", rtl=True),   # U+200C inside the surname
    Sample("devanagari", "अनन्या शर्मा"),
    Sample("bengali", "অনন্যা দাস"),
    Sample("tamil", "அனன்யா குமார்"),
    Sample("thai", "สมชาย ใจดี"),
    Sample("emoji-zwj", "Maya 👩‍👩‍👧"),                       # a family: three people joined by ZWJ
    Sample("chinese", "张伟"),
    Sample("latin", "Zoë Brennan-O'Neil"),
]
SENTENCES = [
    Sample("arabic-sentence", "نتعلم معا كل يوم", rtl=True),
    Sample("hebrew-sentence", "אנחנו לומדים יחד", rtl=True),
    Sample("hindi-sentence", "हम साथ सीखते हैं"),
    Sample("thai-sentence", "เราเรียนรู้ด้วยกัน"),
]
# An Arabic name and a Latin school on one line: a right-to-left line with a left-to-right run.
MIXED = Sample("arabic-name-latin-school", "فاطمة حسن Lincoln High", rtl=True)
# And the other way round: a left-to-right line with a right-to-left name in it.
MIXED_LTR = Sample("latin-line-arabic-name", "Lincoln High: فاطمة حسن")
EVERYTHING = NAMES + SENTENCES + [MIXED, MIXED_LTR]
