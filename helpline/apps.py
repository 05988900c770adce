from django.apps import AppConfig


class HelplineConfig(AppConfig):
    name = "helpline"
    verbose_name = "Helpline"

    def ready(self) -> None:
        # Signing out, a deactivated account and removed second-factor devices close open consoles.
        from helpline.staff import socket_access

        socket_access.connect_receivers()
        # Register the Celery task shells in every process (web servers too), so helpline.jobs can send
        # them by name; importing them here, once all models are loaded, keeps the actions free of it.
        import helpline.tasks  # noqa: F401
