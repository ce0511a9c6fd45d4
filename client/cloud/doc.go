// Package cloud is KeyDesk's client for the Nevis Authentication Cloud API:
// one file per API resource (enroll, attestation, approval, assertion, status,
// introspect, users), the wire types of each call, and the typed errors a
// caller branches on (*APIError, *ConfigError, *BodyTooLargeError,
// *RedirectError).
//
// The client only moves JSON; it does not run WebAuthn ceremonies. The
// WebAuthn options in its answers are the standard WebAuthn JSON types
// (client/webauthn/options); CredentialCreationOptions maps the Cloud's
// "relyingParty" into the standard relying party. Byte fields travel as
// base64url strings without padding, exactly as the Cloud sends them, so
// the WebAuthn client (client/webauthn) decides when to decode them.
//
// Secrets are handled so that printing cannot leak them: the access key is a
// Secret and status and transaction tokens are Tokens, both of which format
// as "[redacted]" with every fmt verb. The access key is sent as a Bearer
// token on server calls (under {instance}/api/v1) and never on the
// {instance}/_app calls, which a browser would make without it.
//
// A station without the access key (a user desktop, a kiosk) redeems an
// enrollment pass with NewPassHolder: its client carries the pass's intent
// tokens (IssueIntent, on the helpdesk station, asks for them) as the
// bearers of enroll and approval only, asks for the status without
// Authorization, and refuses every other server call before sending it.
package cloud
