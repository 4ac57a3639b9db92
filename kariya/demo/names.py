"""Word pools the demo generator draws from: personal names, organisation-name parts, places.

Everything here is invented material for synthetic data. Personal names are common first names
and family names of Niger and West Africa, combined at random by the generator; the
combinations that name well-known public figures are listed in ``FAMOUS`` and never produced.
Organisation names are assembled from generic French words, so they name no real organisation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    """A naming tradition: first names by sex and family names (or patronymic pattern)."""

    code: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    # Tamasheq names are often "<first> Ag <father>" (son of) / "<first> Walet <father>".
    patronymic: tuple[str, str] | None = None
    language: str = "fr"  # the staff UI language such a person would likely pick


# fmt: off
HAUSA = Culture(
    "hausa",
    male=(
        "Abdou", "Issoufou", "Moussa", "Souleymane", "Sani", "Habibou", "Lawali", "Nafiou", "Garba",
        "Illiassou", "Chaibou", "Maman", "Salissou", "Rabiou", "Yacouba", "Bachir", "Mansour",
        "Nassirou", "Zakari", "Ibrahim", "Mahaman", "Hamissou", "Sanoussi", "Laouali",
    ),
    female=(
        "Aïchatou", "Hadiza", "Rahila", "Fati", "Zeinabou", "Balkissa", "Mariama", "Hassana",
        "Saratou", "Nana", "Rakiatou", "Haoua", "Safiya", "Maimouna", "Habsatou", "Hadjara",
        "Sadia", "Nafissa", "Amina", "Halima", "Salamatou", "Rabi",
    ),
    family=(
        "Mahamane", "Garba", "Sani", "Lawali", "Abdou", "Moussa", "Maman", "Chaibou", "Ibrahim",
        "Salifou", "Saidou", "Adamou", "Maazou", "Nouhou", "Oumarou", "Habou", "Mamane", "Manzo",
        "Harouna", "Inoussa", "Rabiou", "Yahaya", "Zakari", "Hassane", "Issoufou",
    ),
)

ZARMA = Culture(
    "zarma",
    male=(
        "Boubacar", "Hama", "Seyni", "Hamani", "Djibo", "Soumana", "Kimba", "Harouna", "Idrissa",
        "Moumouni", "Oumarou", "Hassane", "Issa", "Amadou", "Abdoulaye", "Tahirou", "Halidou",
        "Adamou", "Siddo", "Mounkaïla", "Alfari", "Daouda", "Yayé",
    ),
    female=(
        "Mariama", "Aissata", "Hadjara", "Kadidjatou", "Ramatou", "Zalika", "Fatouma", "Hawa",
        "Salamatou", "Zeinabou", "Biba", "Adiza", "Hamsatou", "Mariatou", "Kadi", "Roukaya", "Safi",
        "Nafissatou",
    ),
    family=(
        "Hamani", "Djibo", "Seyni", "Soumana", "Gado", "Mounkaïla", "Halidou", "Maïga", "Garba",
        "Kimba", "Zakari", "Soumaïla", "Yacouba", "Hima", "Boubacar", "Moussa", "Alzouma",
        "Hamidou", "Idé", "Ganda", "Harouna", "Oumarou", "Issaka", "Saley",
    ),
)

FULFULDE = Culture(
    "fulfulde",
    male=(
        "Amadou", "Boubacar", "Hamidou", "Oumarou", "Souleymane", "Demba", "Sambo", "Hama",
        "Djibrilla", "Alhassane", "Mamoudou", "Bello", "Abdoulkarim", "Yero", "Samba",
    ),
    female=(
        "Aissatou", "Hawa", "Mariam", "Kadiatou", "Raki", "Diénabou", "Djeneba", "Bintou", "Oumou",
        "Hadiza", "Bilkissou", "Ramata",
    ),
    family=(
        "Diallo", "Barry", "Bah", "Sow", "Dicko", "Sidibé", "Boubé", "Sambo", "Hamadou", "Bello",
        "Djibrilla", "Ba", "Kane", "Amadou",
    ),
)

TAMASHEQ = Culture(
    "tamasheq",
    male=(
        "Mohamed", "Ahmed", "Alhousseini", "Aghali", "Attaher", "Ibrahim", "Elmoctar", "Mossa",
        "Bilal", "Alhassane", "Abdourahmane", "Issouf",
    ),
    female=(
        "Fadimata", "Tina", "Mina", "Aminatou", "Lalla", "Mariam", "Raïchatou", "Fatimata",
        "Khadija", "Zeinabou",
    ),
    family=(
        "Mohamed", "Ahmed", "Alhassane", "Attaher", "Aghali", "Elmoctar", "Ibrahim", "Alhousseini",
        "Abdoulaye", "Mossa", "Intanoua",
    ),
    patronymic=("Ag", "Walet"),
)

KANURI = Culture(
    "kanuri",
    male=(
        "Boulama", "Kiari", "Modu", "Boukar", "Abba", "Ari", "Mustapha", "Lawan", "Abatcha",
        "Ibrahim", "Kaka", "Mahamadou",
    ),
    female=("Falmata", "Yagana", "Fanna", "Kaltoumi", "Zara", "Amina", "Hadiza", "Aïssa", "Bintou"),
    family=(
        "Kiari", "Boukar", "Lawan", "Abba", "Modu", "Boulama", "Abatcha", "Mustapha", "Ari", "Goni",
        "Kolo",
    ),
)

ARABIC = Culture(
    "arabic",
    male=(
        "Mahamat", "Abdelkader", "Ali", "Hamid", "Youssouf", "Ahmat", "Idriss", "Moctar",
        "Abdallah", "Hassan", "Oumar", "Nourredine", "Khalil", "Adam",
    ),
    female=(
        "Khadija", "Fatimé", "Zahra", "Halimé", "Achta", "Mariam", "Hawaye", "Amina", "Souad",
        "Aïcha", "Naïma", "Zeinab",
    ),
    family=(
        "Abdallah", "Mahamat", "Moctar", "Hamid", "Youssouf", "Oumar", "Ahmat", "Adam", "Hassan",
        "Brahim", "Abakar", "Saleh",
    ),
)

NIGERIA = Culture(
    "nigeria",
    male=("Chinedu", "Emeka", "Oluwaseun", "Tunde", "Ikechukwu", "Babatunde", "Obinna", "Segun"),
    female=("Ngozi", "Folake", "Chioma", "Adaeze", "Funmilayo", "Yetunde", "Blessing", "Ifeoma"),
    family=(
        "Okeke", "Eze", "Adeyemi", "Balogun", "Nwosu", "Okafor", "Adebayo", "Obi", "Olawale",
        "Ogunleye", "Uche",
    ),
    language="en",
)

GHANA = Culture(
    "ghana",
    male=("Kwame", "Kofi", "Kwabena", "Yaw", "Kojo", "Kwesi"),
    female=("Akosua", "Ama", "Abena", "Efua", "Adwoa", "Esi"),
    family=("Mensah", "Boateng", "Asante", "Owusu", "Osei", "Appiah", "Agyeman", "Darko"),
    language="en",
)

SENEGAMBIA = Culture(
    "senegambia",
    male=("Mamadou", "Cheikh", "Ousmane", "Modou", "Abdoulaye", "Ibrahima", "Lamine"),
    female=("Awa", "Fatou", "Aminata", "Ndèye", "Coumba", "Khady"),
    family=("Ndiaye", "Diop", "Fall", "Sarr", "Gueye", "Faye", "Mbaye", "Ceesay", "Jallow"),
)

MALI_BURKINA = Culture(
    "mali_burkina",
    male=("Seydou", "Bakary", "Drissa", "Moussa", "Souleymane", "Adama", "Issa", "Boukary"),
    female=("Aminata", "Oumou", "Kadiatou", "Salimata", "Fatoumata", "Awa", "Mariam", "Assétou"),
    family=(
        "Traoré", "Coulibaly", "Keïta", "Diarra", "Koné", "Sanogo", "Ouédraogo", "Sawadogo",
        "Kaboré", "Zongo", "Dembélé",
    ),
)

GUINEA = Culture(
    "guinea",
    male=("Mamadi", "Sékou", "Alpha", "Mohamed", "Lansana", "Ibrahima"),
    female=("Fatoumata", "Mariama", "Hawa", "Kadiatou", "Saran", "Djénabou"),
    family=("Camara", "Sylla", "Soumah", "Touré", "Bangoura", "Condé", "Kourouma"),
)

SIERRA_LIBERIA = Culture(
    "sierra_liberia",
    male=("Abu", "Foday", "Momodu", "Sahr", "Joseph", "Emmanuel"),
    female=("Isatu", "Kadiatu", "Yeabu", "Mariatu", "Hawa", "Princess"),
    family=("Bangura", "Kamara", "Kanneh", "Conteh", "Kallon", "Sesay", "Kromah", "Koroma"),
    language="en",
)

GULF_COAST = Culture(
    "gulf_coast",
    male=("Koffi", "Konan", "Kouadio", "Codjo", "Komi", "Jean-Paul", "Serge", "Romaric"),
    female=("Adjoua", "Affoué", "Akossiwa", "Afiavi", "Christelle", "Estelle", "Nadège"),
    family=(
        "Kouassi", "Yao", "N'Guessan", "Kouamé", "Dossou", "Agbeko", "Amegah", "Mbarga",
        "Tchakounté", "Fotso", "Ahouansou", "Gbaguidi", "Adjovi",
    ),
)

# Who works where, as weights over cultures (the generator draws one per staff member).
REGION_CULTURES: dict[str, tuple[tuple[Culture, int], ...]] = {
    "niamey": ((ZARMA, 45), (HAUSA, 30), (FULFULDE, 10), (TAMASHEQ, 5), (KANURI, 5), (ARABIC, 5)),
    "tahoua": ((HAUSA, 55), (TAMASHEQ, 20), (FULFULDE, 15), (ZARMA, 5), (ARABIC, 5)),
    "agadez": (
        (TAMASHEQ, 40), (HAUSA, 35), (ARABIC, 10), (KANURI, 5), (ZARMA, 5), (FULFULDE, 5),
    ),
    "zinder": ((HAUSA, 55), (KANURI, 25), (FULFULDE, 10), (ARABIC, 5), (TAMASHEQ, 5)),
}
WEST_AFRICAN_CULTURES: tuple[tuple[Culture, int], ...] = (
    (NIGERIA, 20), (GHANA, 10), (SENEGAMBIA, 15), (MALI_BURKINA, 20), (GUINEA, 10),
    (SIERRA_LIBERIA, 5), (GULF_COAST, 20),
)

# Well-known public figures whose names the random combinations could otherwise produce.
FAMOUS = frozenset(
    {
        "mahamadou issoufou", "mohamed bazoum", "seyni kountche", "hama amadou", "mamadou tandja",
        "salou djibo", "hamani diori", "ali saibou", "mahamane ousmane", "seini oumarou",
        "moussa traore", "salif keita", "seydou keita", "blaise compaore", "sekou toure",
        "alpha conde", "abdoulaye wade", "kwame nkrumah", "kofi annan", "aminata traore",
        "rokia traore", "adama traore", "oumou sangare", "aminata toure", "moussa dadis camara",
        "amadou toumani toure", "fatoumata diawara", "ousmane sonko", "cheikh anta diop",
        "amadou hampate ba", "moussa tchangari", "ibrahim yacouba",
    }
)

# --- organisation names -------------------------------------------------------------------

REGION_LABEL = {"niamey": "Niamey", "tahoua": "Tahoua", "agadez": "Agadez", "zinder": "Zinder"}
# Old names of the regions' heartlands, used as qualifiers ("… du Damagaram").
REGION_QUALIFIER = {
    "niamey": ("du Fleuve", "de Niamey", "du Niger"),
    "tahoua": ("de l'Ader", "de Tahoua", "du Niger"),
    "agadez": ("de l'Aïr", "d'Agadez", "du Ténéré", "du Sahel"),
    "zinder": ("du Damagaram", "de Zinder", "du Sahel"),
}

NGO_HEADS = ("Action", "Alliance", "Initiative", "Centre", "Groupe", "Organisation", "Observatoire")
NGO_PURPOSES = (
    "pour la Protection", "pour la Dignité", "d'Appui Juridique", "pour l'Accueil",
    "d'Écoute et d'Assistance", "pour les Droits", "pour la Solidarité", "pour l'Insertion",
    "de Veille et d'Orientation",
)
NGO_TARGETS = (
    "des Migrants", "des Personnes en Mobilité", "des Migrants et des Réfugiés",
    "des Femmes et des Enfants", "des Personnes Vulnérables", "des Rapatriés",
    "des Personnes Déplacées",
)

ASSOCIATION_HEADS = ("Association", "Association", "Association", "Collectif", "Mouvement")
ASSOCIATION_MEMBERS = ("des Jeunes", "Citoyenne", "des Volontaires", "des Femmes")
# Hausa words often found in association names: help, solidarity, light, kindness, unity.
ASSOCIATION_WORDS = ("Taimako", "Zumunci", "Haske", "Alheri", "Hadin Kai", "Tallafi")
ASSOCIATION_PURPOSES = (
    "pour l'Entraide", "pour la Migration Sûre", "pour la Paix et le Développement",
    "pour la Promotion des Droits Humains", "pour le Bien-Être Familial",
    "contre la Traite des Personnes", "pour l'Accueil des Voyageurs",
)

DIASPORA_HEADS = ("Union", "Conseil", "Maison", "Fédération")
DIASPORA_BODIES = (
    "des Communautés Ouest-Africaines", "des Ressortissants de l'Afrique de l'Ouest",
    "des Diasporas Africaines", "des Travailleurs Migrants Africains",
)

UNION_HEADS = ("Syndicat Autonome", "Syndicat Libre", "Fédération Syndicale")
UNION_SECTORS = (
    "des Travailleurs Migrants", "des Travailleurs de l'Économie Informelle",
    "des Transporteurs et Convoyeurs", "des Travailleurs Domestiques",
    "des Travailleurs des Mines et Carrières",
)

PUBLIC_NAMES = (
    "Service Régional de l'Enfance et de la Famille",
    "Service Régional d'Action Sociale et de Protection de l'Enfant",
    "Bureau Régional de Protection de l'Enfance",
)

INGO_NAMES = (
    "Passerelles Humanitaires", "Horizons Solidaires", "Chemins de Dignité", "Caravane Solidaire",
    "Escales Humanitaires", "Boussole Humanitaire", "Passerelles de Dignité", "Escales Solidaires",
)

COMMUNITY_HEADS = ("Comité Communautaire de Veille", "Comité de Vigilance Citoyenne")

# Acronyms of real bodies of this field, which a random set of initials must not repeat.
RESERVED_ACRONYMS = frozenset(
    {
        "REMIDDH", "CCEN", "USTN", "LTHP", "JMED", "ANLTP", "OIM", "IOM", "HCR", "UNHCR", "MSF",
        "CNDH", "APS", "CISP", "COOPI", "SOS", "TDH", "CRS", "IRC", "NRC", "DRC", "MDM", "ACF",
        "ONU", "UE", "EU", "ONG", "CICR", "ICRC", "UNICEF", "PAM", "WFP",
    }
)

ACTIVITIES: dict[str, tuple[str, ...]] = {
    "protection": (
        "accueil, écoute et orientation des migrants en transit",
        "assistance médicale et psychosociale des personnes expulsées",
        "hébergement d'urgence et distribution de kits d'hygiène",
        "prise en charge des enfants non accompagnés et séparés",
        "accompagnement des femmes victimes de violences",
    ),
    "rights": (
        "information sur les droits et accompagnement juridique",
        "documentation des violations des droits des migrants",
        "aide à l'obtention de documents d'état civil", "plaidoyer auprès des autorités locales",
    ),
    "livelihoods": (
        "formation professionnelle et appui aux activités génératrices de revenus",
        "orientation vers l'emploi et la mobilité régulière", "médiation avec les employeurs",
    ),
    "awareness": (
        "sensibilisation aux dangers de la migration irrégulière",
        "causeries communautaires et émissions de radio",
        "information des familles des candidats au départ",
    ),
}

# --- places -------------------------------------------------------------------------------

# Communes (OCHA P-codes) of each region where the generator puts offices.
CITY_COMMUNES: dict[str, tuple[str, ...]] = {
    "niamey": ("NE008001001", "NE008001002", "NE008001003", "NE008001004", "NE008001005"),
    "agadez": ("NE001006001",),
    "tahoua": ("NE005013001", "NE005013002"),
    "zinder": ("NE007011001", "NE007011002", "NE007011003", "NE007011004", "NE007011005"),
}
# Towns on the routes and at the borders, for help desks and community groups.
FIELD_COMMUNES: dict[str, tuple[str, ...]] = {
    "niamey": (),
    "agadez": ("NE001002001", "NE001003002", "NE001003001"),  # Arlit, Dirkou, Bilma
    "tahoua": ("NE005003003", "NE005007004", "NE005011002"),  # Birni N'Konni, Madaoua, Tchinta.
    "zinder": ("NE007006004", "NE007005001", "NE007005007"),  # Magaria, Dan Barto, Matamey
}
QUARTERS: dict[str, tuple[str, ...]] = {
    "niamey": (
        "Plateau", "Yantala", "Lazaret", "Koira Kano", "Dar Es Salam", "Terminus", "Kalley",
        "Boukoki", "Talladjé", "Gamkallé", "Harobanda", "Saga", "Banifandou", "Recasement",
    ),
    "agadez": ("Dagmanet", "Obitara", "Sabon Gari", "Pays-Bas", "Katanga", "Aggar", "Amdit"),
    "tahoua": ("Sabon Gari", "Kollia", "Nassarawa", "Zongo"),
    "zinder": ("Birni", "Zengou", "Kara-Kara", "Garin Malam", "Sabon Gari"),
    "field": ("Centre-ville", "Sabon Gari", "Zongo", "Nassarawa"),
}
LANDMARKS = (
    "près de la gare routière", "face au marché central", "derrière le lycée",
    "à côté du centre de santé intégré", "près de la grande mosquée", "face à la mairie",
    "près du château d'eau", "sur la route de l'aéroport", "à côté de l'école primaire",
)
# fmt: on
# fmt: off

# --- people registered by the organisations -----------------------------------------------

# Nationalities of the people met, as weights (ISO 3166-1 alpha-3), and the naming traditions
# of each (weights again): northern Nigerians are often Hausa or Kanuri, Malians Tamasheq or
# Fulani, Cameroonians from the north Fulani or Arabic-speaking…
NATIONALITIES: tuple[tuple[str, int], ...] = (
    ("NER", 34), ("NGA", 14), ("MLI", 9), ("GIN", 8), ("CIV", 6), ("BFA", 6), ("SEN", 5),
    ("CMR", 5), ("SDN", 4), ("TCD", 3), ("GHA", 2), ("GMB", 2), ("SLE", 1), ("BEN", 1),
)
NATIONALITY_CULTURES: dict[str, tuple[tuple[Culture, int], ...]] = {
    "NGA": ((HAUSA, 45), (NIGERIA, 40), (KANURI, 15)),
    "MLI": ((MALI_BURKINA, 55), (TAMASHEQ, 20), (FULFULDE, 25)),
    "GIN": ((GUINEA, 60), (FULFULDE, 40)),
    "CIV": ((GULF_COAST, 60), (MALI_BURKINA, 40)),
    "BFA": ((MALI_BURKINA, 80), (FULFULDE, 20)),
    "SEN": ((SENEGAMBIA, 85), (FULFULDE, 15)),
    "GMB": ((SENEGAMBIA, 100),),
    "CMR": ((GULF_COAST, 50), (FULFULDE, 30), (ARABIC, 20)),
    "SDN": ((ARABIC, 100),),
    "TCD": ((ARABIC, 70), (KANURI, 30)),
    "GHA": ((GHANA, 100),),
    "SLE": ((SIERRA_LIBERIA, 100),),
    "BEN": ((GULF_COAST, 100),),
}
# Language codes (code list "language") a person of each tradition speaks, the first preferred.
CULTURE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "hausa": ("hau", "fra"), "zarma": ("dje", "hau"), "fulfulde": ("fuh", "hau"),
    "tamasheq": ("ttq", "ara"), "kanuri": ("knc", "hau"), "arabic": ("ara",),
    "nigeria": ("eng", "hau"), "ghana": ("eng",), "senegambia": ("wol", "fra"),
    "mali_burkina": ("bam", "fra"), "guinea": ("fuf", "fra"), "sierra_liberia": ("eng",),
    "gulf_coast": ("fra",),
}
# Other ways the same name is written on papers, by registrars and by the person.
SPELLINGS: dict[str, tuple[str, ...]] = {
    "Moussa": ("Mousa", "Musa"), "Abdoulaye": ("Abdullahi", "Abdoulahi"),
    "Mohamed": ("Mohammed", "Muhammad"), "Mahamadou": ("Mahamadu", "Muhammadu"),
    "Ibrahim": ("Ibrahima", "Brahim"), "Oumarou": ("Umaru", "Oumar"), "Oumar": ("Umar",),
    "Issoufou": ("Yusuf", "Issouf"), "Amadou": ("Ahmadu", "Hamadou"),
    "Souleymane": ("Suleiman", "Sulemana"), "Boubacar": ("Abubakar", "Boubakar"),
    "Idrissa": ("Idris", "Idriss"), "Yacouba": ("Yakubu", "Yacoub"), "Hassane": ("Hassan",),
    "Harouna": ("Haruna",), "Adamou": ("Adamu",), "Garba": ("Garaba",), "Sani": ("Saani",),
    "Mariama": ("Mariam", "Maryam"), "Aïchatou": ("Aisha", "Aïssatou"), "Hadiza": ("Khadija",),
    "Zeinabou": ("Zeinab", "Zainab"), "Fatouma": ("Fatima", "Fatoumata"), "Hawa": ("Awa",),
    "Ousmane": ("Usman", "Ousman"), "Mamadou": ("Mamadu",), "Seydou": ("Saidu",),
    "Alhassane": ("Al Hassan", "Alassane"), "Djibo": ("Jibo",), "Kadidjatou": ("Kadijatu",),
    "Diallo": ("Jallo",), "Traoré": ("Traore",), "Coulibaly": ("Kulibali",),
    "Ouédraogo": ("Ouedraogo",), "Keïta": ("Keita",), "Mahamane": ("Mahaman",),
    "Abdou": ("Abdu",), "Yahaya": ("Yahaya", "Yahia"), "Zakari": ("Zakariya", "Zakaria"),
    "Chaibou": ("Shaibu",), "Maïga": ("Maiga",), "Oumou": ("Umu",), "Aminata": ("Aminatou",),
}
# Nicknames and names used on the route (a person may give only one of these at first).
ALIASES = (
    "Baba", "Tanko", "Dan Kano", "Alhaji", "Mai Gari", "Petit", "Le Vieux", "Yaro", "Bouba",
    "Doctor", "Chairman", "Maman Sani", "Tonton", "Big", "Ladan", "Malam", "Goni",
)
# Home towns by country, for the migration profile.
ORIGIN_PLACES: dict[str, tuple[str, ...]] = {
    "NER": ("Tahoua", "Zinder", "Maradi", "Tillabéri", "Birni N'Konni", "Kantché", "Illéla",
            "Keita", "Tessaoua", "Dosso", "Diffa", "Filingué"),
    "NGA": ("Kano", "Katsina", "Sokoto", "Maiduguri", "Benin City", "Lagos", "Kaduna", "Zaria"),
    "MLI": ("Gao", "Kayes", "Bamako", "Mopti", "Ségou", "Tombouctou", "Kidal"),
    "GIN": ("Conakry", "Kankan", "Labé", "Kindia", "Mamou", "Siguiri"),
    "CIV": ("Abidjan", "Daloa", "Bouaké", "San-Pédro", "Man"),
    "BFA": ("Ouagadougou", "Bobo-Dioulasso", "Kaya", "Ouahigouya", "Fada N'Gourma"),
    "SEN": ("Kolda", "Tambacounda", "Dakar", "Ziguinchor", "Kaolack"),
    "CMR": ("Douala", "Yaoundé", "Maroua", "Garoua", "Bafoussam"),
    "SDN": ("Geneina", "Nyala", "El Fasher", "Khartoum"),
    "TCD": ("Abéché", "N'Djamena", "Mao", "Bol"),
    "GHA": ("Kumasi", "Accra", "Tamale"),
    "GMB": ("Serekunda", "Brikama", "Banjul"),
    "SLE": ("Freetown", "Bo", "Kenema"),
    "BEN": ("Cotonou", "Parakou", "Djougou"),
}
# fmt: on
