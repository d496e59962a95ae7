"""Recompute the accent-free search text of every organisation and post.

``save()`` fills it; rows written another way (``bulk_create``, ``update``, raw SQL, a
restored dump) may lack it or hold a stale one, and searches then miss them."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.models import Organisation, Post
from portal.validators import searchable

BATCH = 500


def organisation_text(o):
    return searchable(o.legal_name, o.keywords, o.competences, o.city, o.description)


def post_text(p):
    return searchable(p.title, p.body, p.keywords)


def rebuild(model, fields, text):
    """Rewrite the ``search_text`` that differs from what ``save()`` would write; how many."""
    changed = []
    for row in model.objects.only("pk", "search_text", *fields).iterator(chunk_size=BATCH):
        wanted = text(row)
        if row.search_text != wanted:
            row.search_text = wanted
            changed.append(row)
    model.objects.bulk_update(changed, ["search_text"], batch_size=BATCH)
    return len(changed)


class Command(BaseCommand):
    help = "Recompute the search text of organisations and posts (after bulk imports or repairs)."

    def handle(self, *args, **options):
        with transaction.atomic():
            organisations = rebuild(
                Organisation,
                ["legal_name", "keywords", "competences", "city", "description"],
                organisation_text,
            )
            posts = rebuild(Post, ["title", "body", "keywords"], post_text)
        self.stdout.write(
            f"Search text rebuilt: {organisations} organisation(s), {posts} post(s) changed."
        )
