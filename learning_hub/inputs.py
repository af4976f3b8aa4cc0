"""Request-wide refusals of input that no page or form could use.

A null character cannot be stored in a PostgreSQL text column, and nobody types one:
it comes from a script or a damaged paste. Refusing it here, for the address, the query
string and every form, keeps it from reaching the database as a crash (500).
"""

from flask import request

from learning_hub import site


def _texts():
    yield request.path
    yield from (v for v in (request.view_args or {}).values() if isinstance(v, str))
    sources = [request.args, request.form] if request.method == "POST" else [request.args]
    for source in sources:
        for key, value in source.items(multi=True):
            yield key
            yield value


def refuse_null_characters():
    if not any("\x00" in text for text in _texts()):
        return None
    return site.refuse(
        400,
        (
            "What was sent contains a null character",
            "Nothing was saved. A null character can come from pasting out of another "
            "program: go back, retype the text or paste it as plain text, and try again.",
        ),
    )
