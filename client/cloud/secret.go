package cloud

import (
	"fmt"

	"github.com/keydesk/keydesk/client/result"
)

const redacted = result.Redacted

// Secret holds the Authentication Cloud access key. It prints as
// "[redacted]" with every fmt verb and marshals to JSON as "[redacted]", so
// a configuration or client that ends up in a log line or an error string
// does not carry the key with it. Only Reveal returns the value.
type Secret struct {
	v string
}

// NewSecret wraps an access key.
func NewSecret(s string) Secret { return Secret{v: s} }

// Reveal returns the secret value; call it only where the value leaves
// KeyDesk on purpose (the Authorization header, the OS keyring).
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether no secret is set.
func (s Secret) IsZero() bool { return s.v == "" }

// String implements fmt.Stringer.
func (s Secret) String() string { return redactedOrEmpty(s.v) }

// GoString implements fmt.GoStringer, which %#v uses.
func (s Secret) GoString() string { return "cloud.Secret(" + redactedOrEmpty(s.v) + ")" }

// Format implements fmt.Formatter so that %x, %q and friends cannot reach
// the value either.
func (s Secret) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.v, s.GoString()) }

// MarshalJSON never emits the value: the access key is not part of any
// document KeyDesk writes.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redactedOrEmpty(s.v) + `"`), nil }

// Token is a status token or a transaction token. Tokens are bearer
// credentials for one transaction: they travel in JSON bodies as plain
// strings, but print as "[redacted]" with every fmt verb so that a response
// logged with %+v does not leak them.
type Token string

// Reveal returns the token value.
func (t Token) Reveal() string { return string(t) }

// String implements fmt.Stringer.
func (t Token) String() string { return redactedOrEmpty(string(t)) }

// GoString implements fmt.GoStringer.
func (t Token) GoString() string { return "cloud.Token(" + redactedOrEmpty(string(t)) + ")" }

// Format implements fmt.Formatter.
func (t Token) Format(f fmt.State, verb rune) { formatRedacted(f, verb, string(t), t.GoString()) }

func redactedOrEmpty(v string) string {
	if v == "" {
		return ""
	}
	return redacted
}

func formatRedacted(f fmt.State, verb rune, v, gostr string) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, gostr)
		return
	}
	fmt.Fprint(f, redactedOrEmpty(v))
}
