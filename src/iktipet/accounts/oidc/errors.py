"""What can go wrong talking to an identity provider, as codes we can log and audit."""

from __future__ import annotations


class OidcError(Exception):
    """A login cannot complete. ``code`` is short and safe to log (never a claim value)."""

    #: HTTP status of the page the user sees.
    status = 400

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)

    def audit_details(self) -> dict[str, str]:
        """What the audit row says about this failure: the code, and the detail if any."""
        return {"reason": self.code, **({"detail": self.detail} if self.detail else {})}


class ProviderUnavailable(OidcError):
    """The provider did not answer, or answered with something that is not its protocol."""

    status = 503


class ProviderMisconfigured(OidcError):
    """Our own configuration is incomplete (a missing key file, no issuer)."""

    status = 503


class TokenValidationError(OidcError):
    """The id_token failed a check: signature, iss, aud, exp, iat, nonce or acr."""


class AuthorizationResponseError(OidcError):
    """The redirect back from the provider is not one we asked for, or reports an error."""


class TokenEndpointError(OidcError):
    """The token endpoint refused the request and said why, in OAuth's ``error`` and
    ``error_description`` (RFC 6749 §5.2): ``invalid_client`` for our client authentication,
    ``invalid_grant`` for a used or expired code or a PKCE mismatch."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__("token_error", error)
        self.error = error
        self.description = description

    def audit_details(self) -> dict[str, str]:
        details = {"reason": self.code, "error": self.error}
        if self.description:
            details["error_description"] = self.description
        return details
