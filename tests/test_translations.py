"""The French catalogue (locale/fr/LC_MESSAGES/django.po) is complete, and the committed
django.mo is what compiling that .po gives.

These tests read the committed files only: they run neither makemessages nor
compilemessages on the repository. A string that was never extracted with makemessages
is not caught here; after changing source strings, run
``manage.py makemessages -l fr --ignore=.venv --ignore=tests --ignore=staticfiles``,
translate, then ``manage.py compilemessages --ignore=.venv``.
"""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

NPLURALS = 2  # French: "nplurals=2; plural=(n > 1);"
# Python %-format placeholders as xgettext flags them: %(name)s, %s, %d…; %% is a literal.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def po_path():
    return Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"


def parse_po(path):
    """The entries of a .po file, obsolete ones (#~) left out. Each is a dict with line,
    flags, msgctxt, msgid, msgid_plural and msgstr ({index: text}; index 0 when singular)."""
    entries = []
    entry = key = None

    def new_entry(lineno):
        return {
            "line": lineno,
            "flags": set(),
            "msgid": None,
            "msgid_plural": None,
            "msgctxt": None,
            "msgstr": {},
        }

    def flush():
        nonlocal entry, key
        if entry is not None and entry["msgid"] is not None:
            entries.append(entry)
        entry = key = None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            continue
        # A comment or a new msgctxt/msgid after a msgstr starts the next entry.
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if starts_entry and entry is not None and entry["msgstr"]:
            flush()
        if entry is None:
            entry = new_entry(lineno)
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += text
            else:
                entry[key[0]] += text
        else:
            keyword, _, quoted = line.partition(" ")
            text = ast.literal_eval(quoted)
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            if match:
                key = ("msgstr", int(match.group(1) or 0))
                entry["msgstr"][key[1]] = text
            elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                key = (keyword, None)
                entry[keyword] = text
                if keyword == "msgid":
                    entry["line"] = lineno
            else:
                raise AssertionError(f"{path}:{lineno}: cannot read {raw!r}")
    flush()
    return entries


@pytest.fixture(scope="module")
def entries():
    path = po_path()
    assert path.is_file(), f"{path} is missing: run makemessages -l fr"
    return parse_po(path)


def where(entry):
    return f"django.po:{entry['line']}: {entry['msgid']!r}"


def test_the_header_is_french_with_two_plural_forms(entries):
    header = [e for e in entries if e["msgid"] == "" and e["msgctxt"] is None]
    assert len(header) == 1, "the .po has no header entry"
    fields = dict(
        line.split(": ", 1) for line in header[0]["msgstr"][0].splitlines() if ": " in line
    )
    assert fields.get("Language") == "fr"
    assert fields.get("Plural-Forms") == f"nplurals={NPLURALS}; plural=(n > 1);"
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert len(entries) > 100, "suspiciously few entries: was the .po parsed?"


def test_every_entry_is_translated(entries):
    untranslated = []
    for entry in entries:
        if entry["msgid"] == "":
            continue
        expected = range(NPLURALS) if entry["msgid_plural"] is not None else range(1)
        if any(not entry["msgstr"].get(i) for i in expected):
            untranslated.append(where(entry))
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_no_entry_is_fuzzy(entries):
    # gettext ignores fuzzy entries: their English source would show through.
    fuzzy = [
        where(e) if e["msgid"] else "django.po: the header"
        for e in entries
        if "fuzzy" in e["flags"]
    ]
    assert not fuzzy, "fuzzy entries (review them, then remove the flag):\n" + "\n".join(fuzzy)


def test_translations_keep_the_placeholders(entries):
    def placeholders(text):
        return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")

    wrong = []
    for entry in entries:
        if "python-format" not in entry["flags"]:
            continue
        for index, text in entry["msgstr"].items():
            source = entry["msgid"] if index == 0 else entry["msgid_plural"]
            expected, got = placeholders(source), placeholders(text)
            # A singular form may leave the count out ("un projet"), never add a name.
            ok = set(got) <= set(expected) if entry["msgid_plural"] else got == expected
            if not ok:
                wrong.append(f"{where(entry)} [{index}]: {expected} in the source, {got} here")
    assert not wrong, "placeholders changed:\n" + "\n".join(wrong)


def test_translations_add_no_straight_double_quotes(entries):
    # Translations land inside HTML attributes (placeholder, aria-label, hx-confirm), and
    # neither {% translate %} nor {% blocktranslate %} escapes the catalogue's text: a "
    # would end the attribute. French uses « » anyway.
    wrong = [
        f"{where(entry)} [{index}]: {text!r}"
        for entry in entries
        if entry["msgid"] and '"' not in entry["msgid"] + (entry["msgid_plural"] or "")
        for index, text in entry["msgstr"].items()
        if '"' in text
    ]
    assert not wrong, "straight double quotes in translations:\n" + "\n".join(wrong)


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    """django.mo is what compilemessages makes of django.po today (a stale .mo keeps
    serving old or missing translations). File dates say nothing after a git clone, so the
    .po is compiled again here and the two catalogues compared."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed: cannot compile django.po to compare")
    po = po_path()
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: run manage.py compilemessages"
    fresh = tmp_path / "django.mo"
    # The same command as compilemessages; --check-format also fails on broken placeholders.
    result = subprocess.run(
        [msgfmt, "--check-format", "-o", str(fresh), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, f"msgfmt refuses django.po:\n{result.stderr}"
    if fresh.read_bytes() == mo.read_bytes():
        return
    # Another gettext version may lay out the same catalogue differently: compare contents.
    with fresh.open("rb") as f:
        expected = gettext.GNUTranslations(f)._catalog
    with mo.open("rb") as f:
        committed = gettext.GNUTranslations(f)._catalog
    differing = sorted(
        str(key)
        for key in expected.keys() | committed.keys()
        if expected.get(key) != committed.get(key)
    )
    assert not differing, (
        "django.mo is stale, run manage.py compilemessages; it differs from django.po on:\n"
        + "\n".join(differing[:20])
    )
