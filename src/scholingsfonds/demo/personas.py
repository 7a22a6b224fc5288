"""The demo's logins (one persona per role, all with the password `demo`) and its providers."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from scholingsfonds.accounts.models import Role, User
from scholingsfonds.funds.models import Fund
from scholingsfonds.providers.models import Provider

PASSWORD = "demo"  # noqa: S105 - the demo's published password, never in production

PERSONAS = [
    # username, first, last, role, email, funds
    ("beheerder", "Bea", "Beheer", Role.ADMINISTRATOR, "beheer@gemeente.example", ["*"]),
    (
        "adviseur.twente",
        "Anouk",
        "Jansen",
        Role.ADVISOR,
        "anouk.jansen@leerwerkloket.example",
        ["twente"],
    ),
    (
        "adviseur.sd",
        "Sven",
        "Bakker",
        Role.ADVISOR,
        "sven.bakker@loopbaanstation.example",
        ["stedendriehoek"],
    ),
    (
        "beoordelaar1",
        "Bram",
        "de Vries",
        Role.ASSESSOR,
        "bram.devries@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "beoordelaar2",
        "Carmen",
        "Öztürk",
        Role.ASSESSOR,
        "carmen.ozturk@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "financien",
        "Dirk",
        "Mulder",
        Role.FINANCE,
        "dirk.mulder@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "financien2",
        "Femke",
        "Dijkstra",
        Role.FINANCE,
        "femke.dijkstra@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "manager",
        "Esther",
        "Visser",
        Role.MANAGER,
        "esther.visser@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "auditor",
        "Frank",
        "Smit",
        Role.AUDITOR,
        "frank.smit@accountant.example",
        ["twente", "stedendriehoek"],
    ),
    ("financier", "Gerda", "Hofstede", Role.FUNDER, "g.hofstede@provincie.example", ["twente"]),
    ("inwoner", "Fatima", "El Amrani", Role.APPLICANT, "fatima.elamrani@voorbeeld.nl", []),
    ("werkgever", "Henk", "Nijhuis", Role.EMPLOYER, "henk@metaalbouw-hengelo.example", []),
    ("opleider", "Ilse", "Kamphuis", Role.PROVIDER, "ilse.kamphuis@roc-twente.example", []),
]

PROVIDERS = [
    ("ROC van Twente", "ocw", "Hengelo", "00GT"),
    ("Saxion Hogeschool", "ocw", "Enschede", "25BA"),
    ("Aventus", "ocw", "Apeldoorn", "25LH"),
    ("Techniek Opleidingen Oost", "nrto", "Almelo", ""),
    ("Zorgacademie Oost-Nederland", "sector", "Deventer", ""),
    ("Logistiek Leerhuis", "cedeo", "Apeldoorn", ""),
    ("Snelcursus Online BV", "crkbo", "Zutphen", ""),
]


@dataclass
class Cast:
    """The personas by username and the demo providers, which every case draws on."""

    users: dict[str, User]
    providers: list[Provider]


def make_personas(funds: dict[str, Fund]) -> dict[str, User]:
    """A login per persona, staff on the funds PERSONAS names ('*': every fund)."""
    users = {}
    for username, first, last, role, email, fund_slugs in PERSONAS:
        user = User.objects.create_user(
            username=username,
            email=email,
            password=PASSWORD,
            first_name=first,
            last_name=last,
            role=role,
        )
        if role == Role.ADMINISTRATOR:
            user.is_staff = True
            user.is_superuser = True
            user.save()
        for slug in fund_slugs:
            for fund in funds.values() if slug == "*" else [funds[slug]]:
                fund.staff.add(user)
        users[username] = user
    return users


def make_providers(users: dict[str, User]) -> list[Provider]:
    """The demo providers; the `opleider` persona works for the first (ROC van Twente)."""
    providers = []
    for n, (name, kind, city, code) in enumerate(PROVIDERS):
        provider = Provider.objects.create(
            name=name,
            kind=kind,
            city=city,
            institution_code=code,
            kvk_number=f"{40000000 + n * 1111:08d}",
            email=f"info@{name.split()[0].lower()}.example",
        )
        providers.append(provider)
    providers[0].users.add(users["opleider"])
    return providers


def provider_login(provider: Provider, username: str, first: str, last: str) -> User:
    """A login for one of `provider`'s staff, with the demo's password."""
    user = User.objects.create_user(
        username=username,
        email=f"{username}@{provider.email.split('@')[-1]}",
        password=PASSWORD,
        first_name=first,
        last_name=last,
        role=Role.PROVIDER,
    )
    provider.users.add(user)
    return user


def demo_loaded_on() -> date | None:
    """The day the demo was loaded (the administrator persona joined then), if it was."""
    joined = (
        User.objects.filter(username=PERSONAS[0][0]).values_list("date_joined", flat=True).first()
    )
    return timezone.localdate(joined) if joined else None
