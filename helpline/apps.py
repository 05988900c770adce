from django.apps import AppConfig


class HelplineConfig(AppConfig):
    name = "helpline"
    verbose_name = "Helpline"

    def ready(self) -> None:
        # Signing out, a deactivated account and removed second-factor devices close open consoles.
        from helpline.staff import socket_access

        socket_access.connect_receivers()
