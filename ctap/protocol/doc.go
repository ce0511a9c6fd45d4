// Package protocol is the cgo-free part of CTAP and WebAuthn: authenticator
// data, COSE keys, attestation objects and the verification of each
// attestation format, and KeyDesk's one strict CBOR policy (DecodeCBOR,
// DecMode, EncodeCBOR). It reads bytes and never touches a key: the device
// layer (package ctap, through libfido2), the virtual key (ctap/virtualkey),
// the emulator's test authenticator (client/internal/testauthn) and the
// fuzzers all use it, and it builds with CGO_ENABLED=0 on any system.
package protocol
