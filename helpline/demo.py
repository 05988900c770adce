"""Demo staff accounts for the embedded site."""


def load_demo_staff() -> list[str]:
    return []
