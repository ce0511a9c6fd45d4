package result

// The fido2-client status codes (source nevis) KeyDesk's ceremonies
// produce, one per entry of catalogue/nevis.json, named after what went
// wrong; the comment gives the official message. Code outside this package
// names them through these variables, never as result.Nevis("…") or a
// "error-1001" literal (TestKeyDeskCodesNamed). Code is a struct, so these
// are variables; treat them as constants.
var (
	// SuccessRegistration (success-registration): "Successfully registered
	// WebAuthn credential."
	SuccessRegistration = Nevis("success-registration")
	// RegistrationInvalidOptions (error-1000): "Invalid
	// credentialCreationOptions. ServerPublicKeyCredentialCreationOptions has
	// to be valid."
	RegistrationInvalidOptions = Nevis("error-1000")
	// RegistrationFailed (error-1001): "Failed to create WebAuthn
	// credential." The key (or the person at it) refused or failed.
	RegistrationFailed = Nevis("error-1001")
	// RegistrationServerFailed (error-1002): "Error while registering the new
	// credential on server".
	RegistrationServerFailed = Nevis("error-1002")
	// RegistrationNoStatusToken (error-1003): "Missing statusToken. Cannot be
	// null or undefined."
	RegistrationNoStatusToken = Nevis("error-1003")
	// RegistrationNoWebAuthn (error-1004): "WebAuthn is not supported by this
	// browser." KeyDesk's equivalent: no security key is connected.
	RegistrationNoWebAuthn = Nevis("error-1004")
	// RegistrationUnknown (error-1099): "Unknown error while registration."
	RegistrationUnknown = Nevis("error-1099")

	// SuccessAuthentication (success-authentication): "Successfully
	// authenticated with WebAuthn credential."
	SuccessAuthentication = Nevis("success-authentication")
	// AuthenticationInvalidOptions (error-0000): "Invalid
	// credentialRequestOptions. ServerPublicKeyCredentialGetOptionsResponse
	// has to be valid."
	AuthenticationInvalidOptions = Nevis("error-0000")
	// AuthenticationFailed (error-0001): "Failed to authenticate with
	// WebAuthn credential."
	AuthenticationFailed = Nevis("error-0001")
	// AuthenticationServerFailed (error-0002): "Error while finalizing the
	// authentication on the server."
	AuthenticationServerFailed = Nevis("error-0002")
	// AuthenticationInvalidUserID (error-0003): "Invalid userId. Cannot be
	// null or undefined."
	AuthenticationInvalidUserID = Nevis("error-0003")
	// AuthenticationNoStatusToken (error-0004): "Missing statusToken. Cannot
	// be null or undefined."
	AuthenticationNoStatusToken = Nevis("error-0004")
	// AuthenticationNoWebAuthn (error-0005): "WebAuthn is not supported by
	// this browser." KeyDesk's equivalent: no security key is connected.
	AuthenticationNoWebAuthn = Nevis("error-0005")
	// AuthenticationUnknown (error-0099): "Unknown error while
	// authentication."
	AuthenticationUnknown = Nevis("error-0099")
)
