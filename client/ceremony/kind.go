package ceremony

import "fmt"

// Kind says which ceremony ran: an enrollment (WebAuthn registration) or
// a sign-in (an approval, WebAuthn authentication). The front-ends word
// it; String and the JSON name are for logs, reports and scripts.
type Kind int

// The ceremonies.
const (
	KindEnroll Kind = iota + 1
	KindSignIn
)

// Kinds lists every kind, for the front-ends' word checks.
func Kinds() []Kind { return []Kind{KindEnroll, KindSignIn} }

// String is the kind's name in JSON and logs: "enroll" or "sign-in".
func (k Kind) String() string {
	switch k {
	case KindEnroll:
		return "enroll"
	case KindSignIn:
		return "sign-in"
	}
	return fmt.Sprintf("kind %d", int(k))
}

// MarshalText writes the kind's name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a name MarshalText wrote.
func (k *Kind) UnmarshalText(b []byte) error {
	for _, v := range Kinds() {
		if v.String() == string(b) {
			*k = v
			return nil
		}
	}
	return fmt.Errorf("unknown ceremony kind %q", b)
}
