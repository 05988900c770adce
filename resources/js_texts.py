"""Words this room's scripts show (config/js_texts.py gathers them for templates/_js_texts.html)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    # static/js/module-answers.js: guided-module answers kept in the browser.
    "resources.answers.default_title": _("Guided module"),
    "resources.answers.cannot_keep": _(
        "Your browser does not allow this page to keep your answers. Download them before you leave."
    ),
    "resources.answers.file_heading": _("My answers, saved %(when)s"),
    "resources.answers.my_rating": _("My rating: %(rating)s"),
    "resources.answers.no_answer": _("(no answer)"),
    "resources.answers.downloaded": _(
        "Your answers were saved as a file on this device. Keep it somewhere private."
    ),
    "resources.answers.confirm_delete": _(
        "Delete all your answers in this module from this device? This cannot be undone."
    ),
    "resources.answers.deleted": _("Your answers have been deleted from this device."),
    "resources.answers.no_local_storage": _(
        "This browser does not allow answers to be kept after the tab is closed."
    ),
    "resources.answers.remembering": _(
        "Your answers will be kept on this device until you delete them or use Quick exit."
    ),
    "resources.answers.forgetting": _("Your answers will be forgotten when you close this tab."),
}
