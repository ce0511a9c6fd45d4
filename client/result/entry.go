package result

import (
	"fmt"
	"strings"
)

// Kind classifies an entry.
type Kind string

// Entry kinds.
const (
	KindSuccess   Kind = "success"   // the operation succeeded
	KindError     Kind = "error"     // a failure
	KindStatus    Kind = "status"    // an intermediate state (pending)
	KindReserved  Kind = "reserved"  // a value reserved by its specification
	KindExtension Kind = "extension" // a value left to extensions
	KindVendor    Kind = "vendor"    // a value left to vendors
	KindUnknown   Kind = "unknown"   // a value nobody catalogued
)

// Audience selects who a text is written for.
type Audience int

// The audiences.
const (
	// User is the person holding the key: plain words, no jargon.
	User Audience = iota
	// Helpdesk is support staff: the technical cause and what to check.
	Helpdesk
)

// String returns "user" or "helpdesk".
func (a Audience) String() string {
	if a == Helpdesk {
		return "helpdesk"
	}
	return "user"
}

// ParseAudience reads "user" or "helpdesk".
func ParseAudience(s string) (Audience, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "user", "":
		return User, nil
	case "helpdesk", "support":
		return Helpdesk, nil
	}
	return User, fmt.Errorf("unknown audience %q (want user or helpdesk)", s)
}

// MarshalText writes the audience's name.
func (a Audience) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Entry is what KeyDesk knows about one code.
type Entry struct {
	Code Code `json:"code"`
	// Name is the symbolic name where the source has one
	// (CTAP2_ERR_PIN_INVALID, FIDO_ERR_PIN_INVALID, NotAllowedError), else
	// the value.
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Message is the source's official short message, verbatim (typos
	// included); empty where the source has none.
	Message string `json:"message,omitempty"`
	// Explanation says what happened and its likely causes.
	Explanation string `json:"explanation"`
	// UserText says what the person holding the key can do, in plain words.
	UserText string `json:"user"`
	// HelpdeskText gives the technical cause and what to check.
	HelpdeskText string `json:"helpdesk"`
	// HTTPStatus is the HTTP status that carries this code, if any.
	HTTPStatus int `json:"httpStatus,omitempty"`
	// Aliases are other spellings of the code (older spec names, ABA-60001).
	Aliases []string `json:"aliases,omitempty"`
	// Related lists codes that mean the same thing in another source
	// (FIDO_ERR_PIN_INVALID and CTAP 0x31).
	Related []Code `json:"related,omitempty"`
	// Causes are the IDs of the likely causes, most likely first; see
	// CauseByID.
	Causes []string `json:"causes,omitempty"`
	// Reference names the document the entry comes from.
	Reference string `json:"reference,omitempty"`
	// Generated is set on entries Lookup made up for uncatalogued codes.
	Generated bool `json:"generated,omitempty"`
}

// Text returns the entry's advice for the audience.
func (e Entry) Text(a Audience) string {
	if a == Helpdesk {
		return e.HelpdeskText
	}
	return e.UserText
}

// Title is a one-line heading: the code as its source writes it, the name
// where it differs, and the official message.
func (e Entry) Title() string {
	d := e.Display()
	t := d
	if e.Name != "" && e.Name != e.Message && !strings.Contains(d, e.Name) {
		t += " " + e.Name
	}
	if e.Message != "" && e.Message != e.Code.Value && !strings.Contains(d, e.Message) {
		t += ": " + e.Message
	}
	return t
}

// Display is the code as people write it: "error-1001", "0x31",
// "-7 (libfido2)", "HTTP 429", "ABA-60008", "NotAllowedError".
func (e Entry) Display() string {
	c := e.Code
	switch c.Source {
	case SourceLibfido2:
		return e.Name + " (" + c.Value + ")"
	case SourceHTTP:
		return "HTTP " + c.Value
	case SourceCloudAPI:
		if e.HTTPStatus != 0 {
			return "Cloud API HTTP " + c.Value
		}
		return "Cloud API status " + c.Value
	case SourceAppNative:
		if c.Value == "401" {
			return "app-native 401"
		}
		return "ABA-" + c.Value
	case SourceTenantAPI:
		return c.Value
	case SourceKeyDesk:
		return "keydesk:" + c.Value
	}
	return c.Value
}

// Cause is one likely reason behind a code, with what to do about it.
type Cause struct {
	ID string `json:"id"`
	// Summary is one line, lowercase, fit to follow "likely cause:".
	Summary      string `json:"summary"`
	UserText     string `json:"user"`
	HelpdeskText string `json:"helpdesk"`
}

// Text returns the cause's advice for the audience.
func (c Cause) Text(a Audience) string {
	if a == Helpdesk {
		return c.HelpdeskText
	}
	return c.UserText
}

// CauseByID returns the cause with the given ID.
func CauseByID(id string) (Cause, bool) {
	c, ok := cat().causes[id]
	return c, ok
}

// Lookup returns the catalogue entry for c. It never fails: a code that is
// not catalogued gets a generated entry that shows it verbatim.
func Lookup(c Code) Entry {
	if e, ok := cat().entries[c]; ok {
		return e.clone()
	}
	return unknownEntry(c)
}

// Known reports whether c has a catalogue entry of its own.
func Known(c Code) bool {
	_, ok := cat().entries[c]
	return ok
}

// Entries returns every catalogued entry of the given sources (all when
// none are given), in documentation order: by source, then by value.
func Entries(sources ...Source) []Entry {
	k := cat()
	want := map[Source]bool{}
	for _, s := range sources {
		want[s] = true
	}
	var out []Entry
	for _, c := range k.order {
		if len(want) == 0 || want[c.Source] {
			out = append(out, k.entries[c].clone())
		}
	}
	return out
}

func (e Entry) clone() Entry {
	e.Aliases = append([]string(nil), e.Aliases...)
	e.Related = append([]Code(nil), e.Related...)
	e.Causes = append([]string(nil), e.Causes...)
	return e
}

func unknownEntry(c Code) Entry {
	v := c.Value
	src := c.Source
	if src == "" {
		src = SourceUnknown
	}
	u, _ := CauseByID("unknown-code")
	return Entry{
		Code:         Code{src, v},
		Name:         v,
		Kind:         KindUnknown,
		Explanation:  fmt.Sprintf("KeyDesk has no entry for the %s code %q; it is shown exactly as received.", src, v),
		UserText:     u.UserText,
		HelpdeskText: u.HelpdeskText,
		Causes:       []string{"unknown-code"},
		Generated:    true,
	}
}
