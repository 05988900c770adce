from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "bench.peer"
    # Its own label and table prefix: the peer's table sits in the bench database beside ours.
    label = "bench_peer"
    default_auto_field = "django.db.models.BigAutoField"
