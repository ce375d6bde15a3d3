from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers and vehicles"

    def ready(self) -> None:
        connection_created.connect(_tune_trigram_search)


def _tune_trigram_search(sender, connection, **kwargs) -> None:
    """The name search's typo tolerance, set once per PostgreSQL session.

    pg_trgm's default word-similarity threshold (0.6) misses one dropped letter in a
    short name ("Huter" for "Hunter"); 0.4 finds it and the GIN index keeps it fast.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET pg_trgm.word_similarity_threshold = 0.4")
