"""Back/forward navigation history, independent of Qt so it can be tested alone."""

from __future__ import annotations


class History:
    def __init__(self, limit: int = 200) -> None:
        self._items: list[str] = []
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> str | None:
        return self._items[self._pos] if self._pos >= 0 else None

    def visit(self, item: str) -> None:
        if item == self.current:
            return
        del self._items[self._pos + 1 :]
        self._items.append(item)
        if len(self._items) > self._limit:
            del self._items[0]
        self._pos = len(self._items) - 1

    def can_back(self) -> bool:
        return self._pos > 0

    def can_forward(self) -> bool:
        return self._pos < len(self._items) - 1

    def back(self) -> str | None:
        if self.can_back():
            self._pos -= 1
        return self.current

    def forward(self) -> str | None:
        if self.can_forward():
            self._pos += 1
        return self.current

    def items(self) -> list[str]:
        return list(self._items)
