# The self-help library's plain factories: a campaign lands on, and counts, its pages and modules.
from tests.resources.conftest import category, make_module, make_resource

__all__ = ["category", "make_module", "make_resource"]
