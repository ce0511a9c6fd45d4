package cloud_test

import (
	"context"
	"testing"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
)

// TestEnrollAuthenticatorsLenient: the enroll answer's authenticators are
// identifiers in the official iOS sample (RegistrationResponse.swift:
// Set<String>) and objects in the users endpoint's shape; either (or a
// mix, or null) decodes, so enrolling a second key for an existing user
// cannot fail on it. Anything else in the list is skipped, not an error.
func TestEnrollAuthenticatorsLenient(t *testing.T) {
	const opts = `"enrollment":{"transactionId":"t","statusToken":"st-1","credentialCreationOptions":{}}`
	for _, tc := range []struct {
		list string
		want []string
	}{
		{`["a1","a2"]`, []string{"a1", "a2"}},
		{`[{"authenticatorId":"a1","name":"YubiKey","type":"fido2"}]`, []string{"a1"}},
		{`["a1",{"authenticatorId":"a2"},7,null,{"authenticatorId":""}]`, []string{"a1", "a2"}},
		{`null`, nil},
		{`[]`, nil},
	} {
		srv, c := startEmulator(t)
		srv.FailNext(emulator.EndpointEnroll, emulator.Fault{Status: 200,
			Body: `{"userId":"u1","username":"ann","status":"active","authenticators":` + tc.list + `,` + opts + `}`})
		en, err := c.Enroll(context.Background(), cloud.EnrollRequest{Username: "ann", DisplayName: "Ann"})
		if err != nil {
			t.Fatalf("%s: %v", tc.list, err)
		}
		var got []string
		for _, a := range en.Authenticators {
			got = append(got, a.AuthenticatorID)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: authenticators %v, want %v", tc.list, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("%s: authenticators %v, want %v", tc.list, got, tc.want)
			}
		}
	}
}
