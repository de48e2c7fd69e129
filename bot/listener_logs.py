"""Keeps aiohttp's own loggers from writing down what a client sent us.

aiohttp's server logs a request it cannot parse with the parser's error, and that error quotes
the offending bytes: the request line (whose path may be the webhook's secret path) or a header
(which may be the secret token). Its access log, off on our listeners, would write every path.
Bodies hold what users wrote. So, on these loggers, a record keeps its template and the type of
its exception, and loses its arguments (the client's address among them) and its traceback.
aiohttp.web and aiohttp.internal write nothing of a request today; they are the server's other
loggers, filtered so that a new message there cannot start to.
"""

from __future__ import annotations

import logging
import re

AIOHTTP_LOGGERS = ("aiohttp.server", "aiohttp.access", "aiohttp.web", "aiohttp.internal")

_PLACEHOLDER = re.compile(r"%(\(\w+\))?[-#0 +]*\d*(\.\d+)?[sdifrxXeEgGa]")


class WithholdRequestData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        template = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
        message = _PLACEHOLDER.sub("-", template)
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            message += f" ({type(error).__name__})"
        record.msg, record.args = message, None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


_FILTER = WithholdRequestData()


def withhold_request_data() -> None:
    """Idempotent: a logger keeps one copy of the same filter."""
    for name in AIOHTTP_LOGGERS:
        logging.getLogger(name).addFilter(_FILTER)
