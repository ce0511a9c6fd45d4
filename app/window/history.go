package window

import (
	"sync"

	"fyne.io/fyne/v2/data/binding"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// Ceremony is one enroll or sign-in as the helpdesk sees it: the
// ceremony's Record (no token, no challenge, no key material; messages
// redacted), how it ended, and what the key's answer shows.
type Ceremony struct {
	ceremony.Record
	// EndedAs says how it ended: succeeded, failed, cancelled (by the
	// person) or timed-out.
	EndedAs    string          `json:"ending"`
	Credential *CredentialInfo `json:"credential,omitempty"`
}

// newCeremony is the history entry of a ceremony's result: its Record,
// and the credential the key returned, decoded.
func newCeremony(kind ceremony.Kind, r *ceremony.Result) *Ceremony {
	return historyEntry(ceremony.NewRecord(kind, r), r.Credential)
}

// historyEntry is the history's view of a Record.
func historyEntry(rec ceremony.Record, cred *webauthn.PublicKeyCredential) *Ceremony {
	c := &Ceremony{Record: rec}
	c.EndedAs = endingNames[c.Ending()]
	if cred != nil {
		c.Credential = DecodeCredential(cred)
	}
	return c
}

// maxHistory bounds the ceremonies kept for the helpdesk.
const maxHistory = 50

// History is the session's ceremonies, newest last. Items is bound so the
// helpdesk screen redraws when a ceremony ends.
type History struct {
	mu    sync.Mutex
	items []*Ceremony
	// keys are the public keys this session enrolled, by credential ID:
	// a later sign-in's signature is verified with them.
	keys map[string]*protocol.COSEKey
	// Items holds the same ceremonies for widgets.
	Items binding.UntypedList
}

// NewHistory returns an empty history.
func NewHistory() *History {
	return &History{Items: binding.NewUntypedList()}
}

// Add records a ceremony.
func (h *History) Add(c *Ceremony) {
	h.mu.Lock()
	if cr := c.Credential; cr != nil {
		if cr.pub != nil && len(cr.credID) > 0 && c.Success() {
			if h.keys == nil {
				h.keys = map[string]*protocol.COSEKey{}
			}
			h.keys[string(cr.credID)] = cr.pub
		}
		cr.checkAssertion(h.keys[string(cr.credID)], c.Success())
	}
	h.items = append(h.items, c)
	if len(h.items) > maxHistory {
		h.items = h.items[len(h.items)-maxHistory:]
	}
	items := make([]any, len(h.items))
	for i, it := range h.items {
		items[i] = it
	}
	h.mu.Unlock()
	set(h.Items, items)
}

// All returns the ceremonies, oldest first.
func (h *History) All() []*Ceremony {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Ceremony(nil), h.items...)
}

// Last returns the newest ceremony, nil when there is none.
func (h *History) Last() *Ceremony {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.items) == 0 {
		return nil
	}
	return h.items[len(h.items)-1]
}
