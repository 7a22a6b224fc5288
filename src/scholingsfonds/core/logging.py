"""A log filter that keeps BSNs and birth dates out of every log line."""

import logging
import re

# Nine digits in a row look like a BSN; dates like a birth date. Logs need neither.
_BSN = re.compile(r"(?<!\d)\d{9}(?!\d)")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}-\d{1,2}-\d{4}\b")


def redact(text: str) -> str:
    return _DATE.sub("[datum]", _BSN.sub("[bsn]", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not drop the record
            return True
        record.msg = redact(message)
        record.args = ()
        return True
