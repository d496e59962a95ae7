"""On PostgreSQL, a trigram index on the directory's search text: a search is a ``LIKE
'%word%'`` for each word, which no B-tree index serves; pg_trgm's GIN index does (a rare name
is found in under a millisecond instead of reading the 20 000 organisations). pg_trgm is a
trusted extension (PostgreSQL 13+): the database's owner may create it. SQLite: nothing."""

from django.db import migrations

from portal.modelutils import on_postgresql

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS organisation_search_trgm "
    "ON portal_organisation USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS organisation_search_trgm"]


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_field_names"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]
