"""Profile images live in the Media Service; what makes one acceptable."""

from __future__ import annotations

import attrs

from customer_core.values import Id

MAX_PROFILE_IMAGE_BYTES = 5 * 1024 * 1024


@attrs.frozen(kw_only=True)
class MediaInfo:
    """What the Media Service says of a media id."""

    id: str
    owner_id: str
    content_type: str
    size: int


def profile_image_problem(media: MediaInfo | None, customer_id: Id) -> str | None:
    """Why this media cannot be the customer's profile image, or None. A
    missing media and another customer's answer alike."""
    if media is None or media.owner_id != customer_id:
        return "must be a media id of one of your own uploads"
    if not media.content_type.split(";")[0].strip().lower().startswith("image/"):
        return "must be an image"
    if not 0 <= media.size <= MAX_PROFILE_IMAGE_BYTES:
        return "must be at most 5 MB"
    return None
