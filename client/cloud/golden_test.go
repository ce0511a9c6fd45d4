package cloud_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/webauthn/options"
)

var update = flag.Bool("update", false, "rewrite the golden request bodies in testdata/")

// TestGoldenRequestBodies pins the exact JSON (or form) body of every call,
// sent with fixed inputs to a recording loopback server.
func TestGoldenRequestBodies(t *testing.T) {
	var (
		mu     sync.Mutex
		bodies = map[string][]byte{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies[r.Method+" "+r.URL.Path] = b
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/authenticators/auth-1":
			w.WriteHeader(http.StatusNoContent)
		case "/api/v1/introspect":
			w.Write([]byte(`{"active":true}`))
		default:
			w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	c, err := cloud.New(cloud.Config{InstanceURL: srv.URL, AccessKey: cloud.NewSecret(plantedKey)}, cloud.WithUserAgent("KeyDesk/test"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := []struct {
		golden, key string
		run         func() error
	}{
		{"enroll.json", "POST /api/v1/users/enroll", func() error {
			_, err := c.Enroll(ctx, cloud.EnrollRequest{Username: "u_1654", DisplayName: "John Doe"})
			return err
		}},
		{"enroll_fido2options.json", "POST /api/v1/users/enroll", func() error {
			_, err := c.Enroll(ctx, cloud.EnrollRequest{Username: "u_1654", DisplayName: "John Doe", FIDO2Options: &cloud.EnrollFIDO2Options{
				AuthenticatorSelection: &options.AuthenticatorSelectionCriteria{AuthenticatorAttachment: "cross-platform", ResidentKey: "required", RequireResidentKey: true, UserVerification: "preferred"},
				Attestation:            "direct",
			}})
			return err
		}},
		{"attestation.json", "POST /_app/attestation/result", func() error {
			_, err := c.PostAttestation(ctx, cloud.AttestationResult{
				ID:               "Y3JlZC1pZA",
				Response:         cloud.AttestationResponse{AttestationObject: "o2NmbXRkbm9uZQ", ClientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0"},
				StatusToken:      "status.token.value",
				UserFriendlyName: "YubiKey 5 NFC",
			})
			return err
		}},
		{"approval_username.json", "POST /api/v1/approval", func() error {
			_, err := c.Approve(ctx, cloud.ApprovalRequest{Username: "u_1654", FIDO2Options: &cloud.ApprovalFIDO2Options{UserVerification: "required"}})
			return err
		}},
		{"approval_userid.json", "POST /api/v1/approval", func() error {
			_, err := c.Approve(ctx, cloud.ApprovalRequest{UserID: "31567ae2-2fb1-466e-84af-4dafa8f9ca78", AuthenticatorID: "auth-1"})
			return err
		}},
		{"approval_usernameless.json", "POST /api/v1/approval", func() error {
			_, err := c.Approve(ctx, cloud.ApprovalRequest{})
			return err
		}},
		{"assertion.json", "POST /_app/assertion/result", func() error {
			_, err := c.PostAssertion(ctx, cloud.AssertionResult{
				ID: "Y3JlZC1pZA",
				Response: cloud.AssertionResponse{AuthenticatorData: "YXV0aC1kYXRh", ClientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0",
					Signature: "c2lnbmF0dXJl", UserHandle: "dXNlcg"},
				StatusToken: "status.token.value",
			})
			return err
		}},
		{"status.json", "POST /api/v1/status", func() error {
			_, err := c.Status(ctx, "status.token.value")
			return err
		}},
		{"introspect.form", "POST /api/v1/introspect", func() error {
			_, err := c.Introspect(ctx, "transaction.token+/=value")
			return err
		}},
		{"user.empty", "GET /api/v1/users/31567ae2 2fb1", func() error {
			_, err := c.User(ctx, "31567ae2 2fb1")
			return err
		}},
		{"delete.empty", "DELETE /api/v1/authenticators/auth-1", func() error {
			return c.DeleteAuthenticator(ctx, "auth-1")
		}},
	}
	for _, call := range calls {
		t.Run(call.golden, func(t *testing.T) {
			if err := call.run(); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			got, ok := bodies[call.key]
			delete(bodies, call.key)
			mu.Unlock()
			if !ok {
				t.Fatalf("no request %s", call.key)
			}
			if filepath.Ext(call.golden) == ".json" {
				var out bytes.Buffer
				if err := json.Indent(&out, got, "", "  "); err != nil {
					t.Fatalf("body is not JSON: %s", got)
				}
				got = append(out.Bytes(), '\n')
			}
			path := filepath.Join("testdata", call.golden)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("body of %s:\n%s\nwant (%s):\n%s", call.key, got, path, want)
			}
		})
	}
}
