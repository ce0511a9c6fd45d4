package window

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// KeyVerdict is a key's health as the Keys screen and the report show it;
// Text words it in the window's language.
type KeyVerdict int

// Health verdicts of a key.
const (
	VerdictReady KeyVerdict = iota + 1
	VerdictSetPIN
	VerdictBlocked
	VerdictChangePIN
	VerdictFull
	VerdictNoResponse
	// VerdictReinsert: three wrong PINs in a row; the key refuses its PIN
	// until it is removed and plugged in again (its tries are not used up).
	VerdictReinsert
)

// keyVerdicts lists every verdict with its name in the report's JSON (and
// logs): the English words the Keys screen showed before they were typed.
var keyVerdicts = []struct {
	v    KeyVerdict
	name string
}{
	{VerdictReady, "ready"}, {VerdictSetPIN, "set a PIN"}, {VerdictBlocked, "PIN blocked: reset needed"},
	{VerdictChangePIN, "change the PIN"}, {VerdictFull, "full: delete a credential"},
	{VerdictNoResponse, "not responding"}, {VerdictReinsert, "remove and reinsert the key"},
}

// String is the verdict's name for JSON and logs, not for people.
func (v KeyVerdict) String() string {
	for _, k := range keyVerdicts {
		if k.v == v {
			return k.name
		}
	}
	return fmt.Sprintf("verdict %d", int(v))
}

// MarshalText writes the verdict's name (the report's JSON).
func (v KeyVerdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads a name MarshalText wrote.
func (v *KeyVerdict) UnmarshalText(b []byte) error {
	for _, k := range keyVerdicts {
		if k.name == string(b) {
			*v = k.v
			return nil
		}
	}
	return fmt.Errorf("unknown key verdict %q", b)
}

// Text is the verdict in the window's language.
func (v KeyVerdict) Text() string {
	switch v {
	case VerdictReady:
		return lang.L("ready")
	case VerdictSetPIN:
		return lang.L("set a PIN")
	case VerdictBlocked:
		return lang.L("PIN blocked: reset needed")
	case VerdictChangePIN:
		return lang.L("change the PIN")
	case VerdictFull:
		return lang.L("full: delete a credential")
	case VerdictNoResponse:
		return lang.L("not responding")
	case VerdictReinsert:
		return lang.L("remove and reinsert the key")
	}
	return lang.L("unknown")
}

// KeyRow is one connected key as the Keys screen lists it.
type KeyRow struct {
	Path         string `json:"path"`
	Product      string `json:"product"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Virtual      bool   `json:"virtual"`
	AAGUID       string `json:"aaguid,omitempty"`
	Model        string `json:"model,omitempty"`
	Firmware     string `json:"firmware,omitempty"`
	Versions     string `json:"versions,omitempty"`
	// U2FOnly: a U2F (CTAP1) key, which has no getInfo, PIN or stored
	// credentials (ctap.Info.U2FOnly).
	U2FOnly      bool       `json:"u2fOnly"`
	PINSupported bool       `json:"pinSupported"`
	PINSet       bool       `json:"pinSet"`
	PINRetries   int        `json:"pinRetries"` // -1 unknown
	MinPINLength int        `json:"minPinLength"`
	SlotsLeft    int64      `json:"slotsLeft"` // -1 unknown
	CredMgmt     bool       `json:"credMgmt"`
	Reset        bool       `json:"reset"`
	Verdict      KeyVerdict `json:"verdict"`
	// Problem is the catalogue title of why the key could not be read.
	Problem string `json:"problem,omitempty"`
}

// PINText describes the PIN state in words.
func (r KeyRow) PINText() string {
	switch {
	case !r.PINSupported:
		return lang.L("no PIN support")
	case !r.PINSet:
		return lang.L("no PIN set")
	case r.PINRetries < 0:
		return lang.L("PIN set")
	}
	return lang.L("PIN set, {{.N}} tries left", map[string]any{"N": r.PINRetries})
}

// DetailsText is the Keys screen's line under the key's name: why it
// could not be read, or its firmware, PIN state, slots left and, for a key
// without credential management, that it cannot list its credentials.
func (r KeyRow) DetailsText() string {
	if r.Problem != "" {
		return r.Problem
	}
	if r.U2FOnly {
		// No firmware, slots or credential management to speak of: a
		// U2F key has none of them.
		return lang.L("U2F (CTAP1) key · {{.PIN}} · stores no credentials", map[string]any{"PIN": r.PINText()})
	}
	fw := r.Firmware
	if fw == "" {
		// CTAP 2.0 keys have no firmwareVersion member in getInfo.
		fw = lang.L("not reported")
	}
	d := lang.L("Firmware {{.FW}} · {{.PIN}} · {{.Slots}} slots left",
		map[string]any{"FW": fw, "PIN": r.PINText(), "Slots": r.SlotsText()})
	if !r.CredMgmt {
		d += " · " + lang.L("cannot list its credentials")
	}
	return d
}

// SlotsText describes the discoverable-credential slots left.
func (r KeyRow) SlotsText() string {
	if r.SlotsLeft < 0 {
		return lang.L("unknown")
	}
	return fmt.Sprint(r.SlotsLeft)
}

// verdict is the key's health in a few words.
func verdict(info *ctap.Info, retries int) KeyVerdict {
	switch {
	case info.PINSet() && retries == 0:
		return VerdictBlocked
	case ctap.PINSupported(info) && !info.PINSet():
		return VerdictSetPIN
	case info.ForcePINChange:
		return VerdictChangePIN
	case info.RemainingDiscoverableCredentials == 0:
		return VerdictFull
	}
	return VerdictReady
}

// firmwareText writes the firmware version the way vendors print it where
// the number packs major.minor.patch in bytes, else as a number.
func firmwareText(v uint64) string {
	if v == 0 {
		return ""
	}
	if v <= 0xFFFFFF {
		return fmt.Sprintf("%d.%d.%d", v>>16, (v>>8)&0xFF, v&0xFF)
	}
	return fmt.Sprint(v)
}

// readKey reads one key's getInfo and PIN retries.
func readKey(ctx context.Context, s keyServices, d ctap.DeviceDescriptor) KeyRow {
	row := KeyRow{Path: d.Path, Product: d.Product, Manufacturer: d.Manufacturer, Virtual: d.Virtual, PINRetries: -1, SlotsLeft: -1}
	dev, err := s.openKey(d.Path)
	if err != nil {
		row.Verdict, row.Problem = VerdictNoResponse, problemTitle(err)
		return row
	}
	info, err := dev.Info(ctx)
	if err != nil {
		row.Verdict, row.Problem = VerdictNoResponse, problemTitle(err)
		return row
	}
	row.AAGUID = formatAAGUID(info.AAGUID)
	if row.AAGUID != "" { // a U2F key reports none: no model to name
		row.Model = ModelName(row.AAGUID)
	}
	row.Firmware = firmwareText(info.FirmwareVersion)
	row.Versions = fmt.Sprint(info.Versions)
	row.U2FOnly = info.U2FOnly()
	row.PINSupported, row.PINSet = ctap.PINSupported(info), info.PINSet()
	row.MinPINLength = max(int(info.MinPINLength), 4)
	row.SlotsLeft = info.RemainingDiscoverableCredentials
	row.CredMgmt = ctap.CredMgmtSupported(info)
	row.Reset = ctap.ResetSupported(info)
	if info.PINSet() {
		if n, err := dev.PINRetries(ctx); err == nil {
			row.PINRetries = n
		}
	}
	row.Verdict = verdict(info, row.PINRetries)
	if s.AuthBlocked(d.Path) && row.Verdict != VerdictBlocked {
		row.Verdict = VerdictReinsert
	}
	return row
}

func formatAAGUID(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	var a protocol.AAGUID
	copy(a[:], b)
	return a.String()
}

// problemTitle is the catalogue's one-line title for an error's code.
func problemTitle(err error) string {
	return lookup(codeOf(err)).Title()
}

// HotplugInterval is how often the Keys screen asks libfido2 for the list
// of keys. Listing only enumerates HID devices (no key is opened), so a
// tick this short is cheap; keys are read only when the list changes.
const HotplugInterval = 700 * time.Millisecond

// KeysModel is the Keys screen's state: the connected keys, each read
// once when it appears, and the selection.
type KeysModel struct {
	s keyServices
	// Rows holds KeyRow values in the order libfido2 lists the keys.
	Rows binding.UntypedList
	// Selected is the path of the chosen key.
	Selected binding.String
	// Status is a line about listing (errors, "no key").
	Status binding.String
	// Reads counts the reads that set Rows: it changes whenever a row
	// does (Rows' own listeners hear only a change of length).
	Reads binding.Int

	mu    sync.Mutex
	paths []string
	rows  map[string]KeyRow
	reads int

	// One worker at a time reads the keys (scanOwner); the Scan calls that
	// arrive while it reads wait together for its next round.
	scanMu   sync.Mutex
	scanning bool       // a worker serves the rounds
	next     *scanRound // the round the next Scan calls join
}

// scanRound is one read of the keys that Scan calls wait on together.
type scanRound struct {
	force bool
	ctxs  []context.Context // the waiters'; the round ends with the last
	done  chan struct{}
}

// NewKeysModel returns the model; Watch starts it.
func NewKeysModel(s *Services) *KeysModel { return newKeysModel(s) }

func newKeysModel(s keyServices) *KeysModel {
	m := &KeysModel{s: s, Rows: binding.NewUntypedList(), Selected: binding.NewString(), Status: binding.NewString(), Reads: binding.NewInt(), rows: map[string]KeyRow{}}
	m.Selected.AddListener(binding.NewDataListener(func() {
		p, _ := m.Selected.Get()
		s.Select(p)
	}))
	return m
}

// Watch lists the keys now and every HotplugInterval until ctx ends.
func (m *KeysModel) Watch(ctx context.Context) {
	go func() {
		m.Scan(ctx, false)
		t := time.NewTicker(HotplugInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.Scan(ctx, false)
			}
		}
	}()
}

// Scan lists the keys and reads the new ones (all of them when force),
// and returns once a read that started after the call has ended (or ctx
// has). Calls from the hot-plug watcher, the screens and tests do not
// race: one worker reads, and calls arriving meanwhile share its next
// round. It blocks: call it off the UI goroutine.
func (m *KeysModel) Scan(ctx context.Context, force bool) {
	m.scanMu.Lock()
	r := m.next
	if r == nil {
		r = &scanRound{done: make(chan struct{})}
		m.next = r
	}
	r.force = r.force || force
	r.ctxs = append(r.ctxs, ctx)
	if !m.scanning {
		m.scanning = true
		go m.scanOwner()
	}
	m.scanMu.Unlock()
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}

// scanOwner runs the rounds one after another until none is waiting.
func (m *KeysModel) scanOwner() {
	for {
		m.scanMu.Lock()
		r := m.next
		m.next = nil
		if r == nil {
			m.scanning = false
			m.scanMu.Unlock()
			return
		}
		m.scanMu.Unlock()
		ctx, stop := untilAllDone(r.ctxs)
		m.scan(ctx, r.force)
		stop()
		close(r.done)
	}
}

// untilAllDone is a context that ends when every one of ctxs has ended:
// a round goes on while anyone still waits for it.
func untilAllDone(ctxs []context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	left := len(ctxs)
	var mu sync.Mutex
	stops := make([]func() bool, len(ctxs))
	for i, c := range ctxs {
		stops[i] = context.AfterFunc(c, func() {
			mu.Lock()
			defer mu.Unlock()
			if left--; left == 0 {
				cancel()
			}
		})
	}
	return ctx, func() {
		for _, s := range stops {
			s()
		}
		cancel()
	}
}

// scan is one round of Scan, on the scan owner's goroutine.
func (m *KeysModel) scan(ctx context.Context, force bool) {
	devs, err := m.s.Devices()
	if err != nil {
		set(m.Status, problemTitle(err))
		return
	}
	paths := make([]string, len(devs))
	for i, d := range devs {
		paths[i] = d.Path
	}
	m.mu.Lock()
	same := slices.Equal(paths, m.paths)
	for _, p := range m.paths {
		if !slices.Contains(paths, p) {
			// Removed: a key forgets its PIN auth block when unplugged.
			m.s.clearAuthBlocked(p)
		}
	}
	m.mu.Unlock()
	if same && !force {
		return
	}
	rows := make(map[string]KeyRow, len(devs))
	for _, d := range devs {
		m.mu.Lock()
		r, known := m.rows[d.Path]
		m.mu.Unlock()
		if !known || force {
			r = readKey(ctx, m.s, d)
		}
		rows[d.Path] = r
	}
	items := make([]any, len(devs))
	for i, d := range devs {
		items[i] = rows[d.Path]
	}
	m.mu.Lock()
	m.paths, m.rows = paths, rows
	m.reads++
	n := m.reads
	m.mu.Unlock()
	set(m.Rows, items)
	set(m.Reads, n)
	_, chosen := rows[m.s.Selected()]
	// A chosen key that left is forgotten; the one rule (ctap.PickKey)
	// chooses anew, and leaves the choice to the person when several keys
	// could be meant.
	pick, err := ctap.PickKey(devs, "")
	switch {
	case len(devs) == 0:
		set(m.Status, lang.L("No security key connected. Plug one in."))
	case !chosen && errors.Is(err, ctap.ErrSeveralKeys):
		set(m.Status, lang.L("Keys connected: {{.N}}. Select the one to use.", map[string]any{"N": len(devs)}))
	default:
		set(m.Status, lang.L("Keys connected: {{.N}}", map[string]any{"N": len(devs)}))
	}
	if !chosen {
		m.s.Select(pick.Path)
		set(m.Selected, pick.Path)
	}
}

// Row returns the row of a path.
func (m *KeysModel) Row(path string) (KeyRow, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.rows[path]
	return r, ok
}

// All returns the rows in list order.
func (m *KeysModel) All() []KeyRow {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]KeyRow, 0, len(m.paths))
	for _, p := range m.paths {
		out = append(out, m.rows[p])
	}
	return out
}
