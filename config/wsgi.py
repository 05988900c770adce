import os

from django.core.wsgi import get_wsgi_application

from config.privacy import StripClientIdentityWSGI

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = StripClientIdentityWSGI(get_wsgi_application())
