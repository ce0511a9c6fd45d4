package pass_test

import (
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/pass"
)

// FuzzDecode: Decode either fails with no pass, or returns a pass whose
// text is the input (white space trimmed) and which decodes again to the
// same pass; errors never quote the input. Seeds: testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	p, err := pass.Issue(pass.Fields{Instance: "https://acme.mauth.nevis.cloud", Username: "alice", EnrollToken: "tok-e",
		ApproveToken: "tok-a", Issued: issued, Expires: issued.Add(1e9 * 3600)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(p.Encode())
	f.Add(p.Encode() + "\n")
	f.Add("KDP1.")
	f.Add("KDP1..")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := pass.Decode(s)
		if err != nil {
			if p != nil {
				t.Fatal("a pass and an error")
			}
			if len(s) >= 24 && strings.Contains(err.Error(), s) {
				t.Fatalf("error quotes the input: %v", err)
			}
			return
		}
		if p.Encode() != strings.TrimSpace(s) {
			t.Fatalf("text %q from input %q", p.Encode(), s)
		}
		q, err := pass.Decode(p.Encode())
		if err != nil || q.ID() != p.ID() || q.Username != p.Username || !q.Expires.Equal(p.Expires) {
			t.Fatalf("re-decode: %v", err)
		}
		if _, ok := p.Token(pass.Enroll); !ok {
			t.Fatal("a decoded pass without an enroll token")
		}
	})
}
