import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# gunicorn does not run Django's system checks: refuse to serve on a deployment error.
from config.checks import refuse_to_start_on_errors  # noqa: E402

refuse_to_start_on_errors()
