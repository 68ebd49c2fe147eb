"""What a model check sees (the author path's checks take one argument of this type)."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.author.loaded import Loaded
from jixiao.core.findings import Location
from jixiao.model.evaluation import Evaluation
from jixiao.model.frameworks import Framework
from jixiao.model.scoring import Scored


@dataclass
class ModelContext:
    """What a model check sees: the data, its scores, the framework and where each value was typed."""

    loaded: Loaded
    scored: Scored
    framework: Framework

    @property
    def evaluation(self) -> Evaluation:
        return self.scored.evaluation

    def locate(self, path: str) -> Location:
        return self.loaded.locate(path)
