from tests.helpline.conftest import make_staff

__all__ = ["make_staff"]
