package virtualkey

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/keydesk/keydesk/client/atomicfile"
)

// stateVersion is the JSON layout version of the state file.
const stateVersion = 1

// state is everything a real key keeps across power cycles. It is persisted
// as JSON; byte slices appear base64-encoded.
type state struct {
	Version int       `json:"version"`
	AAGUID  []byte    `json:"aaguid"`
	WrapKey []byte    `json:"wrapKey"` // AES-256 key wrapping credential IDs
	Counter uint32    `json:"counter"` // global signature counter
	PINHash []byte    `json:"pinHash,omitempty"`
	Retries int       `json:"pinRetries"`
	Seq     uint64    `json:"seq"` // creation order of discoverable credentials
	Creds   []resCred `json:"credentials"`

	CACert    []byte `json:"caCert"`    // DER
	CAKey     []byte `json:"caKey"`     // PKCS #8
	BatchCert []byte `json:"batchCert"` // DER
	BatchKey  []byte `json:"batchKey"`  // PKCS #8
}

// resCred is a discoverable (resident) credential. Its private key is inside
// ID, wrapped like any other credential ID.
type resCred struct {
	ID          []byte    `json:"id"`
	RPID        string    `json:"rpId"`
	RPName      string    `json:"rpName,omitempty"`
	UserID      []byte    `json:"userId"`
	UserName    string    `json:"userName,omitempty"`
	DisplayName string    `json:"displayName,omitempty"`
	Created     time.Time `json:"created"`
	Seq         uint64    `json:"seq"`
}

var errNoState = errors.New("virtualkey: no state file")

func newState(p Profile) (state, error) {
	aaguid := p.aaguid()
	st := state{Version: stateVersion, AAGUID: aaguid[:], Retries: pinRetriesMax, Creds: []resCred{}}
	st.WrapKey = make([]byte, 32)
	if _, err := rand.Read(st.WrapKey); err != nil {
		return state{}, err
	}
	if err := st.newAttestation(p.caName()); err != nil {
		return state{}, err
	}
	return st, nil
}

// wipe is authenticatorReset: credentials, PIN and the wrapping key go; the
// attestation material stays, as it does on a real key.
func (st *state) wipe() error {
	wk := make([]byte, 32)
	if _, err := rand.Read(wk); err != nil {
		return err
	}
	st.WrapKey = wk
	st.PINHash = nil
	st.Retries = pinRetriesMax
	st.Creds = []resCred{}
	return nil
}

func loadState(path string) (state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return state{}, errNoState
	}
	if err != nil {
		return state{}, err
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return state{}, fmt.Errorf("virtualkey: state file %s: %v", path, err)
	}
	if st.Version != stateVersion {
		return state{}, fmt.Errorf("virtualkey: state file %s: unsupported version %d", path, st.Version)
	}
	if len(st.WrapKey) != 32 || st.Retries < 0 || st.Retries > pinRetriesMax ||
		(st.PINHash != nil && len(st.PINHash) != 16) {
		return state{}, fmt.Errorf("virtualkey: state file %s: inconsistent state", path)
	}
	if st.Creds == nil {
		st.Creds = []resCred{}
	}
	return st, nil
}

// save writes the state atomically with mode 0600: it holds private keys.
func (st *state) save(path string) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b, 0o600)
}

// DefaultStatePath is where demo mode keeps the virtual key:
// $KEYDESK_CONFIG_DIR/virtualkey.json when that variable is set, else
// keydesk/virtualkey.json under os.UserConfigDir.
func DefaultStatePath() (string, error) {
	if d := os.Getenv("KEYDESK_CONFIG_DIR"); d != "" {
		return filepath.Join(d, "virtualkey.json"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "keydesk", "virtualkey.json"), nil
}
