"""Settings for the live canary audit: the real settings plus a failing URL and error mails on disk."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.config.urls_for_errors"
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["CANARY_MAIL_DIR"]
ADMINS = [("Operator", "operator@example.org")]
