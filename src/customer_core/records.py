"""What the service keeps about what happened: the audit trail (security
and account events, who caused them and from where) and the consent
history. Neither ever holds a password, a token or a token's digest."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import attrs

from customer_core.customer import Preferences
from customer_core.sessions import ClientInfo
from customer_core.values import Id


class Actor(enum.StrEnum):
    CUSTOMER = "customer"
    ADMIN = "admin"  # an operator, through the CLI
    SYSTEM = "system"


@attrs.frozen(kw_only=True)
class Origin:
    """Who caused an event, and from where."""

    actor: Actor
    operator: str | None = None  # the admin's name
    client: ClientInfo = ClientInfo()

    @classmethod
    def customer(cls, client: ClientInfo) -> Origin:
        return cls(actor=Actor.CUSTOMER, client=client)

    @classmethod
    def admin(cls, operator: str) -> Origin:
        return cls(actor=Actor.ADMIN, operator=operator)


SYSTEM = Origin(actor=Actor.SYSTEM)


class Event(enum.StrEnum):
    REGISTERED = "registered"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    LOGGED_OUT = "logged_out"
    SESSION_REVOKED = "session_revoked"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"
    PASSWORD_CHANGED = "password_changed"
    # The password typed again to confirm a sensitive change was wrong.
    PASSWORD_CONFIRMATION_FAILED = "password_confirmation_failed"
    PASSWORD_RESET = "password_reset"
    EMAIL_VERIFIED = "email_verified"
    EMAIL_CHANGE_REQUESTED = "email_change_requested"
    EMAIL_CHANGED = "email_changed"
    PHONE_VERIFIED = "phone_verified"
    PROFILE_UPDATED = "profile_updated"
    PREFERENCES_UPDATED = "preferences_updated"
    ADDRESS_ADDED = "address_added"
    ADDRESS_CHANGED = "address_changed"
    ADDRESS_REMOVED = "address_removed"
    CONSENT_CHANGED = "consent_changed"
    DATA_EXPORTED = "data_exported"
    ACCOUNT_ERASED = "account_erased"
    # What operators do from the CLI besides the above.
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
    CUSTOMER_VIEWED = "customer_viewed"
    CUSTOMERS_LISTED = "customers_listed"
    CUSTOMERS_IMPORTED = "customers_imported"
    AUDIT_VIEWED = "audit_viewed"
    SIGNING_KEY_ROTATED = "signing_key_rotated"
    DATA_KEY_ROTATED = "data_key_rotated"
    OUTBOX_VIEWED = "outbox_viewed"
    OUTBOX_REQUEUED = "outbox_requeued"
    OUTBOX_DELIVERY_RUN = "outbox_delivery_run"
    CLIENT_CREATED = "client_created"
    CLIENT_REVOKED = "client_revoked"


# The events a customer sees as their own activity (GET /me/activity).
ACTIVITY = frozenset(
    {
        Event.LOGIN_SUCCEEDED,
        Event.LOGIN_FAILED,
        Event.ACCOUNT_LOCKED,
        Event.LOGGED_OUT,
        Event.SESSION_REVOKED,
        Event.REFRESH_TOKEN_REUSED,
        Event.PASSWORD_CHANGED,
        Event.PASSWORD_CONFIRMATION_FAILED,
        Event.PASSWORD_RESET,
        Event.EMAIL_CHANGED,
        Event.PHONE_VERIFIED,
        Event.DATA_EXPORTED,
        Event.CONSENT_CHANGED,
    }
)

Detail = Mapping[str, str | int | bool | list[str]]


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One event. ``detail`` names things (changed fields, a session id),
    never their values."""

    id: Id
    at: dt.datetime
    type: Event
    actor: Actor
    customer_id: Id | None
    operator: str | None = None
    request_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    detail: Detail = attrs.field(factory=dict)

    def pseudonymised(self, pseudonym: Id, new_id: Id) -> AuditEntry:
        """The entry as kept once its customer is erased: under a pseudonym
        and a new id (ids made beside the customer's would lead back to it),
        without where it came from or the ids of the things it named."""
        return attrs.evolve(
            self,
            id=new_id,
            customer_id=pseudonym,
            request_id=None,
            ip_address=None,
            user_agent=None,
            detail={name: value for name, value in self.detail.items() if not name.endswith("_id")},
        )


class Purpose(enum.StrEnum):
    NEWSLETTER = "newsletter"
    SMS = "sms"


class ConsentSource(enum.StrEnum):
    REGISTRATION = "registration"
    PREFERENCES = "preferences"  # the customer, changing their preferences
    ADMIN = "admin"  # an operator, recording what the customer said elsewhere
    IMPORT = "import"  # brought over from the previous service


@attrs.frozen(kw_only=True)
class Consent:
    id: Id
    customer_id: Id
    purpose: Purpose
    granted: bool
    at: dt.datetime
    source: ConsentSource
    policy_version: str


def consent_flags(preferences: Preferences) -> dict[Purpose, bool]:
    return {Purpose.NEWSLETTER: preferences.newsletter, Purpose.SMS: preferences.sms_notifications}
