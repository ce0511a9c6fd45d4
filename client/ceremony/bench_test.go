package ceremony_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/fxamacker/cbor/v2"
	libfido2 "github.com/keys-pub/go-libfido2"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// The end-to-end benchmarks pair KeyDesk's ceremonies (Runner.Enroll and
// Runner.Approve: options checked and mapped, the key driven through
// package ctap, results posted, status polled, token introspected) with a
// baseline that does the same ceremony with nothing but go-libfido2 calls
// and net/http requests. Both run against the same kind of rig: the
// virtual key through the real libfido2 and the emulator over loopback.
// .ci/benchratio divides the two: KeyDesk's overhead.

func benchRig(b *testing.B) *rig {
	b.Helper()
	// Every enrollment makes a discoverable credential (the emulator asks
	// residentKey "required", as the docs' example): room for as many as a run makes.
	return newRig(b, rigOptions{key: virtualkey.Options{MaxResident: 1 << 20}})
}

func BenchmarkEnrollEndToEnd(b *testing.B) {
	r := benchRig(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: fmt.Sprintf("bench-%d", i)})
		if !res.Success() {
			b.Fatalf("enroll %d: %s %v", i, res.Cause, res.Err)
		}
		i++
	}
}

func BenchmarkEnrollEndToEndBaseline(b *testing.B) {
	r := benchRig(b)
	raw := newRawClient(b, r)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		raw.enroll(b, fmt.Sprintf("bench-%d", i))
		i++
	}
}

func BenchmarkApproveEndToEnd(b *testing.B) {
	r := benchRig(b)
	ctx := context.Background()
	if res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "bench"}); !res.Success() {
		b.Fatal(res.Err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := r.runner.Approve(ctx, ceremony.ApproveInput{Username: "bench"}); !res.Success() {
			b.Fatalf("approve: %s %v", res.Cause, res.Err)
		}
	}
}

func BenchmarkApproveEndToEndBaseline(b *testing.B) {
	r := benchRig(b)
	raw := newRawClient(b, r)
	raw.enroll(b, "bench")
	b.ReportAllocs()
	for b.Loop() {
		raw.approve(b, "bench")
	}
}

// rawClient is the baseline: one http.Client, one go-libfido2 device, and
// the JSON and CBOR a hand-written client needs, with no checks beyond
// what the ceremony cannot do without.
type rawClient struct {
	hc        *http.Client
	base      string
	origin    string
	accessKey string
	dev       *libfido2.Device
}

func newRawClient(b *testing.B, r *rig) *rawClient {
	dev, err := libfido2.NewDevice(r.dev.Path())
	if err != nil {
		b.Fatal(err)
	}
	return &rawClient{hc: &http.Client{}, base: r.em.URL(), origin: r.em.Origin(), accessKey: r.em.AccessKey(), dev: dev}
}

func (c *rawClient) post(b *testing.B, path string, server bool, contentType string, body []byte, out any) {
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if server {
		req.Header.Set("Authorization", "Bearer "+c.accessKey)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: HTTP %d %s %v", path, resp.StatusCode, data, err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		b.Fatal(err)
	}
}

func (c *rawClient) postJSON(b *testing.B, path string, server bool, in, out any) {
	body, err := json.Marshal(in)
	if err != nil {
		b.Fatal(err)
	}
	c.post(b, path, server, "application/json", body, out)
}

var rawB64 = base64.RawURLEncoding

func (c *rawClient) clientData(b *testing.B, typ, challenge string) (cdj []byte, hash []byte) {
	cdj, err := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": c.origin, "crossOrigin": false})
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.Sum256(cdj)
	return cdj, h[:]
}

// finish polls once (the emulator settles at once), and introspects.
func (c *rawClient) finish(b *testing.B, statusToken string) {
	var st struct {
		Status string `json:"status"`
		Token  string `json:"token"`
	}
	c.postJSON(b, "/api/v1/status", true, map[string]string{"statusToken": statusToken}, &st)
	if st.Status != "succeeded" || st.Token == "" {
		b.Fatalf("status %q", st.Status)
	}
	var in struct {
		Active bool `json:"active"`
	}
	c.post(b, "/api/v1/introspect", true, "application/x-www-form-urlencoded", []byte(url.Values{"token": {st.Token}}.Encode()), &in)
	if !in.Active {
		b.Fatal("token inactive")
	}
}

func (c *rawClient) host() string {
	u, _ := url.Parse(c.origin)
	return u.Hostname()
}

func (c *rawClient) enroll(b *testing.B, username string) {
	var enr struct {
		Enrollment struct {
			StatusToken string `json:"statusToken"`
			Options     struct {
				RP struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"relyingParty"`
				User struct {
					ID          string `json:"id"`
					Name        string `json:"name"`
					DisplayName string `json:"displayName"`
				} `json:"user"`
				Challenge string `json:"challenge"`
			} `json:"credentialCreationOptions"`
		} `json:"enrollment"`
	}
	c.postJSON(b, "/api/v1/users/enroll", true, map[string]string{"username": username, "channel": "fido2"}, &enr)
	o := enr.Enrollment.Options
	rpID := o.RP.ID
	if rpID == "" {
		rpID = c.host()
	}
	userID, err := rawB64.DecodeString(o.User.ID)
	if err != nil {
		b.Fatal(err)
	}
	cdj, cdh := c.clientData(b, "webauthn.create", o.Challenge)
	att, err := c.dev.MakeCredential(cdh, libfido2.RelyingParty{ID: rpID, Name: o.RP.Name},
		libfido2.User{ID: userID, Name: o.User.Name, DisplayName: o.User.DisplayName}, libfido2.ES256, "",
		&libfido2.MakeCredentialOpts{RK: libfido2.True})
	if err != nil {
		b.Fatal(err)
	}
	var authData []byte
	if err := cbor.Unmarshal(att.AuthData, &authData); err != nil {
		b.Fatal(err)
	}
	attObj, err := cbor.Marshal(map[string]any{
		"fmt":      att.Format,
		"attStmt":  map[string]any{"alg": -7, "sig": att.Sig, "x5c": [][]byte{att.Cert}},
		"authData": authData,
	})
	if err != nil {
		b.Fatal(err)
	}
	var app struct {
		Status string `json:"status"`
	}
	c.postJSON(b, "/_app/attestation/result", false, map[string]any{
		"id": rawB64.EncodeToString(att.CredentialID), "type": "public-key",
		"response":    map[string]string{"attestationObject": rawB64.EncodeToString(attObj), "clientDataJSON": rawB64.EncodeToString(cdj)},
		"statusToken": enr.Enrollment.StatusToken, "userFriendlyName": "", "userAgent": "baseline",
	}, &app)
	if app.Status != "succeeded" {
		b.Fatalf("attestation %q", app.Status)
	}
	c.finish(b, enr.Enrollment.StatusToken)
}

func (c *rawClient) approve(b *testing.B, username string) {
	var apr struct {
		StatusToken string `json:"statusToken"`
		Options     struct {
			Challenge string `json:"challenge"`
			RPID      string `json:"rpId"`
			Allow     []struct {
				ID string `json:"id"`
			} `json:"allowCredentials"`
		} `json:"credentialRequestOptions"`
	}
	c.postJSON(b, "/api/v1/approval", true, map[string]string{"username": username, "channel": "fido2"}, &apr)
	rpID := apr.Options.RPID
	if rpID == "" {
		rpID = c.host()
	}
	var ids [][]byte
	for _, a := range apr.Options.Allow {
		id, err := rawB64.DecodeString(a.ID)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	cdj, cdh := c.clientData(b, "webauthn.get", apr.Options.Challenge)
	as, err := c.dev.Assertion(rpID, cdh, ids, "", &libfido2.AssertionOpts{UP: libfido2.True})
	if err != nil {
		b.Fatal(err)
	}
	var authData []byte
	if err := cbor.Unmarshal(as.AuthDataCBOR, &authData); err != nil {
		b.Fatal(err)
	}
	var app struct {
		Status string `json:"status"`
	}
	c.postJSON(b, "/_app/assertion/result", false, map[string]any{
		"id": rawB64.EncodeToString(as.CredentialID), "type": "public-key",
		"response": map[string]string{
			"authenticatorData": rawB64.EncodeToString(authData), "clientDataJSON": rawB64.EncodeToString(cdj),
			"signature": rawB64.EncodeToString(as.Sig), "userHandle": rawB64.EncodeToString(as.User.ID),
		},
		"statusToken": apr.StatusToken, "userAgent": "baseline",
	}, &app)
	if app.Status != "succeeded" {
		b.Fatalf("assertion %q", app.Status)
	}
	c.finish(b, apr.StatusToken)
}
