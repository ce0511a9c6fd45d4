package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/keydesk/keydesk/client/atomicfile"
	ctapprotocol "github.com/keydesk/keydesk/ctap/protocol"
)

// Authenticator and user states as the Cloud reports them.
const (
	userStatusNew    = "new"
	userStatusActive = "active"
	authStateActive  = "ACTIVE"
	stateFileVersion = 1
	defaultKeyName   = "Security key"
	maxFriendlyName  = 100
)

// userRec is one user. Lookups go through the store's maps, so the cost of
// an enroll or approve does not grow with the number of users.
type userRec struct {
	ID             string     `json:"userId"`
	Username       string     `json:"username"`
	DisplayName    string     `json:"displayName,omitempty"`
	Status         string     `json:"status"`
	CreatedAt      time.Time  `json:"createdAt"`
	UpdatedAt      time.Time  `json:"updatedAt"`
	Authenticators []*authRec `json:"authenticators"`
}

// authRec is one enrolled authenticator and its WebAuthn credential record.
type authRec struct {
	ID                string              `json:"authenticatorId"`
	UserID            string              `json:"userId"`
	Name              string              `json:"name"`
	Type              string              `json:"type"`
	AuthenticatorType string              `json:"authenticatorType"`
	State             string              `json:"state"`
	EnrolledAt        time.Time           `json:"enrolledAt"`
	UpdatedAt         time.Time           `json:"updatedAt,omitzero"`
	Credential        webauthn.Credential `json:"credential"`
	// Trust is the attestation's verdict under RecordTrust (trust.go).
	Trust ctapprotocol.Trust `json:"attestationTrust,omitempty"`
}

type store struct {
	path    string
	byID    map[string]*userRec
	byName  map[string]*userRec
	byAuth  map[string]*authRec
	byCred  map[string]*authRec // key: string(credential ID bytes)
	ordered []*userRec          // insertion order, for a stable state file
	// intents are the issued intent tokens by the SHA-256 of the token
	// (intent.go); intentList keeps them in issue order.
	intents    map[string]*intentRec
	intentList []*intentRec
}

type stateFile struct {
	Version int        `json:"version"`
	Users   []*userRec `json:"users"`
	// Intents are the issued intent tokens (hashes, never tokens), so a
	// demo pass issued in one run redeems in the next.
	Intents []*intentRec `json:"intents,omitempty"`
}

func newStore(path string) *store {
	return &store{
		path:    path,
		byID:    map[string]*userRec{},
		byName:  map[string]*userRec{},
		byAuth:  map[string]*authRec{},
		byCred:  map[string]*authRec{},
		intents: map[string]*intentRec{},
	}
}

// addIntent keeps rec and forgets intent tokens that expired a day ago or
// more, so the state stays small.
func (st *store) addIntent(rec *intentRec, now time.Time) {
	keep := st.intentList[:0]
	for _, r := range st.intentList {
		if now.Sub(r.Expires) > 24*time.Hour {
			delete(st.intents, r.Hash)
			continue
		}
		keep = append(keep, r)
	}
	st.intentList = append(keep, rec)
	st.intents[rec.Hash] = rec
}

// loadStore reads the state file; a missing file is an empty store.
func loadStore(path string) (*store, error) {
	st := newStore(path)
	if path == "" {
		return st, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("emulator: reading state: %w", err)
	}
	var sf stateFile
	if err := json.Unmarshal(b, &sf); err != nil {
		return nil, fmt.Errorf("emulator: state file %s: %w", path, err)
	}
	if sf.Version != stateFileVersion {
		return nil, fmt.Errorf("emulator: state file %s: version %d, want %d", path, sf.Version, stateFileVersion)
	}
	for _, u := range sf.Users {
		st.addUser(u)
		for _, a := range u.Authenticators {
			a.UserID = u.ID
			normaliseAuthenticatorKinds(a)
			st.byAuth[a.ID] = a
			st.byCred[string(a.Credential.ID)] = a
		}
	}
	for _, rec := range sf.Intents {
		if rec != nil && rec.Hash != "" {
			st.intents[rec.Hash] = rec
			st.intentList = append(st.intentList, rec)
		}
	}
	return st, nil
}

func (st *store) addUser(u *userRec) {
	st.byID[u.ID] = u
	st.byName[u.Username] = u
	st.ordered = append(st.ordered, u)
}

func (st *store) addAuthenticator(u *userRec, a *authRec) {
	u.Authenticators = append(u.Authenticators, a)
	u.Status = userStatusActive
	u.UpdatedAt = a.EnrolledAt
	st.byAuth[a.ID] = a
	st.byCred[string(a.Credential.ID)] = a
}

func (st *store) deleteAuthenticator(id string) bool {
	a, ok := st.byAuth[id]
	if !ok {
		return false
	}
	delete(st.byAuth, id)
	delete(st.byCred, string(a.Credential.ID))
	if u := st.byID[a.UserID]; u != nil {
		for i, x := range u.Authenticators {
			if x == a {
				u.Authenticators = append(u.Authenticators[:i:i], u.Authenticators[i+1:]...)
				break
			}
		}
		u.UpdatedAt = time.Now().UTC()
	}
	return true
}

// save writes the state file atomically (0600) so a crash never leaves half
// a file; a no-op without a state file.
func (st *store) save() error {
	if st.path == "" {
		return nil
	}
	b, err := json.MarshalIndent(stateFile{Version: stateFileVersion, Users: st.ordered, Intents: st.intentList}, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(st.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(st.path, b, 0o600)
}

// waUser adapts a user to go-webauthn. Following seed 002, user.name is the
// user ID and the user handle is the user ID's bytes.
type waUser struct {
	id, name, display string
	creds             []webauthn.Credential
}

func (u waUser) WebAuthnID() []byte                         { return []byte(u.id) }
func (u waUser) WebAuthnName() string                       { return u.name }
func (u waUser) WebAuthnDisplayName() string                { return u.display }
func (u waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// snapshot copies what go-webauthn needs, so verification can run without
// holding the server lock.
func (u *userRec) snapshot() waUser {
	w := waUser{id: u.ID, name: u.ID, display: u.DisplayName}
	if w.display == "" {
		w.display = u.Username
	}
	for _, a := range u.Authenticators {
		if a.State == authStateActive {
			w.creds = append(w.creds, a.Credential)
		}
	}
	return w
}
