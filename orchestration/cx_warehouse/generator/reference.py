"""Reference tables the generator draws from: geography, names, products, teams, campaigns."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from cx_warehouse.settings import SEEDS_DIR

with open(SEEDS_DIR / "country_calling_codes.csv", newline="") as _handle:
    # The warehouse normalises phones with this seed; the generator writes numbers it knows.
    CALLING_CODES = {row["country"]: row for row in csv.DictReader(_handle)}


@dataclass(frozen=True)
class Country:
    code: str
    weight: float
    language: str
    currency: str
    timezone: str
    national_digits: int
    support_team: str
    regions: dict[str, tuple[str, ...]]

    @property
    def calling_code(self) -> str:
        return CALLING_CODES[self.code]["calling_code"]

    @property
    def trunk_prefix(self) -> str:
        """The prefix of national numbers; the US writes none locally (its trunk 1 is optional)."""
        return "" if self.code == "US" else CALLING_CODES[self.code]["trunk_prefix"]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "DE",
        0.30,
        "de",
        "EUR",
        "Europe/Berlin",
        10,
        "dach_support",
        {
            "Berlin": ("Berlin",),
            "Bavaria": ("Munich", "Nuremberg", "Augsburg"),
            "Hamburg": ("Hamburg",),
            "North Rhine-Westphalia": ("Cologne", "Dusseldorf", "Dortmund"),
            "Hesse": ("Frankfurt", "Wiesbaden"),
        },
    ),
    Country(
        "AT",
        0.05,
        "de",
        "EUR",
        "Europe/Vienna",
        10,
        "dach_support",
        {"Vienna": ("Vienna",), "Styria": ("Graz",), "Tyrol": ("Innsbruck",)},
    ),
    Country(
        "FR",
        0.15,
        "fr",
        "EUR",
        "Europe/Paris",
        9,
        "west_eu_support",
        {
            "Ile-de-France": ("Paris", "Versailles"),
            "Auvergne-Rhone-Alpes": ("Lyon", "Grenoble"),
            "Occitanie": ("Toulouse", "Montpellier"),
            "Provence-Alpes-Cote d'Azur": ("Marseille", "Nice"),
        },
    ),
    Country(
        "BE",
        0.05,
        "fr",
        "EUR",
        "Europe/Brussels",
        9,
        "west_eu_support",
        {"Brussels": ("Brussels",), "Flanders": ("Antwerp", "Ghent"), "Wallonia": ("Liege",)},
    ),
    Country(
        "ES",
        0.10,
        "es",
        "EUR",
        "Europe/Madrid",
        9,
        "west_eu_support",
        {
            "Madrid": ("Madrid",),
            "Catalonia": ("Barcelona", "Girona"),
            "Andalusia": ("Seville", "Malaga"),
            "Valencia": ("Valencia", "Alicante"),
        },
    ),
    Country(
        "GB",
        0.15,
        "en",
        "GBP",
        "Europe/London",
        10,
        "uk_ie_support",
        {
            "England": ("London", "Manchester", "Birmingham", "Leeds"),
            "Scotland": ("Edinburgh", "Glasgow"),
            "Wales": ("Cardiff",),
        },
    ),
    Country(
        "IE",
        0.05,
        "en",
        "EUR",
        "Europe/Dublin",
        9,
        "uk_ie_support",
        {
            "Leinster": ("Dublin", "Kilkenny"),
            "Munster": ("Cork", "Limerick"),
            "Connacht": ("Galway",),
        },
    ),
    Country(
        "US",
        0.15,
        "en",
        "USD",
        "America/New_York",
        10,
        "us_support",
        {
            "New York": ("New York", "Buffalo"),
            "California": ("Los Angeles", "San Francisco"),
            "Texas": ("Austin", "Houston"),
            "Illinois": ("Chicago",),
            "Massachusetts": ("Boston",),
        },
    ),
)

# Units of local currency per EUR, used to price orders in the customer's currency.
EUR_RATES = {"EUR": 1.0, "GBP": 0.85, "USD": 1.08}
TAX_RATES = {
    "DE": 0.19,
    "AT": 0.2,
    "FR": 0.2,
    "BE": 0.21,
    "ES": 0.21,
    "GB": 0.2,
    "IE": 0.23,
    "US": 0.07,
}

FIRST_NAMES = {
    "en": (
        "James",
        "Olivia",
        "Liam",
        "Emma",
        "Noah",
        "Ava",
        "Oliver",
        "Sophia",
        "Jack",
        "Mia",
        "Harry",
        "Grace",
        "Ethan",
        "Chloe",
        "Lucas",
        "Ella",
        "Mason",
        "Lily",
        "Logan",
        "Amelia",
    ),
    "de": (
        "Lukas",
        "Anna",
        "Leon",
        "Lea",
        "Finn",
        "Hannah",
        "Jonas",
        "Lena",
        "Paul",
        "Marie",
        "Felix",
        "Sophie",
        "Max",
        "Laura",
        "Tim",
        "Julia",
        "Jan",
        "Katharina",
        "Moritz",
        "Clara",
    ),
    "fr": (
        "Louis",
        "Camille",
        "Hugo",
        "Manon",
        "Arthur",
        "Lea",
        "Jules",
        "Chloe",
        "Gabriel",
        "Ines",
        "Raphael",
        "Jade",
        "Adam",
        "Louise",
        "Nathan",
        "Alice",
        "Theo",
        "Lina",
        "Tom",
        "Emma",
    ),
    "es": (
        "Hugo",
        "Lucia",
        "Mateo",
        "Sofia",
        "Martin",
        "Martina",
        "Pablo",
        "Maria",
        "Alejandro",
        "Paula",
        "Daniel",
        "Valeria",
        "Alvaro",
        "Carmen",
        "Diego",
        "Elena",
        "Javier",
        "Sara",
        "Adrian",
        "Irene",
    ),
}
LAST_NAMES = {
    "en": (
        "Smith",
        "Johnson",
        "Brown",
        "Taylor",
        "Wilson",
        "Davies",
        "Evans",
        "Thomas",
        "Walker",
        "Wright",
        "Robinson",
        "Murphy",
        "Kelly",
        "O'Brien",
        "Clarke",
        "Hughes",
        "Green",
        "Hall",
    ),
    "de": (
        "Muller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Neumann",
        "Braun",
    ),
    "fr": (
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefebvre",
        "Michel",
        "Garcia",
        "David",
    ),
    "es": (
        "Garcia",
        "Rodriguez",
        "Gonzalez",
        "Fernandez",
        "Lopez",
        "Martinez",
        "Sanchez",
        "Perez",
        "Gomez",
        "Martin",
        "Jimenez",
        "Ruiz",
        "Hernandez",
        "Diaz",
        "Moreno",
        "Alvarez",
    ),
}
EMAIL_DOMAINS = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "gmx.de",
    "web.de",
    "orange.fr",
    "hotmail.com",
    "proton.me",
    "mail.com",
)
BUSINESS_DOMAINS = (
    "acme-corp.com",
    "northwind.io",
    "contoso.com",
    "globex.net",
    "initech.com",
    "umbrella-group.com",
    "stark-industries.com",
    "wayne-ent.com",
)
JOB_ROLES = (
    "procurement manager",
    "office manager",
    "it administrator",
    "operations director",
    "purchasing lead",
    "facility manager",
    "ceo",
    "finance controller",
)
INDUSTRIES = (
    "retail",
    "manufacturing",
    "healthcare",
    "education",
    "technology",
    "finance",
    "hospitality",
    "public_sector",
    "professional_services",
)
COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")

CATEGORY_PRICES = {  # mean unit price in EUR
    "electronics": 120.0,
    "home": 45.0,
    "fashion": 35.0,
    "beauty": 18.0,
    "sports": 40.0,
    "toys": 22.0,
    "grocery": 9.0,
    "books": 14.0,
}
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_PRICES)
PRODUCTS_PER_CATEGORY = 400

SUPPORT_TEAMS = (
    "dach_support",
    "west_eu_support",
    "uk_ie_support",
    "us_support",
    "premium_care",
    "technical_support",
)
TEAM_SITES = {
    "dach_support": ("Berlin", "Leipzig"),
    "west_eu_support": ("Paris", "Lisbon"),
    "uk_ie_support": ("Manchester", "Dublin"),
    "us_support": ("Austin",),
    "premium_care": ("Berlin",),
    "technical_support": ("Berlin", "Lisbon"),
}
CAMPAIGNS = 120
