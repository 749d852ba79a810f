"""The personal data of accounts and signing in, for the register in `skills.personal_data` (docs/decisions/0214):
our accounts and session records, and what the libraries behind signing in keep: Django's sessions (and their copy
in the shared cache), django-axes' attempts and logs, django-otp's second-factor devices and django-otp-webauthn's
passkeys (decision 0216) and the Django admin's log."""

from skills.personal_data import PersonalDataModel, PersonalDataStore, Retention

# django-axes keys its rows on the address typed into the sign-in form, not on an account (decision 0005).
AXES_MATCHED_BY = (
    "`username`: the e-mail address typed into the sign-in form, normalised by "
    "cms.accounts.lockout.normalised_username; compare it with the account's address, normalised the same way"
)
AXES_SEEN_BY = "nobody in the service; superusers through the database and axes' commands (axes_reset)"

PERSONAL_DATA = (
    PersonalDataModel(
        model="accounts.User",
        fields=(
            "first_name",
            "last_name",
            "email",
            "password",
            "last_login",
            "date_joined",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        ),
        about=("",),
        purpose="Signing in, and the name and address that pages and messages show; roles are its groups.",
        seen_by=(
            "the person; everyone the service shows them to by name (their line-management chain, reviewers, "
            "training administrators, a certificate's verifier); HR analysts for their units; superusers"
        ),
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="accounts.UserSession",
        fields=("user", "device", "signed_in_at", "last_seen_at", "ended_at", "end_reason", "session_key_hash"),
        about=("user",),
        purpose="Where the person is signed in, so they can see and end a session (decision 0007).",
        seen_by="the person (their sessions page)",
        retention=Retention.SESSION,
    ),
    PersonalDataModel(
        model="accounts.IdentityLink",
        fields=(
            "user",
            "issuer",
            "subject",
            "created_at",
            "confirmed_at",
            "confirmation",
            "confirmed_by",
            "last_used_at",
        ),
        about=("user",),
        names=("confirmed_by",),
        purpose=(
            "Which identity at the organisation's identity provider signs in to the account, and how that was "
            "confirmed (decision 0215)."
        ),
        seen_by="superusers (the identity links page)",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="sessions.Session",
        fields=("session_data", "expire_date"),
        matched_by=(
            "`session_data` names the account (`_auth_user_id`, decoded by the session engine); "
            "accounts.UserSession.session_key_hash is the SHA-256 of the session's key"
        ),
        purpose=(
            "Keeps the person signed in: their account, its row in accounts.UserSession, when they signed in, "
            "whether the identity provider asserted a second factor (and its `amr`), and any message waiting to be "
            "shown."
        ),
        seen_by="nobody: the service reads it on each request",
        retention=Retention.SESSION,
    ),
    PersonalDataStore(
        name="session-cache",
        location=(
            "the shared cache (REDIS_URL), under django.contrib.sessions.backends.cached_db's keys, when "
            "SESSION_ENGINE is cached_db (decision 0021)"
        ),
        holds="A copy of each session's data (see sessions.Session).",
        found_by="the session's key, from the sessions.Session rows that name the account",
        purpose="Reads sessions without a database query on each request.",
        seen_by="nobody: the service reads it on each request",
        retention=Retention.SESSION,
    ),
    PersonalDataModel(
        model="axes.AccessAttempt",
        fields=(
            "username",
            "ip_address",
            "user_agent",
            "http_accept",
            "path_info",
            "get_data",
            "post_data",
            "attempt_time",
            "failures_since_start",
        ),
        matched_by=AXES_MATCHED_BY,
        purpose="Counts failed sign-ins per address typed and client address, to lock them out (decision 0005).",
        seen_by=AXES_SEEN_BY,
        retention=Retention.SECURITY_LOG,
    ),
    PersonalDataModel(
        model="axes.AccessAttemptExpiration",
        fields=("access_attempt", "expires_at"),
        matched_by="through its attempt (`access_attempt`), by the attempt's `username`",
        purpose="When an attempt's lock-out ends.",
        seen_by=AXES_SEEN_BY,
        retention=Retention.SECURITY_LOG,
    ),
    PersonalDataModel(
        model="axes.AccessLog",
        fields=(
            "username",
            "ip_address",
            "user_agent",
            "http_accept",
            "path_info",
            "attempt_time",
            "logout_time",
            "session_hash",
        ),
        matched_by=AXES_MATCHED_BY,
        purpose="Each successful sign-in and sign-out, with the client's address and browser.",
        seen_by=AXES_SEEN_BY,
        retention=Retention.SECURITY_LOG,
    ),
    PersonalDataModel(
        model="axes.AccessFailureLog",
        fields=("username", "ip_address", "user_agent", "http_accept", "path_info", "attempt_time", "locked_out"),
        matched_by=AXES_MATCHED_BY,
        purpose="Each failed sign-in (AXES_ENABLE_ACCESS_FAILURE_LOG), with the client's address and browser.",
        seen_by=AXES_SEEN_BY,
        retention=Retention.SECURITY_LOG,
    ),
    PersonalDataModel(
        model="otp_totp.TOTPDevice",
        fields=(
            "user",
            "name",
            "key",
            "confirmed",
            "created_at",
            "last_used_at",
            "last_t",
            "drift",
            "throttling_failure_timestamp",
            "throttling_failure_count",
        ),
        about=("user",),
        purpose=(
            "The person's authenticator app: the shared secret that checks its codes, when it was set up and last "
            "used, and the count of wrong codes that throttles guessing (decision 0216)."
        ),
        seen_by="nobody: the service checks codes against it; user administrators see only whether it is set up",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="otp_static.StaticDevice",
        fields=(
            "user",
            "name",
            "confirmed",
            "created_at",
            "last_used_at",
            "throttling_failure_timestamp",
            "throttling_failure_count",
        ),
        about=("user",),
        purpose="Holds the person's recovery codes, with when one was last used and the count of wrong codes.",
        seen_by="nobody: user administrators see only how many recovery codes are left",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="otp_static.StaticToken",
        fields=("device", "token"),
        about=("device__user",),
        purpose="The person's unused recovery codes, each deleted when it is used (decision 0216).",
        seen_by="the person, once, when they are made",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="django_otp_webauthn.WebAuthnCredential",
        fields=(
            "user",
            "name",
            "confirmed",
            "created_at",
            "last_used_at",
            "credential_type",
            "credential_id",
            "public_key",
            "transports",
            "sign_count",
            "backup_eligible",
            "backup_state",
            "aaguid",
            "credential_id_sha256",
            "discoverable",
        ),
        about=("user",),
        purpose=(
            "The person's passkeys (django-otp-webauthn, decision 0216): the name they gave each, when it was added "
            "and last used, its public key and id (which check it at sign-in), and what the browser said of the "
            "authenticator (its make's AAGUID, transports, whether it is backed up)."
        ),
        seen_by="the person (their account and passkeys pages); user administrators see only whether one is set up",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="django_otp_webauthn.WebAuthnAttestation",
        fields=("credential", "fmt", "data", "client_data_json"),
        about=("credential__user",),
        purpose=(
            "What the authenticator and browser sent when a passkey was added (the attestation, and the client data "
            "with the page's origin), kept by the library beside the passkey and deleted with it."
        ),
        seen_by="nobody: kept for reference only",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="django_otp_webauthn.WebAuthnUserHandle",
        fields=("user", "handle_hex"),
        about=("user",),
        purpose=(
            "The random id that the person's passkeys carry instead of their e-mail address, so that a device can "
            "tell its passkeys for this account apart."
        ),
        seen_by="nobody: the person's devices hold it inside their passkeys",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="admin.LogEntry",
        fields=("user", "object_repr", "change_message"),
        names=("user",),
        generic=("content_type", "object_id"),
        purpose=(
            "The Django admin's history. No URL serves the Django admin (the service's admin is Wagtail's), so "
            "nothing writes it today."
        ),
        seen_by="nobody: the Django admin is not served",
        retention=Retention.AUDIT,
    ),
)

# How erasure finds one person's rows where no field leads to them (skills.services.erasure; decision 0217).
ERASERS = {
    "sessions.Session": "cms.accounts.erasure.sessions_erase",
    "store:session-cache": "cms.accounts.erasure.session_cache_erase",
    "axes.AccessAttempt": "cms.accounts.erasure.access_attempts_erase",
    "axes.AccessAttemptExpiration": "cms.accounts.erasure.access_attempt_expirations_erase",
    "axes.AccessLog": "cms.accounts.erasure.access_logs_erase",
    "axes.AccessFailureLog": "cms.accounts.erasure.access_failure_logs_erase",
    # Deleted, not anonymised (their keys are binary, and a passkey kept would still sign in).
    "django_otp_webauthn.WebAuthnAttestation": "cms.accounts.erasure.passkey_attestations_erase",
    "django_otp_webauthn.WebAuthnCredential": "cms.accounts.erasure.passkeys_erase",
    "django_otp_webauthn.WebAuthnUserHandle": "cms.accounts.erasure.passkey_user_handles_erase",
}
