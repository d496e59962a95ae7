"""Seed a demo installation: two poles, their members, twenty-one projects in every state of
the lifecycle, their funding, and one account per role of DESIGN.md (password ``demo``).
Each pole has three labelling committee sessions (a past one that decided projects, the next
one with the projects awaiting a decision on its agenda, a later one still empty); experts
have given opinions; running projects have milestones and deliverables, some done, some
overdue; documents are uploaded to the storage (``MEDIA_ROOT``); an invitation is pending;
projects have launched products with their revenue by year; Véga's reporting campaign for
last year has a report in every state (the leader has one to fill, the member their
partner's figures, the staff one to review); people find their notifications, the old ones
read.

Everything goes through the domain services, exactly as the application does it (never a
permission row by hand); only dates are backdated afterwards so the history reads true.
Deterministic: the same random seed, dates relative to the current month. The e-mails the
services send go to the in-memory mailer: nothing is printed nor sent.
"""

import random
import re
import struct
import textwrap
import time
import unicodedata
import zlib
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, F, Max
from django.test import override_settings
from django.utils import timezone

from funding import services as funding_services
from funding.models import Disbursement, Funder, FundingLine, PrivateRound, Programme, Repayment
from outcomes import services as outcome_services
from outcomes.models import Campaign, LaunchRevenue, MarketLaunch, OutcomeReport, PartnerFigures
from portal import matchmaking, two_factor
from portal import services as portal_services
from portal.figures import with_balance
from portal.models import (
    Affiliation,
    FeeCall,
    FeeSchedule,
    Membership,
    MembershipApplication,
    Notification,
    Organisation,
    Person,
    Pole,
    Post,
    Theme,
)
from portal.validators import LA_POSTE_SIREN, luhn_valid
from projects import services as project_services
from projects.models import (
    CommitteeSession,
    Contact,
    Document,
    ExpertAssignment,
    Invitation,
    Milestone,
    Partner,
    Project,
    State,
    StateChange,
    Submission,
)

DEMO_PASSWORD = "demo"
LOCMEM_MAILER = "django.core.mail.backends.locmem.EmailBackend"
SEED = 2026

# key, e-mail, first name, last name, what the account is for (shown in the summary)
ACCOUNTS = [
    ("staff", "staff@demo.example", "Sophie", "Marchand", "pole staff, Pôle Véga"),
    ("staff2", "staff2@demo.example", "Yann", "Le Goff", "pole staff, Cluster Atlantique"),
    ("leader", "leader@demo.example", "Julien", "Bertrand", "coordinator contact, SME admin"),
    ("member", "member@demo.example", "Amélie", "Roussel", "partner contact for a lab"),
    ("funder", "funder@demo.example", "Karim", "Benali", "reviewer for Bpifrance"),
    ("expert", "expert@demo.example", "Hélène", "Fabre", "expert on one submitted project"),
    ("outsider", "outsider@demo.example", "Lucas", "Perrin", "directory and public summaries"),
    ("admin", "admin@demo.example", "Claire", "Dubois", "platform admin (superuser)"),
]
STAFF_EMAIL = "staff@demo.example"

POLES = {
    "vega": {
        "name": "Pôle Véga — Mobilité et Matériaux du Futur",
        "short_name": "Véga",
        "kind": Pole.Kind.COMPETITIVENESS,
        "regions": ["ARA", "BFC"],
        "label_start": date(2023, 1, 1),
        "label_end": date(2026, 12, 31),
        "strategy": (
            "Feuille de route 2023-2027 : faire de l'axe Auvergne-Rhône-Alpes – "
            "Bourgogne-Franche-Comté un territoire de référence pour les matériaux et la "
            "mobilité bas carbone. Quatre priorités : alléger les véhicules grâce aux "
            "composites et aux alliages recyclés ; déployer l'hydrogène dans les mobilités "
            "lourdes et la logistique ; numériser les usines des PME et ETI du territoire ; "
            "boucler les cycles de matière de la plasturgie et de la métallurgie. Objectif : "
            "120 projets labellisés et 250 M€ de financements mobilisés sur la période."
        ),
        "themes": [
            "Matériaux composites",
            "Mobilité décarbonée",
            "Industrie 4.0",
            "Hydrogène",
            "Recyclage et économie circulaire",
        ],
        "staff": ("staff", "Chargée de mission projets collaboratifs"),
        "committee": "Comité de labellisation Véga",
    },
    "atlantique": {
        "name": "Cluster Atlantique Numérique",
        "short_name": "Atlantique Numérique",
        "kind": Pole.Kind.CLUSTER,
        "regions": ["BRE", "PDL"],
        "label_start": None,
        "label_end": None,
        "strategy": (
            "Accompagner la transformation numérique des industries maritimes et "
            "manufacturières de l'Ouest : capteurs, intelligence artificielle embarquée, "
            "cybersécurité des systèmes industriels et jumeaux numériques."
        ),
        "themes": [
            "Numérique maritime",
            "Intelligence artificielle embarquée",
            "Cybersécurité industrielle",
            "Jumeaux numériques",
        ],
        "staff": ("staff2", "Chargé d'affaires innovation"),
        "committee": "Comité d'experts Atlantique Numérique",
    },
}

# Organisations: identifiers are invented (with valid check digits) at seeding time.
# "people" lists (first name, last name, job title, organisation admin); the others get
# one generated admin. "members" maps a pole to the membership status.
ORGANISATIONS = [
    # SMEs
    {
        "key": "composites_dauphine",
        "legal_name": "Composites Dauphiné SAS",
        "category": "sme",
        "city": "Voiron",
        "region": "ARA",
        "naf": "22.29A",
        "headcount": 85,
        "turnover": "12400000",
        "competences": "Moulage RTM et compression, thermoplastiques renforcés, soudage par induction",
        "keywords": "composites, thermoplastique, fibre de carbone, allègement, automobile",
        "description": "Fabricant de pièces composites techniques pour l'automobile, le ferroviaire et les sports de montagne.",
        "people": [("Valérie", "Chapuis", "Directrice administrative et financière", False)],
        "members": {"vega": "current"},
    },
    {
        "key": "usinage_forez",
        "legal_name": "Usinage de Précision du Forez SAS",
        "category": "sme",
        "city": "Saint-Étienne",
        "region": "ARA",
        "naf": "25.62B",
        "headcount": 62,
        "turnover": "8900000",
        "competences": "Usinage 5 axes, forge à chaud, projection thermique, métrologie",
        "keywords": "mécanique, forge, sous-traitance, outillage",
        "description": "Sous-traitant en mécanique de précision et forge pour l'aéronautique et le poids lourd.",
        "members": {"vega": "current"},
    },
    {
        "key": "hydrogene_alpes",
        "legal_name": "Hydrogène Alpes Systèmes SAS",
        "category": "sme",
        "city": "Chambéry",
        "region": "ARA",
        "naf": "28.29B",
        "headcount": 48,
        "turnover": "6200000",
        "competences": "Intégration de piles à combustible, stockage haute pression, contrôle-commande",
        "keywords": "hydrogène, pile à combustible, électrolyse, mobilité lourde",
        "description": "Intégrateur de systèmes hydrogène pour les véhicules lourds, les bateaux et les engins.",
        "members": {"vega": "current", "atlantique": "new"},
    },
    {
        "key": "robotique_saone",
        "legal_name": "Robotique Saône Industrie SAS",
        "category": "sme",
        "city": "Chalon-sur-Saône",
        "region": "BFC",
        "naf": "28.99B",
        "headcount": 37,
        "turnover": "5100000",
        "competences": "Cellules robotisées de soudage, vision industrielle, apprentissage automatique",
        "keywords": "robotique, soudage laser, vision, IA",
        "description": "Conception de cellules robotisées de soudage et d'assemblage pour la métallurgie.",
        "members": {"vega": "current"},
    },
    {
        "key": "plastiques_oyonnax",
        "legal_name": "Plastiques Recyclés d'Oyonnax SARL",
        "category": "sme",
        "city": "Oyonnax",
        "region": "ARA",
        "naf": "38.32Z",
        "headcount": 55,
        "turnover": "9700000",
        "competences": "Tri et régénération des polymères, compoundage, solvolyse",
        "keywords": "recyclage, plasturgie, compound, économie circulaire",
        "description": "Régénération de matières plastiques et composites issues des chutes industrielles.",
        "members": {"vega": "current"},
    },
    {
        "key": "capteurs_bourgogne",
        "legal_name": "Capteurs Intelligents de Bourgogne SAS",
        "category": "sme",
        "city": "Dijon",
        "region": "BFC",
        "naf": "26.51B",
        "headcount": 28,
        "turnover": "3400000",
        "competences": "Capteurs à fibre optique, électronique embarquée, contrôle de santé des structures",
        "keywords": "capteurs, fibre optique, SHM, instrumentation",
        "description": "Conception et fabrication de capteurs pour la surveillance des structures.",
        "members": {"vega": "current"},
    },
    {
        "key": "thermique_fluides",
        "legal_name": "Thermique & Fluides Ingénierie SAS",
        "category": "sme",
        "city": "Clermont-Ferrand",
        "region": "ARA",
        "naf": "71.12B",
        "headcount": 42,
        "turnover": "4800000",
        "competences": "Simulation thermique et mécanique des fluides, essais, bancs de mesure",
        "keywords": "simulation, CFD, thermique, ingénierie",
        "description": "Bureau d'études en thermique et mécanique des fluides pour l'industrie.",
        "members": {"vega": "current"},
    },
    {
        "key": "logiciels_rhone",
        "legal_name": "Logiciels Industriels du Rhône SAS",
        "category": "sme",
        "city": "Villeurbanne",
        "region": "ARA",
        "naf": "58.29C",
        "headcount": 74,
        "turnover": "7900000",
        "competences": "MES, supervision d'ateliers, jumeaux numériques, traçabilité",
        "keywords": "logiciel, industrie 4.0, MES, SaaS, traçabilité",
        "description": "Éditeur de logiciels de pilotage de production pour les PME industrielles.",
        "members": {"vega": "current", "atlantique": "current"},
    },
    {
        "key": "fonderie_morvan",
        "legal_name": "Fonderie Morvan Alliages SAS",
        "category": "sme",
        "city": "Autun",
        "region": "BFC",
        "naf": "24.53Z",
        "headcount": 95,
        "turnover": "14200000",
        "competences": "Fonderie sous pression et en coquille, alliages d'aluminium, affinage",
        "keywords": "fonderie, aluminium, recyclage, métallurgie",
        "description": "Fonderie de pièces en alliages d'aluminium pour l'automobile et le ferroviaire.",
        "consent": False,
        "members": {"vega": "grace"},
    },
    {
        "key": "jumeaux_atlantique",
        "legal_name": "Jumeaux Numériques Atlantique SAS",
        "category": "sme",
        "city": "Nantes",
        "region": "PDL",
        "naf": "62.01Z",
        "headcount": 31,
        "turnover": "2900000",
        "competences": "Jumeaux numériques, simulation temps réel, gestion d'énergie",
        "keywords": "jumeau numérique, simulation, maritime, énergie",
        "description": "Éditeur de jumeaux numériques pour les navires et les sites industriels.",
        "members": {"atlantique": "current"},
    },
    # Micro-enterprises
    {
        "key": "atelier_jura",
        "legal_name": "Atelier Numérique du Jura SARL",
        "category": "micro",
        "city": "Lons-le-Saunier",
        "region": "BFC",
        "naf": "62.02A",
        "headcount": 6,
        "turnover": "540000",
        "competences": "Développement web, applications mobiles, objets connectés",
        "keywords": "numérique, IoT, application mobile",
        "description": "Conseil et développement numérique pour les PME du massif jurassien.",
        "people": [],
        "members": {"vega": "applied"},
    },
    {
        "key": "fibres_bresse",
        "legal_name": "Fibres Végétales de Bresse SAS",
        "category": "micro",
        "city": "Bourg-en-Bresse",
        "region": "ARA",
        "naf": "13.96Z",
        "headcount": 8,
        "turnover": "720000",
        "competences": "Fibres de lin et de chanvre techniques, préimprégnés biosourcés, ignifugation",
        "keywords": "lin, chanvre, biosourcé, textile technique",
        "description": "Transformation de fibres végétales pour les composites biosourcés.",
        "members": {"vega": "current"},
    },
    {
        "key": "nanoptique",
        "legal_name": "Nanoptique Start SAS",
        "category": "micro",
        "city": "Besançon",
        "region": "BFC",
        "naf": "26.70Z",
        "headcount": 9,
        "turnover": "410000",
        "competences": "Photonique intégrée, capteurs optiques de gaz, interrogateurs à réseaux de Bragg",
        "keywords": "photonique, capteur, hydrogène, start-up",
        "description": "Jeune entreprise innovante issue d'un laboratoire bisontin, spécialisée en photonique.",
        "members": {"vega": "new"},
    },
    {
        "key": "h2_mobilite",
        "legal_name": "H2 Mobilité Services SAS",
        "category": "micro",
        "city": "Annecy",
        "region": "ARA",
        "naf": "71.12B",
        "headcount": 5,
        "turnover": "380000",
        "competences": "Études de flottes hydrogène, exploitation de stations, optimisation de tournées",
        "keywords": "hydrogène, logistique, flotte, station",
        "description": "Conseil et exploitation de flottes de véhicules à hydrogène.",
        "members": {"vega": "current"},
    },
    {
        "key": "cobotique_auvergne",
        "legal_name": "Cobotique Auvergne SAS",
        "category": "micro",
        "city": "Aurillac",
        "region": "ARA",
        "naf": "28.99B",
        "headcount": 7,
        "turnover": "650000",
        "competences": "Robotique collaborative, drapage automatisé, vision",
        "keywords": "cobot, composites, automatisation",
        "description": "Start-up de robotique collaborative pour les ateliers composites.",
        "members": {"vega": "new"},
    },
    {
        "key": "cycles_savoyards",
        "legal_name": "Cycles Électriques Savoyards SAS",
        "category": "micro",
        "city": "Albertville",
        "region": "ARA",
        "naf": "30.92Z",
        "headcount": 4,
        "turnover": "290000",
        "competences": "Conception de vélos-cargos, assistance électrique",
        "keywords": "vélo-cargo, logistique urbaine, mobilité douce",
        "description": "Conception de vélos-cargos pour la livraison urbaine.",
        "consent": False,
        "members": {"vega": "new"},
    },
    {
        "key": "capteurs_marins",
        "legal_name": "Bretagne Capteurs Marins SARL",
        "category": "micro",
        "city": "Brest",
        "region": "BRE",
        "naf": "26.51A",
        "headcount": 9,
        "turnover": "760000",
        "competences": "Acoustique sous-marine, capteurs autonomes, électronique basse consommation",
        "keywords": "maritime, acoustique, capteur, IA embarquée",
        "description": "Capteurs autonomes pour la surveillance des navires et des ouvrages en mer.",
        "members": {"atlantique": "current"},
    },
    # Mid-caps
    {
        "key": "mecanique_alpes_jura",
        "legal_name": "Groupe Mécanique Alpes-Jura SA",
        "category": "midcap",
        "city": "Cluses",
        "region": "ARA",
        "naf": "25.62A",
        "headcount": 620,
        "turnover": "118000000",
        "competences": "Décolletage, assemblage de sous-ensembles, traitements de surface",
        "keywords": "décolletage, automobile, châssis, aluminium",
        "description": "Groupe familial de décolletage et d'assemblage mécanique de la vallée de l'Arve.",
        "members": {"vega": "current"},
    },
    {
        "key": "ferroviaire_bourgogne",
        "legal_name": "Équipements Ferroviaires de Bourgogne SA",
        "category": "midcap",
        "city": "Le Creusot",
        "region": "BFC",
        "naf": "30.20Z",
        "headcount": 840,
        "turnover": "160000000",
        "competences": "Caisses et aménagements de tramways, bogies, essais ferroviaires",
        "keywords": "ferroviaire, tramway, allègement",
        "description": "Conception et fabrication de caisses et d'équipements pour le matériel roulant urbain.",
        "members": {"vega": "current"},
    },
    {
        "key": "verrerie_rhodanienne",
        "legal_name": "Verrerie Technique Rhodanienne SA",
        "category": "midcap",
        "city": "Givors",
        "region": "ARA",
        "naf": "23.19Z",
        "headcount": 410,
        "turnover": "72000000",
        "competences": "Verre feuilleté, trempe, couches minces",
        "keywords": "verre, vitrage, recyclage",
        "description": "Fabricant de vitrages techniques pour les véhicules et le bâtiment.",
        "consent": False,
        "members": {"vega": "expired"},
    },
    {
        "key": "batteries_ouest",
        "legal_name": "Batteries et Systèmes Électriques de l'Ouest SA",
        "category": "midcap",
        "city": "Angers",
        "region": "PDL",
        "naf": "27.20Z",
        "headcount": 350,
        "turnover": "64000000",
        "competences": "Packs batteries LFP, BMS, marinisation",
        "keywords": "batterie, stockage, maritime, électrification",
        "description": "Conception et assemblage de packs batteries pour la mobilité et le maritime.",
        "members": {"atlantique": "current"},
    },
    # Large companies
    {
        "key": "alpes_mobilite",
        "legal_name": "Alpes Mobilité Automobile SA",
        "category": "large",
        "city": "Lyon",
        "region": "ARA",
        "naf": "29.32Z",
        "headcount": 5200,
        "turnover": "1400000000",
        "competences": "Modules de caisse, systèmes thermiques, validation véhicule",
        "keywords": "équipementier, automobile, allègement, électrification",
        "description": "Équipementier automobile de rang 1, modules de structure et thermiques.",
        "members": {"vega": "current"},
    },
    {
        "key": "energie_rhone_saone",
        "legal_name": "Compagnie Énergétique Rhône-Saône SA",
        "category": "large",
        "city": "Lyon",
        "region": "ARA",
        "naf": "20.11Z",
        "headcount": 3100,
        "turnover": "980000000",
        "competences": "Production d'hydrogène par électrolyse, gaz industriels, stations de recharge",
        "keywords": "hydrogène, électrolyse, énergie, station",
        "description": "Producteur et distributeur de gaz industriels et d'hydrogène bas carbone.",
        "members": {"vega": "current"},
    },
    {
        "key": "aerostructures_loire",
        "legal_name": "Aérostructures Loire SAS",
        "category": "large",
        "city": "Andrézieux-Bouthéon",
        "region": "ARA",
        "naf": "30.30Z",
        "headcount": 2400,
        "turnover": "610000000",
        "competences": "Aérostructures composites, carénages, maintenance",
        "keywords": "aéronautique, composites, carénage, MRO",
        "description": "Conception et fabrication d'aérostructures composites.",
        "consent": False,
        "members": {"vega": "current"},
    },
    # Research organisations
    {
        "key": "lmpa",
        "legal_name": "Laboratoire des Matériaux et Procédés Alpins (LMPA) – CNRS / UGA",
        "category": "research",
        "city": "Grenoble",
        "region": "ARA",
        "naf": "72.19Z",
        "headcount": 140,
        "turnover": "11500000",
        "competences": "Caractérisation des composites, solvolyse, vieillissement des polymères",
        "keywords": "matériaux, composites, recyclage, caractérisation",
        "description": "Unité mixte de recherche sur les matériaux composites et leurs procédés.",
        "people": [("Philippe", "Jourdan", "Directeur du laboratoire", True)],
        "members": {"vega": "current"},
    },
    {
        "key": "irt_h2e",
        "legal_name": "Institut de Recherche Technologique Hydrogène & Énergie (IRT H2E)",
        "category": "research",
        "city": "Lyon",
        "region": "ARA",
        "naf": "72.19Z",
        "headcount": 210,
        "turnover": "24000000",
        "competences": "Piles à combustible, électrolyseurs, sûreté hydrogène, bancs d'essai",
        "keywords": "hydrogène, énergie, essais, sûreté",
        "description": "Institut de recherche technologique dédié aux systèmes hydrogène.",
        "members": {"vega": "current"},
    },
    {
        "key": "lami_clermont",
        "legal_name": "Laboratoire de Mécanique et d'Ingénierie (LaMI) – Université Clermont Auvergne",
        "category": "research",
        "city": "Clermont-Ferrand",
        "region": "ARA",
        "naf": "72.19Z",
        "headcount": 95,
        "turnover": "6800000",
        "competences": "Robotique, mécanique des matériaux, procédés d'assemblage",
        "keywords": "robotique, mécanique, assemblage, verre",
        "description": "Laboratoire universitaire de mécanique, de robotique et de procédés.",
        "members": {"vega": "current"},
    },
    {
        "key": "lbms_dijon",
        "legal_name": "Laboratoire Bourguignon des Matériaux et Surfaces (LBMS) – CNRS",
        "category": "research",
        "city": "Dijon",
        "region": "BFC",
        "naf": "72.19Z",
        "headcount": 120,
        "turnover": "9100000",
        "competences": "Traitements de surface, tribologie, métallurgie de l'aluminium",
        "keywords": "surfaces, revêtements, tribologie, métallurgie",
        "description": "Laboratoire de recherche sur les surfaces, les revêtements et les alliages.",
        "members": {"vega": "current"},
    },
    {
        "key": "ctcp_oyonnax",
        "legal_name": "Centre Technique des Composites et de la Plasturgie (CTCP)",
        "category": "research",
        "city": "Oyonnax",
        "region": "ARA",
        "naf": "72.19Z",
        "headcount": 60,
        "turnover": "5200000",
        "competences": "Essais normalisés, prototypage, injection, formulation",
        "keywords": "plasturgie, composites, essais, prototypage",
        "description": "Centre technique au service des plasturgistes et composites du territoire.",
        "members": {"vega": "current"},
    },
    {
        "key": "femto_procedes",
        "legal_name": "Institut de Photonique et Procédés de Franche-Comté (IPP-FC) – CNRS",
        "category": "research",
        "city": "Besançon",
        "region": "BFC",
        "naf": "72.19Z",
        "headcount": 180,
        "turnover": "13800000",
        "competences": "Photonique, fibres optiques, micro-capteurs",
        "keywords": "photonique, capteur, fibre optique",
        "description": "Institut de recherche en photonique, micro-systèmes et capteurs.",
        "members": {"vega": "current"},
    },
    {
        "key": "la2i_nantes",
        "legal_name": "Laboratoire Atlantique d'Informatique Industrielle (LA2I)",
        "category": "research",
        "city": "Nantes",
        "region": "PDL",
        "naf": "72.19Z",
        "headcount": 75,
        "turnover": "4300000",
        "competences": "IA embarquée, compression de réseaux de neurones, systèmes temps réel",
        "keywords": "IA embarquée, systèmes embarqués, cybersécurité",
        "description": "Laboratoire de recherche en informatique industrielle et systèmes embarqués.",
        "members": {"atlantique": "current"},
    },
    # Schools and universities
    {
        "key": "centrale_lyon",
        "legal_name": "École Centrale de Lyon",
        "category": "school",
        "city": "Écully",
        "region": "ARA",
        "naf": "85.42Z",
        "headcount": 650,
        "turnover": "78000000",
        "competences": "Mécanique, tribologie, génie des procédés, énergétique",
        "keywords": "école d'ingénieurs, recherche, formation",
        "description": "École d'ingénieurs généraliste et ses laboratoires.",
        "members": {"vega": "current"},
    },
    {
        "key": "polytech_forez",
        "legal_name": "Institut Polytechnique du Forez",
        "category": "school",
        "city": "Saint-Étienne",
        "region": "ARA",
        "naf": "85.42Z",
        "headcount": 230,
        "turnover": "21000000",
        "competences": "Génie mécanique, science des données, fabrication additive",
        "keywords": "formation, ingénieurs, industrie du futur",
        "description": "École d'ingénieurs en génie industriel et numérique.",
        "members": {"vega": "current"},
    },
    {
        "key": "utfc_belfort",
        "legal_name": "Université de Technologie de Franche-Comté",
        "category": "school",
        "city": "Belfort",
        "region": "BFC",
        "naf": "85.42Z",
        "headcount": 480,
        "turnover": "52000000",
        "competences": "Soudage, énergie, systèmes de transport, intelligence artificielle",
        "keywords": "université de technologie, soudage, énergie",
        "description": "Université de technologie formant des ingénieurs en mobilité et énergie.",
        "members": {"vega": "current"},
    },
    {
        "key": "isna_rennes",
        "legal_name": "Institut Supérieur du Numérique Atlantique",
        "category": "school",
        "city": "Rennes",
        "region": "BRE",
        "naf": "85.42Z",
        "headcount": 160,
        "turnover": "14000000",
        "competences": "Cybersécurité, réseaux, systèmes embarqués",
        "keywords": "école d'ingénieurs, cybersécurité, numérique",
        "description": "École d'ingénieurs du numérique.",
        "members": {"atlantique": "current"},
    },
    # Public bodies
    {
        "key": "agence_innovation",
        "legal_name": "Agence Régionale d'Innovation Rhône-Alpes",
        "category": "public",
        "city": "Lyon",
        "region": "ARA",
        "naf": "84.13Z",
        "headcount": 85,
        "turnover": "9000000",
        "competences": "Accompagnement de projets d'innovation, ingénierie financière",
        "keywords": "agence, innovation, développement économique",
        "description": "Agence régionale de développement économique et d'innovation.",
        "members": {"vega": "current"},
    },
    {
        "key": "smt_dijon",
        "legal_name": "Syndicat Mixte des Transports de l'Agglomération Dijonnaise",
        "category": "public",
        "city": "Dijon",
        "region": "BFC",
        "naf": "84.13Z",
        "headcount": 40,
        "turnover": "3500000",
        "competences": "Organisation des mobilités, logistique urbaine",
        "keywords": "collectivité, mobilité, logistique urbaine",
        "description": "Autorité organisatrice des mobilités de l'agglomération.",
        "members": {"vega": "grace"},
    },
    {
        "key": "cci_alpes_jura",
        "legal_name": "Chambre de Commerce et d'Industrie Alpes-Jura",
        "category": "public",
        "city": "Annecy",
        "region": "ARA",
        "naf": "94.11Z",
        "headcount": 120,
        "turnover": "15000000",
        "competences": "Appui aux entreprises, formation, international",
        "keywords": "CCI, entreprises, accompagnement",
        "description": "Chambre consulaire au service des entreprises du territoire.",
        "members": {"vega": "current"},
    },
    # Others
    {
        "key": "filiere_h2",
        "legal_name": "Association Filière Hydrogène Auvergne-Rhône-Alpes",
        "category": "other",
        "city": "Grenoble",
        "region": "ARA",
        "naf": "94.99Z",
        "headcount": 4,
        "turnover": "350000",
        "competences": "Animation de filière, veille, mise en relation",
        "keywords": "association, hydrogène, filière",
        "description": "Association des acteurs régionaux de l'hydrogène.",
        "members": {"vega": "current"},
    },
    {
        "key": "fondation_mobilite",
        "legal_name": "Fondation Mobilités Solidaires",
        "category": "other",
        "city": "Besançon",
        "region": "BFC",
        "naf": "94.99Z",
        "headcount": 12,
        "turnover": "1100000",
        "competences": "Mobilité inclusive, expérimentations territoriales",
        "keywords": "fondation, mobilité, inclusion",
        "description": "Fondation soutenant les mobilités accessibles en zone rurale.",
        "members": {"vega": "expired"},
    },
    # Foreign organisations
    {
        "key": "ilvs_stuttgart",
        "legal_name": "Institut für Leichtbau und Verbundwerkstoffe Stuttgart (ILVS)",
        "category": "research",
        "country": "DE",
        "city": "Stuttgart",
        "naf": "72.19Z",
        "headcount": 260,
        "turnover": "31000000",
        "competences": "Leichtbau, Faserverbundwerkstoffe, Prüftechnik",
        "keywords": "lightweight, composites, testing",
        "description": "Institut de recherche allemand sur les structures légères et composites.",
        "people": [("Markus", "Weber", "Gruppenleiter Faserverbund", True)],
    },
    {
        "key": "componenti_torino",
        "legal_name": "Componenti Avanzati Torino S.r.l.",
        "category": "sme",
        "country": "IT",
        "city": "Torino",
        "naf": "29.32Z",
        "headcount": 120,
        "turnover": "23000000",
        "competences": "Componenti in composito per motocicli, stampaggio, tracciabilità",
        "keywords": "moto, composites, traçabilité",
        "description": "Fabricant italien de pièces composites pour les deux-roues.",
        "people": [("Giulia", "Bianchi", "Responsabile R&S", True)],
    },
    {
        "key": "wasserstoff_antriebe",
        "legal_name": "Wasserstoff Antriebe GmbH",
        "category": "sme",
        "country": "DE",
        "city": "Karlsruhe",
        "naf": "28.29B",
        "headcount": 140,
        "turnover": "27000000",
        "competences": "Brennstoffzellensysteme, maritime Antriebe",
        "keywords": "fuel cell, maritime, propulsion",
        "description": "Fabricant allemand de piles à combustible pour la propulsion navale.",
        "people": [("Katrin", "Hoffmann", "Leiterin Entwicklung", True)],
    },
]

FIRST_NAMES = [
    "Nathalie", "Thomas", "Émilie", "Mathieu", "Céline", "Antoine", "Isabelle", "Nicolas",
    "Aurélie", "Pierre-Yves", "Marion", "Sébastien", "Laure", "François", "Camille",
    "Guillaume", "Sandrine", "Olivier", "Élodie", "Romain", "Virginie", "Benoît", "Chloé",
    "Jérôme", "Manon", "Stéphane", "Agnès", "Damien", "Inès", "Yannick", "Margaux", "Cédric",
    "Pauline", "Arnaud", "Gaëlle", "Vincent", "Lucie", "Fabrice", "Océane", "Thierry",
]  # fmt: skip
LAST_NAMES = [
    "Girard", "Lefèvre", "Faure", "Gauthier", "Chevalier", "Mercier", "Robin", "Blanc",
    "Guérin", "Lemoine", "Colin", "Fontaine", "Vidal", "Rey", "Morel", "Fournier", "Lambert",
    "Bonnet", "Roux", "Garnier", "Masson", "Duval", "Brun", "Picard", "Renaud", "Barbier",
    "Gaillard", "Caron", "Meunier", "Boyer", "Jacquet", "Poulain", "Berthier", "Lacombe",
    "Charpentier", "Rolland", "Huet", "Carré", "Moulin", "Besson",
]  # fmt: skip
JOB_TITLES = {
    "micro": ["Président", "Gérante", "Fondateur et directeur technique"],
    "sme": ["Directeur général", "Responsable R&D", "Directrice technique"],
    "midcap": ["Directrice de l'innovation", "Responsable des projets collaboratifs"],
    "large": ["Responsable innovation collaborative", "Directeur de programme R&D"],
    "research": [
        "Directrice de recherche CNRS",
        "Ingénieur de valorisation",
        "Chargé de recherche",
    ],
    "school": ["Directrice de la recherche", "Professeur des universités"],
    "public": ["Chargée de mission innovation", "Directeur du développement"],
    "other": ["Délégué général", "Chargée de projets"],
}
BUDGET_RANGES = {  # thousands of euros of eligible costs, by category
    "micro": (60, 250),
    "sme": (150, 700),
    "midcap": (250, 900),
    "large": (300, 1500),
    "research": (150, 650),
    "school": (80, 350),
    "public": (20, 120),
    "other": (10, 60),
}

FUNDERS = {
    "bpifrance": ("Bpifrance", "public", "bpifrance"),
    "anr": ("Agence nationale de la recherche (ANR)", "public", "anr"),
    "region_ara": ("Région Auvergne-Rhône-Alpes", "public", "region"),
    "region_bfc": ("Région Bourgogne-Franche-Comté", "public", "region"),
    "eu": ("Union européenne — Horizon Europe", "public", "eu"),
    "dge": ("Direction générale des Entreprises (DGE)", "public", "state"),
    "demeter": ("Demeter Ventures Démo", "private", "vc"),
    "angels": ("Réseau Business Angels Alpes-Saône", "private", "angels"),
    "bank": ("Banque Industrielle du Rhône (démo)", "private", "bank"),
    "feder": ("Union européenne — FEDER Auvergne-Rhône-Alpes", "public", "eu"),
    "cir": ("État — Crédit d'impôt recherche", "public", "state"),
}

# The programmes a pole meets, with their instrument: (funder, name, instrument, description).
# A programme a project names that is not listed (a Region's call of a year) is a grant.
GRANT, ADVANCE, LOAN, EQUITY, TAX_CREDIT = (
    "grant",
    "repayable_advance",
    "loan",
    "equity",
    "tax_credit",
)
PROGRAMMES = [
    ("bpifrance", "FUI", GRANT, "Fonds unique interministériel : projets collaboratifs de R&D "
     "labellisés par un pôle de compétitivité."),
    ("region_bfc", "FUI — volet régional", GRANT, "Part régionale des projets FUI."),
    ("bpifrance", "PSPC-Régions — subvention", GRANT, "Projets structurants pour la "
     "compétitivité, opérés avec les Régions : part en subvention."),
    ("bpifrance", "PSPC-Régions — avance remboursable", ADVANCE, "Projets structurants pour "
     "la compétitivité : part en avance remboursable en cas de succès."),
    ("region_ara", "PSPC-Régions", GRANT, "Part régionale des projets PSPC-Régions."),
    ("bpifrance", "i-Nov — subvention", GRANT, "Concours d'innovation i-Nov (France 2030) : "
     "part en subvention."),
    ("bpifrance", "i-Nov — avance remboursable", ADVANCE, "Concours d'innovation i-Nov : part "
     "en avance remboursable."),
    ("bpifrance", "Prêt d'amorçage", LOAN, "Prêt sans garantie ni caution personnelle qui "
     "prépare une levée de fonds."),
    ("anr", "ANR PRCE", GRANT, "Projets de recherche collaborative — entreprises (appel à "
     "projets générique)."),
    ("eu", "Horizon Europe RIA", GRANT, "Research and Innovation Actions du pilier 2."),
    ("eu", "Horizon Europe IA", GRANT, "Innovation Actions : démonstration et "
     "pré-industrialisation."),
    ("eu", "EIC Accelerator — subvention", GRANT, "Conseil européen de l'innovation : "
     "subvention jusqu'à 2,5 M€."),
    ("eu", "EIC Accelerator — fonds propres", EQUITY, "Conseil européen de l'innovation : "
     "investissement en fonds propres du Fonds EIC."),
    ("feder", "FEDER — Recherche et innovation", GRANT, "Fonds européen de développement "
     "régional, programme 2021-2027, objectif spécifique 1."),
    ("cir", "Crédit d'impôt recherche", TAX_CREDIT, "30 % des dépenses de R&D éligibles, "
     "imputés sur l'impôt sur les sociétés."),
    ("bank", "Prêt innovation", LOAN, "Prêt bancaire adossé au programme d'innovation."),
]  # fmt: skip
# The disbursement left unpaid past its date, for the funder's "late" list: (project,
# partner, programme).
LATE_TRANCHE = ("RECYCARB", "composites_dauphine", "PSPC-Régions — subvention")

MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip

LABEL_OPINIONS = [
    "Projet en forte adéquation avec la feuille de route du pôle ; consortium équilibré "
    "associant industriels et laboratoires ; retombées économiques crédibles sur le territoire.",
    "Innovation clairement située par rapport à l'état de l'art ; plan de travail réaliste ; "
    "la valorisation industrielle est portée par le coordinateur.",
    "Le comité salue la complémentarité du consortium et l'ambition du saut de TRL ; "
    "le marché visé est documenté.",
]
LABEL_CONDITIONS = [
    "Préciser le plan d'exploitation des résultats avant le dépôt du dossier de financement.",
    "Transmettre au pôle l'accord de consortium signé dans les six mois.",
    "Associer une PME supplémentaire du territoire au lot de démonstration.",
    "",
]
STAFF_NOTES = [
    "Rapporteurs : deux membres du collège industriel. Avis favorable à l'unanimité.",
    "Débat sur le budget du lot 3, jugé élevé ; avis favorable, une abstention.",
    "Un membre du comité, partenaire du consortium, a déclaré son conflit d'intérêts et n'a "
    "pas pris part au vote.",
]
REJECTION = {
    "opinion": "Le caractère innovant n'est pas démontré par rapport aux solutions déjà "
    "commercialisées ; le consortium ne compte pas d'utilisateur final.",
    "conditions": "Le pôle encourage un nouveau dépôt après l'intégration d'un utilisateur "
    "final et une analyse de la concurrence.",
    "notes": "Avis défavorable à l'unanimité. Proposer au coordinateur un rendez-vous "
    "d'accompagnement avec le chargé de mission.",
}

# The projects. "start" is in months from the current month, "months" the duration;
# "path" the lifecycle steps the consortium and the poles go through, in order.
# Partners: (organisation, role). Funding: (partner, funder, programme, rate of the
# partner's budget or amount in euros); "{year}" in a programme is the year funding is sought.
C, P, A, S = "coordinator", "partner", "associated", "subcontractor"
# Milestones: (kind, title, months and days from the start, done that many days after
# the due date or None when not done, the responsible partner or None).
M, D = "milestone", "deliverable"
PROJECTS = [
    # The leader's projects (Composites Dauphiné coordinates them).
    {
        "acronym": "THERMOCOMP",
        "title": "Composites thermoplastiques soudables pour les structures de véhicules légers",
        "summary": "THERMOCOMP développe des pièces de structure en composite thermoplastique "
        "assemblées par soudage par induction, sans colle ni rivet, pour alléger de 25 % les "
        "sous-ensembles de caisse des véhicules urbains et les rendre démontables.",
        "description": "Confidentiel — Composites Dauphiné a déposé en 2025 une demande de "
        "brevet sur un insert chauffant qui soude un PA6 renforcé de carbone en moins de 40 s. "
        "Le projet industrialise le procédé sur une cellule pilote de 2 M€ à Voiron ; prix "
        "cible : 14 €/kg de pièce finie contre 22 €/kg pour l'aluminium embouti. Partenaires "
        "pressentis : un équipementier de rang 1 et un laboratoire de caractérisation.",
        "themes": ["Matériaux composites", "Mobilité décarbonée"],
        "trl": (3, 5),
        "start": 6,
        "months": 30,
        "coordinator": "composites_dauphine",
        "partners": [],
        "path": [],
    },
    {
        "acronym": "HYCOMP",
        "title": "Réservoirs composites de type IV pour le stockage d'hydrogène à 700 bar",
        "summary": "HYCOMP conçoit un réservoir d'hydrogène de type IV à liner thermoplastique "
        "recyclable et enroulement filamentaire optimisé pour les véhicules utilitaires, avec "
        "30 % de fibre de carbone en moins.",
        "description": "Confidentiel — Le liner PA11 biosourcé tient 45 000 cycles à 875 bar "
        "lors des essais internes. Le plan d'affaires prévoit une ligne de 5 000 réservoirs par "
        "an en 2029 ; un constructeur de poids lourds a signé une lettre d'intention non "
        "engageante. Budget envisagé : 3,2 M€ sur 36 mois.",
        "themes": ["Matériaux composites", "Hydrogène"],
        "trl": (4, 6),
        "start": 8,
        "months": 36,
        "coordinator": "composites_dauphine",
        "partners": [("hydrogene_alpes", P), ("polytech_forez", P)],
        "path": [],
    },
    {
        "acronym": "RECYCARB",
        "title": "Recyclage des fibres de carbone par solvolyse et réemploi dans les pièces automobiles",
        "summary": "RECYCARB met au point un procédé de solvolyse en conditions subcritiques "
        "pour récupérer les fibres de carbone des chutes de production et des pièces en fin de "
        "vie, puis les réemployer dans des pièces automobiles semi-structurelles.",
        "description": "Confidentiel — Les fibres recyclées conservent 92 % de la résistance en "
        "traction des fibres vierges (essais LMPA, lot R-07). Le pilote de 50 t/an sera "
        "installé à Oyonnax en 2027 ; Alpes Mobilité Automobile qualifie deux pièces (support "
        "de batterie, renfort de hayon). Coût cible de la fibre recyclée : 9 €/kg.",
        "themes": [
            "Matériaux composites",
            "Recyclage et économie circulaire",
            "Mobilité décarbonée",
        ],
        "trl": (3, 6),
        "start": -14,
        "months": 36,
        "coordinator": "composites_dauphine",
        "signatory": "Valérie Chapuis",
        "partners": [
            ("lmpa", P),
            ("plastiques_oyonnax", P),
            ("alpes_mobilite", P),
            ("ctcp_oyonnax", S),
        ],
        "path": ["submit", "label", "funding_sought", "funded", "running"],
        "milestones": [
            (M, "J0 — Réunion de lancement à Voiron", 0, 9, 0, "composites_dauphine"),
            (D, "L1.1 — Cahier des charges des pièces démonstrateurs", 3, 0, 6, "alpes_mobilite"),
            (D, "L2.1 — Caractérisation des fibres recyclées (lot R-07)", 9, 14, -4, "lmpa"),
            (D, "L1.2 — Rapport d'avancement à 12 mois", 12, 14, None, "composites_dauphine"),
            (M, "J2 — Mise en service du pilote de solvolyse", 13, 0, None, "plastiques_oyonnax"),
            (D, "L3.1 — Qualification du support de batterie", 20, 0, None, "alpes_mobilite"),
            (M, "J3 — Revue de fin de projet", 35, 14, None, None),
        ],
        "funding": [
            ("composites_dauphine", "bpifrance", "PSPC-Régions — subvention", 0.3),
            ("composites_dauphine", "bpifrance", "PSPC-Régions — avance remboursable", 0.15),
            ("plastiques_oyonnax", "bpifrance", "PSPC-Régions — subvention", 0.45),
            ("lmpa", "region_ara", "PSPC-Régions", 0.8),
        ],
        # Applied for lately, awaiting the funder's decision: (partner, funder, programme, €).
        "applications": [("plastiques_oyonnax", "bpifrance", "Prêt d'amorçage", 200000)],
    },
    {
        "acronym": "LIGHTRAIL",
        "title": "Caisse de tramway allégée en composites biosourcés",
        "summary": "LIGHTRAIL conçoit des panneaux de caisse de tramway en composite "
        "lin-époxy biosourcé, conformes aux exigences feu-fumée ferroviaires, pour réduire de "
        "15 % la masse des rames et leur consommation d'énergie.",
        "description": "Confidentiel — Le verrou principal est la classification EN 45545-2 "
        "HL3 : la formulation ignifugée sans halogène atteint HL2 aujourd'hui. Équipements "
        "Ferroviaires de Bourgogne prévoit une rame de démonstration en 2029. Budget "
        "prévisionnel : 2,4 M€ ; dépôt prévu au guichet PSPC-Régions.",
        "themes": ["Matériaux composites", "Mobilité décarbonée"],
        "trl": (4, 7),
        "start": 3,
        "months": 36,
        "coordinator": "composites_dauphine",
        "partners": [("lmpa", P), ("ferroviaire_bourgogne", P), ("fibres_bresse", P)],
        "path": ["submit", "label"],
        "session": "past",
    },
    {
        "acronym": "SKINAIR",
        "title": "Peaux composites instrumentées pour carénages aéronautiques",
        "summary": "SKINAIR a développé des peaux composites intégrant un réseau de capteurs "
        "imprimés qui détectent les impacts et le délaminage des carénages, pour passer d'une "
        "maintenance programmée à une maintenance conditionnelle.",
        "description": "Confidentiel — Démonstrateur final : carénage de volet de 1,8 m² "
        "instrumenté de 64 capteurs, qualifié en soufflerie. Aérostructures Loire estime le "
        "gain à 18 % des coûts d'inspection. Deux brevets déposés, dont un en copropriété avec "
        "le LMPA ; industrialisation envisagée en 2028.",
        "themes": ["Matériaux composites", "Industrie 4.0"],
        "trl": (3, 6),
        "start": -42,
        "months": 36,
        "coordinator": "composites_dauphine",
        "signatory": "Valérie Chapuis",
        "partners": [("lmpa", P), ("aerostructures_loire", P), ("capteurs_bourgogne", P)],
        "path": ["submit", "label", "funding_sought", "funded", "running", "completed"],
        "milestones": [
            (M, "J1 — Revue de conception des peaux instrumentées", 6, 0, 3, "composites_dauphine"),
            (
                D,
                "L2.3 — Essais en soufflerie du carénage de volet",
                30,
                0,
                12,
                "aerostructures_loire",
            ),
            (D, "L4.1 — Rapport final", 36, 14, 20, "composites_dauphine"),
            (D, "L4.2 — Plan d'industrialisation", 37, 14, None, "aerostructures_loire"),
        ],
        "funding": [
            ("composites_dauphine", "region_ara", "Pack Ambition Recherche {year}", 0.45),
            ("lmpa", "region_ara", "Pack Ambition Recherche {year}", 0.9),
            ("capteurs_bourgogne", "bank", "Prêt innovation", 150000),
            ("composites_dauphine", "cir", "Crédit d'impôt recherche", 0.3),
        ],
    },
    {
        "acronym": "FIBRANOV",
        "title": "Préimprégnés à fibres de lin pour les équipements de sport et de loisirs",
        "summary": "FIBRANOV développe des préimprégnés à base de lin cultivé en France et de "
        "résine partiellement biosourcée pour remplacer la fibre de verre dans les skis, les "
        "coques de kayak et les cadres de vélo.",
        "description": "Confidentiel — Trois fabricants de skis savoyards ont testé les premiers "
        "échantillons : la rigidité spécifique atteint 90 % de celle du verre E pour une "
        "empreinte carbone divisée par trois. Le consortium cherche encore un tisseur pour les "
        "rubans unidirectionnels.",
        "themes": ["Matériaux composites", "Recyclage et économie circulaire"],
        "trl": (4, 6),
        "start": 6,
        "months": 24,
        "coordinator": "composites_dauphine",
        "partners": [("fibres_bresse", P), ("centrale_lyon", P)],
        "path": ["submit"],
        "session": "next",
        "experts": [
            (
                "Bernard Lacroix",
                "Filière française du lin bien identifiée et marché du ski accessible ; la "
                "tenue au vieillissement humide des préimprégnés reste à démontrer. Avis "
                "favorable sous réserve d'un essai de vieillissement dans le premier lot.",
            )
        ],
    },
    # Other consortia.
    {
        "acronym": "SMARTWELD",
        "title": "Soudage laser piloté par intelligence artificielle pour châssis en aluminium",
        "summary": "SMARTWELD associe une tête de soudage laser, une caméra thermique et un "
        "modèle d'apprentissage automatique qui ajuste les paramètres en temps réel, pour "
        "fiabiliser l'assemblage de châssis en alliages d'aluminium recyclés.",
        "description": "Confidentiel — Le taux de rebut des soudures sur alliages à fort taux "
        "de recyclé atteint 7 % chez Groupe Mécanique Alpes-Jura ; l'objectif est de le "
        "ramener sous 1 %. Le jeu de 12 000 cordons annotés appartient à Robotique Saône "
        "Industrie et sera licencié aux partenaires. Budget : 2,9 M€.",
        "themes": ["Industrie 4.0", "Mobilité décarbonée"],
        "trl": (4, 7),
        "start": 6,
        "months": 30,
        "coordinator": "robotique_saone",
        "partners": [("utfc_belfort", P), ("mecanique_alpes_jura", P), ("logiciels_rhone", P)],
        "path": ["submit"],
        "session": "next",
        "experts": [("expert", "")],
    },
    {
        "acronym": "BIOPLAST",
        "title": "Biocomposites polypropylène-chanvre injectables pour l'habitacle automobile",
        "summary": "BIOPLAST vise des granulés de polypropylène recyclé chargés de fibres de "
        "chanvre, injectables sur les presses existantes, pour les pièces d'habillage "
        "intérieur des véhicules.",
        "description": "Confidentiel — Taux de fibres visé : 30 % en masse ; les premiers essais "
        "d'injection dépassent le seuil d'odeur de la norme VDA 270. Aucun constructeur n'a "
        "confirmé son intérêt à ce stade.",
        "themes": ["Recyclage et économie circulaire", "Matériaux composites"],
        "trl": (3, 5),
        "start": 4,
        "months": 24,
        "coordinator": "plastiques_oyonnax",
        "partners": [("ctcp_oyonnax", P), ("fibres_bresse", P)],
        "path": ["submit", "reject"],
        "session": "past",
        "experts": [
            (
                "Bernard Lacroix",
                "Procédé peu différenciant par rapport aux compounds chanvre déjà au catalogue "
                "de plusieurs fournisseurs ; pas d'utilisateur final dans le consortium. "
                "Avis réservé.",
            )
        ],
    },
    {
        "acronym": "HYDROLOG",
        "title": "Logistique urbaine décarbonée par utilitaires à pile à combustible",
        "summary": "HYDROLOG expérimente une flotte de 20 utilitaires à hydrogène et une "
        "station mutualisée pour la livraison urbaine dans l'agglomération dijonnaise, avec un "
        "outil d'optimisation des tournées et de l'avitaillement.",
        "description": "Confidentiel — La station de 400 kg/j sera alimentée par l'électrolyseur "
        "de la Compagnie Énergétique Rhône-Saône ; prix négocié à 10 €/kg pendant trois ans. "
        "Le modèle économique n'est équilibré qu'avec une aide de 40 % sur les véhicules.",
        "themes": ["Hydrogène", "Mobilité décarbonée"],
        "trl": (6, 8),
        "start": 3,
        "months": 30,
        "coordinator": "h2_mobilite",
        "partners": [("energie_rhone_saone", P), ("smt_dijon", A), ("irt_h2e", P)],
        "path": ["submit", "label", "funding_sought"],
        "session": "past",
        "funding": [
            ("h2_mobilite", "region_bfc", "Effet Levier {year}", 0.45),
            ("energie_rhone_saone", "dge", "France 2030 — Écosystèmes hydrogène", 0.3),
            ("irt_h2e", "anr", "ANR PRCE", 1.0),
        ],
    },
    {
        "acronym": "FORGE-IA",
        "title": "Maintenance prédictive des presses de forge par jumeau numérique",
        "summary": "FORGE-IA construit le jumeau numérique de presses de forge à chaud pour "
        "anticiper l'usure des outillages et planifier la maintenance dans les ateliers de "
        "sous-traitance mécanique de la Loire.",
        "description": "Confidentiel — Les arrêts non planifiés coûtent 180 k€ par an et par "
        "presse. Le modèle hybride, physique et apprentissage, sera entraîné sur quatre ans "
        "d'historique de capteurs. Logiciels Industriels du Rhône commercialisera le module "
        "en SaaS dès 2028.",
        "themes": ["Industrie 4.0"],
        "trl": (4, 7),
        "start": 1,
        "months": 24,
        "coordinator": "usinage_forez",
        "partners": [("logiciels_rhone", P), ("polytech_forez", P), ("thermique_fluides", S)],
        "path": ["submit", "label", "funding_sought", "funded"],
        "milestones": [
            (M, "J0 — Réunion de lancement", 0, 14, None, "usinage_forez"),
            (D, "L1.1 — Inventaire des données des presses", 3, 0, None, "logiciels_rhone"),
        ],
        "funding": [
            ("usinage_forez", "bpifrance", "i-Nov — subvention", 0.3),
            ("usinage_forez", "bpifrance", "i-Nov — avance remboursable", 0.15),
            ("logiciels_rhone", "bpifrance", "i-Nov — subvention", 0.45),
            ("logiciels_rhone", "bpifrance", "Prêt d'amorçage", 300000),
        ],
    },
    {
        "acronym": "ALUCYCLE",
        "title": "Recyclage en boucle fermée des alliages d'aluminium de fonderie",
        "summary": "ALUCYCLE développe le tri par spectroscopie laser et l'affinage des chutes "
        "d'alliages de fonderie pour produire des lingots de seconde fusion aux propriétés "
        "équivalentes au métal primaire.",
        "description": "Confidentiel — Les financeurs ont jugé le tri LIBS insuffisamment mûr ; "
        "un nouveau dépôt est envisagé après les essais de la cellule pilote. Alpes Mobilité "
        "Automobile conditionne sa participation à l'obtention d'une aide publique.",
        "themes": ["Recyclage et économie circulaire", "Mobilité décarbonée"],
        "trl": (3, 6),
        "start": 1,
        "months": 36,
        "coordinator": "fonderie_morvan",
        "partners": [("lbms_dijon", P), ("alpes_mobilite", P)],
        "path": ["submit", "label", "funding_sought", "not_funded"],
        "funding": [
            ("fonderie_morvan", "region_bfc", "Effet Levier {year}", 0.45),
            ("lbms_dijon", "anr", "ANR PRCE", 1.0),
        ],
    },
    {
        "acronym": "OCEANMOB",
        "title": "Propulsion hybride batterie-hydrogène pour navettes fluviales et côtières",
        "summary": "OCEANMOB conçoit et démontre une chaîne de propulsion hybride batterie-pile "
        "à combustible pour les navettes de passagers, pilotée par un jumeau numérique de la "
        "gestion d'énergie, sur le Rhône à Lyon et dans l'estuaire de la Loire.",
        "description": "Confidentiel — Deux navettes de 12 m seront rétrofitées en 2027 ; "
        "objectif : zéro émission sur 85 % des rotations. Packs LFP marinisés de Batteries et "
        "Systèmes Électriques de l'Ouest, pile de 120 kW de Wasserstoff Antriebe. Répartition "
        "de la R&D : 58 % en Auvergne-Rhône-Alpes, 34 % en Pays de la Loire et Bretagne, 8 % "
        "en Allemagne.",
        "themes": [
            "Hydrogène",
            "Mobilité décarbonée",
            "Numérique maritime",
            "Jumeaux numériques",
        ],
        "trl": (5, 7),
        "start": -8,
        "months": 42,
        "coordinator": "hydrogene_alpes",
        "partners": [
            ("batteries_ouest", P),
            ("jumeaux_atlantique", P),
            ("capteurs_marins", P),
            ("irt_h2e", P),
            ("wasserstoff_antriebe", A),
        ],
        "poles": ["vega", "atlantique"],
        "path": ["submit", "label", "funding_sought", "funded", "running"],
        "milestones": [
            (M, "J0 — Réunion de lancement à Lyon", 0, 20, 0, "hydrogene_alpes"),
            (
                D,
                "L1.1 — Architecture de la chaîne de propulsion hybride",
                4,
                0,
                7,
                "hydrogene_alpes",
            ),
            (D, "L2.1 — Analyse de risques hydrogène à bord", 6, 0, None, "irt_h2e"),
            (M, "J2 — Rétrofit de la première navette", 14, 0, None, "batteries_ouest"),
        ],
        "decisions": {
            "vega": {
                "opinion": "Projet structurant pour la filière hydrogène du pôle, piloté par "
                "une PME du territoire ; la co-labellisation est cohérente avec la dimension "
                "maritime du démonstrateur.",
                "conditions": "Conserver au moins 50 % des dépenses de R&D sur le territoire "
                "du pôle porteur.",
                "notes": "Avis favorable à l'unanimité. Véga est pôle porteur ; avis "
                "coordonné avec Atlantique Numérique avant transmission aux financeurs.",
            },
            "atlantique": {
                "opinion": "Apport décisif des partenaires ligériens et bretons sur la "
                "marinisation et le jumeau numérique ; retombées attendues pour les chantiers "
                "de l'estuaire.",
                "conditions": "Associer le Cluster aux revues du lot numérique.",
                "notes": "Le comité s'interroge sur la dépendance au fournisseur allemand de "
                "la pile ; avis favorable, 7 voix sur 8.",
            },
        },
        "funding": [
            ("hydrogene_alpes", "eu", "Horizon Europe RIA", 0.7),
            ("batteries_ouest", "eu", "Horizon Europe RIA", 0.7),
            ("jumeaux_atlantique", "eu", "Horizon Europe RIA", 0.7),
            ("irt_h2e", "region_ara", "Pack Ambition Recherche {year}", 0.8),
        ],
    },
    {
        "acronym": "CAPTOCOMP",
        "title": "Capteurs à fibre optique intégrés pour le suivi de santé des structures composites",
        "summary": "CAPTOCOMP a intégré des réseaux de Bragg sur fibre optique au cœur des "
        "pièces composites pendant leur fabrication, pour suivre leur cuisson puis leur état "
        "de santé en service.",
        "description": "Confidentiel — Les capteurs ont survécu à tous les cycles d'autoclave du "
        "lot final ; le coût de l'interrogateur est divisé par quatre grâce au composant "
        "photonique de Nanoptique Start. Licence d'exploitation concédée à Aérostructures "
        "Loire pour l'aéronautique.",
        "themes": ["Matériaux composites", "Industrie 4.0"],
        "trl": (3, 6),
        "start": -66,
        "months": 48,
        "coordinator": "capteurs_bourgogne",
        "partners": [("femto_procedes", P), ("nanoptique", P), ("aerostructures_loire", P)],
        "path": ["submit", "label", "funding_sought", "funded", "running", "completed", "closed"],
        "funding": [
            ("capteurs_bourgogne", "bpifrance", "FUI", 0.45),
            ("nanoptique", "bpifrance", "FUI", 0.45),
            ("femto_procedes", "region_bfc", "FUI — volet régional", 0.9),
        ],
    },
    {
        "acronym": "CARGOLIB",
        "title": "Vélo-cargo à assistance hydrogène pour la livraison du dernier kilomètre",
        "summary": "CARGOLIB prévoyait un vélo-cargo à assistance électrique alimenté par une "
        "petite pile à combustible et des cartouches d'hydrogène échangeables, pour tripler "
        "l'autonomie des livreurs.",
        "description": "Confidentiel — Au coût actuel des cartouches (6 € la recharge), l'offre "
        "n'est pas compétitive face aux batteries échangeables ; Hydrogène Alpes Systèmes "
        "réoriente ses moyens vers OCEANMOB.",
        "themes": ["Hydrogène", "Mobilité décarbonée"],
        "trl": (4, 7),
        "start": 2,
        "months": 24,
        "coordinator": "cycles_savoyards",
        "partners": [("hydrogene_alpes", P), ("centrale_lyon", P)],
        "path": ["submit", "label", "funding_sought", "abandoned"],
        "comments": {
            "abandoned": "Modèle économique non viable au coût actuel des cartouches "
            "d'hydrogène ; le consortium arrête le projet."
        },
        "funding": [
            ("cycles_savoyards", "eu", "EIC Accelerator — subvention", 0.7),
            ("cycles_savoyards", "eu", "EIC Accelerator — fonds propres", 500000),
        ],
    },
    {
        "acronym": "COBOTEX",
        "title": "Cobots pour le drapage automatisé de préimprégnés",
        "summary": "COBOTEX développe une cellule où un opérateur et un robot collaboratif "
        "drapent ensemble des plis de préimprégnés, avec un contrôle par vision de "
        "l'orientation des fibres, pour les petites séries aéronautiques et sportives.",
        "description": "Confidentiel — Gain de temps mesuré sur la cellule pilote : 35 % sur un "
        "panneau de 40 plis ; la vision détecte 98 % des plis mal orientés. Série A en cours de "
        "clôture pour financer la commercialisation ; trois précommandes signées.",
        "themes": ["Industrie 4.0", "Matériaux composites"],
        "trl": (4, 7),
        "start": -20,
        "months": 36,
        "coordinator": "cobotique_auvergne",
        "partners": [
            ("mecanique_alpes_jura", P),
            ("lami_clermont", P),
            ("aerostructures_loire", A),
        ],
        "path": ["submit", "label", "funding_sought", "funded", "running"],
        "milestones": [
            (M, "J0 — Réunion de lancement", 0, 14, 0, "cobotique_auvergne"),
            (D, "L1.1 — Spécification de la cellule de drapage", 4, 0, 10, "cobotique_auvergne"),
            (D, "L2.2 — Contrôle par vision de l'orientation des plis", 12, 0, -2, "lami_clermont"),
            (M, "J2 — Cellule pilote opérationnelle", 18, 0, None, "mecanique_alpes_jura"),
            (D, "L3.1 — Étude de marché des petites séries", 24, 0, None, "cobotique_auvergne"),
        ],
        "funding": [
            ("cobotique_auvergne", "dge", "France 2030 — Robotique collaborative", 0.45),
            ("lami_clermont", "region_ara", "Pack Ambition Recherche {year}", 0.9),
            ("cobotique_auvergne", "feder", "FEDER — Recherche et innovation", 0.2),
        ],
        # Private rounds: (partner, kind, amount, investors, months from the start).
        "rounds": [
            ("cobotique_auvergne", "equity", 250000, "Réseau Business Angels Alpes-Saône", -6),
            (
                "cobotique_auvergne",
                "equity",
                1200000,
                "Demeter Ventures Démo (chef de file), Réseau Business Angels Alpes-Saône",
                9,
            ),
        ],
    },
    {
        "acronym": "TRIBOCOAT",
        "title": "Revêtements tribologiques sans chrome hexavalent pour pièces mécaniques",
        "summary": "TRIBOCOAT a mis au point des revêtements déposés par projection thermique "
        "pour remplacer le chromage dur, restreint par REACH, sur les tiges de vérins et les "
        "pièces de friction.",
        "description": "Confidentiel — Le revêtement WC-CoCr retenu dure 1,4 fois plus que le "
        "chrome dur au banc d'usure. Usinage de Précision du Forez a investi 600 k€ dans une "
        "cabine de projection ; premier client série signé cette année.",
        "themes": ["Industrie 4.0"],
        "trl": (3, 6),
        "start": -40,
        "months": 36,
        "coordinator": "lbms_dijon",
        "partners": [("usinage_forez", P), ("mecanique_alpes_jura", P)],
        "path": ["submit", "label", "funding_sought", "funded", "running", "completed"],
        "milestones": [
            (D, "L1 — Cahier des charges des revêtements", 3, 0, 0, "usinage_forez"),
            (D, "L3 — Rapport final des essais d'usure", 35, 0, 10, "lbms_dijon"),
        ],
        "funding": [
            ("lbms_dijon", "anr", "ANR PRCE", 1.0),
            ("usinage_forez", "anr", "ANR PRCE", 0.45),
        ],
    },
    {
        "acronym": "DIGIPASS",
        "title": "Passeport numérique des pièces composites pour l'économie circulaire",
        "summary": "DIGIPASS crée un passeport numérique qui suit chaque pièce composite de sa "
        "fabrication à son recyclage — matières, procédés, réparations — pour faciliter le tri "
        "et le réemploi en fin de vie.",
        "description": "Confidentiel — Le passeport repose sur un marquage laser lisible après "
        "15 ans de service et anticipe le règlement européen sur l'écoconception (ESPR). "
        "Componenti Avanzati Torino apporte un premier cas d'usage sur des pièces de motos. "
        "Modèle d'affaires : abonnement par pièce tracée.",
        "themes": ["Industrie 4.0", "Recyclage et économie circulaire"],
        "trl": (3, 6),
        "start": 2,
        "months": 30,
        "coordinator": "logiciels_rhone",
        "partners": [("plastiques_oyonnax", P), ("ctcp_oyonnax", P), ("componenti_torino", A)],
        "path": ["submit", "label"],
        "experts": [
            (
                "Bernard Lacroix",
                "Proposition pertinente et en avance sur le règlement ESPR ; vigilance sur "
                "l'interopérabilité avec les standards européens d'échange de données. "
                "Avis favorable.",
            )
        ],
    },
    {
        "acronym": "NAVISENSE",
        "title": "Surveillance acoustique des coques par capteurs intelligents",
        "summary": "NAVISENSE développe des capteurs acoustiques autonomes collés sur les coques "
        "de navires, qui détectent fissures et corrosion grâce à de l'intelligence "
        "artificielle embarquée.",
        "description": "Confidentiel — Autonomie visée : cinq ans sur pile ; essais prévus sur "
        "deux thoniers de Concarneau. Le LA2I apporte un réseau de neurones compressé à 200 ko.",
        "themes": ["Numérique maritime", "Intelligence artificielle embarquée"],
        "trl": (3, 6),
        "start": 4,
        "months": 30,
        "coordinator": "capteurs_marins",
        "partners": [("la2i_nantes", P), ("jumeaux_atlantique", P)],
        "poles": ["atlantique"],
        "path": ["submit", "label"],
        "session": "past",
    },
    {
        "acronym": "VERRECO",
        "title": "Verre feuilleté démontable et recyclable pour vitrages de véhicules",
        "summary": "VERRECO conçoit un intercalaire thermoplastique qui permet de séparer le "
        "verre et le film des vitrages feuilletés en fin de vie, pour recycler le verre dans de "
        "nouveaux vitrages.",
        "description": "Confidentiel — Dossier retiré de la labellisation pour revoir le plan de "
        "financement après le départ d'un partenaire. Taux de récupération du verre visé : "
        "95 % contre 30 % aujourd'hui.",
        "themes": ["Recyclage et économie circulaire", "Mobilité décarbonée"],
        "trl": (3, 5),
        "start": 5,
        "months": 36,
        "coordinator": "verrerie_rhodanienne",
        "partners": [("lami_clermont", P), ("alpes_mobilite", P)],
        "path": ["submit", "withdraw"],
        "comments": {
            "withdraw": "Dossier retiré pour compléter le consortium et le plan de financement."
        },
    },
    {
        "acronym": "H2SENSE",
        "title": "Capteurs optiques de fuite d'hydrogène à bas coût pour stations de recharge",
        "summary": "H2SENSE développe un capteur de fuite d'hydrogène à fibre optique, "
        "insensible aux perturbations électriques et dix fois moins cher que les détecteurs "
        "actuels, pour les stations de recharge et les électrolyseurs.",
        "description": "Confidentiel — Seuil de détection de 0,1 % d'hydrogène dans l'air "
        "atteint en 2 s au laboratoire. La Compagnie Énergétique Rhône-Saône équipera trois "
        "stations pilotes. Levée de 800 k€ auprès de business angels réalisée en septembre.",
        "themes": ["Hydrogène", "Industrie 4.0"],
        "trl": (4, 7),
        "start": 1,
        "months": 24,
        "coordinator": "nanoptique",
        "partners": [("energie_rhone_saone", P), ("femto_procedes", P)],
        "path": ["submit", "label", "funding_sought", "funded"],
        "milestones": [(M, "J0 — Réunion de lancement", 0, 7, None, "nanoptique")],
        "funding": [
            ("nanoptique", "bpifrance", "i-Nov — subvention", 0.3),
            ("nanoptique", "bpifrance", "i-Nov — avance remboursable", 0.15),
        ],
        "rounds": [("nanoptique", "equity", 800000, "Business angels de la région lyonnaise", -3)],
    },
    {
        "acronym": "CYBERQUAI",
        "title": "Détection d'intrusions dans les automates des terminaux portuaires",
        "summary": "CYBERQUAI développe une sonde qui apprend le comportement normal des "
        "automates des grues et des portiques portuaires et signale en temps réel les commandes "
        "anormales, sans rien changer aux équipements en service.",
        "description": "Confidentiel — Le modèle de détection tient dans 512 ko et tourne sur "
        "un boîtier industriel à 300 € ; le Grand Port Maritime de Nantes Saint-Nazaire a "
        "accepté un essai sur deux portiques. Un dossier ANR ASTRID est envisagé.",
        "themes": ["Cybersécurité industrielle", "Intelligence artificielle embarquée"],
        "trl": (3, 6),
        "start": 5,
        "months": 30,
        "coordinator": "la2i_nantes",
        "partners": [("isna_rennes", P), ("capteurs_marins", P)],
        "poles": ["atlantique"],
        "path": ["submit"],
        "session": "next",
    },
]

# Each pole's labelling committee sessions: (which, months from the current month, days
# after the first of that month, location, notes). The past one decided the projects whose spec says
# "session": "past"; the projects awaiting a decision ("session": "next") are on the next
# one's agenda; the last one is planned, its agenda still empty.
SESSIONS = {
    "vega": [
        (
            "past",
            -2,
            12,
            "Lyon — Cité internationale, salle Rhône",
            "Quorum atteint : 9 membres votants sur 11. Un conflit d'intérêts déclaré et "
            "consigné au procès-verbal.",
        ),
        (
            "next",
            1,
            9,
            "Dijon — Maison régionale de l'innovation",
            "Rapporteurs désignés. Avis des experts attendus une semaine avant la séance.",
        ),
        ("later", 3, 14, "Visioconférence", "Séance réservée ; ordre du jour à constituer."),
    ],
    "atlantique": [
        (
            "past",
            -1,
            12,
            "Nantes — Halle 6 Ouest",
            "Sept membres présents ; avis rendus à l'unanimité.",
        ),
        ("next", 1, 16, "Brest — Technopôle Brest-Iroise", "Prévoir la démonstration de la sonde."),
        ("later", 4, 6, "Rennes — Institut Supérieur du Numérique Atlantique", ""),
    ],
}

# Documents uploaded through the document service: (project, kind, title, file name, who
# uploads it: an account key, months and days from the project's start).
DOCUMENTS = [
    (
        "RECYCARB",
        "consortium_agreement",
        "Accord de consortium RECYCARB (signé)",
        "accord-de-consortium-recycarb.pdf",
        "leader",
        1,
        3,
    ),
    (
        "RECYCARB",
        "other",
        "Schéma du pilote de solvolyse",
        "schema-pilote-solvolyse.png",
        "member",
        11,
        20,
    ),
    (
        "FIBRANOV",
        "application",
        "Dossier de candidature FIBRANOV",
        "dossier-de-candidature-fibranov.pdf",
        "leader",
        -7,
        1,
    ),
]

# An invitation the leader sent a few days ago and nobody has accepted yet:
# (project, partner organisation, e-mail, role on the project).
INVITATIONS = [
    (
        "RECYCARB",
        "alpes_mobilite",
        "camille.vasseur@alpes-mobilite.example",
        "financial_signatory",
    ),
]

# The matchmaking board: organisation, kind, title, description, keywords, themes, the
# category of partner sought, posted so many days ago.
POSTS = [
    (
        "lmpa",
        "need",
        "Laboratoire en composites cherche PME pour démonstrateur",
        "Nos travaux sur le recyclage des composites thermoplastiques arrivent au TRL 4. Nous "
        "cherchons une PME industrielle pour réaliser un démonstrateur (pièce automobile ou "
        "ferroviaire) dans un projet collaboratif à déposer au prochain appel i-Nov.",
        "composites, thermoplastique, recyclage, démonstrateur",
        ["Matériaux composites", "Recyclage et économie circulaire"],
        "sme",
        4,
    ),
    (
        "ctcp_oyonnax",
        "offer",
        "Offre : essais de fatigue sur pièces composites",
        "Bancs de fatigue servo-hydrauliques (jusqu'à 250 kN), enceinte climatique, "
        "corrélation d'images. Campagnes d'essais sur éprouvettes et pièces, rapports "
        "accrédités COFRAC, délais de 3 à 6 semaines.",
        "composites, essais de fatigue, caractérisation, banc d'essai",
        ["Matériaux composites"],
        "",
        12,
    ),
    (
        "composites_dauphine",
        "need",
        "Recherche laboratoire pour caractériser des composites recyclés",
        "Nous intégrons de la fibre de carbone recyclée dans nos pièces moulées RTM et "
        "cherchons un laboratoire pour caractériser leur tenue mécanique et leur vieillissement.",
        "composites, fibre de carbone, recyclage, caractérisation",
        ["Matériaux composites"],
        "research",
        2,
    ),
    (
        "hydrogene_alpes",
        "need",
        "Site d'essais cherché pour pile à combustible de 100 kW",
        "Pour qualifier notre pile à combustible destinée aux poids lourds, nous cherchons un "
        "site d'essais hydrogène équipé (sécurité ATEX, alimentation haute pression).",
        "hydrogène, pile à combustible, essais, sûreté, mobilité lourde",
        ["Hydrogène"],
        "research",
        9,
    ),
    (
        "irt_h2e",
        "offer",
        "Offre : plateforme d'essais hydrogène haute pression",
        "Cellules d'essais ATEX jusqu'à 700 bar, bancs d'endurance pour piles et électrolyseurs, "
        "ingénieurs sûreté. Accès en prestation ou dans un projet collaboratif.",
        "hydrogène, essais, sûreté, haute pression, électrolyse",
        ["Hydrogène"],
        "",
        20,
    ),
    (
        "robotique_saone",
        "offer",
        "Offre : cellule robotisée de soudage laser pour prototypes",
        "Notre cellule de soudage laser robotisée, avec contrôle par vision, est disponible pour "
        "des séries de prototypes et des essais de faisabilité sur pièces métalliques.",
        "robotique, soudage laser, vision, prototypage",
        ["Industrie 4.0"],
        "",
        15,
    ),
    (
        "logiciels_rhone",
        "need",
        "Industriel cherché pour piloter un MES de traçabilité",
        "Nous cherchons une ETI industrielle prête à piloter notre MES de traçabilité matière "
        "sur une ligne de production pendant six mois, dans un projet Industrie 4.0.",
        "MES, traçabilité, industrie 4.0, pilote",
        ["Industrie 4.0"],
        "midcap",
        6,
    ),
    (
        "plastiques_oyonnax",
        "offer",
        "Offre : compounds recyclés pour pièces injectées",
        "Compounds PP et PA issus de déchets post-industriels, formulés sur mesure, avec "
        "fiches techniques et suivi de la teneur en matière recyclée.",
        "recyclage, compound, plasturgie, économie circulaire",
        ["Recyclage et économie circulaire"],
        "",
        30,
    ),
    (
        "jumeaux_atlantique",
        "need",
        "PME maritime cherchée pour un jumeau numérique de navire",
        "Nous développons un jumeau numérique de la propulsion des navires et cherchons un "
        "armateur ou une PME équipementière pour fournir les données d'exploitation.",
        "jumeau numérique, maritime, capteurs, simulation",
        ["Jumeaux numériques"],
        "sme",
        11,
    ),
]

# Market launches out of the projects: (project, launching partner, name, kind, description,
# months from the current month, markets, TRL reached, revenue in euros for the launch's year
# and each year after it (up to this year), other projects it also came from).
LAUNCHES = [
    (
        "CAPTOCOMP",
        "nanoptique",
        "Interrogateur NanoBragg 8 voies",
        "product",
        "Interrogateur de réseaux de Bragg à composant photonique intégré, quatre fois moins "
        "cher que les appareils de laboratoire, pour le suivi de cuisson et de santé des pièces "
        "composites.",
        -20,
        ["FR", "DE", "IT"],
        8,
        [180000, 420000, 510000],
        [],
    ),
    (
        "CAPTOCOMP",
        "capteurs_bourgogne",
        "Licence SHM-Fibre aéronautique",
        "licence",
        "Licence d'exploitation des capteurs à fibre optique intégrés concédée à Aérostructures "
        "Loire pour ses carénages ; redevances par pièce instrumentée.",
        -16,
        ["FR"],
        7,
        [60000, 85000, 90000],
        ["SKINAIR"],
    ),
    (
        "SKINAIR",
        "composites_dauphine",
        "Peaux composites instrumentées — présérie",
        "process",
        "Fabrication en présérie de peaux de carénage à capteurs imprimés, sur la ligne RTM de "
        "Voiron, pour les essais en vol d'Aérostructures Loire.",
        -5,
        ["FR"],
        7,
        [95000, 140000],
        [],
    ),
    (
        "COBOTEX",
        "cobotique_auvergne",
        "Cellule CoDrape",
        "product",
        "Cellule de drapage collaboratif avec contrôle par vision de l'orientation des plis, "
        "pour les petites séries aéronautiques et sportives.",
        -9,
        ["FR", "ES"],
        7,
        [150000, 320000],
        [],
    ),
    (
        "TRIBOCOAT",
        "usinage_forez",
        "Revêtement TriboShield WC-CoCr",
        "service",
        "Revêtement par projection thermique sans chrome hexavalent pour tiges de vérins et "
        "pièces de friction, en prestation dans la cabine de Saint-Étienne.",
        -3,
        ["FR"],
        7,
        [240000],
        [],
    ),
]

# Véga's reporting campaign for last year, opened REPORTS_OPENED days ago and due in
# REPORTS_DUE days (the leaders were reminded this week): the state each project's report
# reached, with its narrative (and the staff's comments on the one returned).
REPORTS_OPENED = 40
REPORTS_DUE = 6
REPORTS = [
    (
        "CAPTOCOMP",
        "validated",
        "Le projet est clos ; deux résultats sont sur le marché : l'interrogateur NanoBragg de "
        "Nanoptique Start, vendu en France, en Allemagne et en Italie, et la licence des "
        "capteurs intégrés concédée à Aérostructures Loire.",
        "",
    ),
    (
        "COBOTEX",
        "submitted",
        "La cellule pilote fonctionne chez Groupe Mécanique Alpes-Jura ; les premières cellules "
        "CoDrape sont livrées et la série A finance la commercialisation.",
        "",
    ),
    (
        "TRIBOCOAT",
        "returned",
        "Le revêtement WC-CoCr remplace le chrome dur chez un premier client série.",
        "Les emplois créés chez Usinage de Précision du Forez semblent élevés pour une seule "
        "cabine de projection : merci de les justifier, et de compléter le récit avec le chiffre "
        "d'affaires attendu l'an prochain.",
    ),
    (
        "RECYCARB",
        "draft",
        "Brouillon — le pilote de solvolyse a tourné 600 heures ; à compléter avec les "
        "chiffres des partenaires.",
        "",
    ),
    ("SKINAIR", "not_started", "", ""),
]
# In the draft: the partners that filled their figures (and said so), and one that gave
# its revenue only; the others have not started.
DRAFT_COMPLETE = {"composites_dauphine", "plastiques_oyonnax"}
DRAFT_PARTLY = {"alpes_mobilite": ["revenue", "export_share"]}
# What a partner reports for the year, by its category: revenue from the project's results
# as a share of its eligible costs (unless its launches say), export share (%), jobs
# created and maintained (FTE), patents filed and granted, publications.
OUTCOME_FIGURES = {
    "micro": ("0.5", "10", "1", "2", 1, 0, 0),
    "sme": ("0.6", "25", "2", "6", 1, 0, 0),
    "midcap": ("0.4", "40", "3", "12", 1, 1, 0),
    "large": ("0.15", "55", "2", "20", 2, 1, 1),
    "research": ("0", "0", "1", "3", 1, 0, 4),
    "school": ("0", "0", "0.5", "2", 0, 0, 2),
    "public": ("0", "0", "0", "1", 0, 0, 0),
    "other": ("0", "0", "0", "1", 0, 0, 0),
}

ROLES_FR = {
    "coordinator": "coordinateur",
    "partner": "partenaire",
    "associated": "partenaire associé",
    "subcontractor": "sous-traitant",
}

# The times the outcome services stamp, which the demo dates when things happened.
OUTCOME_TIMES = [
    (Campaign, "opened_at"),
    (MarketLaunch, "created_at"),
    (OutcomeReport, "started_at"),
    (OutcomeReport, "submitted_at"),
    (OutcomeReport, "reviewed_at"),
    (PartnerFigures, "updated_at"),
    (PartnerFigures, "completed_at"),
]

# Notifications older than this are marked read: the demo's unread ones are recent.
NOTIFICATIONS_READ_AFTER = timedelta(days=60)

# The status of a project's funding lines, from the state the project reached.
LINE_STATUS = {
    State.FUNDING_SOUGHT: FundingLine.Status.APPLIED,
    State.FUNDED: FundingLine.Status.GRANTED,
    State.RUNNING: FundingLine.Status.GRANTED,
    State.COMPLETED: FundingLine.Status.GRANTED,
    State.CLOSED: FundingLine.Status.CLOSED,
    State.NOT_FUNDED: FundingLine.Status.REFUSED,
    State.ABANDONED: FundingLine.Status.WITHDRAWN,
}
LINE_DECIDED_BY_STEP = {
    FundingLine.Status.GRANTED: "funded",
    FundingLine.Status.CLOSED: "funded",
    FundingLine.Status.REFUSED: "not_funded",
    FundingLine.Status.WITHDRAWN: "abandoned",
}


def add_months(day, months):
    years, month = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month + 1, 1)


def with_check_digit(payload):
    """``payload`` followed by the digit that makes it pass the Luhn check."""
    return next(payload + d for d in "0123456789" if luhn_valid(payload + d))


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def euros(value, step=100):
    """``value`` rounded to ``step`` euros, as money."""
    step = Decimal(step)
    return ((Decimal(value) / step).quantize(Decimal(1), ROUND_HALF_UP) * step).quantize(
        Decimal("0.01")
    )


def pdf_document(title, paragraphs):
    """A one-page A4 PDF written by hand (no library, always the same bytes): ``title`` in
    bold, then ``paragraphs`` wrapped to the page. Helvetica with the WinAnsi encoding
    covers French text."""

    def string(text):
        raw = text.encode("cp1252", "replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    content = [
        b"BT",
        b"/F2 16 Tf",
        b"60 770 Td",
        string(title) + b" Tj",
        b"/F1 10.5 Tf 15 TL T* T*",
    ]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 92) or [""]:
            content.append(string(line) + b" Tj T*")
        content.append(b"T*")
    content.append(b"ET")
    stream = b"\n".join(content)
    info = "".join(f"{b:02X}" for b in title.encode("utf-16-be"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title <FEFF" + info.encode() + b"> /Producer (Grappe seed_demo) >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    pdf += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(pdf)


def png_image(width, height, pixel):
    """A PNG of ``width`` × ``height`` whose colours ``pixel(x, y)`` gives as (r, g, b)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def process_diagram(x, y):
    """Three stages of a process linked by arrows, on a light background (a 240 × 96 sketch)."""
    background, box, arrow = (246, 248, 250), (31, 94, 140), (224, 122, 45)
    for left in (16, 96, 176):
        if left <= x < left + 48 and 28 <= y < 68:
            return box
    for left in (64, 144):
        if left + 4 <= x < left + 20 and 46 <= y < 50:
            return arrow
        if left + 20 <= x < left + 28 and 40 + (x - left - 20) <= y < 56 - (x - left - 20):
            return arrow
    return background


# The fee schedule of the demo pole, this year and last (category, headcount from, to, €).
FEE_SCHEDULE = [
    ("micro", 0, None, "250"),
    ("sme", 0, 9, "500"),
    ("sme", 10, 49, "900"),
    ("sme", 50, 249, "1500"),
    ("midcap", 0, None, "3000"),
    ("large", 0, None, "6000"),
    ("research", 0, None, "1000"),
    ("school", 0, None, "500"),
    ("public", 0, None, "1000"),
    ("other", 0, None, "300"),
]
# This year's fee, where not paid in full: (part paid, or None for nothing yet). New members
# owe the fee of the year they joined; members in their grace period have not paid it.
FEES_NOT_PAID = {
    "cobotique_auvergne": "0.5",
    "cycles_savoyards": None,
    "fonderie_morvan": None,
    "smt_dijon": "0.4",
}
FEES_IN_INSTALMENTS = {"logiciels_rhone", "alpes_mobilite"}
# Last year's fee of the members that have lapsed since.
LAST_YEAR_NOT_PAID = {"verrerie_rhodanienne": None, "fondation_mobilite": "0.5"}

# Applications awaiting the decision of Véga's staff: (organisation, days ago, dossier,
# the staff's question or None).
APPLICATIONS = [
    (
        "atelier_jura",
        6,
        {
            "activities": "Atelier de mécanique de précision (6 personnes) : prototypes et "
            "petites séries en aluminium et titane pour l'horlogerie et le médical.",
            "needs": "Trouver des donneurs d'ordre dans la mobilité, rejoindre un premier "
            "projet collaboratif, accéder aux appels à projets régionaux.",
            "project_idea": "Usinage de pièces de liaison allégées pour vélos à assistance "
            "électrique, avec un fabricant de cadres et un laboratoire matériaux.",
        },
        None,
    ),
    (
        "jumeaux_atlantique",
        24,
        {
            "activities": "Éditeur de jumeaux numériques pour les lignes de production "
            "(31 personnes), membre du Cluster Atlantique.",
            "needs": "Des industriels de la mobilité pour déployer nos jumeaux numériques sur "
            "des lignes de composites.",
            "project_idea": "",
        },
        "Pouvez-vous préciser vos références dans la mobilité et le projet collaboratif "
        "que vous souhaitez monter avec les membres du pôle ?",
    ),
    (
        "ilvs_stuttgart",
        2,
        {
            "activities": "Institut de recherche sur les véhicules légers et les structures "
            "composites (260 personnes), Stuttgart.",
            "needs": "Des partenaires français pour des projets Horizon Europe et des "
            "coopérations franco-allemandes sur l'hydrogène.",
            "project_idea": "Réservoirs d'hydrogène composites de type IV pour véhicules "
            "utilitaires, avec deux PME du pôle.",
        },
        None,
    ),
]


class Demo:
    """Builds the demo data; ``seed()`` runs inside the command's transaction."""

    def __init__(self):
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.month = self.today.replace(day=1)
        # One hash for every demo account: hashing is deliberately slow.
        self.password = make_password(DEMO_PASSWORD)
        self.accounts = {}
        self.people = {}  # full name -> Person, for the people named in the data
        self.organisations = {}
        self.contact = {}  # organisation key -> the person who represents it on projects
        self.poles = {}
        self.staff = {}  # pole key -> the staff person who records its decisions
        self.themes = {}
        self.funders = {}
        self.projects = {}  # acronym -> Project
        self.sessions = {}  # pole key -> {"past"|"next"|"later": CommitteeSession}
        self.sirens = set()
        self.names = [
            (first, last)
            for first, last in zip(
                self.rng.sample(FIRST_NAMES, len(FIRST_NAMES)),
                self.rng.sample(LAST_NAMES, len(LAST_NAMES)),
                strict=True,
            )
        ]

    def seed(self):
        self.create_accounts()
        self.create_poles()
        self.create_sessions()
        self.create_organisations()
        self.create_funders()
        for spec in PROJECTS:
            self.projects[spec["acronym"]] = self.create_project(spec)
        self.upload_documents()
        self.send_invitations()
        self.publish_posts()
        self.collect_fees()
        self.receive_applications()
        self.record_launches()
        self.run_report_campaign()
        # The daily reminders, as the cron jobs send them: overdue milestones, reports due.
        call_command("send_milestone_reminders", stdout=StringIO())
        call_command("send_report_reminders", stdout=StringIO())
        self.read_old_notifications()
        # Staff, reviewers and the admin need a second factor: the README's published demo key.
        for person in self.accounts.values():
            if two_factor.role_requires(person):
                two_factor.give_demo_device(person)

    # People, poles, organisations, funders

    def person(self, email, first, last, *, can_sign_in=False, **fields):
        person = Person(email=email, first_name=first, last_name=last, **fields)
        if can_sign_in:
            person.password = self.password
        else:
            person.set_unusable_password()
        person.save()
        self.people[f"{first} {last}"] = person
        return person

    def create_accounts(self):
        for key, email, first, last, _role in ACCOUNTS:
            extra = {"is_staff": True, "is_superuser": True} if key == "admin" else {}
            self.accounts[key] = self.person(email, first, last, can_sign_in=True, **extra)
        # A second expert, whose opinions on decided projects are part of their history.
        self.person("bernard.lacroix@expertise-industrielle.example", "Bernard", "Lacroix")

    def create_poles(self):
        for key, data in POLES.items():
            pole = Pole(
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                regions=data["regions"],
                label_start=data["label_start"],
                label_end=data["label_end"],
                strategy=data["strategy"],
            )
            pole.full_clean()
            pole.save()
            for name in data["themes"]:
                self.themes[name] = Theme.objects.create(pole=pole, name=name)
            staff_key, job_title = data["staff"]
            portal_services.add_pole_staff(pole, self.accounts[staff_key], job_title=job_title)
            self.poles[key] = pole
            self.staff[key] = self.accounts[staff_key]

    def committee_name(self, pole_key, day):
        return f"{POLES[pole_key]['committee']} — {MONTHS_FR[day.month - 1]} {day.year}"

    def create_sessions(self):
        for key, sessions in SESSIONS.items():
            self.sessions[key] = {}
            for which, months, days, location, notes in sessions:
                day = add_months(self.month, months) + timedelta(days=days)
                self.sessions[key][which] = project_services.create_session(
                    self.poles[key],
                    name=self.committee_name(key, day),
                    date=day,
                    location=location,
                    notes=notes,
                )

    def identifiers(self, data):
        if data.get("country", "FR") != "FR":
            country = data["country"]
            digits = 9 if country == "DE" else 11
            return {
                "vat_number": country + "".join(str(self.rng.randrange(10)) for _ in range(digits)),
                "pic": str(self.rng.randrange(900000000, 999999999)),
                "region": "ZZZ",
                "country": country,
            }
        siren = None
        while siren is None or siren in self.sirens or siren == LA_POSTE_SIREN:
            siren = with_check_digit(str(self.rng.randrange(30000000, 99999999)))
        self.sirens.add(siren)
        siret = with_check_digit(siren + f"{self.rng.randrange(1, 100):04d}")
        return {"siren": siren, "siret": siret, "region": data["region"], "country": "FR"}

    def create_organisations(self):
        for data in ORGANISATIONS:
            domain = f"{data['key'].replace('_', '-')}.example"
            organisation = Organisation(
                legal_name=data["legal_name"],
                category=data["category"],
                headcount=data["headcount"],
                turnover=Decimal(data["turnover"]),
                city=data["city"],
                naf_code=data["naf"],
                competences=data["competences"],
                keywords=data["keywords"],
                description=data["description"],
                website=f"https://www.{domain}",
                directory_consent=data.get("consent", True),
                **self.identifiers(data),
            )
            organisation.full_clean()
            organisation.save()
            self.organisations[data["key"]] = organisation
            people = data.get("people")
            if people is None:
                first, last = self.names.pop()
                job = self.rng.choice(JOB_TITLES[data["category"]])
                people = [(first, last, job, True)]
            for first, last, job, is_admin in people:
                person = self.person(f"{slug(first)}.{slug(last)}@{domain}", first, last)
                Affiliation.objects.create(
                    person=person, organisation=organisation, job_title=job, is_admin=is_admin
                )
                self.contact.setdefault(data["key"], person)
            for pole_key, status in data.get("members", {}).items():
                self.create_membership(organisation, self.poles[pole_key], status)
        accounts = self.accounts
        for key, organisation_key, job, is_admin in [
            ("leader", "composites_dauphine", "Directeur R&D", True),
            ("member", "lmpa", "Ingénieure de recherche CNRS", False),
            ("outsider", "atelier_jura", "Gérant", True),
        ]:
            organisation = self.organisations[organisation_key]
            Affiliation.objects.create(
                person=accounts[key], organisation=organisation, job_title=job, is_admin=is_admin
            )
            self.contact[organisation_key] = accounts[key]

    def create_membership(self, organisation, pole, status):
        year_end = date(self.today.year, 12, 31)
        since = date(self.today.year - self.rng.randrange(2, 9), 1, 1)
        start, end = {
            "applied": (None, None),
            "new": (self.today - timedelta(days=self.rng.randrange(30, 240)), year_end),
            "current": (since, year_end),
            "grace": (since, self.today - timedelta(days=self.rng.randrange(20, 80))),
            "expired": (since, self.today - timedelta(days=self.rng.randrange(200, 500))),
        }[status]
        membership = Membership(
            organisation=organisation, pole=pole, status=status, start_date=start, end_date=end
        )
        membership.full_clean()
        membership.save()

    def create_funders(self):
        for key, (name, kind, category) in FUNDERS.items():
            funder = Funder(name=name, kind=kind, category=category)
            funder.full_clean()
            funder.save()
            self.funders[key] = funder
        funding_services.add_reviewer(self.funders["bpifrance"], self.accounts["funder"])
        for funder_key, name, instrument, description in PROGRAMMES:
            programme = Programme(
                funder=self.funders[funder_key],
                name=name,
                instrument=instrument,
                description=description,
            )
            programme.full_clean()
            programme.save()

    # Projects

    def budget(self, organisation, role):
        """A partner's eligible costs, split the way R&D budgets usually are."""
        low, high = BUDGET_RANGES[organisation.category]
        amount = Decimal(self.rng.randrange(low * 1000, high * 1000, 500))
        factor = {C: "1.3", P: "1", A: "0.3", S: "0.25"}[role]
        total = euros(amount * Decimal(factor), step=500)
        equipment = euros(total * Decimal("0.18"), step=500)
        subcontracting = euros(total * Decimal("0.10"), step=500)
        other = euros(total * Decimal("0.07"), step=500)
        return {
            "personnel_costs": total - equipment - subcontracting - other,
            "equipment_costs": equipment,
            "subcontracting_costs": subcontracting,
            "other_costs": other,
        }

    def moment(self, day):
        """Ten in the morning, Paris time, on ``day``."""
        return timezone.make_aware(datetime.combine(day, clock(10)))

    def milestones(self, spec):
        """The date of every step of the project's path, in the past and in order."""
        start = add_months(self.month, spec["start"])
        end = add_months(start, spec["months"]) - timedelta(days=1)
        plan = {
            "created": add_months(start, -10) + timedelta(days=8),
            "submit": add_months(start, -7) + timedelta(days=3),
            "withdraw": add_months(start, -7) + timedelta(days=28),
            "label": add_months(start, -5) + timedelta(days=12),
            "reject": add_months(start, -5) + timedelta(days=12),
            "funding_sought": add_months(start, -5) + timedelta(days=20),
            "funded": add_months(start, -1) + timedelta(days=5),
            "not_funded": add_months(start, -1) + timedelta(days=5),
            "running": start,
            "completed": end,
            "closed": end + timedelta(days=150),
        }
        if spec.get("session") == "past":
            # Decided at the last committee session of the (first) pole it was submitted to.
            session = self.sessions[spec.get("poles", ["vega"])[0]]["past"]
            plan["label"] = plan["reject"] = session.date
        dates = {"start": start, "end": end}
        previous = min(plan["created"], self.today)
        dates["created"] = previous
        for step in spec["path"]:
            day = plan.get(step, previous + timedelta(days=45))
            previous = min(max(day, previous), self.today)
            dates[step] = previous
        return dates

    def create_project(self, spec):
        dates = self.milestones(spec)
        coordinator_key = spec["coordinator"]
        leader = self.contact[coordinator_key]
        project = project_services.create_project(
            by=leader,
            coordinator=self.organisations[coordinator_key],
            themes=[self.themes[name] for name in spec["themes"]],
            acronym=spec["acronym"],
            title=spec["title"],
            public_summary=spec["summary"],
            description=spec["description"],
            trl_start=spec["trl"][0],
            trl_target=spec["trl"][1],
            start_date=dates["start"],
            end_date=dates["end"],
        )
        Project.objects.filter(pk=project.pk).update(created_at=self.moment(dates["created"]))
        coordinator = project.partners.get(role=Partner.Role.COORDINATOR)
        project_services.change_partner(coordinator, **self.budget(coordinator.organisation, C))
        if "signatory" in spec:
            project_services.add_contact(
                coordinator, self.people[spec["signatory"]], Contact.Role.FINANCIAL_SIGNATORY
            )
        for organisation_key, role in spec["partners"]:
            organisation = self.organisations[organisation_key]
            contact = self.contact.get(organisation_key)
            project_services.add_partner(
                project,
                organisation=organisation,
                role=role,
                **self.budget(organisation, role),
                contacts=[(contact, Contact.Role.PARTNER_CONTACT)] if contact else [],
            )
        self.run_lifecycle(project, spec, leader, dates)
        for line in spec.get("funding", []):
            self.record_funding(project, dates, *line)
        for private_round in spec.get("rounds", []):
            self.record_round(project, dates, *private_round)
        for partner_key, funder_key, programme, amount in spec.get("applications", []):
            partner = project.partners.get(organisation=self.organisations[partner_key])
            line = funding_services.record_funding_line(
                project=project,
                partner=partner,
                funder=self.funders[funder_key],
                programme=programme,
                amount_requested=euros(amount),
                status=FundingLine.Status.APPLIED,
                by=project.partners.get(role=Partner.Role.COORDINATOR).contacts.first(),
            )
            self.backdate(line, self.today - timedelta(days=20))
        self.add_milestones(project, spec, dates)
        return project

    def add_milestones(self, project, spec, dates):
        for kind, title, months, days, done, partner_key in spec.get("milestones", []):
            due = add_months(dates["start"], months) + timedelta(days=days)
            partner = None
            if partner_key:
                partner = project.partners.get(organisation=self.organisations[partner_key])
            project_services.add_milestone(
                project,
                kind=kind,
                title=title,
                due_date=due,
                done_on=None if done is None else min(due + timedelta(days=done), self.today),
                partner=partner,
            )

    def run_lifecycle(self, project, spec, leader, dates):
        poles = [(key, self.poles[key]) for key in spec.get("poles", ["vega"])]
        stamped = 0
        notified = self.last_notification()
        for step in spec["path"]:
            day = dates[step]
            comment = spec.get("comments", {}).get(step, "")
            if step == "submit":
                project_services.submit_project(project, [pole for _key, pole in poles], by=leader)
                project.submissions.update(submitted_at=self.moment(day))
                if spec.get("session") == "next":
                    for key, pole in poles:
                        submission = project.submissions.get(pole=pole)
                        project_services.schedule(submission, self.sessions[key]["next"])
                self.ask_experts(project, spec, *poles[0], day)
            elif step in ("label", "reject"):
                self.decide(project, spec, poles, step, day)
            elif step == "withdraw":
                project_services.change_state(project, State.DRAFT, by=leader, comment=comment)
            else:
                project_services.change_state(project, step, by=leader, comment=comment)
            # The services stamp history with the current time; move it to the step's date.
            changes = StateChange.objects.filter(project=project, pk__gt=stamped)
            changes.update(at=self.moment(day))
            stamped = changes.aggregate(last=Max("pk"))["last"] or stamped
            # So are the notifications the step sent.
            Notification.objects.filter(pk__gt=notified).update(created_at=self.moment(day))
            notified = self.last_notification()
        project.refresh_from_db()

    def last_notification(self):
        return Notification.objects.aggregate(last=Max("pk"))["last"] or 0

    def ask_experts(self, project, spec, pole_key, pole, day):
        """The pole's staff ask the spec's experts; those with an opinion give it."""
        for name, opinion in spec.get("experts", []):
            expert = self.accounts.get(name) or self.people[name]
            assignment = project_services.assign_expert(
                project, pole, expert, requested_by=self.staff[pole_key]
            )
            if opinion:
                project_services.give_opinion(assignment, opinion, by=expert)
            ExpertAssignment.objects.filter(pk=assignment.pk).update(
                requested_at=self.moment(min(day + timedelta(days=7), self.today)),
                opinion_given_at=(
                    self.moment(min(day + timedelta(days=21), self.today)) if opinion else None
                ),
            )

    def decide(self, project, spec, poles, step, day):
        for offset, (key, pole) in enumerate(poles):
            decided_on = min(day + timedelta(days=9 * offset), self.today)
            if step == "label":
                texts = spec.get("decisions", {}).get(key) or {
                    "opinion": self.rng.choice(LABEL_OPINIONS),
                    "conditions": self.rng.choice(LABEL_CONDITIONS),
                    "notes": self.rng.choice(STAFF_NOTES),
                }
                decision = Submission.Decision.LABELLED
            else:
                texts, decision = REJECTION, Submission.Decision.REJECTED
            submission = project.submissions.get(pole=pole)
            committee = self.committee_name(key, decided_on)
            if spec.get("session") == "past" and offset == 0:
                session = self.sessions[key]["past"]
                project_services.schedule(submission, session)
                decided_on, committee = session.date, session.name
            project_services.record_decision(
                submission,
                decision,
                by=self.staff[key],
                decided_on=decided_on,
                committee=committee,
                opinion=texts["opinion"],
                conditions=texts["conditions"],
                staff_notes=texts["notes"],
            )
            ExpertAssignment.objects.filter(
                project=project, pole=pole, closed_at__isnull=False
            ).update(closed_at=self.moment(decided_on))

    def record_funding(self, project, dates, partner_key, funder_key, programme, amount):
        """The line as it happened: applied for by the leader, then decided by the funder
        (its reviewer, when it has one), disbursed, repaid, closed."""
        partner = project.partners.get(organisation=self.organisations[partner_key])
        if isinstance(amount, float):
            requested = euros(partner.budget * Decimal(str(amount)))
        else:
            requested = euros(amount)
        status = LINE_STATUS[State(project.state)]
        granted = None
        if status in (FundingLine.Status.GRANTED, FundingLine.Status.CLOSED):
            granted = euros(requested * Decimal(self.rng.choice(["1", "0.95", "0.9", "0.85"])))
        decided_step = LINE_DECIDED_BY_STEP.get(status)
        funder = self.funders[funder_key]
        reviewer = funder.reviewers.first()
        leader = project.partners.get(role=Partner.Role.COORDINATOR).contacts.first()
        line = funding_services.record_funding_line(
            project=project,
            partner=partner,
            funder=funder,
            programme=programme.format(year=dates["funding_sought"].year),
            amount_requested=requested,
            status=FundingLine.Status.APPLIED,
            by=leader,
        )
        self.backdate(line, dates["funding_sought"])
        if status == FundingLine.Status.APPLIED:
            return line
        decided_on = dates[decided_step]
        decision = {"status": status, "decision_date": decided_on}
        if status == FundingLine.Status.WITHDRAWN:
            decision = {"status": status}
        elif granted is not None:
            decision = {"status": FundingLine.Status.GRANTED, "decision_date": decided_on}
            decision["amount_granted"] = granted
        by = leader if status == FundingLine.Status.WITHDRAWN else reviewer
        self.change_line(line, decided_on, by=by, **decision)
        if granted is None:
            return line
        late = (project.acronym, partner_key, line.programme.name) == LATE_TRANCHE
        self.add_tranches(line, dates, by=reviewer, late=late)
        if status == FundingLine.Status.CLOSED:
            self.change_line(line, dates["closed"], by=reviewer, status=status)
        return line

    def change_line(self, line, day, *, by, **fields):
        """A change of ``line`` made on ``day``: its history and notifications dated then."""
        since = timezone.now()
        funding_services.change_funding_line(line, by=by, **fields)
        self.backdate(line, day)
        Notification.objects.filter(created_at__gte=since).update(created_at=self.moment(day))

    def backdate(self, instance, day):
        """The latest history record of ``instance`` dated ``day`` (never after today)."""
        records = type(instance).history.filter(id=instance.pk).order_by("-history_id")
        records.filter(history_id=records.values("history_id")[:1]).update(
            history_date=self.moment(min(day, self.today))
        )

    def add_tranches(self, line, dates, *, by, late=False):
        """The disbursements of a granted line, and the repayments of an advance or a loan.
        A grant is paid in three tranches: an advance after the decision, an interim payment
        a year into the project, the balance after its end; a loan, an equity investment or
        a tax credit at once. Tranches due are paid (a dozen days later), but the ``late`` one."""
        decided, granted = line.decision_date, line.amount_granted
        instrument = line.programme.instrument
        if instrument in (LOAN, EQUITY, TAX_CREDIT):
            plan = [(Disbursement.Kind.FINAL, granted, decided + timedelta(days=30))]
        else:
            advance, interim = euros(granted * Decimal("0.3")), euros(granted * Decimal("0.4"))
            plan = [
                (Disbursement.Kind.PRE_FINANCING, advance, decided + timedelta(days=20)),
                (
                    Disbursement.Kind.INTERIM,
                    interim,
                    max(add_months(dates["start"], 12), decided + timedelta(days=60)),
                ),
                (
                    Disbursement.Kind.FINAL,
                    granted - advance - interim,
                    dates["end"] + timedelta(days=120),
                ),
            ]
        acronym = line.project.acronym
        for number, (kind, amount, day) in enumerate(plan, 1):
            tranche = funding_services.record_disbursement(
                line,
                by=by,
                kind=kind,
                amount=amount,
                scheduled_date=day,
                reference=f"{acronym}-{line.pk:03d}-V{number}",
            )
            self.backdate(tranche, decided)
            paid = min(day + timedelta(days=12), self.today)
            if day < self.today and not (late and kind == Disbursement.Kind.INTERIM):
                funding_services.change_disbursement(tranche, by=by, paid_date=paid)
                self.backdate(tranche, paid)
        if instrument in (ADVANCE, LOAN):
            self.add_repayments(line, dates, by=by)

    def add_repayments(self, line, dates, *, by):
        """An advance is repaid in four yearly instalments from a year after the project's end;
        a loan in eight quarterly ones from a year after the decision."""
        if line.programme.instrument == ADVANCE:
            count, months, first = 4, 12, add_months(dates["end"], 13)
        else:
            count, months, first = 8, 3, add_months(line.decision_date, 12)
        instalment = euros(line.amount_granted / count)
        for number in range(count):
            last = line.amount_granted - instalment * (count - 1)
            amount = instalment if number < count - 1 else last
            due = add_months(first, number * months)
            paid = due + timedelta(days=5)
            repayment = funding_services.record_repayment(
                line,
                by=by,
                amount=amount,
                due_date=due,
                paid_date=paid if paid <= self.today else None,
            )
            self.backdate(repayment, min(paid, self.today))

    def record_round(self, project, dates, partner_key, kind, amount, investors, months):
        partner = project.partners.get(organisation=self.organisations[partner_key])
        closed_on = min(add_months(dates["start"], months) + timedelta(days=14), self.today)
        private_round = funding_services.record_private_round(
            partner,
            by=partner.contacts.first(),
            kind=kind,
            amount=euros(amount),
            investors=investors,
            closed_on=closed_on,
        )
        self.backdate(private_round, closed_on)

    # Documents, invitations, notifications

    def upload_documents(self):
        for acronym, kind, title, filename, uploader, months, days in DOCUMENTS:
            project = self.projects[acronym]
            upload = SimpleUploadedFile(filename, self.document_content(project, kind, filename))
            document = project_services.add_document(
                project, by=self.accounts[uploader], upload=upload, kind=kind, title=title
            )
            day = min(add_months(project.start_date, months) + timedelta(days=days), self.today)
            Document.objects.filter(pk=document.pk).update(uploaded_at=self.moment(day))

    def document_content(self, project, kind, filename):
        if filename.endswith(".png"):
            return png_image(240, 96, process_diagram)
        partners = [
            f"{partner.organisation} ({ROLES_FR[partner.role]}), "
            + f"{int(partner.budget):,}".replace(",", " ")
            + " € de coûts éligibles"
            for partner in project.partners.select_related("organisation").order_by("pk")
        ]
        if kind == Document.Kind.CONSORTIUM_AGREEMENT:
            return pdf_document(
                f"Accord de consortium — {project.acronym}",
                [
                    project.title,
                    "Entre les parties : " + " ; ".join(partners) + ".",
                    "Article 1 — Objet. Le présent accord organise l'exécution du projet, la "
                    "répartition des travaux et des coûts entre les parties, et l'exploitation "
                    "de ses résultats.",
                    "Article 2 — Propriété intellectuelle. Chaque partie reste propriétaire de "
                    "ses connaissances antérieures. Les résultats appartiennent à la partie qui "
                    "les a obtenus ; les résultats communs sont en copropriété, au prorata des "
                    "apports.",
                    "Article 3 — Confidentialité. Les informations échangées restent "
                    "confidentielles pendant cinq ans après la fin du projet.",
                    "Fait en autant d'exemplaires que de parties. Document de démonstration "
                    "généré par Grappe.",
                ],
            )
        return pdf_document(
            f"Dossier de candidature — {project.acronym}",
            [
                project.title,
                "Résumé public : " + project.public_summary,
                "Consortium : " + " ; ".join(partners) + ".",
                f"TRL de départ : {project.trl_start} ; TRL visé : {project.trl_target}.",
                "Document de démonstration généré par Grappe.",
            ],
        )

    def send_invitations(self):
        for acronym, organisation_key, email, role in INVITATIONS:
            project = self.projects[acronym]
            partner = project.partners.get(organisation=self.organisations[organisation_key])
            leader = (
                Contact.objects.get(partner__project=project, role=Contact.Role.COORDINATOR_CONTACT)
            ).person
            invitation = project_services.invite_contact(
                partner, email, role, leader, base_url=settings.SITE_URL
            )
            # Sent a few days ago: still pending, and it expires in eleven days.
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=timezone.now() - timedelta(days=3)
            )

    def publish_posts(self):
        """Offers and needs on the matchmaking board, and a member who wrote about one."""
        posts = {}
        for key, kind, title, body, keywords, themes, wanted, days in POSTS:
            organisation = self.organisations[key]
            post = matchmaking.create_post(
                by=self.contact[key],
                organisation=organisation,
                kind=kind,
                title=title,
                body=body,
                keywords=keywords,
                themes=[self.themes[name] for name in themes],
                wanted_category=wanted,
            )
            Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=days))
            posts[key] = post
        matchmaking.send_contact_request(
            sender=self.accounts["member"],
            organisation=self.organisations["composites_dauphine"],
            post=posts["composites_dauphine"],
            message=(
                "Bonjour, le LMPA caractérise justement des composites recyclés (traction, "
                "fatigue, vieillissement hygrothermique). Pouvons-nous en parler la semaine "
                "prochaine ?"
            ),
        )

    # Membership fees and applications

    def backdate_notifications(self, since_pk, day):
        """The notifications made since ``since_pk`` were sent on ``day``."""
        Notification.objects.filter(pk__gt=since_pk).update(created_at=self.moment(day))

    def last_notification_pk(self):
        return Notification.objects.aggregate(last=Max("pk"))["last"] or 0

    def pay(self, call, share, first_day, instalments=1):
        """Pay ``share`` of ``call`` (all of it with "1"), in ``instalments``, from
        ``first_day`` on; the members' admins are told on the day of each payment."""
        total = (call.amount * Decimal(share)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        parts = [total] if instalments == 1 else [total / 2, total - total / 2]
        for n, amount in enumerate(parts):
            day = min(first_day + timedelta(days=45 * n), self.today)
            since = self.last_notification_pk()
            portal_services.record_payment(
                call,
                paid_on=day,
                amount=amount,
                reference=f"VIR-{call.year}-{call.pk:03d}{'-' + str(n + 1) if n else ''}",
                by=self.accounts["staff"],
                today=self.today,
            )
            self.backdate_notifications(since, day)

    def collect_fees(self):
        """Véga's fee schedule of this year and last; last year's fees, paid but by the
        members that lapsed since; this year's, called in January (or when a new member
        joined), mostly paid, some in part, some not at all."""
        pole, year = self.poles["vega"], self.today.year
        for schedule_year in (year - 1, year):
            for category, low, high, amount in FEE_SCHEDULE:
                portal_services.save_fee_schedule(
                    FeeSchedule(
                        pole=pole,
                        year=schedule_year,
                        category=category,
                        min_headcount=low,
                        max_headcount=high,
                        amount=Decimal(amount),
                    )
                )
        keys = {organisation.pk: key for key, organisation in self.organisations.items()}
        members = Membership.objects.filter(pole=pole).select_related("organisation")
        # Last year's calls: every member of last year, called on January 20th.
        called = date(year - 1, 1, 20)
        for membership in members.order_by("pk"):
            if not membership.start_date or membership.start_date.year >= year:
                continue
            if membership.end_date and membership.end_date < date(year - 1, 1, 1):
                continue
            call = FeeCall.objects.create(
                membership=membership,
                year=year - 1,
                amount=portal_services.fee_for(membership.organisation, pole, year - 1),
                issued_on=called,
                due_date=called + timedelta(days=45),
            )
            key = keys[membership.organisation_id]
            share = LAST_YEAR_NOT_PAID.get(key, "1")
            if share:
                self.pay(call, share, called + timedelta(days=self.rng.randrange(15, 60)))
        # This year's calls, as the staff issued them (the members' admins were told).
        called = min(date(year, 1, 20), self.today - timedelta(days=40))
        since = self.last_notification_pk()
        portal_services.issue_fee_calls(
            pole, year, issued_on=called, due_date=called + timedelta(days=45)
        )
        self.backdate_notifications(since, called)
        calls = FeeCall.objects.filter(membership__pole=pole, year=year).select_related(
            "membership__organisation"
        )
        for call in calls.order_by("pk"):
            membership = call.membership
            if membership.start_date and membership.start_date > called:
                # A new member: called the day it joined.
                call.issued_on = membership.start_date
                call.due_date = membership.start_date + timedelta(days=30)
                call.save(update_fields=["issued_on", "due_date"])
            key = keys[membership.organisation_id]
            share = FEES_NOT_PAID.get(key, "1")
            if share:
                first_day = call.issued_on + timedelta(days=self.rng.randrange(7, 40))
                instalments = 2 if key in FEES_IN_INSTALMENTS else 1
                self.pay(call, share, first_day, instalments)
        # The daily jobs, as cron runs them: statuses by the dates, overdue fees reminded.
        call_command("update_membership_statuses", stdout=StringIO())
        call_command("send_fee_reminders", stdout=StringIO())

    def receive_applications(self):
        """Three applications await Véga's staff; they asked one applicant for more."""
        pole, staff = self.poles["vega"], self.accounts["staff"]
        for key, days, dossier, question in APPLICATIONS:
            organisation = self.organisations[key]
            applicant = (
                portal_services.organisation_admins(organisation).first() or self.contact[key]
            )
            sent = self.today - timedelta(days=days)
            since = self.last_notification_pk()
            application = portal_services.apply_for_membership(
                pole, organisation, by=applicant, people=[applicant], **dossier
            )
            MembershipApplication.objects.filter(pk=application.pk).update(
                submitted_at=self.moment(sent)
            )
            self.backdate_notifications(since, sent)
            if question:
                asked = sent + timedelta(days=days // 2)
                since = self.last_notification_pk()
                portal_services.request_information(application, by=staff, comment=question)
                self.backdate_notifications(since, asked)

    # Market launches and outcome reports

    def dated(self, day, action, *args, **kwargs):
        """``action(*args, **kwargs)`` (a service) as if done on ``day``: the times it
        stamped, the history it wrote and the notifications it sent are dated then."""
        since, notified = timezone.now(), self.last_notification_pk()
        result = action(*args, **kwargs)
        moment = self.moment(min(day, self.today))
        for model, field in OUTCOME_TIMES:
            model.objects.filter(**{f"{field}__gte": since}).update(**{field: moment})
        for model in (Campaign, OutcomeReport, PartnerFigures, MarketLaunch, LaunchRevenue):
            model.history.filter(history_date__gte=since).update(history_date=moment)
        self.backdate_notifications(notified, day)
        return result

    def record_launches(self):
        """The launches out of the projects, recorded by the launching partner's contact, and
        their revenue of each year, recorded early the following year (this year's so far)."""
        for spec in LAUNCHES:
            acronym, key, name, kind, description, months, markets, trl, revenues, others = spec
            project = self.projects[acronym]
            partner = project.partners.get(organisation=self.organisations[key])
            launched = min(add_months(self.month, months) + timedelta(days=14), self.today)
            launch = self.dated(
                launched,
                outcome_services.record_launch,
                project=project,
                partner=partner,
                by=self.contact[key],
                other_projects=[self.projects[other] for other in others],
                name=name,
                kind=kind,
                description=description,
                launch_date=launched,
                markets=markets,
                trl_reached=trl,
            )
            for year, amount in enumerate(revenues, start=launched.year):
                if year > self.today.year:
                    break
                self.dated(
                    min(date(year + 1, 1, 15), self.today),
                    outcome_services.set_launch_revenue,
                    launch,
                    year=year,
                    amount=euros(amount),
                    by=self.contact[key],
                )

    def run_report_campaign(self):
        """Véga's campaign for last year, built as ``tests/outcomes/world.py`` does (a
        campaign past its year is opened here, not through ``open_campaign``, which asks only
        today's scope): a report validated, one awaiting the staff, one returned, a draft
        partly filled, one not started."""
        pole, staff = self.poles["vega"], self.accounts["staff"]
        opened = self.today - timedelta(days=REPORTS_OPENED)
        campaign = Campaign(
            pole=pole,
            year=self.today.year - 1,
            due_date=self.today + timedelta(days=REPORTS_DUE),
            opened_by=staff,
            message="Merci de renseigner les retombées de l'an dernier : chiffre d'affaires, "
            "emplois, brevets, publications et financements obtenus depuis.",
        )
        campaign.full_clean()
        campaign._history_user = staff
        self.dated(opened, campaign.save)
        for acronym, state, narrative, comments in REPORTS:
            project = self.projects[acronym]
            report = self.dated(opened, outcome_services.add_report, campaign, project, by=staff)
            if state == "not_started":
                continue
            leader = outcome_services.leaders_of(project).first()
            suggested = outcome_services.suggested_figures(report, leader)
            days = {"validated": 34, "returned": 30, "submitted": 8, "draft": 12}[state]
            for n, figures in enumerate(report.figures.select_related("partner__organisation")):
                self.fill_figures(figures, leader, suggested, state, opened + timedelta(days=n))
            filled = self.today - timedelta(days=days)
            report.refresh_from_db()  # as a page loads it: started when the figures were
            # The draft has its narrative begun; the spin-offs are still to say.
            answers = {"narrative": narrative}
            if state != "draft":
                answers["spin_offs"] = 0
            self.dated(filled, outcome_services.save_report, report, by=leader, **answers)
            if state == "draft":
                continue
            submitted = filled + timedelta(days=4)
            self.dated(submitted, outcome_services.submit_report, report, by=leader)
            reviewed = submitted + timedelta(days=8)
            if state == "validated":
                self.dated(reviewed, outcome_services.validate_report, report, by=staff)
            elif state == "returned":
                self.dated(
                    reviewed, outcome_services.return_report, report, by=staff, comments=comments
                )

    def fill_figures(self, figures, leader, suggested, state, day):
        """A partner's figures as its contact (or the leader) gives them: from what the portal
        knows (its launches' revenue, its private rounds), else from its category."""
        partner = figures.partner
        key = next(k for k, o in self.organisations.items() if o.pk == partner.organisation_id)
        share, export, created, kept, filed, granted, papers = OUTCOME_FIGURES[
            partner.organisation.category
        ]
        known = suggested.get(partner.pk, {})
        values = {
            "revenue": known.get("revenue") or euros(partner.budget * Decimal(share)),
            "export_share": Decimal(export),
            "jobs_created": Decimal(created),
            "jobs_maintained": Decimal(kept),
            "patents_filed": filed,
            "patents_granted": granted,
            "publications": papers,
            "follow_on_funding": known.get("follow_on_funding") or Decimal("0.00"),
        }
        if state == "draft":
            if key in DRAFT_PARTLY:
                values = {name: values[name] for name in DRAFT_PARTLY[key]}
            elif key not in DRAFT_COMPLETE:
                return
        by = partner.contacts.first() or leader
        self.dated(day, outcome_services.save_figures, figures, by=by, **values)
        if state != "draft" or key in DRAFT_COMPLETE:
            self.dated(day, outcome_services.complete_figures, figures, by=by)

    def read_old_notifications(self):
        """People have read what they were told about long ago; the recent news stays unread."""
        Notification.objects.filter(
            created_at__lt=timezone.now() - NOTIFICATIONS_READ_AFTER, read_at__isnull=True
        ).update(read_at=F("created_at") + timedelta(days=1))

    # Summary

    def summary(self, elapsed, emails=0):
        states = dict(
            Project.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        )
        today = timezone.localdate()
        counts = [
            ("poles", Pole.objects.count()),
            ("themes", Theme.objects.count()),
            ("organisations", Organisation.objects.count()),
            ("memberships", Membership.objects.count()),
            ("posts", Post.objects.count()),
            ("people", Person.objects.count()),
            ("projects", Project.objects.count()),
            ("partners", Partner.objects.count()),
            ("submissions", Submission.objects.count()),
            ("state changes", StateChange.objects.count()),
            ("funders", Funder.objects.count()),
            ("funding lines", FundingLine.objects.count()),
            ("programmes", Programme.objects.count()),
            ("disbursements", Disbursement.objects.count()),
            (
                "  late",
                Disbursement.objects.filter(paid_date=None, scheduled_date__lt=today).count(),
            ),
            ("repayments", Repayment.objects.count()),
            ("private rounds", PrivateRound.objects.count()),
            ("committees", CommitteeSession.objects.count()),
            ("expert opinions", ExpertAssignment.objects.exclude(opinion="").count()),
            ("milestones", Milestone.objects.count()),
            ("  overdue", Milestone.objects.filter(done_on=None, due_date__lt=today).count()),
            ("documents", Document.objects.count()),
            ("invitations", Invitation.pending().count()),
            ("applications", MembershipApplication.objects.count()),
            ("fee calls", FeeCall.objects.count()),
            (
                "  overdue",
                with_balance(FeeCall.objects.all(), today).filter(payment_status="overdue").count(),
            ),
            ("launches", MarketLaunch.objects.count()),
            ("reports", OutcomeReport.objects.count()),
            (
                "  to review",
                OutcomeReport.objects.filter(state=OutcomeReport.State.SUBMITTED).count(),
            ),
            ("notifications", Notification.objects.count()),
            ("  unread", Notification.objects.filter(read_at=None).count()),
        ]
        lines = [f"Demo seeded in {elapsed:.1f} s."]
        lines += [f"  {name:<15}{count:>5}" for name, count in counts]
        lines.append(
            "  projects by state: "
            + ", ".join(f"{state} {states.get(state, 0)}" for state in State.values)
        )
        lines.append(
            f"E-mails: none sent; the {emails} the seeding wrote (invitation, notifications) "
            "went to the in-memory mailer."
        )
        lines.append(f'Accounts (password "{DEMO_PASSWORD}"):')
        for _key, email, first, last, role in ACCOUNTS:
            lines.append(f"  {email:<24}{first + ' ' + last:<18}{role}")
        return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Seed a demo installation: poles, members, projects in every state, funding and one "
        "account per role (password 'demo'). Refuses to run when DEBUG is off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even though DEBUG is off.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people in it.",
        )

    def handle(self, *args, force=False, if_empty=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts whose password is 'demo': it refuses to run when "
                "DEBUG is off. Pass --force if this really is a demo installation."
            )
        if if_empty and Person.objects.exists():
            self.stdout.write("Database already has data; demo not seeded.")
            return
        if Person.objects.filter(email__iexact=STAFF_EMAIL).exists():
            raise CommandError(
                f"The demo is already seeded ({STAFF_EMAIL} exists). Seed it into an empty "
                "database, or pass --if-empty to skip seeding when there is data."
            )
        started = time.monotonic()
        # The services e-mail what they notify once the transaction commits: to the in-memory
        # mailer here, neither printed on the console nor sent to the demo's invented addresses.
        with override_settings(MAILERS={"default": {"BACKEND": LOCMEM_MAILER}}):
            outbox = len(getattr(mail, "outbox", []))
            with transaction.atomic():
                demo = Demo()
                demo.seed()
            emails = len(getattr(mail, "outbox", [])) - outbox
        self.stdout.write(demo.summary(time.monotonic() - started, emails))
