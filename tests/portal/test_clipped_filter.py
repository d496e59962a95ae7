"""``clipped``: Django's ``truncatechars``, to the character, faster on short texts."""

import pytest
from django.template import engines
from django.template.defaultfilters import truncatechars
from django.utils.safestring import mark_safe

from portal.templatetags.grappe import clipped

DECOMPOSED = "e\u0301cole"  # "école" with its accent as a combining character (NFD)
TEXTS = [
    "",
    "court",
    "x" * 10,
    "x" * 11,
    "Énergie, hydrogène, matériaux composites",
    DECOMPOSED,
    DECOMPOSED * 3,  # 18 code points, 15 characters
    "a\u0301" * 12,  # 24 code points, 12 characters
    None,
    12345678901,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [0, 1, 5, 10, 12, 15, 16, "x"])
def test_clipped_is_truncatechars(text, length):
    assert clipped(text, length) == truncatechars(text, length)


def test_in_a_template_it_escapes_what_truncatechars_escapes():
    engine = engines["django"]
    for value in ("<b>bold</b> & more", mark_safe("<b>bold</b>")):
        ours = engine.from_string("{% load grappe %}{{ v|clipped:8 }}{{ v|clipped:80 }}")
        theirs = engine.from_string("{{ v|truncatechars:8 }}{{ v|truncatechars:80 }}")
        assert ours.render({"v": value}) == theirs.render({"v": value})
