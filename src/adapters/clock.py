from __future__ import annotations

import datetime as dt


class SystemClock:
    def now(self) -> dt.datetime:
        # Millisecond precision: what MongoDB stores, so values round-trip unchanged.
        now = dt.datetime.now(dt.UTC)
        return now.replace(microsecond=now.microsecond // 1000 * 1000)
