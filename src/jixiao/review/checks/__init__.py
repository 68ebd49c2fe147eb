"""The review path's checks, one module per category; importing this package registers them all."""

from jixiao.review import structure as _outline  # noqa: F401  (T30x)
from jixiao.review.checks import common as _common  # noqa: F401  (B15x, S25x, Q40x)
