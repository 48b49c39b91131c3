"""Which fields of which collections are stored sealed (encrypted at rest
with a data key), and sealing and opening them.

A sealed field holds ``enc:v1:<key id>:...`` (see ``DataKeys``) of the JSON
text of its value, bound to its collection, field and document: moved to
another document or field, it no longer opens. ``None`` stays as it is."""

from __future__ import annotations

import json
from typing import Any

from adapters.security.data_keys import DataKeys, is_sealed

SEALED_FIELDS: dict[str, tuple[str, ...]] = {
    "customers": ("phone", "dateOfBirth"),
    "addresses": ("street", "street2", "phone"),
    "outbox": ("to", "data"),
}


class Sealer:
    """Seals and opens the sealed fields of one collection's documents."""

    def __init__(self, keys: DataKeys, collection: str) -> None:
        self.keys = keys
        self.collection = collection
        self.fields = SEALED_FIELDS[collection]

    def context(self, document_id: Any, field: str) -> str:
        return f"{self.collection}.{field}:{document_id}"

    def seal_value(self, document_id: Any, field: str, value: Any) -> Any:
        # Always sealed, even a value that looks sealed: it is the customer's text.
        if value is None:
            return value
        plaintext = json.dumps(value, default=str, ensure_ascii=False).encode()
        return self.keys.seal(plaintext, context=self.context(document_id, field))

    def open_value(self, document_id: Any, field: str, value: Any) -> Any:
        if not is_sealed(value):
            return value  # written before the field was sealed; a rotation seals it
        return json.loads(self.keys.open(value, context=self.context(document_id, field)))

    def sealed(self, document: dict[str, Any]) -> dict[str, Any]:
        """A whole document about to be inserted, its sealed fields sealed."""
        return {**document, **self.sealed_paths(document["_id"], document)}

    def sealed_paths(self, document_id: Any, paths: dict[str, Any]) -> dict[str, Any]:
        """The ``$set`` paths among ``paths`` that are sealed fields, sealed."""
        return {field: self.seal_value(document_id, field, paths[field]) for field in self.fields if field in paths}

    def opened(self, document: dict[str, Any]) -> dict[str, Any]:
        return {
            **document,
            **{
                field: self.open_value(document["_id"], field, document[field])
                for field in self.fields
                if field in document
            },
        }

    def resealed_value(self, document_id: Any, field: str, value: Any) -> Any:
        """``value`` sealed with the newest key (opened first if sealed)."""
        plaintext = self.open_value(document_id, field, value)
        return self.keys.seal(
            json.dumps(plaintext, default=str, ensure_ascii=False).encode(), context=self.context(document_id, field)
        )
