"""The review path's checks, one module per category; importing this package registers them all.

money (B15x), scores (S25x, S260), consistency (Q40x), outline (T30x); ``common`` holds what they share.
"""

from jixiao.review.checks import consistency, money, outline, scores, selfeval

__all__ = ["consistency", "money", "outline", "scores", "selfeval"]
