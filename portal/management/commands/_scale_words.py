"""The words ``seed_scale`` builds its names and texts from: French poles, organisations,
projects and products as people write them. (A module of ``commands`` whose name starts with
an underscore is not a command.)"""

# Sectors a pole is about, with the themes (domaines d'activité stratégiques) it could have.
SECTORS = {
    "Aéronautique": ["Aérostructures", "Systèmes embarqués", "Propulsion", "Maintenance aéronautique", "Drones"],
    "Mobilité": ["Véhicule électrique", "Mobilité urbaine", "Ferroviaire", "Logistique du dernier kilomètre", "Batteries"],
    "Santé": ["Dispositifs médicaux", "Biothérapies", "E-santé", "Imagerie médicale", "Diagnostic"],
    "Numérique": ["Intelligence artificielle", "Cybersécurité", "Internet des objets", "Calcul haute performance", "Jumeaux numériques"],
    "Énergie": ["Hydrogène", "Photovoltaïque", "Réseaux intelligents", "Stockage de l'énergie", "Éolien en mer"],
    "Agroalimentaire": ["Ingrédients", "Procédés alimentaires", "Emballages", "Nutrition", "Agriculture de précision"],
    "Matériaux": ["Composites", "Métallurgie", "Céramiques techniques", "Traitements de surface", "Fabrication additive"],
    "Chimie": ["Chimie verte", "Polymères", "Formulation", "Biosourcés", "Catalyse"],
    "Photonique": ["Lasers", "Optique de précision", "Capteurs optiques", "Imagerie", "Fibres optiques"],
    "Mer": ["Naval", "Énergies marines", "Biotechnologies marines", "Ports", "Pêche durable"],
    "Eau": ["Traitement de l'eau", "Réseaux d'eau", "Gestion des risques", "Irrigation", "Dépollution"],
    "Bois": ["Construction bois", "Ameublement", "Papier et cartons", "Bioénergie", "Sylviculture"],
    "Textile": ["Textiles techniques", "Mode durable", "Recyclage textile", "Textiles connectés", "Non-tissés"],
    "Cosmétique": ["Actifs naturels", "Parfumerie", "Packaging cosmétique", "Formulation cosmétique", "Évaluation"],
    "Robotique": ["Cobotique", "Vision industrielle", "Robotique mobile", "Usine du futur", "Maintenance prédictive"],
    "Microélectronique": ["Semi-conducteurs", "Électronique de puissance", "Microsystèmes", "Radiofréquence", "Conception de circuits"],
    "Nucléaire": ["Démantèlement", "Instrumentation", "Sûreté", "Combustibles", "Radioprotection"],
    "Biotechnologies": ["Bioproduction", "Génomique", "Microbiote", "Biomatériaux", "Bio-informatique"],
    "Plasturgie": ["Injection", "Recyclage des plastiques", "Moules et outillages", "Extrusion", "Éco-conception"],
    "Bâtiment": ["Efficacité énergétique", "Matériaux biosourcés", "Rénovation", "Maquette numérique", "Ville durable"],
}  # fmt: skip

# Cities of each French region, where organisations are.
CITIES = {
    "ARA": ["Lyon", "Grenoble", "Saint-Étienne", "Clermont-Ferrand", "Annecy", "Valence", "Roanne", "Chambéry"],
    "BFC": ["Dijon", "Besançon", "Belfort", "Montbéliard", "Chalon-sur-Saône", "Nevers"],
    "BRE": ["Rennes", "Brest", "Lorient", "Vannes", "Saint-Brieuc", "Lannion", "Quimper"],
    "CVL": ["Orléans", "Tours", "Bourges", "Chartres", "Blois"],
    "COR": ["Ajaccio", "Bastia", "Corte"],
    "GES": ["Strasbourg", "Nancy", "Metz", "Reims", "Mulhouse", "Troyes", "Épinal"],
    "HDF": ["Lille", "Amiens", "Valenciennes", "Dunkerque", "Compiègne", "Roubaix", "Arras"],
    "IDF": ["Paris", "Saclay", "Versailles", "Créteil", "Évry-Courcouronnes", "Marne-la-Vallée", "Cergy"],
    "NOR": ["Rouen", "Caen", "Le Havre", "Cherbourg-en-Cotentin", "Évreux"],
    "NAQ": ["Bordeaux", "Limoges", "Poitiers", "Pau", "La Rochelle", "Angoulême", "Bayonne"],
    "OCC": ["Toulouse", "Montpellier", "Nîmes", "Perpignan", "Albi", "Tarbes", "Rodez"],
    "PDL": ["Nantes", "Angers", "Le Mans", "Saint-Nazaire", "Laval", "La Roche-sur-Yon", "Cholet"],
    "PAC": ["Marseille", "Nice", "Toulon", "Aix-en-Provence", "Avignon", "Sophia Antipolis", "Gap"],
    "GUA": ["Pointe-à-Pitre", "Baie-Mahault"],
    "MTQ": ["Fort-de-France", "Le Lamentin"],
    "GUF": ["Cayenne", "Kourou"],
    "REU": ["Saint-Denis", "Saint-Pierre", "Le Port"],
    "MAY": ["Mamoudzou"],
}  # fmt: skip
# How often a region holds a pole or an organisation: where French R&D is.
REGION_WEIGHTS = {
    "ARA": 14, "BFC": 4, "BRE": 6, "CVL": 3, "COR": 1, "GES": 6, "HDF": 6, "IDF": 20,
    "NOR": 4, "NAQ": 8, "OCC": 10, "PDL": 7, "PAC": 8, "GUA": 1, "MTQ": 1, "GUF": 1, "REU": 1,
}  # fmt: skip
FOREIGN = {  # country: how its VAT number is written after the country code (digits)
    "DE": 9, "IT": 11, "ES": 9, "BE": 10, "NL": 12, "CH": 9, "PT": 9, "AT": 9,
}  # fmt: skip
FOREIGN_CITIES = {
    "DE": ["München", "Stuttgart", "Aachen", "Dresden"], "IT": ["Torino", "Milano", "Bologna"],
    "ES": ["Barcelona", "Madrid", "Bilbao"], "BE": ["Leuven", "Liège", "Gent"],
    "NL": ["Eindhoven", "Delft"], "CH": ["Lausanne", "Zürich", "Genève"],
    "PT": ["Porto", "Lisboa"], "AT": ["Graz", "Linz"],
}  # fmt: skip
FOREIGN_FORMS = {"DE": "GmbH", "IT": "S.r.l.", "ES": "S.L.", "BE": "NV", "NL": "B.V.",
                 "CH": "AG", "PT": "Lda", "AT": "GmbH"}  # fmt: skip

POLE_PREFIXES = ["Pôle", "Pôle", "Pôle", "Cluster", "Pôle d'excellence"]

# Organisations' names: a company is a root and an ending; labs, schools and public bodies
# are named after their discipline and their city.
NAME_ROOTS = [
    "Techno", "Méca", "Plasti", "Opti", "Hydro", "Therm", "Compo", "Électro", "Nano", "Bio",
    "Agro", "Cyber", "Robo", "Data", "Aéro", "Navi", "Métal", "Verre", "Lumi", "Texi",
    "Cristal", "Fluid", "Solar", "Terra", "Aqua", "Phyto", "Géo", "Ionis", "Magné", "Volt",
    "Céram", "Poly", "Micro", "Alti", "Vecto", "Axe", "Ondu", "Pixa", "Quant", "Sensi",
]  # fmt: skip
NAME_ENDINGS = [
    "tech", "plast", "sys", "lab", "form", "tronic", "méca", "vision", "logic", "flux",
    "med", "pack", "soft", "grid", "line", "concept", "process", "industrie", "design",
    "innov", "motion", "fab", "sense", "cell", "matériaux", "énergie", "robotics", "dyn",
]  # fmt: skip
COMPANY_FORMS = {"micro": ["SAS", "SARL", "SASU"], "sme": ["SAS", "SARL", "SA"],
                 "midcap": ["SA", "SAS"], "large": ["SA", "SE", "SAS"]}  # fmt: skip
LARGE_SUFFIXES = ["Industries", "Groupe", "International", "Systems", "France"]
DISCIPLINES = [
    "Mécanique", "Matériaux", "Chimie", "Physique", "Informatique", "Génie électrique",
    "Génie des procédés", "Optique", "Biologie", "Automatique", "Mathématiques appliquées",
    "Énergétique", "Agronomie", "Sciences de la mer", "Microélectronique", "Génie civil",
]  # fmt: skip
RESEARCH_PATTERNS = [
    "Laboratoire de {discipline} de {city} (UMR {number})",
    "Institut de recherche en {discipline} de {city}",
    "Centre de recherche en {discipline} — {city} (UPR {number})",
    "Laboratoire commun {discipline} {city} ({number})",
]
SCHOOL_PATTERNS = [
    "École nationale supérieure d'ingénieurs de {city}",
    "Université de {city} — faculté des sciences ({number})",
    "École d'ingénieurs en {discipline} de {city}",
    "Institut universitaire de technologie de {city} ({number})",
]
PUBLIC_PATTERNS = [
    "Communauté d'agglomération de {city}",
    "Centre technique de {discipline} de {city}",
    "Agence de développement économique de {city}",
    "Centre hospitalier universitaire de {city} ({number})",
]
OTHER_PATTERNS = [
    "Association {discipline} {city}",
    "Plateforme technologique {discipline} de {city}",
    "Fondation pour l'innovation en {discipline} ({number})",
]

NAF_CODES = {
    "micro": ["62.01Z", "71.12B", "72.19Z", "26.51B", "28.99B", "74.10Z"],
    "sme": ["22.29A", "25.62B", "26.11Z", "28.29B", "62.01Z", "71.12B", "72.19Z", "20.59Z",
            "27.90Z", "33.20C", "10.89Z", "13.96Z", "25.61Z"],
    "midcap": ["22.29A", "28.29B", "29.32Z", "30.30Z", "20.16Z", "26.30Z", "27.12Z", "21.20Z"],
    "large": ["29.10Z", "30.30Z", "20.14Z", "35.11Z", "21.20Z", "26.11Z", "24.10Z"],
    "research": ["72.19Z", "72.11Z"],
    "school": ["85.42Z"],
    "public": ["84.13Z", "86.10Z", "71.20B"],
    "other": ["94.99Z", "72.19Z"],
}  # fmt: skip
HEADCOUNTS = {
    "micro": (1, 9), "sme": (10, 249), "midcap": (250, 4999), "large": (5000, 60000),
    "research": (20, 600), "school": (150, 4000), "public": (20, 2000), "other": (2, 40),
}  # fmt: skip
# Turnover per head, in euros (companies only).
TURNOVER_PER_HEAD = (90_000, 260_000)

COMPETENCES = [
    "conception mécanique", "simulation numérique", "essais et caractérisation", "prototypage rapide",
    "intégration de systèmes", "traitement du signal", "apprentissage automatique", "électronique embarquée",
    "chimie analytique", "formulation", "procédés de mise en forme", "contrôle non destructif",
    "industrialisation", "logiciel temps réel", "biologie moléculaire", "analyse du cycle de vie",
    "métrologie", "fabrication additive", "revêtements fonctionnels", "vision par ordinateur",
]  # fmt: skip
DESCRIPTIONS = [
    "{name} conçoit et fabrique des solutions de {theme} pour l'industrie.",
    "{name} accompagne ses clients de l'idée au produit industrialisé, en {theme}.",
    "Spécialiste de {theme}, {name} travaille avec les grands donneurs d'ordre européens.",
    "{name} développe des technologies de {theme} issues de dix ans de recherche.",
]

# Projects
ACRONYM_ROOTS = [
    "HYDRO", "THERMO", "NANO", "BIO", "CYBER", "AERO", "AGRO", "PHOTO", "ROBO", "ECO",
    "MICRO", "OPTI", "SMART", "GREEN", "CARBO", "POLY", "NEURO", "AQUA", "SOL", "VOLT",
    "META", "GEO", "LUMI", "FLEX", "CERA", "MAG", "SENS", "TERRA", "NAV", "QUANT",
]  # fmt: skip
ACRONYM_ENDINGS = [
    "COMP", "MOB", "CELL", "FAB", "SENS", "LOG", "TEX", "MAT", "PACK", "GRID", "LINK",
    "TWIN", "BOT", "CAST", "LIGHT", "WAVE", "FLOW", "CHAIN", "STORE", "CARE", "PRINT",
    "SHIELD", "CYCLE", "FOIL", "MIND", "TRACK",
]  # fmt: skip
TITLE_PATTERNS = [
    "{Verb} {object} pour {use}",
    "{Verb} de nouvelles générations de {object} pour {use}",
    "Démonstrateur de {object} à l'échelle industrielle pour {use}",
    "{object_cap} éco-conçus pour {use}",
]
VERBS = ["Développer", "Industrialiser", "Concevoir", "Qualifier", "Valider", "Produire"]
OBJECTS = [
    "capteurs intelligents", "composites recyclables", "piles à combustible", "jumeaux numériques",
    "revêtements sans chrome", "robots collaboratifs", "batteries de seconde vie",
    "procédés de fabrication additive", "emballages biosourcés", "systèmes de vision embarqués",
    "matériaux à changement de phase", "algorithmes de maintenance prédictive",
    "membranes de filtration", "dispositifs de diagnostic rapide", "électroniques de puissance",
]  # fmt: skip
USES = [
    "la mobilité décarbonée", "l'industrie du futur", "la santé connectée", "les réseaux d'énergie",
    "l'agriculture de précision", "le bâtiment basse consommation", "l'aéronautique civile",
    "la filière navale", "les sites industriels à risque", "l'économie circulaire",
    "les territoires ruraux", "la logistique urbaine",
]  # fmt: skip
SUMMARIES = [
    "Le projet {acronym} vise à {verb} des {object} pour {use}, avec un consortium de {n} partenaires.",
    "{acronym} réunit industriels et laboratoires pour lever les verrous des {object} et les amener sur le marché de {use}.",
    "Avec {acronym}, {n} partenaires porteront des {object} du laboratoire au démonstrateur pour {use}.",
]  # fmt: skip
DESCRIPTION_PARAGRAPHS = [
    "Lot 1 : spécifications et état de l'art. Lot 2 : développement des briques technologiques. "
    "Lot 3 : intégration et démonstrateur. Lot 4 : valorisation et plan d'exploitation.",
    "Le verrou principal tient au coût de production : l'objectif est de le diviser par deux "
    "tout en garantissant la durabilité et la recyclabilité.",
    "Les essais seront conduits sur le site pilote du coordinateur ; les laboratoires apportent "
    "la modélisation et la caractérisation des matériaux.",
    "La propriété intellectuelle sera régie par un accord de consortium signé avant le démarrage ; "
    "les résultats seront exploités en priorité par les PME du consortium.",
]  # fmt: skip

# Market launches
PRODUCT_ROOTS = ["Hydra", "Opti", "Nova", "Flexi", "Terra", "Lumen", "Vecta", "Axio", "Zéphyr", "Orion",
                 "Atlas", "Kéra", "Sirius", "Alto", "Quanta", "Vela"]  # fmt: skip
PRODUCT_ENDINGS = [
    "Sense",
    "Cell",
    "Pack",
    "Print",
    "Guard",
    "Flow",
    "Bot",
    "Scan",
    "Grid",
    "Care",
    "Line",
]
LAUNCH_DESCRIPTIONS = [
    "Premier produit issu du démonstrateur du projet, vendu aux industriels de la filière.",
    "Service de suivi à distance fondé sur les algorithmes développés pendant le projet.",
    "Procédé breveté pendant le projet, déployé sur la ligne de production du partenaire.",
    "Licence d'exploitation concédée à un industriel pour les marchés européens.",
]
MARKETS = ["DE", "IT", "ES", "BE", "NL", "GB", "US", "CH", "PL", "SE", "CA", "JP", "CN", "MA"]

# Funders the demo does not have, by category: (name, kind, category, programmes) where a
# programme is (name, instrument, description).
PRIVATE_FUNDERS = [
    ("Alpes Innovation Capital", "vc", [("Série A", "equity")]),
    ("Ouest Deeptech Ventures", "vc", [("Amorçage deeptech", "equity"), ("Série A", "equity")]),
    ("Atlantique Capital Développement", "vc", [("Capital-développement", "equity")]),
    ("Sud Industrie Ventures", "vc", [("Amorçage industriel", "equity")]),
    ("Paris Saclay Seed Fund", "vc", [("Amorçage", "equity")]),
    ("Nord Croissance Partenaires", "vc", [("Série A", "equity")]),
    ("Business Angels des Grandes Écoles", "angels", [("Tour d'amorçage", "equity")]),
    ("Réseau Entreprendre Industrie", "angels", [("Prêt d'honneur", "loan")]),
    ("Banque Régionale d'Investissement", "bank", [("Prêt innovation", "loan")]),
    ("Caisse Coopérative des Entreprises", "bank", [("Prêt participatif", "loan")]),
    ("Crédit Industriel de l'Ouest", "bank", [("Prêt innovation", "loan")]),
    ("Fondation pour la Recherche Industrielle", "foundation", [("Bourse de recherche", "grant")]),
    ("Fondation Santé Innovation", "foundation", [("Appel à projets santé", "grant")]),
    ("Groupe Industriel Partenaire", "corporate", [("Programme open innovation", "grant")]),
    ("Énergies Nouvelles Corporate Ventures", "corporate", [("Investissement stratégique", "equity")]),
    ("Innov'Crowd", "crowdfunding", [("Campagne de financement participatif", "equity")]),
]  # fmt: skip
REGION_PROGRAMMES = [
    ("Programme régional d'innovation collaborative", "grant",
     "Aide régionale aux projets collaboratifs labellisés par un pôle."),
    ("Avance remboursable innovation", "repayable_advance",
     "Avance régionale remboursable en cas de succès commercial."),
]  # fmt: skip
FEDER_PROGRAMME = ("FEDER — Recherche et innovation", "grant",
                   "Fonds européen de développement régional, programme 2021-2027.")  # fmt: skip
INVESTORS = [
    "Alpes Innovation Capital (chef de file), business angels",
    "Ouest Deeptech Ventures, Bpifrance (French Tech Seed)",
    "Fonds régional d'investissement, family office",
    "Sud Industrie Ventures et un industriel du secteur",
    "Campagne de financement participatif (1 200 contributeurs)",
    "Banque Régionale d'Investissement",
]
REVIEW_COMMENTS = [
    "Merci de justifier les emplois créés et de préciser le chiffre d'affaires attendu.",
    "Les brevets déposés ne figurent pas dans le récit : merci de les décrire.",
    "Le chiffre d'affaires à l'export semble élevé : merci de le vérifier.",
]
NARRATIVES = [
    "Le démonstrateur a été validé chez l'utilisateur final ; un premier produit est en vente "
    "et deux emplois ont été créés chez le coordinateur.",
    "Les résultats ont donné lieu à un brevet et à trois publications ; l'industrialisation "
    "se poursuit avec un financement complémentaire.",
    "Le projet se termine ; les partenaires préparent la mise sur le marché et un second "
    "projet collaboratif pour aller plus loin.",
]

# More names than the demo's, so that fifty thousand people are not all namesakes.
MORE_FIRST_NAMES = [
    "Alice", "Hugo", "Léa", "Louis", "Emma", "Gabriel", "Jade", "Raphaël", "Louise", "Arthur",
    "Zoé", "Jules", "Sarah", "Adam", "Clara", "Paul", "Anna", "Maxime", "Juliette", "Alexandre",
    "Mathilde", "Julien", "Charlotte", "Baptiste", "Héloïse", "Quentin", "Noémie", "Florian",
    "Justine", "Kévin", "Amandine", "Mehdi", "Yasmine", "Karim", "Nadia", "Samir", "Leïla",
    "Tristan", "Solène", "Erwan", "Maëlle", "Loïc", "Anaïs", "Bastien", "Clémence", "Dorian",
    "Estelle", "Franck", "Gwenaëlle", "Hervé", "Ingrid", "Joël", "Karine", "Laurent", "Muriel",
    "Nathan", "Odile", "Pascal", "Rémi", "Sylvie",
]  # fmt: skip
MORE_LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Michel", "Garcia", "David", "Bertrand", "Roussel", "Vincent",
    "Fournier", "Morin", "Andre", "Henry", "Muller", "Lefebvre", "Legrand", "Perrin", "Clement",
    "Dupont", "Marchand", "Dumont", "Leclerc", "Benoit", "Arnaud", "Marie", "Nicolas", "Brunet",
    "Schmitt", "Roy", "Rousseau", "Noël", "Hamon", "Le Gall", "Kerjean", "Tanguy", "Benali",
    "Haddad", "Nguyen", "Da Silva", "Ferreira", "Rossi", "Lopez", "Martinez", "Weber", "Klein",
    "Jacob", "Aubert", "Hoarau", "Payet", "Grondin", "Baptiste",
]  # fmt: skip
