package kiosk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// probeTimeout bounds one getInfo: a healthy key answers in milliseconds.
const probeTimeout = 2 * time.Second

// findKeys lists the plugged-in keys that answer getInfo. A key that is
// listed but does not answer (pulled out, still enumerating) is left out.
func findKeys(ctx context.Context) []KeyInfo {
	devs, err := ctap.ListDevices()
	if err != nil {
		return nil
	}
	var out []KeyInfo
	for _, d := range devs {
		if k, ok := probeKey(ctx, d); ok {
			out = append(out, k)
		}
	}
	return out
}

func probeKey(ctx context.Context, d ctap.DeviceDescriptor) (KeyInfo, bool) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	dev, err := ctap.Open(d.Path)
	if err != nil {
		return KeyInfo{}, false
	}
	info, err := dev.Info(ctx)
	if err != nil || info == nil {
		return KeyInfo{}, false
	}
	model := strings.TrimSpace(strings.TrimSpace(d.Manufacturer) + " " + strings.TrimSpace(d.Product))
	if model == "" {
		model = wordsSecurityKey
	}
	return KeyInfo{
		Path: d.Path, Model: model, AAGUID: aaguidString(info.AAGUID),
		PINSet: info.PINSet(), MinPINLength: int(info.MinPINLength), Virtual: d.Virtual,
		NoClientPIN: !ctap.PINSupported(info),
	}, true
}

// keyPresent reports whether the key at path still answers.
func keyPresent(ctx context.Context, path string) bool {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	dev, err := ctap.Open(path)
	if err != nil {
		return false
	}
	_, err = dev.Info(ctx)
	return err == nil
}

func aaguidString(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// selectionRPID is the relying party of the throw-away credential that
// makes keys blink: a reserved name (RFC 2606) that no site can own.
const selectionRPID = "select.keydesk.invalid"

// errNoneTouched is returned when no key was touched.
var errNoneTouched = errors.New("no key was touched")

// selectByTouch makes every key blink and returns the first one touched;
// the others are told to stop. It asks each for a non-discoverable
// credential without user verification, as browsers do with keys that lack
// CTAP 2.1's selection command: nothing is stored on the key (the
// credential is thrown away; only the signature counter moves) and no PIN
// is needed on keys that allow makeCredUvNotRqd. A key that refuses (one
// that wants a PIN for every credential) drops out; the person can still
// unplug the others.
func selectByTouch(ctx context.Context, keys []KeyInfo, timeout time.Duration) (KeyInfo, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		k   KeyInfo
		err error
	}
	answers := make(chan answer, len(keys))
	for _, k := range keys {
		go func() {
			answers <- answer{k, touchOne(ctx, k.Path, timeout)}
		}()
	}
	var chosen *KeyInfo
	for range keys {
		a := <-answers
		if a.err == nil && chosen == nil {
			chosen = &a.k
			cancel() // the others stop blinking
		}
	}
	if chosen == nil {
		return KeyInfo{}, errNoneTouched
	}
	return *chosen, nil
}

func touchOne(ctx context.Context, path string, timeout time.Duration) error {
	dev, err := ctap.Open(path)
	if err != nil {
		return err
	}
	cdh := make([]byte, 32)
	uid := make([]byte, 16)
	_, _ = rand.Read(cdh)
	_, _ = rand.Read(uid)
	_, err = dev.MakeCredential(ctx, ctap.MakeCredentialRequest{
		ClientDataHash:   cdh,
		RP:               ctap.RelyingPartyEntity{ID: selectionRPID, Name: "KeyDesk key selection"},
		User:             ctap.UserEntity{ID: uid, Name: "selection", DisplayName: "selection"},
		Algorithms:       []int{int(protocol.AlgES256)},
		UserVerification: ctap.UVDiscouraged,
		NoneAttestation:  true,
		Timeout:          timeout,
	}, nil)
	return err
}
