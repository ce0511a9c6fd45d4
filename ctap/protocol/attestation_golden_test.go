package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// updateGolden rewrites goldens instead of comparing with them. It is an
// environment variable, not a -update flag, so that it cannot collide with
// another file's flag in this package: UPDATE_GOLDEN=1 go test ./ctap/protocol/.
var updateGolden = os.Getenv("UPDATE_GOLDEN") != ""

// attestationDump is a stable, readable rendering of a parsed and verified
// attestation object.
type attestationDump struct {
	Format    string          `json:"fmt"`
	AuthData  authDataDump    `json:"authData"`
	Statement json.RawMessage `json:"attStmt,omitempty"`
	Verdict   verdictDump     `json:"verdict"`
}

type authDataDump struct {
	RPIDHash     string         `json:"rpIdHash"`
	Flags        string         `json:"flags"`
	SignCount    uint32         `json:"signCount"`
	AAGUID       string         `json:"aaguid,omitempty"`
	CredentialID string         `json:"credentialId,omitempty"`
	PublicKey    map[string]any `json:"credentialPublicKey,omitempty"`
	Extensions   string         `json:"extensions,omitempty"`
}

type verdictDump struct {
	Type        string   `json:"type"`
	Algorithm   string   `json:"alg,omitempty"`
	Verified    bool     `json:"verified"`
	Chain       []string `json:"chain,omitempty"`
	CertAAGUID  string   `json:"certificateAaguid,omitempty"`
	VerifyError string   `json:"verifyError,omitempty"`
}

func dumpAttestation(t *testing.T, obj *AttestationObject, cdh []byte) []byte {
	t.Helper()
	ad := obj.AuthData
	d := attestationDump{Format: string(obj.Format), AuthData: authDataDump{
		RPIDHash: hex.EncodeToString(ad.RPIDHash[:]), Flags: ad.Flags.String(), SignCount: ad.SignCount,
	}}
	if acd := ad.AttestedCredentialData; acd != nil {
		d.AuthData.AAGUID = acd.AAGUID.String()
		d.AuthData.CredentialID = hex.EncodeToString(acd.CredentialID)
		k := acd.PublicKey
		pk := map[string]any{"kty": k.KeyType, "alg": AlgName(k.Algorithm)}
		for name, v := range map[string][]byte{"x": k.X, "y": k.Y, "n": k.N, "e": k.E} {
			if v != nil {
				pk[name] = hex.EncodeToString(v)
			}
		}
		if k.Curve != 0 {
			pk["crv"] = k.Curve
		}
		d.AuthData.PublicKey = pk
	}
	if ad.Extensions != nil {
		d.AuthData.Extensions = hex.EncodeToString(ad.Extensions.Raw)
	}
	if obj.Statement != nil {
		// The statement types marshal their byte fields as base64; good
		// enough to see a change.
		b, err := json.Marshal(obj.Statement)
		if err != nil {
			t.Fatal(err)
		}
		d.Statement = b
	}
	v, err := obj.Verify(cdh)
	if err != nil {
		d.Verdict.VerifyError = err.Error()
	} else {
		d.Verdict = verdictDump{Type: string(v.Type), Verified: v.Verified}
		if v.Algorithm != 0 {
			d.Verdict.Algorithm = AlgName(v.Algorithm)
		}
		for _, c := range v.Chain {
			d.Verdict.Chain = append(d.Verdict.Chain, c.Subject.String())
		}
		if v.CertificateAAGUID != nil {
			d.Verdict.CertAAGUID = v.CertificateAAGUID.String()
		}
	}
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestGolden compares the decoded dump of each WebAuthn L3 §16 vector with
// testdata/golden/<name>.json.
func TestGolden(t *testing.T) {
	pinClock(t, specVectorTime)
	for _, v := range loadSpecVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			raw, cdh, _ := v.decode(t)
			got := dumpAttestation(t, mustParseAttObj(t, raw), cdh)
			path := filepath.Join("testdata", "golden", v.Name+".json")
			if updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (UPDATE_GOLDEN=1 writes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("dump differs from %s:\n%s", path, got)
			}
		})
	}
}
