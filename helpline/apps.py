from django.apps import AppConfig


class HelplineConfig(AppConfig):
    name = "helpline"
    verbose_name = "Helpline"

    def ready(self) -> None:
        # Signing out, a deactivated account and removed second-factor devices close open consoles.
        from helpline import staff_access

        staff_access.connect_receivers()
