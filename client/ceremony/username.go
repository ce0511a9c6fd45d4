package ceremony

import (
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
)

// The Authentication Cloud's rules for the names of a registration, from
// the API reference's "Registration endpoint" page
// (docs.nevis.net/authcloud/api-doc/api-reference/registration-ref):
// username "can only contain a-z, A-Z, 0-9, _-.@, and is limited to a
// maximum of 300 characters"; displayName is "required if the channel is
// fido2" and "limited to 64 bytes". The approval page states no rule of
// its own for username: a name that cannot be registered cannot sign in,
// so the same rule applies there. The window, the CLI and the kiosk check
// with these functions before anything is sent to the Cloud.
const (
	// MaxUsernameLength is the documented maximum length of a username
	// (characters; the documented alphabet is ASCII, so also bytes).
	MaxUsernameLength = 300
	// MaxDisplayNameBytes is the documented maximum length of a
	// displayName, in bytes of UTF-8.
	MaxDisplayNameBytes = 64
)

// usernameByte reports whether c is in the documented alphabet.
func usernameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '-' || c == '.' || c == '@'
}

// CheckUsername refuses a username the Cloud documents as invalid: empty,
// longer than MaxUsernameLength, or with a character outside a-z, A-Z,
// 0-9 and _-.@ (so no controls or text-direction marks either, which
// would act on terminals, in reports and in the kiosk journal).
func CheckUsername(u string) error {
	switch {
	case u == "":
		return result.Errorf(result.CodeUsernameEmpty, "the username is empty")
	case len(u) > MaxUsernameLength:
		return result.Errorf(result.CodeUsernameTooLong, "the username is longer than %d characters", MaxUsernameLength)
	}
	for i := 0; i < len(u); i++ {
		if !usernameByte(u[i]) {
			return result.Errorf(result.CodeUsernameInvalid, "the username may only contain a-z, A-Z, 0-9 and _-.@")
		}
	}
	return nil
}

// CheckDisplayName refuses a displayName the Cloud documents as invalid
// for fido2 (empty, or longer than MaxDisplayNameBytes) and one with
// control or text-direction characters, which the key and the reports
// would show. Any script is fine.
func CheckDisplayName(d string) error {
	switch {
	case d == "":
		return result.Errorf(result.CodeDisplayNameInvalid, "the display name is empty")
	case len(d) > MaxDisplayNameBytes:
		return result.Errorf(result.CodeDisplayNameInvalid, "the display name is longer than %d bytes", MaxDisplayNameBytes)
	case safetext.HasControl(d):
		return result.Errorf(result.CodeDisplayNameInvalid, "the display name contains control or text-direction characters")
	}
	return nil
}
