"""The typeahead's description words by the start of a word (parts.selectors, `WORDS`).

PostgreSQL only (SQLite keeps plain "contains"). `parts_search_words(search_text)` makes
the words of the search text (the generated, lower-case `search_text`: number key, number,
description, brand) the lexemes of a tsvector: each word cut at anything but a letter or a
digit ("semi-metallic": "semi", "metallic") and also whole without its dashes and dots
("semimetallic", "bpd1210"). A GIN index of it finds the parts with every typed word as
the start of one of their words (`'pad':* & 'front':*`): each typed word is one range of
the index's sorted words, where the trigram index of 0001 intersected the long lists of
common trigrams ("ter", "000") and re-read every candidate row to check its LIKE, the slow
tail of the typeahead on 200,000 parts. An index of an expression rather than a column:
the database keeps it in step with every write (services, the price file's COPY, imports,
the bench seed) without any of them knowing.

The function is PL/pgSQL with a high COST so that the planner knows computing it for each
row is dear (an SQL function would be inlined and its cost forgotten): without that it
read the catalog from the start, cutting every row's text, to find the first 200 parts
with a common word (60 ms for "filter") instead of taking them from the index.

`fastupdate = off`: a big write (a vendor's price file of 100,000 new parts) would
otherwise leave its rows in the index's pending list, which every search reads in full
until vacuum empties it.

The trigram index goes: nothing searches the parts with "contains" on PostgreSQL any more,
and it cost every part written.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION parts_search_words(search_text text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
BEGIN
    RETURN array_to_tsvector(array_remove(
        regexp_split_to_array(search_text, '[^[:alnum:]]+')
        || regexp_split_to_array(
            regexp_replace(search_text, '[^[:alnum:][:space:]]+', '', 'g'), '[[:space:]]+'
        ),
        ''
    ));
END
$$
"""
WORDS_INDEX = "part_search_words"
TRIGRAM_INDEX = "part_search_text_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON parts_part "
        "USING gin (parts_search_words(search_text)) WITH (fastupdate = off)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON parts_part "
        "USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {WORDS_INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS parts_search_words(text)")


class Migration(migrations.Migration):
    dependencies = [("parts", "0005_importspeed_movement_import_undo")]

    operations = [migrations.RunPython(forwards, backwards)]
