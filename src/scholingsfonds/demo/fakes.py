"""Made-up values the demo's people, employers and providers are drawn from.

Names, postcodes per municipality, the trainings people ask for, paying employers, bank
accounts and a placeholder PDF: fictional, so the demo never shows a real person.
"""

import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from schwifty import IBAN

FIRST_NAMES = [
    "Anna",
    "Bas",
    "Chantal",
    "Daan",
    "Emma",
    "Fleur",
    "Gijs",
    "Hanna",
    "Ismail",
    "Joost",
    "Kim",
    "Lars",
    "Mila",
    "Noah",
    "Olga",
    "Pieter",
    "Rana",
    "Sanne",
    "Thijs",
    "Yusuf",
    "Zeynep",
    "Mohamed",
    "Priya",
    "Wim",
    "Lotte",
    "Kevin",
    "Ilona",
    "Ahmet",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Nijhuis",
    "Oude Groote Beverborg",
    "Kaya",
    "Yilmaz",
    "Kampman",
    "Wolters",
]
POSTCODES = {
    "GM0141": "7601",
    "GM0147": "7621",
    "GM1774": "7591",
    "GM0153": "7511",
    "GM0158": "7481",
    "GM0163": "7447",
    "GM0164": "7551",
    "GM1735": "7471",
    "GM0168": "7581",
    "GM0173": "7571",
    "GM1742": "7461",
    "GM0183": "7651",
    "GM1700": "7681",
    "GM0189": "7641",
    "GM0200": "7311",
    "GM0213": "6971",
    "GM0150": "7411",
    "GM0232": "8161",
    "GM0246": "8181",
    "GM0262": "7241",
    "GM0301": "7201",
    "GM0285": "7381",
}
TRAININGS = [
    ("Monteur warmtepompen (mbo 3)", "mbo3", "technical", "7127"),
    ("Elektrotechniek niveau 4", "mbo4", "technical", "7411"),
    ("Verzorgende IG (bbl)", "mbo3", "care & welfare", "5321"),
    ("Associate degree Verpleegkunde", "hbo", "care & welfare", "2221"),
    ("Full-stack developer bootcamp", "other", "ICT", "2512"),
    ("Netwerkbeheer (CCNA)", "other", "ICT", "3513"),
    ("Heftruck en magazijn", "mbo2", "transport & logistics", ""),
    ("Pedagogisch medewerker kinderopvang", "mbo3", "care & welfare", "5311"),
    ("Lassen MIG/MAG", "mbo2", "technical", "7212"),
    ("Zelfstandig werkend kok", "mbo3", "hospitality", ""),
]


# Employers that pay part of an individual-route voucher (fictional names).
DEMO_PAYING_EMPLOYERS = (
    "Zorggroep Noordoost Twente (demo)",
    "Metaalbouw Hengelo (demo)",
    "Transport Almelo (demo)",
)


BANKS = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB"]


def demo_iban(rng: random.Random, n: int) -> IBAN:
    """A well-formed Dutch IBAN (bank code BANKS[n]) with a made-up account number."""
    return IBAN.generate(
        "NL", bank_code=BANKS[n % len(BANKS)], account_code=f"{rng.randrange(10**9):010d}"
    )


def demo_pdf(name: str) -> Any:
    """A minimal PDF (no pages) as the upload of an invoice the demo's providers send."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")
