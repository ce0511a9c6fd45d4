package result

// KeyDesk's own codes (source keydesk), one per entry of
// catalogue/keydesk.json. Code outside this file names them through these
// variables, never as result.KeyDesk("…") with a literal:
// TestKeyDeskCodesNamed enforces it and that every entry has its variable,
// and every variable its entry. (Code is a struct, so these are variables; treat them
// as constants.)
var (
	// CodeNoKey (keydesk:no-key): no security key found. No FIDO2 security key
	// is connected (or none KeyDesk may open).
	CodeNoKey = KeyDesk("no-key")
	// CodeKeyRemoved (keydesk:key-removed): the security key was removed. The
	// key was unplugged (or taken off the reader) during the operation.
	CodeKeyRemoved = KeyDesk("key-removed")
	// CodeNotFIDO2 (keydesk:not-fido2): this key does not support FIDO2. The
	// key speaks only FIDO U2F (CTAP1): it cannot hold passkeys, PINs or
	// credential management.
	CodeNotFIDO2 = KeyDesk("not-fido2")
	// CodeKeyUnsupported (keydesk:key-unsupported): this key does not offer
	// this. Its getInfo lacks what the operation needs (clientPin,
	// credMgmt, CTAP2), so KeyDesk sent nothing: the key-side counterpart of
	// CTAP2_ERR_UNSUPPORTED_OPTION, which is worded for a service's
	// requirement.
	CodeKeyUnsupported = KeyDesk("key-unsupported")
	// CodeCancelled (keydesk:cancelled): cancelled. The user cancelled in
	// KeyDesk (the key was told to stop).
	CodeCancelled = KeyDesk("cancelled")
	// NoCode (keydesk:no-code): KeyDesk has no code for this failure. The
	// code of a failure that none of the others names: "no code", spelled
	// apart from the zero Code (no failure) and from the browser's real
	// UnknownError DOMException.
	NoCode = KeyDesk("no-code")
	// CodeIdleTimeout (keydesk:idle-timeout): the station was left idle.
	// Nobody used the kiosk station for its idle time, so it ended the
	// session and forgot the person. Not a cancel: nobody pressed Cancel.
	CodeIdleTimeout = KeyDesk("idle-timeout")
	// CodeTouchTimeout (keydesk:touch-timeout): the security key was not
	// touched in time. KeyDesk's countdown for the touch ran out.
	CodeTouchTimeout = KeyDesk("touch-timeout")
	// CodePINTooShort (keydesk:pin-too-short): the PIN is too short. KeyDesk
	// checks the new PIN before sending it: it is shorter than the key's
	// minimum (getInfo minPINLength, at least 4 Unicode characters).
	CodePINTooShort = KeyDesk("pin-too-short")
	// CodePINTooLong (keydesk:pin-too-long): the PIN is too long. A PIN may be
	// at most 63 bytes in UTF-8.
	CodePINTooLong = KeyDesk("pin-too-long")
	// CodePINMismatch (keydesk:pin-mismatch): the PINs do not match. The new
	// PIN and its confirmation differ.
	CodePINMismatch = KeyDesk("pin-mismatch")
	// CodeRPIDMismatch (keydesk:rp-id-mismatch): the relying party ID does not
	// match the origin. The RP ID in the options is neither the origin's host
	// nor a registrable suffix of it, so KeyDesk stops with SecurityError
	// before touching the key, as a browser would.
	CodeRPIDMismatch = KeyDesk("rp-id-mismatch")
	// CodeInsecureURL (keydesk:insecure-url): the origin is not HTTPS. The
	// configured origin or instance URL uses http:// and is not localhost or a
	// loopback address.
	CodeInsecureURL = KeyDesk("insecure-url")
	// CodeNoCommonAlgorithm (keydesk:no-common-algorithm): the key supports
	// none of the requested algorithms. KeyDesk compared pubKeyCredParams with
	// the key's algorithms (getInfo) and found none in common.
	CodeNoCommonAlgorithm = KeyDesk("no-common-algorithm")
	// CodeTokenInactive (keydesk:token-inactive): the transaction token is not
	// active. The Cloud answered success, but introspecting the transaction
	// token returned active=false, so KeyDesk does not report success.
	CodeTokenInactive = KeyDesk("token-inactive")
	// CodeStatusPending (keydesk:status-pending): the transaction was not
	// confirmed in time. KeyDesk polled POST /status until its limit and the
	// Cloud still reported pending: the result post did not arrive or the
	// Cloud is slow.
	CodeStatusPending = KeyDesk("status-pending")
	// CodeUsernameEmpty (keydesk:username-empty): the username is empty. A
	// registration or sign-in was started without a username; KeyDesk stops
	// before calling the Cloud.
	CodeUsernameEmpty = KeyDesk("username-empty")
	// CodeUsernameTooLong (keydesk:username-too-long): the username is too
	// long. The username is longer than KeyDesk accepts; KeyDesk stops before
	// calling the Cloud.
	CodeUsernameTooLong = KeyDesk("username-too-long")
	// CodeCredentialListTooLong (keydesk:credential-list-too-long): the
	// request lists too many credentials. The relying party's allowCredentials
	// or excludeCredentials lists more than 1000 distinct credentials; KeyDesk
	// checks lists in the batches the key accepts and refuses longer ones
	// before the key is touched.
	CodeCredentialListTooLong = KeyDesk("credential-list-too-long")
	// CodeUsernameInvalid (keydesk:username-invalid): the username contains
	// characters that are not allowed. The username contains control
	// characters; KeyDesk stops before calling the Cloud.
	CodeUsernameInvalid = KeyDesk("username-invalid")
	// CodeBadResponse (keydesk:bad-response): the server's answer could not be
	// understood. The server's answer was not the JSON KeyDesk expects (a
	// proxy page, a truncated body, another API).
	CodeBadResponse = KeyDesk("bad-response")
	// CodeUnreachable (keydesk:unreachable): the service could not be reached.
	// DNS, TCP or TLS failed before any HTTP answer.
	CodeUnreachable = KeyDesk("unreachable")
	// CodeNotConfigured (keydesk:not-configured): no service is configured. No
	// instance URL or access key is set; KeyDesk runs in demo mode.
	CodeNotConfigured = KeyDesk("not-configured")
	// CodeCloudTimeout (keydesk:cloud-timeout): the service did not answer in
	// time. KeyDesk reached the Authentication Cloud (or tried to) but no
	// answer arrived within the request timeout: the service is overloaded, a
	// proxy holds the request, or the network is very slow.
	CodeCloudTimeout = KeyDesk("cloud-timeout")
	// CodeTLSUntrusted (keydesk:tls-untrusted): the service's certificate is
	// not trusted. The TLS handshake failed: the server's certificate does not
	// chain to a trusted root, is expired, or names another host. KeyDesk
	// sends nothing (no access key, no token) to such a server.
	CodeTLSUntrusted = KeyDesk("tls-untrusted")
	// CodeRedirectRefused (keydesk:redirect-refused): the service redirected
	// to another host. The instance answered with a redirect to a different
	// scheme, host or port. KeyDesk does not follow it, since the request body
	// (tokens, the key's answer) or the access key would go to a party the
	// configuration does not name.
	CodeRedirectRefused = KeyDesk("redirect-refused")
	// CodeResponseTooLarge (keydesk:response-too-large): the service's answer
	// was too large. The answer was larger than KeyDesk accepts (1 MiB by
	// default); Authentication Cloud answers are a few kilobytes, so a proxy
	// page, a misrouted download or an attack is answering. The body was not
	// read further.
	CodeResponseTooLarge = KeyDesk("response-too-large")
	// CodeRPIDHashMismatch (keydesk:rp-id-hash-mismatch): the key answered for
	// another relying party. The rpIdHash in the key's authenticator data is
	// not the SHA-256 of the RP ID KeyDesk asked for, so the answer does not
	// belong to this site; KeyDesk refuses it as a browser would. A faulty or
	// tampered key, or something between KeyDesk and the key, changed it.
	CodeRPIDHashMismatch = KeyDesk("rp-id-hash-mismatch")
	// CodeKeyAnswerInvalid (keydesk:key-answer-invalid): the key's answer
	// could not be used. The key answered, but its authenticator data was
	// malformed or held no credential, so KeyDesk stops as a browser would.
	CodeKeyAnswerInvalid = KeyDesk("key-answer-invalid")
	// CodeNoSuchDevice (keydesk:no-such-device): no security key at that path.
	// The device path given (--device) names no key: nothing exists at a /dev
	// path, or no virtual key listens on a virtual: socket. Device paths
	// change when a key is re-plugged, and a virtual key's path changes every
	// run.
	CodeNoSuchDevice = KeyDesk("no-such-device")
	// CodeSeveralKeys (keydesk:several-keys): several security keys are
	// connected. More than one key is plugged in and none was chosen, so
	// KeyDesk does not guess which one to use.
	CodeSeveralKeys = KeyDesk("several-keys")
	// CodeSeveralAccounts (keydesk:several-accounts): the key holds several
	// accounts for this site. A usernameless sign-in found more than one
	// and nobody could choose (--json, no answer on the terminal), so
	// KeyDesk does not guess who signs in.
	CodeSeveralAccounts = KeyDesk("several-accounts")
	// CodeBadUsage (keydesk:bad-usage): the command was used wrongly. A
	// command line KeyDesk could not run: a missing or unknown sub-command, a
	// bad flag, or arguments that do not go together.
	CodeBadUsage = KeyDesk("bad-usage")
	// CodePINTimeout (keydesk:pin-timeout): the PIN was not entered in time.
	// The PIN prompt has its own time limit; it ran out before a PIN was
	// entered, so KeyDesk closed the prompt and told the key to stop. Nothing
	// was sent with a PIN.
	CodePINTimeout = KeyDesk("pin-timeout")
	// CodeDisplayNameInvalid (keydesk:display-name-invalid): the display name
	// is not accepted. The Cloud requires a display name for FIDO2 of at most
	// 64 bytes; KeyDesk stops before calling the Cloud.
	CodeDisplayNameInvalid = KeyDesk("display-name-invalid")
	// CodeOriginUnknown (keydesk:origin-unknown): KeyDesk does not know which
	// website to act as. No origin is configured and the Cloud announced an
	// empty relying party ID.
	CodeOriginUnknown = KeyDesk("origin-unknown")
	// CodeAuthenticatorLimit (keydesk:authenticator-limit): the user already
	// has the most authenticators allowed. A user can register up to 10
	// authenticators; KeyDesk stops before the key is touched.
	CodeAuthenticatorLimit = KeyDesk("authenticator-limit")
	// CodePassMalformed (keydesk:pass-malformed): this is not a readable enrollment pass. The text is not a pass KeyDesk can read (prefix, length, encoding or version).
	CodePassMalformed = KeyDesk("pass-malformed")
	// CodePassCorrupted (keydesk:pass-corrupted): this pass was changed or damaged. The checksum does not match the pass's contents.
	CodePassCorrupted = KeyDesk("pass-corrupted")
	// CodePassExpired (keydesk:pass-expired): this pass has expired. The pass is past its expiry.
	CodePassExpired = KeyDesk("pass-expired")
	// CodePassUsed (keydesk:pass-used): this pass has already been used. The pass was used already or its token is no longer valid.
	CodePassUsed = KeyDesk("pass-used")
	// CodePassWrongOperation (keydesk:pass-wrong-operation): this pass is not for this. The pass holds no token for this operation.
	CodePassWrongOperation = KeyDesk("pass-wrong-operation")
	// CodePassWrongInstance (keydesk:pass-wrong-instance): this pass is for another service. The pass names another instance than the station's.
	CodePassWrongInstance = KeyDesk("pass-wrong-instance")
	// CodePassRefused (keydesk:pass-refused): the Authentication Cloud did not accept this pass. The Cloud refused the pass's token (another person, operation or channel).
	CodePassRefused = KeyDesk("pass-refused")
	// CodeStationNotAllowed (keydesk:station-not-allowed): this station may
	// not do that. A user desktop or kiosk holds no access key: helpdesk
	// commands and enrollment by a typed username are refused before the
	// Cloud is called or a key touched (issue 14).
	CodeStationNotAllowed = KeyDesk("station-not-allowed")
)
