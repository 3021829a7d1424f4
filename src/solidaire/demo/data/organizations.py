"""The organizations of the demo, their chapter trees, committees and campaigns.

Keys (`"iwc"`, `"iwc.montreal"`) are how the rest of the demo refers to them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

date = datetime.date


@dataclass(frozen=True)
class ChapterSpec:
    key: str
    name: str
    slug: str
    kind: str
    parent: str | None = None
    city: str = ""
    languages: tuple[str, ...] = ("fr",)


@dataclass(frozen=True)
class CommitteeSpec:
    key: str
    name: str
    slug: str
    description: dict
    chapter: str | None = None  # None: a committee of the whole organization


@dataclass(frozen=True)
class CampaignSpec:
    slug: str
    title: dict
    summary: dict
    demands: tuple[dict, ...]
    starts_on: datetime.date | None
    ends_on: datetime.date | None = None
    is_active: bool = True
    chapter: str | None = None


@dataclass(frozen=True)
class OrganizationSpec:
    key: str
    name: str
    slug: str
    kind: str
    description: dict
    short_name: str = ""
    city: str = ""
    province: str = ""
    website: str = ""
    is_host: bool = False
    chapters: tuple[ChapterSpec, ...] = ()
    committees: tuple[CommitteeSpec, ...] = ()
    campaigns: tuple[CampaignSpec, ...] = ()


@dataclass(frozen=True)
class CoalitionMemberSpec:
    name: str
    slug: str
    kind: str
    province: str
    city: str = ""
    short_name: str = ""
    is_founding: bool = False
    description: dict = field(default_factory=dict)


# --- The Immigrant Workers Centre: the host, with regional teams across Québec ---------

IWC = OrganizationSpec(
    key="iwc",
    name="Centre des travailleurs et travailleuses immigrants",
    short_name="IWC-CTI",
    slug="iwc-cti",
    kind="workers_centre",
    is_host=True,
    city="Montréal",
    province="QC",
    description={
        "fr": "Fondé à Montréal en 2000, le Centre accueille les personnes migrantes et "
              "immigrantes qui s'organisent pour leurs droits au travail et pour un statut "
              "permanent. Des équipes régionales le portent partout au Québec.",
        "en": "Founded in Montréal in 2000, the Immigrant Workers Centre is where migrant and "
              "immigrant workers organize for their rights at work and for permanent status. "
              "Regional teams carry the work across Québec.",
    },
    chapters=(
        ChapterSpec("iwc.quebec", "Québec", "quebec", "province",
                    languages=("fr", "en", "es")),
        ChapterSpec("iwc.montreal", "Montréal", "montreal", "region", "iwc.quebec",
                    "Montréal", ("fr", "en", "es", "tl", "ar")),
        ChapterSpec("iwc.capitale", "Capitale-Nationale", "capitale-nationale", "region",
                    "iwc.quebec", "Québec", ("fr", "es")),
        ChapterSpec("iwc.saguenay", "Saguenay–Lac-Saint-Jean", "saguenay-lac-saint-jean",
                    "region", "iwc.quebec", "Chicoutimi", ("fr", "es")),
        ChapterSpec("iwc.bsl", "Bas-Saint-Laurent", "bas-saint-laurent", "region",
                    "iwc.quebec", "Rimouski", ("fr", "es")),
        ChapterSpec("iwc.outaouais", "Outaouais", "outaouais", "region", "iwc.quebec",
                    "Gatineau", ("fr", "en", "es")),
    ),
    committees=(
        CommitteeSpec(
            "iwc.women", "Comité des femmes", "iwc-comite-des-femmes",
            {"fr": "Les travailleuses migrantes du Centre, de toutes les régions, qui "
                   "prennent la parole et forment de nouvelles leaders.",
             "en": "Migrant women workers from every region of the Centre, speaking up and "
                   "training new leaders."},
        ),
        CommitteeSpec(
            "iwc.agencies", "Comité des travailleurs et travailleuses d'agences",
            "iwc-comite-agences",
            {"fr": "Personnes placées par des agences de recrutement et de placement : "
                   "salaires impayés, sous-traitance, permis fermés.",
             "en": "Workers placed by recruitment and temp agencies: unpaid wages, "
                   "subcontracting, employer-specific permits."},
        ),
        CommitteeSpec(
            "iwc.warehouse", "Comité des travailleurs et travailleuses d'entrepôt",
            "iwc-comite-entrepots",
            {"fr": "Les entrepôts de la région de Montréal : cadences, sécurité, agences.",
             "en": "Warehouses of the Montréal area: work pace, safety, agencies."},
            chapter="iwc.montreal",
        ),
        CommitteeSpec(
            "iwc.team.capitale", "Équipe d'organisation de Québec", "iwc-equipe-quebec",
            {"fr": "L'équipe régionale de la Capitale-Nationale.",
             "en": "The regional organizing team of Capitale-Nationale."},
            chapter="iwc.capitale",
        ),
        CommitteeSpec(
            "iwc.team.saguenay", "Équipe d'organisation de Chicoutimi",
            "iwc-equipe-chicoutimi",
            {"fr": "L'équipe régionale du Saguenay–Lac-Saint-Jean.",
             "en": "The regional organizing team of Saguenay–Lac-Saint-Jean."},
            chapter="iwc.saguenay",
        ),
        CommitteeSpec(
            "iwc.team.bsl", "Équipe d'organisation de Rimouski", "iwc-equipe-rimouski",
            {"fr": "L'équipe régionale du Bas-Saint-Laurent.",
             "en": "The regional organizing team of Bas-Saint-Laurent."},
            chapter="iwc.bsl",
        ),
        CommitteeSpec(
            "iwc.team.outaouais", "Équipe d'organisation de Gatineau", "iwc-equipe-gatineau",
            {"fr": "L'équipe régionale de l'Outaouais.",
             "en": "The regional organizing team of Outaouais."},
            chapter="iwc.outaouais",
        ),
    ),
    campaigns=(
        CampaignSpec(
            slug="mois-action-regularisation-2025",
            title={"fr": "Mois d'action : régularisation et statut permanent",
                   "en": "Month of Action: regularization and permanent status"},
            summary={
                "fr": "Un mois de mobilisation à l'automne 2025. Le 15 novembre, pendant "
                      "l'assemblée du Conseil national des travailleurs et travailleuses, "
                      "les délégations des cinq régions se sont jointes à un rassemblement "
                      "devant le 7075, rue Saint-Hubert.",
                "en": "A month of mobilization in the fall of 2025. On November 15, during "
                      "the National Workers Council Assembly, delegations from the five "
                      "regions joined a noon rally outside 7075 Saint-Hubert Street.",
            },
            demands=(
                {"fr": "Régulariser les personnes sans statut.",
                 "en": "Regularize people without status."},
                {"fr": "Un statut permanent pour toutes les personnes migrantes.",
                 "en": "Permanent status for all migrants."},
                {"fr": "Cesser de faire des personnes migrantes les boucs émissaires des "
                       "crises.",
                 "en": "Stop blaming migrants for the crises."},
            ),
            starts_on=date(2025, 11, 1),
        ),
        CampaignSpec(
            slug="statut-permanent-permis-expirants-2026",
            title={"fr": "Statut permanent pour les personnes dont le permis expire",
                   "en": "Permanent status for people whose permits are expiring"},
            summary={
                "fr": "Près de deux millions de permis temporaires arrivent à échéance en "
                      "2026, au moment où Québec abandonne le PEQ. La campagne s'est ouverte "
                      "par un rassemblement au centre-ville de Montréal le 7 février 2026.",
                "en": "Close to two million temporary permits run out in 2026, just as "
                      "Québec winds down the PEQ. The campaign opened with a rally in "
                      "downtown Montréal on February 7, 2026.",
            },
            demands=(
                {"fr": "Prolonger les permis de travail et d'études qui expirent.",
                 "en": "Extend work and study permits that are about to expire."},
                {"fr": "Un chemin clair vers la résidence permanente pour les résidents "
                       "temporaires déjà ici.",
                 "en": "A clear path to permanent residence for temporary residents "
                       "already here."},
                {"fr": "Un statut permanent pour les personnes au statut précaire ou sans "
                       "statut.",
                 "en": "Permanent status for people with precarious status or none."},
            ),
            starts_on=date(2026, 2, 7),
        ),
    ),
)


# --- Migrant Students United: a student-worker network in Ontario ----------------------

MSU = OrganizationSpec(
    key="msu",
    name="Migrant Students United",
    short_name="MSU",
    slug="msu",
    kind="student_association",
    city="Toronto",
    province="ON",
    description={
        "fr": "Un réseau d'étudiantes et d'étudiants internationaux, actuels et anciens, "
              "organisé en sections de ville et de campus, qui lutte pour un statut "
              "permanent et pour que tout travail compte.",
        "en": "A network of current and former international students, organized in city "
              "and campus chapters, fighting for permanent status and for all work to count.",
    },
    chapters=(
        ChapterSpec("msu.canada", "Canada", "msu-canada", "country", languages=("en", "fr")),
        ChapterSpec("msu.ontario", "Ontario", "msu-ontario", "province", "msu.canada",
                    languages=("en",)),
        ChapterSpec("msu.toronto", "Toronto", "msu-toronto", "city", "msu.ontario",
                    "Toronto", ("en", "pa", "hi", "tl", "zh")),
        ChapterSpec("msu.peel", "Peel / Brampton", "msu-peel", "region", "msu.ontario",
                    "Brampton", ("en", "pa", "hi")),
        ChapterSpec("msu.campus.downtown", "Downtown Toronto campuses",
                    "msu-downtown-toronto-campuses", "campus", "msu.toronto", "Toronto",
                    ("en", "zh", "hi")),
        ChapterSpec("msu.campus.scarborough", "Scarborough campuses",
                    "msu-scarborough-campuses", "campus", "msu.toronto", "Toronto",
                    ("en", "tl", "hi")),
        ChapterSpec("msu.campus.brampton", "Brampton campuses", "msu-brampton-campuses",
                    "campus", "msu.peel", "Brampton", ("en", "pa")),
        ChapterSpec("msu.campus.mississauga", "Mississauga campuses",
                    "msu-mississauga-campuses", "campus", "msu.peel", "Mississauga",
                    ("en", "pa", "ar")),
    ),
    committees=(
        CommitteeSpec(
            "msu.chapter_building", "Chapter-building team", "msu-chapter-building",
            {"fr": "Aide les étudiantes et étudiants à fonder une section sur leur campus ou "
                   "dans leur ville.",
             "en": "Helps student workers start a chapter on their campus or in their city."},
        ),
    ),
    campaigns=(
        CampaignSpec(
            slug="msu-health-income-support-2020",
            title={"fr": "Santé et soutien du revenu pour les étudiants migrants (2020)",
                   "en": "Health care and income support for migrant students (2020)"},
            summary={
                "fr": "Dès mars 2020, des séances d'information en ligne ont rassemblé plus "
                      "de 3 500 étudiantes et étudiants touchés par la pandémie. En avril, "
                      "une lettre au gouvernement fédéral et une pétition ont suivi : plus "
                      "de 12 000 signatures.",
                "en": "From March 2020, online information sessions brought together more "
                      "than 3,500 student workers hit by the pandemic. A letter to the "
                      "federal government and a petition followed in April: over 12,000 "
                      "signatures.",
            },
            demands=(
                {"fr": "L'accès aux soins de santé pour toutes les étudiantes et tous les "
                       "étudiants migrants.",
                 "en": "Health care for every migrant student."},
                {"fr": "Un soutien du revenu pour celles et ceux qui ont perdu leur emploi.",
                 "en": "Income support for those who lost their jobs."},
                {"fr": "Des règles d'immigration qui ne font pas payer la pandémie aux "
                       "personnes migrantes.",
                 "en": "Immigration rules that do not make migrants pay for the pandemic."},
            ),
            starts_on=date(2020, 3, 15),
            ends_on=date(2020, 7, 31),
            is_active=False,
        ),
        CampaignSpec(
            slug="fix-pgwp",
            title={"fr": "#FixPGWP : des permis postdiplôme renouvelables",
                   "en": "#FixPGWP: renewable post-graduation work permits"},
            summary={
                "fr": "Le permis postdiplôme ne s'obtenait qu'une fois, et la pandémie "
                      "empêchait d'accumuler l'expérience exigée pour la résidence "
                      "permanente. Pétitions, rassemblements à Toronto et à Peel, un permis "
                      "géant devant les bureaux de l'immigration et 16 000 signatures "
                      "remises au bureau du ministre : le 8 janvier 2021, les permis sont "
                      "devenus renouvelables pour plus de 52 000 personnes.",
                "en": "The post-graduation work permit could be held only once, and the "
                      "pandemic made the work experience needed for permanent residence "
                      "out of reach. Petitions, rallies in Toronto and Peel, a giant permit "
                      "outside the immigration offices and 16,000 signatures delivered to "
                      "the minister's office: on January 8, 2021 the permits became "
                      "renewable for more than 52,000 people.",
            },
            demands=(
                {"fr": "Rendre le permis de travail postdiplôme renouvelable.",
                 "en": "Make the post-graduation work permit renewable."},
                {"fr": "Que tout travail, y compris à bas salaire, compte pour la résidence "
                       "permanente.",
                 "en": "Count all work, low-wage work included, toward permanent residence."},
                {"fr": "Un statut d'immigration plein et permanent pour toutes et tous.",
                 "en": "Full and permanent immigration status for all."},
            ),
            starts_on=date(2020, 8, 1),
            ends_on=date(2021, 1, 8),
            is_active=False,
        ),
    ),
)


# --- The Coalition for Migrant Worker Rights Canada ------------------------------------

CMWRC = OrganizationSpec(
    key="cmwrc",
    name="Coalition for Migrant Worker Rights Canada",
    short_name="CMWRC",
    slug="cmwrc",
    kind="coalition",
    website="https://www.migrantrights.ca",
    description={
        "fr": "Une coalition pancanadienne d'organisations de travailleurs et travailleuses "
              "migrants, lancée le 28 octobre 2015 par des conférences de presse tenues le "
              "même jour dans cinq villes.",
        "en": "A cross-Canada coalition of migrant worker organizations, launched on "
              "October 28, 2015 with press conferences held the same day in five cities.",
    },
    campaigns=(
        CampaignSpec(
            slug="move",
            title={"fr": "MoVE : mobilité, voix et égalité pour les travailleurs migrants",
                   "en": "MoVE: Mobility, Voice and Equality for migrant workers"},
            summary={
                "fr": "Lancée avec la coalition à Charlottetown, Edmonton, Montréal, Toronto "
                      "et Vancouver, la campagne demande au nouveau gouvernement fédéral de "
                      "cesser de lier les travailleurs migrants à un seul employeur.",
                "en": "Launched with the coalition in Charlottetown, Edmonton, Montréal, "
                      "Toronto and Vancouver, the campaign asks the new federal government to "
                      "stop tying migrant workers to a single employer.",
            },
            demands=(
                {"fr": "Remplacer les permis liés à un employeur par des permis ouverts.",
                 "en": "Replace employer-specific permits with open work permits."},
                {"fr": "Lever les plafonds et les limites des permis et des EIMT, dont la "
                       "règle des quatre ans.",
                 "en": "Lift the caps and limits on permits and LMIAs, including the "
                       "four-year rule."},
                {"fr": "La résidence permanente dès l'arrivée.",
                 "en": "Permanent residence on arrival."},
            ),
            starts_on=date(2015, 10, 28),
            is_active=False,
        ),
        CampaignSpec(
            slug="statusnow-week-of-action-2016",
            title={"fr": "Semaine d'action #StatusNow",
                   "en": "#StatusNow Week of Action"},
            summary={
                "fr": "Au moment où Ottawa entreprend la révision du Programme des "
                      "travailleurs étrangers temporaires (11 mai 2016) : des actions partout "
                      "au pays, une pétition en ligne, des tracts et des outils pour "
                      "rencontrer sa ou son député.",
                "en": "As Ottawa opens its review of the Temporary Foreign Worker Program "
                      "(May 11, 2016): actions across the country, an e-petition, flyers and "
                      "a kit for meeting your MP.",
            },
            demands=(
                {"fr": "Des permis de travail ouverts.", "en": "Open work permits."},
                {"fr": "Un statut permanent pour les travailleurs migrants.",
                 "en": "Permanent status for migrant workers."},
                {"fr": "L'accès à l'assurance-emploi, au Régime de pensions et aux autres "
                       "prestations fédérales.",
                 "en": "Access to Employment Insurance, the Canada Pension Plan and other "
                       "federal benefits."},
            ),
            starts_on=date(2016, 5, 28),
            ends_on=date(2016, 6, 5),
            is_active=False,
        ),
    ),
)

COALITION_JOINED_ON = date(2015, 10, 28)

CMWRC_MEMBERS = (
    CoalitionMemberSpec("Cooper Institute", "cooper-institute", "community_group", "PE",
                        "Charlottetown", is_founding=True),
    CoalitionMemberSpec("Migrant Workers Alliance for Change", "mwac", "coalition", "ON",
                        "Toronto", "MWAC", is_founding=True),
    CoalitionMemberSpec("Migrante Canada", "migrante-canada", "community_group", "",
                        is_founding=True),
    CoalitionMemberSpec("Radical Action with Migrants in Agriculture", "rama",
                        "community_group", "BC", "Okanagan Valley", "RAMA", is_founding=True),
    CoalitionMemberSpec("Temporary Foreign Workers Association in Quebec", "attet",
                        "community_group", "QC", "Montréal", "ATTET", is_founding=True),
    CoalitionMemberSpec("Temporary Foreign Workers Coalition in Alberta",
                        "tfw-coalition-alberta", "coalition", "AB", is_founding=True),
    CoalitionMemberSpec("Vancouver Committee for Domestic Workers and Caregiver Rights",
                        "vcdwcr", "community_group", "BC", "Vancouver", is_founding=True),
    CoalitionMemberSpec("Caregiver Connections Education and Support Organization", "cceso",
                        "community_group", "ON", "Toronto", "CCESO"),
    CoalitionMemberSpec("Migrant Worker Solidarity Network", "mwsn-manitoba",
                        "community_group", "MB"),
    CoalitionMemberSpec("West Coast Domestic Workers' Association", "wcdwa", "legal_clinic",
                        "BC", "Vancouver", "WCDWA"),
)


# --- Alliance Ouvrière: a Québec workers' alliance -------------------------------------

AO = OrganizationSpec(
    key="ao",
    name="Alliance Ouvrière",
    slug="alliance-ouvriere",
    kind="other",
    city="Montréal",
    province="QC",
    description={
        "fr": "Formée en 2022, l'Alliance réunit des travailleuses, des travailleurs et des "
              "militants syndicaux de plusieurs secteurs. Elle place des organisateurs dans "
              "des milieux de travail stratégiques et mène des campagnes de terrain.",
        "en": "Formed in 2022, the Alliance brings together workers and union activists from "
              "many sectors. It places organizers in strategic workplaces and runs "
              "grassroots campaigns.",
    },
    chapters=(
        ChapterSpec("ao.quebec", "Québec", "ao-quebec", "province", languages=("fr",)),
        ChapterSpec("ao.montreal", "Grand Montréal", "ao-grand-montreal", "region",
                    "ao.quebec", "Montréal", ("fr", "en")),
        ChapterSpec("ao.dxt4", "Amazon DXT4 (Laval)", "ao-amazon-dxt4", "workplace",
                    "ao.montreal", "Laval", ("fr", "en", "es", "ar")),
    ),
    committees=(
        CommitteeSpec(
            "ao.public_sector", "Caucus du secteur public", "ao-caucus-secteur-public",
            {"fr": "Né de la campagne de solidarité avec le Front commun : les membres qui "
                   "travaillent dans les services publics.",
             "en": "Born of the Common Front solidarity campaign: members who work in "
                   "public services."},
        ),
        CommitteeSpec(
            "ao.dxt4_committee", "Comité d'organisation DXT4", "ao-comite-dxt4",
            {"fr": "Les militantes et militants de l'entrepôt DXT4.",
             "en": "The activists of the DXT4 warehouse."},
            chapter="ao.dxt4",
        ),
    ),
    campaigns=(
        CampaignSpec(
            slug="reforme-construction-2024",
            title={"fr": "Contre la réforme de la construction",
                   "en": "Against the construction reform"},
            summary={
                "fr": "Une loi adoptée en mai 2024 permet d'affecter des gens de métier à "
                      "des tâches hors de leur métier et retire l'obligation d'embaucher la "
                      "main-d'œuvre locale. Avec les négociations de 2025, les travailleurs "
                      "de la construction se donnent une stratégie commune.",
                "en": "A law passed in May 2024 lets employers assign tradespeople to work "
                      "outside their trade and drops the duty to hire local workers. With "
                      "bargaining due in 2025, construction workers build a shared strategy.",
            },
            demands=(
                {"fr": "Retirer les dispositions qui permettent le travail hors métier.",
                 "en": "Withdraw the provisions that allow work outside one's trade."},
                {"fr": "Rétablir la priorité d'embauche de la main-d'œuvre régionale.",
                 "en": "Restore hiring priority for workers from the region."},
            ),
            starts_on=date(2024, 6, 1),
        ),
        CampaignSpec(
            slug="syndiquer-amazon",
            title={"fr": "Syndiquer les entrepôts d'Amazon",
                   "en": "Unionize Amazon's warehouses"},
            summary={
                "fr": "En avril 2024, les militantes et militants de l'entrepôt DXT4, à "
                      "Laval, ont mené la formation du premier syndicat d'Amazon au Canada. "
                      "La campagne se poursuit dans les autres entrepôts de la région.",
                "en": "In April 2024, activists at the DXT4 warehouse in Laval led the "
                      "formation of the first Amazon union in Canada. The campaign carries "
                      "on in the other warehouses of the region.",
            },
            demands=(
                {"fr": "Une première convention collective à DXT4.",
                 "en": "A first collective agreement at DXT4."},
                {"fr": "La syndicalisation de tous les entrepôts de la région de Montréal.",
                 "en": "A union in every warehouse of the Montréal area."},
            ),
            starts_on=None,
            chapter="ao.montreal",
        ),
        CampaignSpec(
            slug="solidarite-front-commun-2023",
            title={"fr": "Solidarité avec le Front commun",
                   "en": "Solidarity with the Common Front"},
            summary={
                "fr": "En 2023, l'Alliance a appuyé les travailleuses et travailleurs du "
                      "Front commun et dénoncé les réformes du gouvernement. Les personnes "
                      "qui s'y sont jointes ont formé le caucus du secteur public.",
                "en": "In 2023 the Alliance backed Common Front workers and denounced the "
                      "government's reforms. The people it brought together formed the "
                      "public-sector caucus.",
            },
            demands=(
                {"fr": "Des services publics dignes pour celles et ceux qui les donnent.",
                 "en": "Decent public services for the people who provide them."},
            ),
            starts_on=None,
            is_active=False,
        ),
    ),
)

ORGANIZATIONS = (IWC, MSU, CMWRC, AO)
