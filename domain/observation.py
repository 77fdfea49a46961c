"""What the domain reports as it works, to whoever the composition root asks to listen
(the metrics): stock movements once they are committed, alert deliveries once made.

The domain knows only this protocol; ``NOT_OBSERVED`` listens to nothing.
"""

from __future__ import annotations

from typing import Protocol


class Observer(Protocol):
    def stock_moved(self, source: str, count: int = 1) -> None: ...

    def alerts_delivered(self, outcome: str, count: int) -> None: ...


class NotObserved:
    def stock_moved(self, source: str, count: int = 1) -> None:
        pass

    def alerts_delivered(self, outcome: str, count: int) -> None:
        pass


NOT_OBSERVED: Observer = NotObserved()
