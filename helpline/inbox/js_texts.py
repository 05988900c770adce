"""Words this room's scripts show (config/js_texts.py gathers them for templates/_js_texts.html)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    # static/js/secure-passphrase.js: the copy button on the page that shows the passphrase once.
    "inbox.passphrase.copied": _("Copied. Paste it somewhere safe before you leave this page."),
    "inbox.passphrase.copy_failed": _(
        "Copying did not work here: select the words in the box and copy them."
    ),
}
