"""Django finds an app's admin here: each room registers its own models (staff, chat, hours, inbox,
campaigns)."""

from helpline.campaigns import admin as campaigns_admin
from helpline.chat import admin as chat_admin
from helpline.hours import admin as hours_admin
from helpline.inbox import admin as inbox_admin
from helpline.staff import admin as staff_admin

__all__ = ["campaigns_admin", "chat_admin", "hours_admin", "inbox_admin", "staff_admin"]
