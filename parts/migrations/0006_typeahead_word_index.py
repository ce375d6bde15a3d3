"""The typeahead's description words by the start of a word (parts.selectors, `WORDS`).

PostgreSQL only (SQLite keeps plain "contains"). The search text (the generated, lower-case
`search_text`: number key, number, description, brand) cut into its words becomes the
lexemes of a tsvector, and a GIN index of that expression finds the parts with every typed
word as the start of one of their words (`'pad':* & 'front':*`): each word is one range of
the index's sorted words, where the trigram index of 0001 intersected the long lists of
common trigrams ("ter", "000") and re-read every candidate row to check its LIKE, the slow
tail of the typeahead on 200,000 parts. An expression index rather than a column: the
database keeps it in step with every write (services, the price file's COPY, imports, the
bench seed) without any of them knowing.

`fastupdate = off`: a big write (a vendor's price file of 100,000 new parts) would
otherwise leave its rows in the index's pending list, which every search reads in full
until vacuum empties it.

The trigram index goes: nothing searches with "contains" on PostgreSQL any more, and it
cost every part written.
"""

from django.db import migrations

WORDS_INDEX = "part_search_words"
WORDS = (
    "array_to_tsvector(array_remove(regexp_split_to_array(search_text, '[^[:alnum:]]+'), ''))"
)
TRIGRAM_INDEX = "part_search_text_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON parts_part USING gin (({WORDS})) "
        "WITH (fastupdate = off)"
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


class Migration(migrations.Migration):
    dependencies = [("parts", "0005_importspeed_movement_import_undo")]

    operations = [migrations.RunPython(forwards, backwards)]
