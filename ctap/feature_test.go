package ctap_test

import (
	"errors"
	"testing"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// getInfo shapes of real keys (versions and options as the keys answer).
var (
	// YubiKey 5 series, firmware 5.7: CTAP 2.1 with credMgmt and authnrCfg.
	infoYubiKey5 = &ctap.Info{
		Versions: []string{"FIDO_2_0", "FIDO_2_1", "FIDO_2_1_PRE", "U2F_V2"},
		Options: map[string]bool{"rk": true, "up": true, "plat": false, "clientPin": true, "credMgmt": true,
			"credentialMgmtPreview": true, "authnrCfg": true, "largeBlobs": true, "pinUvAuthToken": true,
			"setMinPINLength": true, "makeCredUvNotRqd": false, "alwaysUv": false},
	}
	// YubiKey 5 series, firmware 5.2: the CTAP 2.1 preview only.
	infoPreview = &ctap.Info{
		Versions: []string{"U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"},
		Options:  map[string]bool{"rk": true, "up": true, "plat": false, "clientPin": true, "credentialMgmtPreview": true},
	}
	// A CTAP 2.0 key that lists no clientPin option at all.
	infoNoClientPIN = &ctap.Info{
		Versions: []string{"U2F_V2", "FIDO_2_0"},
		Options:  map[string]bool{"rk": false, "up": true, "plat": false},
	}
	// Security Key by Yubico (firmware 5.1): a PIN can be set, none is.
	infoPINFalse = &ctap.Info{
		Versions: []string{"U2F_V2", "FIDO_2_0"},
		Options:  map[string]bool{"rk": true, "up": true, "plat": false, "clientPin": false},
	}
	// What a U2F-only key amounts to: no CTAP2 version, no options.
	infoU2FOnly = &ctap.Info{Versions: []string{"U2F_V2"}}
	// A CTAP 2.0 key that lists the preview option without announcing the
	// preview version: not a credential-management key.
	infoPreviewOption20 = &ctap.Info{
		Versions: []string{"FIDO_2_0"},
		Options:  map[string]bool{"clientPin": true, "credentialMgmtPreview": true},
	}
	// A CTAP 2.1 key with credMgmt listed but false, authnrCfg false.
	infoOptionsFalse = &ctap.Info{
		Versions: []string{"FIDO_2_0", "FIDO_2_1"},
		Options:  map[string]bool{"clientPin": true, "credMgmt": false, "authnrCfg": false},
	}
)

// TestFeatureSupported: each feature file's predicate over real keys'
// getInfo shapes.
func TestFeatureSupported(t *testing.T) {
	type want struct{ pin, setPIN, changePIN, credMgmt, reset, config bool }
	for _, tc := range []struct {
		name string
		info *ctap.Info
		want want
	}{
		{"YubiKey 5 (2.1, credMgmt)", infoYubiKey5, want{pin: true, changePIN: true, credMgmt: true, reset: true, config: true}},
		{"FIDO_2_1_PRE with credentialMgmtPreview", infoPreview, want{pin: true, changePIN: true, credMgmt: true, reset: true}},
		{"FIDO_2_0 without clientPin", infoNoClientPIN, want{reset: true}},
		{"clientPin false", infoPINFalse, want{pin: true, setPIN: true, reset: true}},
		{"U2F only", infoU2FOnly, want{}},
		{"credentialMgmtPreview on FIDO_2_0", infoPreviewOption20, want{pin: true, changePIN: true, reset: true}},
		{"credMgmt and authnrCfg false", infoOptionsFalse, want{pin: true, changePIN: true, reset: true}},
		{"no getInfo", nil, want{}},
	} {
		got := want{
			pin: ctap.PINSupported(tc.info), setPIN: ctap.CanSetPIN(tc.info), changePIN: ctap.CanChangePIN(tc.info),
			credMgmt: ctap.CredMgmtSupported(tc.info), reset: ctap.ResetSupported(tc.info), config: ctap.ConfigSupported(tc.info),
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestUnsupportedError: the error of an operation the key does not offer
// carries UNSUPPORTED_OPTION and ErrNotSupported, and says what is missing.
func TestUnsupportedError(t *testing.T) {
	err := ctap.Unsupported("list credentials", "no credential management")
	if code, ok := ctap.CodeOf(err); !ok || code != ctap.StatusUnsupportedOption {
		t.Errorf("code %#x %v, want UNSUPPORTED_OPTION", code, ok)
	}
	if !errors.Is(err, ctap.ErrNotSupported) {
		t.Errorf("%v does not wrap ErrNotSupported", err)
	}
	var e *ctap.Error
	if !errors.As(err, &e) || e.Err == nil || e.Err.Error() != "no credential management" {
		t.Errorf("the error does not say what is missing: %#v", err)
	}
}

// TestFewerFeaturesThroughLibfido2: a virtual key told to announce no
// client PIN and no credential management says so in its getInfo through
// the real libfido2, the predicates follow, and SetPIN does not send a
// PIN to such a key (UNSUPPORTED_OPTION, ErrNotSupported).
func TestFewerFeaturesThroughLibfido2(t *testing.T) {
	k := newKey(t, virtualkey.Options{NoClientPIN: true, NoCredMgmt: true})
	ctx := ctxT(t)
	info, err := k.dev.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ctap.PINSupported(info) || ctap.CanSetPIN(info) || ctap.CredMgmtSupported(info) || !ctap.ResetSupported(info) {
		t.Fatalf("getInfo of a key without clientPin and credMgmt: options %v", info.Options)
	}
	for name, err := range map[string]error{
		"set PIN":    k.dev.SetPIN(ctx, "1234"),
		"change PIN": k.dev.ChangePIN(ctx, "1234", "5678"),
	} {
		if code, _ := ctap.CodeOf(err); code != ctap.StatusUnsupportedOption || !errors.Is(err, ctap.ErrNotSupported) {
			t.Errorf("%s on a key without client PIN: %v", name, err)
		}
	}
	if k.k.Status().PINSet {
		t.Error("a PIN was set on a key without client PIN")
	}

	full := newKey(t, virtualkey.Options{})
	info, err = full.dev.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ctap.CanSetPIN(info) || !ctap.CredMgmtSupported(info) {
		t.Fatalf("getInfo of the full virtual key: options %v", info.Options)
	}
}
