"""Identifiers of French and European organisations, checked with their check digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share one SIREN whose SIRETs follow their own rule.
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"  # the one establishment of La Poste that follows Luhn


def luhn_valid(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(value):
    if not re.fullmatch(r"\d{9}", value or ""):
        raise ValidationError(_("A SIREN has exactly 9 digits."), code="siren_format")
    if not luhn_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid SIREN: its check digit is wrong."),
            code="siren_checksum",
            params={"value": value},
        )


def validate_siret(value):
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError(_("A SIRET has exactly 14 digits."), code="siret_format")
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_valid(value)
    if not valid:
        raise ValidationError(
            _("%(value)s is not a valid SIRET: its check digit is wrong."),
            code="siret_checksum",
            params={"value": value},
        )


def validate_pic(value):
    if not re.fullmatch(r"\d{9}", value or ""):
        raise ValidationError(_("An EU PIC has exactly 9 digits."), code="pic_format")


def validate_naf(value):
    if not re.fullmatch(r"\d{2}\.\d{2}[A-Z]", value or ""):
        raise ValidationError(
            _("A NAF code looks like 62.01Z (two digits, dot, two digits, a letter)."),
            code="naf_format",
        )


def normalise_identifier(value):
    """Spaces and dots people type in identifiers are not part of them."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


# Legal forms that do not tell one company from another.
LEGAL_FORMS = set(
    "sa sas sasu sarl eurl sci scop snc sca gie se selarl "
    "gmbh ag srl spa bv nv ltd limited inc llc plc".split()
)


def normalise_name(name):
    """A company name reduced to what makes it the same company: case, accents,
    punctuation and legal forms dropped ("Composites Dauphiné S.A.S." → "composites dauphine")."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"\b([a-z])\.(?=[a-z]\b|[a-z]\.)", r"\1", ascii_name.lower())
    words = re.findall(r"[a-z0-9]+", ascii_name.replace(".", ""))
    return " ".join(w for w in words if w not in LEGAL_FORMS)


def searchable(*texts):
    """Texts joined, lower-cased and without accents: what a search compares with a query
    reduced the same way ("ecole" finds "École", whatever the database)."""
    import unicodedata

    text = " ".join(t for t in texts if t)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())
