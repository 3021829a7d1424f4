"""Pools the invented members are drawn from.

Names are common given and family names put together at random: nobody here is
a real person. E-mails are at example.org; phones are the fictional 555-01xx
numbers of Canadian area codes (100 per area code), so every demo phone is unique.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Names common in one language community, and how its members choose a language.

    `language_weights` weighs (the community's own language, French, English) as
    the preferred language of a member in Québec; in Ontario English takes most of
    the weight of French.
    """

    language: str
    given: tuple[str, ...]
    family: tuple[str, ...]
    language_weights: tuple[float, float, float] = (0.4, 0.4, 0.2)


ORIGINS = {
    "es": Origin("es", (
        "María", "José", "Juan", "Ana", "Luis", "Carmen", "Jorge", "Rosa", "Miguel",
        "Guadalupe", "Carlos", "Lucía", "Fernando", "Elena", "Alejandro", "Sofía", "Diego",
        "Marisol", "Javier", "Yesenia", "Edgar", "Gloria", "Wilmer", "Brenda", "Óscar",
    ), (
        "García", "Hernández", "López", "Martínez", "González", "Pérez", "Rodríguez",
        "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vásquez", "Reyes",
        "Jiménez", "Torres", "Díaz", "Castillo", "Ortiz", "Xol", "Chávez", "Méndez", "Ajú",
    ), (0.45, 0.4, 0.15)),
    "tl": Origin("tl", (
        "Maricel", "Jonalyn", "Rowena", "Jerome", "Mark Anthony", "Liza", "Arnel", "Cherry",
        "Ramil", "Rhea", "Joy", "Rodel", "Analyn", "Jayson", "Marites", "Lovely", "Romeo",
    ), (
        "Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Villanueva",
        "Dela Cruz", "Aquino", "Ramos", "Navarro", "Manalo", "Soriano", "Pascual", "Tolentino",
    ), (0.3, 0.15, 0.55)),
    "pa": Origin("pa", (
        "Gurpreet", "Harpreet", "Manpreet", "Jaspreet", "Amandeep", "Simranjit", "Rajvir",
        "Kulwinder", "Baljit", "Sukhdeep", "Harjot", "Parminder", "Ramandeep", "Jashan",
        "Navjot", "Tejinder",
    ), (
        "Singh", "Kaur", "Gill", "Sandhu", "Sidhu", "Dhillon", "Grewal", "Brar", "Sekhon",
        "Randhawa", "Mann", "Dhaliwal", "Virk", "Cheema",
    ), (0.3, 0.1, 0.6)),
    "hi": Origin("hi", (
        "Priya", "Rahul", "Anjali", "Vikram", "Neha", "Arjun", "Pooja", "Rohit", "Sneha",
        "Amit", "Kavya", "Sanjay", "Deepika", "Karan", "Ishaan", "Meera",
    ), (
        "Sharma", "Patel", "Verma", "Gupta", "Kumar", "Mehta", "Joshi", "Reddy", "Nair",
        "Iyer", "Desai", "Chauhan", "Yadav", "Mishra", "Pillai",
    ), (0.25, 0.15, 0.6)),
    "ar": Origin("ar", (
        "Fatima", "Mohamed", "Youssef", "Amina", "Karim", "Nadia", "Omar", "Samira", "Hassan",
        "Leila", "Rachid", "Khadija", "Mehdi", "Salma", "Walid", "Imane",
    ), (
        "Benali", "El Amrani", "Haddad", "Khalil", "Mansour", "Bouzid", "Saleh", "Nasser",
        "Hamdi", "Chaoui", "Belkacem", "Darwish", "Yacoub", "Touati", "Ouali",
    ), (0.3, 0.55, 0.15)),
    "pt": Origin("pt", (
        "João", "Ana Paula", "Thiago", "Fernanda", "Rafael", "Juliana", "Lucas", "Camila",
        "Bruno", "Larissa", "Gabriel", "Patrícia",
    ), (
        "Silva", "Souza", "Oliveira", "Pereira", "Costa", "Almeida", "Ferreira", "Rodrigues",
        "Carvalho", "Lima", "Araújo", "Ribeiro",
    )),
    "zh": Origin("zh", (
        "Wei", "Li Na", "Jun", "Xiu Ying", "Hao", "Mei", "Jian", "Yan", "Lei", "Fang", "Tao",
        "Ying",
    ), (
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    ), (0.5, 0.2, 0.3)),
    "vi": Origin("vi", (
        "Minh", "Lan", "Huong", "Tuan", "Thanh", "Linh", "Duc", "Mai", "Hoa", "Quang",
    ), (
        "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do",
    )),
    "ht": Origin("ht", (
        "Widlène", "Jocelyne", "Fritz", "Ketly", "Wilner", "Rose-Marie", "Jude", "Fabiola",
        "Ronald", "Guerline", "Jean-Robert", "Nadège",
    ), (
        "Pierre", "Joseph", "Saint-Fleur", "Charles", "Désir", "Étienne", "Louis", "Dorval",
        "Michel", "Jean-Louis", "Augustin", "Célestin",
    ), (0.2, 0.75, 0.05)),
    "uk": Origin("uk", (
        "Oksana", "Andriy", "Olena", "Taras", "Iryna", "Dmytro", "Natalia", "Serhiy", "Yulia",
        "Mykola",
    ), (
        "Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko",
        "Koval", "Oliynyk", "Lysenko",
    ), (0.5, 0.25, 0.25)),
    "fr": Origin("fr", (
        "Marie", "Julie", "Sophie", "Isabelle", "Mathieu", "Jean-François", "Étienne",
        "Geneviève", "Olivier", "Catherine", "Maxime", "Nathalie", "Simon", "Émilie", "Louis",
        "Camille",
    ), (
        "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
        "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron",
        "Leblanc", "Girard", "Simard",
    ), (1.0, 0.0, 0.0)),
    "en": Origin("en", (
        "Sarah", "Michael", "Jessica", "David", "Emily", "James", "Ashley", "Ryan", "Megan",
        "Kevin", "Laura", "Daniel",
    ), (
        "Smith", "Brown", "Wilson", "MacDonald", "Taylor", "Campbell", "Anderson", "Thompson",
        "Martin", "Stewart", "Robinson", "Clarke",
    ), (1.0, 0.0, 0.0)),
}


@dataclass(frozen=True)
class Profile:
    """Who lives and works around a chapter."""

    local_language: str  # "fr" in Québec, "en" in Ontario
    origins: dict[str, float]
    sectors: dict[str, float]
    places: tuple[str, ...]
    postal_prefixes: tuple[str, ...]  # forward sortation areas
    phone_pool: str  # a key of PHONE_AREA_CODES


PHONE_AREA_CODES = {
    "montreal": ("514", "438", "263"),
    "laval": ("450", "579"),
    "eastern_quebec": ("418", "581", "367"),
    "outaouais": ("819", "873"),
    "toronto": ("416", "647", "437"),
    "peel": ("905", "289", "365"),
}

_MONTREAL_ORIGINS = {
    "es": 22, "ar": 14, "tl": 10, "fr": 9, "ht": 8, "hi": 6, "zh": 6, "pa": 5, "pt": 5,
    "uk": 5, "vi": 4, "en": 6,
}
_REGION_ORIGINS = {
    "es": 45, "fr": 15, "tl": 9, "ar": 8, "pt": 5, "uk": 5, "ht": 5, "vi": 3, "hi": 3, "en": 2,
}
_ONTARIO_ORIGINS = {
    "pa": 28, "hi": 24, "tl": 9, "zh": 9, "es": 6, "en": 7, "ar": 6, "vi": 5, "pt": 3, "uk": 3,
}
# Sectors as an organizer there would type them (the tables above and below use the keys).
SECTOR_NAMES = {
    "fr": {
        "warehousing": "entrepôts", "manufacturing": "fabrication", "cleaning": "entretien ménager",
        "delivery": "livraison", "caregiving": "aide familiale", "food service": "restauration",
        "health care": "santé", "retail": "commerce de détail", "construction": "construction",
        "agriculture": "agriculture", "food processing": "transformation alimentaire",
        "education": "éducation",
    },
    "en": {},
}
_MONTREAL_SECTORS = {
    "warehousing": 22, "manufacturing": 12, "cleaning": 11, "delivery": 10, "caregiving": 10,
    "food service": 9, "health care": 8, "retail": 6, "construction": 5, "agriculture": 4,
    "food processing": 3,
}
_REGION_SECTORS = {
    "agriculture": 42, "food processing": 16, "food service": 10, "manufacturing": 9,
    "construction": 6, "health care": 6, "caregiving": 4, "retail": 4, "cleaning": 3,
}
_ONTARIO_SECTORS = {
    "retail": 17, "food service": 17, "warehousing": 16, "delivery": 15, "cleaning": 10,
    "caregiving": 8, "health care": 8, "construction": 6, "manufacturing": 3,
}

PROFILES = {
    "montreal": Profile(
        "fr", _MONTREAL_ORIGINS, _MONTREAL_SECTORS,
        ("Saint-Laurent", "Anjou", "Lachine", "Montréal-Nord", "Côte-des-Neiges",
         "Parc-Extension", "Pointe-Saint-Charles", "Dorval", "Saint-Michel", "Verdun"),
        ("H1G", "H1H", "H1Z", "H2M", "H2R", "H2X", "H3K", "H3N", "H3S", "H3T", "H4L", "H4N",
         "H8S", "H9P"),
        "montreal",
    ),
    "capitale": Profile(
        "fr", _REGION_ORIGINS, _REGION_SECTORS,
        ("Québec", "Beauport", "Charlesbourg", "Saint-Augustin", "Baie-Saint-Paul",
         "L'Ancienne-Lorette"),
        ("G1K", "G1L", "G1M", "G1R", "G2J", "G3A"),
        "eastern_quebec",
    ),
    "saguenay": Profile(
        "fr", _REGION_ORIGINS, _REGION_SECTORS,
        ("Chicoutimi", "Jonquière", "Alma", "Saint-Félicien", "Roberval", "La Baie"),
        ("G7H", "G7J", "G7S", "G7X", "G8B", "G8K"),
        "eastern_quebec",
    ),
    "bsl": Profile(
        "fr", _REGION_ORIGINS, _REGION_SECTORS,
        ("Rimouski", "Rivière-du-Loup", "Matane", "Amqui", "Mont-Joli", "Trois-Pistoles"),
        ("G5L", "G5M", "G5R", "G4W", "G5J", "G0L"),
        "eastern_quebec",
    ),
    "outaouais": Profile(
        "fr", _REGION_ORIGINS, _REGION_SECTORS,
        ("Gatineau", "Aylmer", "Buckingham", "Maniwaki", "Hull", "Chelsea"),
        ("J8T", "J8X", "J8Y", "J9A", "J9H", "J8L"),
        "outaouais",
    ),
    "laval": Profile(
        "fr", _MONTREAL_ORIGINS, {"warehousing": 1},
        ("Laval",), ("H7L", "H7N", "H7S", "H7T"),
        "laval",
    ),
    "montreal_trades": Profile(
        "fr", {**_MONTREAL_ORIGINS, "fr": 40, "en": 8}, {
            "construction": 40, "health care": 20, "education": 12, "warehousing": 12,
            "manufacturing": 8, "cleaning": 8,
        },
        ("Montréal", "Laval", "Longueuil", "Saint-Laurent", "Anjou", "Lachine"),
        ("H1G", "H2X", "H3K", "H4N", "H7N", "J4K"),
        "montreal",
    ),
    "toronto": Profile(
        "en", _ONTARIO_ORIGINS, _ONTARIO_SECTORS,
        ("Etobicoke", "Scarborough", "North York", "Downtown Toronto", "Rexdale", "York"),
        ("M1B", "M1K", "M3N", "M5T", "M6H", "M6K", "M9V"),
        "toronto",
    ),
    "peel": Profile(
        "en", _ONTARIO_ORIGINS, _ONTARIO_SECTORS,
        ("Brampton", "Mississauga", "Malton", "Bolton", "Bramalea"),
        ("L4T", "L5B", "L6P", "L6R", "L6S", "L6T", "L6V", "L6X", "L6Y"),
        "peel",
    ),
}

# Where members live: chapter key (None: no chapter yet) → (profile, relative weight).
# Most are in Montréal, as in the workers' centre the demo is built around.
CHAPTER_WEIGHTS = (
    ("iwc.montreal", "montreal", 420),
    ("iwc.capitale", "capitale", 70),
    ("iwc.outaouais", "outaouais", 55),
    ("iwc.saguenay", "saguenay", 40),
    ("iwc.bsl", "bsl", 40),
    ("iwc.quebec", "montreal", 10),
    ("msu.toronto", "toronto", 90),
    ("msu.peel", "peel", 70),
    ("msu.campus.downtown", "toronto", 15),
    ("msu.campus.scarborough", "toronto", 15),
    ("msu.campus.brampton", "peel", 15),
    ("msu.campus.mississauga", "peel", 15),
    ("msu.ontario", "toronto", 5),
    ("ao.montreal", "montreal_trades", 45),
    ("ao.dxt4", "laval", 35),
    (None, "montreal", 20),
    # The coalition's own list (no chapters): people who came to its weeks of action or
    # wrote through its actions. Each organization's list is its own (decision 0035).
    ("cmwrc", "toronto", 40),
)

# Workplace names: one template per sector and province, "{}" is a place.
WORKPLACES = {
    "fr": {
        "warehousing": ("Entrepôt {}", "Centre de distribution {}"),
        "agriculture": ("Ferme maraîchère de {}", "Serres de {}", "Ferme laitière de {}"),
        "caregiving": ("Résidence privée, {}",),
        "construction": ("Chantier résidentiel, {}", "Chantier d'infrastructure, {}"),
        "food service": ("Restaurant, {}", "Cafétéria d'hôpital, {}"),
        "cleaning": ("Entretien ménager (agence), {}", "Tours de bureaux, {}"),
        "delivery": ("Livraison par application", "Messagerie {}"),
        "retail": ("Épicerie, {}", "Magasin à grande surface, {}"),
        "manufacturing": ("Usine de meubles, {}", "Usine de plastiques, {}"),
        "food processing": ("Usine de transformation alimentaire, {}", "Abattoir, {}",
                            "Usine de poisson, {}"),
        "health care": ("CHSLD de {}", "Hôpital de {}"),
        "education": ("École primaire, {}", "Centre de services scolaire, {}"),
    },
    "en": {
        "warehousing": ("{} warehouse", "{} distribution centre"),
        "agriculture": ("{} greenhouse", "{} farm"),
        "caregiving": ("Private home, {}",),
        "construction": ("Residential site, {}",),
        "food service": ("Restaurant, {}", "Fast-food outlet, {}"),
        "cleaning": ("Cleaning agency, {}", "Office towers, {}"),
        "delivery": ("App-based delivery", "{} courier depot"),
        "retail": ("Grocery store, {}", "Big-box store, {}"),
        "manufacturing": ("{} packaging plant",),
        "food processing": ("{} food processing plant",),
        "health care": ("{} long-term care home",),
        "education": ("{} school board",),
    },
}
DXT4_WORKPLACE = "Amazon DXT4 (Laval)"

# How people first came into the list: (source, weight, detail written by the organization).
SOURCES = {
    "iwc": (
        ("web", 30, "Formulaire d'adhésion en ligne"),
        ("paper", 20, "Feuille de présence, assemblée du 15 novembre 2025"),
        ("event", 20, "Mois d'action 2025"),
        ("manual", 20, "Permanence du Centre"),
        ("import", 10, "Liste des ateliers de droits (tableur)"),
    ),
    "msu": (
        ("web", 45, "#FixPGWP petition"),
        ("event", 25, "Online information session"),
        ("import", 15, "Campus sign-up sheet (spreadsheet)"),
        ("manual", 15, "Chapter meeting"),
    ),
    "ao": (
        ("manual", 40, "Tournée de milieu de travail"),
        ("paper", 30, "Congrès du 8 décembre 2024"),
        ("web", 30, "Formulaire d'adhésion en ligne"),
    ),
    "cmwrc": (
        ("event", 60, "#StatusNow Week of Action 2016"),
        ("web", 40, "Coalition mailing list sign-up"),
    ),
}

TAGS = {
    "iwc": ("bénévole", "leader", "porte-parole", "interprète", "atelier droits du travail",
            "assemblée 2025-11-15", "mois d'action 2025", "manif 2026-02-07"),
    "msu": ("volunteer", "campus leader", "info session", "chapter founder", "phone bank",
            "newsletter"),
    "ao": ("militant·e", "délégué·e", "congrès 2024", "chantier", "bulletin"),
    "cmwrc": ("#StatusNow", "media contact", "coalition newsletter"),
}
