"""The typeahead's description words by the start of a word (parts.selectors, MATCHES_SQL).

PostgreSQL only (SQLite keeps plain "contains"). `parts_part_word` holds each word of each
part's search text (the generated, lower-case `search_text`: number key, number,
description, brand), as `parts_search_words()` cuts it: at anything but a letter or a digit
("semi-metallic": "semi", "metallic"), and each word also whole without its dashes and
dots ("semimetallic", "bpd1210"). Its primary key is the word then the part, in the "C"
collation, so the parts with a word that starts with what was typed are one range of the
index, read in order and only until enough are found (LIMIT), whatever the catalog's
size; each further typed word is one probe of (part, word).

The indexes this replaces had to find every match before the first could be returned:
the trigram index of 0001 intersected the long lists of common trigrams ("ter", "000")
and re-read every candidate row to check its LIKE; a GIN index of the words builds a
bitmap of all 10,000 parts with "hose" (12 ms) to return 200 of them.

Kept in step by the database, so that no writer has to know (the catalog's services, the
price file's arrays and COPY, imports, the bench seed's COPY): statement triggers with
transition tables add the words of the rows a statement inserts, add and remove the words
that changed in the rows it updated and remove those of the rows it deleted, one
statement each however many rows; TRUNCATE empties the words too.

The trigram index goes: nothing searches the parts with "contains" on PostgreSQL any more,
and it cost every part written.
"""

from django.db import migrations

WORDS_FUNCTION = """
CREATE OR REPLACE FUNCTION parts_search_words(search_text text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT word), '{}') FROM unnest(
        regexp_split_to_array(search_text, '[^[:alnum:]]+')
        || regexp_split_to_array(
            regexp_replace(search_text, '[^[:alnum:][:space:]]+', '', 'g'), '[[:space:]]+'
        )
    ) AS word
    WHERE word <> ''
$$
"""

TABLE = """
CREATE TABLE parts_part_word (
    word text COLLATE "C" NOT NULL,
    part_id bigint NOT NULL
)
"""
FILL = """
INSERT INTO parts_part_word (word, part_id)
SELECT word, p.id FROM parts_part p, unnest(parts_search_words(p.search_text)) AS word
"""
INDEXES = [
    "ALTER TABLE parts_part_word ADD PRIMARY KEY (word, part_id)",
    "CREATE INDEX parts_part_word_part ON parts_part_word (part_id, word)",
]

TRIGGERS = """
CREATE OR REPLACE FUNCTION parts_part_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parts_part_word (word, part_id)
    SELECT word, n.id FROM new_parts n, unnest(parts_search_words(n.search_text)) AS word;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION parts_part_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Only the words that changed: a new cost leaves the words as they are.
    WITH changed AS (
        SELECT n.id, n.search_text AS now, o.search_text AS was
        FROM new_parts n JOIN old_parts o ON o.id = n.id
        WHERE n.search_text IS DISTINCT FROM o.search_text
    ), old_words AS (
        SELECT word COLLATE "C" AS word, c.id
        FROM changed c, unnest(parts_search_words(c.was)) AS word
    ), new_words AS (
        SELECT word COLLATE "C" AS word, c.id
        FROM changed c, unnest(parts_search_words(c.now)) AS word
    ), gone AS (
        DELETE FROM parts_part_word w
        USING (SELECT * FROM old_words EXCEPT SELECT * FROM new_words) g
        WHERE w.word = g.word AND w.part_id = g.id
    )
    INSERT INTO parts_part_word (word, part_id)
    SELECT * FROM new_words EXCEPT SELECT * FROM old_words;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION parts_part_words_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM parts_part_word w USING old_parts o WHERE w.part_id = o.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION parts_part_words_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE parts_part_word;
    RETURN NULL;
END
$$;

CREATE TRIGGER parts_part_words_inserted AFTER INSERT ON parts_part
    REFERENCING NEW TABLE AS new_parts
    FOR EACH STATEMENT EXECUTE FUNCTION parts_part_words_inserted();
CREATE TRIGGER parts_part_words_updated AFTER UPDATE ON parts_part
    REFERENCING OLD TABLE AS old_parts NEW TABLE AS new_parts
    FOR EACH STATEMENT EXECUTE FUNCTION parts_part_words_updated();
CREATE TRIGGER parts_part_words_deleted AFTER DELETE ON parts_part
    REFERENCING OLD TABLE AS old_parts
    FOR EACH STATEMENT EXECUTE FUNCTION parts_part_words_deleted();
CREATE TRIGGER parts_part_words_truncated AFTER TRUNCATE ON parts_part
    FOR EACH STATEMENT EXECUTE FUNCTION parts_part_words_truncated();
"""

TRIGRAM_INDEX = "part_search_text_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [WORDS_FUNCTION, TABLE, FILL, *INDEXES, TRIGGERS]:
        schema_editor.execute(statement)
    schema_editor.execute("ANALYZE parts_part_word")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON parts_part "
        "USING gin (search_text gin_trgm_ops)"
    )
    for event in ["inserted", "updated", "deleted", "truncated"]:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS parts_part_words_{event} ON parts_part")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS parts_part_words_{event}()")
    schema_editor.execute("DROP TABLE IF EXISTS parts_part_word")
    schema_editor.execute("DROP FUNCTION IF EXISTS parts_search_words(text)")


class Migration(migrations.Migration):
    dependencies = [("parts", "0005_importspeed_movement_import_undo")]

    operations = [migrations.RunPython(forwards, backwards)]
