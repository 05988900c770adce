"""Demo self-help content for the embedded site."""


def load_demo_content() -> list[str]:
    """Create or refresh the demo content; returns lines describing what was loaded."""
    return []
