"""On PostgreSQL, trigram indexes for the project list's search: it asks for the projects
whose acronym, title or public summary contains the words (``UPPER(…) LIKE '%WORD%'``, as
Django writes ``icontains``), which no B-tree index serves; counting them read every project
(tens of milliseconds at national scale), a GIN index on each expression finds them at once.
pg_trgm comes with portal's 0007_directory_trigram. SQLite: nothing."""

from django.db import migrations

from portal.modelutils import on_postgresql

FIELDS = {"acronym": "UPPER(acronym::text)", "title": "UPPER(title::text)"}
FIELDS["public_summary"] = "UPPER(public_summary)"

CREATE = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS project_{name}_trgm "
    f"ON projects_project USING gin (({expression}) gin_trgm_ops)"
    for name, expression in FIELDS.items()
]
DROP = [f"DROP INDEX IF EXISTS project_{name}_trgm" for name in FIELDS]


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_field_names"),
        ("portal", "0007_directory_trigram"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]
