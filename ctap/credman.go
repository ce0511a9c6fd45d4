package ctap

import (
	"context"
	"errors"
	"slices"
)

// Credential management (CTAP 2.1 §6.8 authenticatorCredentialManagement):
// counting, listing and deleting the discoverable credentials on a key.

// CredMgmtSupported reports whether a key with this getInfo can count,
// list and delete its discoverable credentials: credMgmt true (CTAP 2.1),
// or the 2.1 preview a FIDO_2_1_PRE key announces with
// credentialMgmtPreview (command 0x41, which libfido2 1.12 speaks). As
// python-fido2's CredentialManagement.is_supported.
func CredMgmtSupported(info *Info) bool {
	if info == nil {
		return false
	}
	if info.Options["credMgmt"] {
		return true
	}
	return slices.Contains(info.Versions, "FIDO_2_1_PRE") && info.Options["credentialMgmtPreview"]
}

// CredentialSlots are a key's discoverable-credential counts.
type CredentialSlots struct {
	Existing  int64 `json:"existing"`
	Remaining int64 `json:"remaining"`
}

// StoredCredential is a discoverable credential kept on a key.
type StoredCredential struct {
	RPID      string     `json:"rpId"`
	ID        []byte     `json:"id"`
	Algorithm int        `json:"algorithm"`
	User      UserEntity `json:"user"`
}

// CredentialSlots returns how many discoverable credentials the key holds
// and how many more fit. It needs the PIN.
func (d *Device) CredentialSlots(ctx context.Context, pin string) (CredentialSlots, error) {
	const op = "read credential slots"
	if pin == "" {
		return CredentialSlots{}, &Error{Op: op, Code: ErrCodeInvalidArgument, Err: errors.New("pin is required")}
	}
	var slots CredentialSlots
	err := d.call(ctx, op, infoTimeout, func(c *conn) (err error) { slots, err = c.credSlots(pin); return })
	return slots, err
}

// RelyingParties lists the relying parties with discoverable credentials.
func (d *Device) RelyingParties(ctx context.Context, pin string) ([]RelyingPartyEntity, error) {
	var rps []RelyingPartyEntity
	err := d.call(ctx, "list relying parties", infoTimeout, func(c *conn) (err error) { rps, err = c.relyingParties(pin); return })
	if errors.Is(err, ErrCode(StatusNoCredentials)) {
		return nil, nil // CTAP 2.1 §6.8.3: a key with none answers NO_CREDENTIALS
	}
	if err != nil {
		return nil, err
	}
	return rps, nil
}

// Credentials lists the discoverable credentials of one relying party.
func (d *Device) Credentials(ctx context.Context, rpID, pin string) ([]StoredCredential, error) {
	const op = "list credentials"
	if rpID == "" {
		return nil, &Error{Op: op, Code: ErrCodeInvalidArgument, Err: errors.New("no rpID specified")}
	}
	var creds []StoredCredential
	err := d.call(ctx, op, infoTimeout, func(c *conn) (err error) { creds, err = c.credentials(rpID, pin); return })
	if errors.Is(err, ErrCode(StatusNoCredentials)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return creds, nil
}

// DeleteCredential removes one discoverable credential.
func (d *Device) DeleteCredential(ctx context.Context, id []byte, pin string) error {
	return d.call(ctx, "delete credential", infoTimeout, func(c *conn) error { return c.deleteCredential(id, pin) })
}
