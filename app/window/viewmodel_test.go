package window

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// These tests check one rule of one view-model each, against
// fakeServices on Fyne's own test app: the model's methods run on the
// test goroutine (or its action's worker, waited for), so Fyne's test
// driver running fyne.Do at once is all they need. The scenario tests
// (newTestUI) run the real Services against the virtual key and the
// emulator.

// fakeServices is a tiny fake of what the view-models use of Services
// (seams.go): keys that answer what the test scripts, a selection, a
// history and a settings store in memory.
type fakeServices struct {
	mu        sync.Mutex
	devices   []ctap.DeviceDescriptor
	keys      map[string]*fakeKey
	blocked   map[string]bool
	selected  string
	noKey     error // chosenKey's error, when set
	pinErrs   []error
	runnerErr error
	recorded  []*Ceremony
	hist      *History
	store     uitest.SettingsStore
	cloud     *cloud.Client
	station   config.Station
}

func newFakeServices(keys ...*fakeKey) *fakeServices {
	f := &fakeServices{keys: map[string]*fakeKey{}, blocked: map[string]bool{}, hist: NewHistory()}
	for _, k := range keys {
		f.keys[k.path] = k
		f.devices = append(f.devices, ctap.DeviceDescriptor{Path: k.path, Product: "Fake key", Virtual: k.virtual})
	}
	return f
}

func (f *fakeServices) Devices() ([]ctap.DeviceDescriptor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ctap.DeviceDescriptor(nil), f.devices...), nil
}

func (f *fakeServices) openKey(path string) (keyReader, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keys[path], nil
}

func (f *fakeServices) chosenKey(context.Context) (managedKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noKey != nil {
		return nil, f.noKey
	}
	return f.keys[f.selected], nil
}

func (f *fakeServices) AuthBlocked(path string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.blocked[path]
}

func (f *fakeServices) clearAuthBlocked(path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.blocked, path)
}

func (f *fakeServices) notePINError(_ string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pinErrs = append(f.pinErrs, err)
}

func (f *fakeServices) Select(path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.selected = path
}

func (f *fakeServices) Selected() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.selected
}

func (f *fakeServices) IsVirtual(path string) bool { k := f.keys[path]; return k != nil && k.virtual }

func (f *fakeServices) Runner(ctap.Prompter, func(ceremony.Step)) (*ceremony.Runner, error) {
	return nil, f.runnerErr
}

func (f *fakeServices) record(c *Ceremony) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recorded = append(f.recorded, c)
}

func (f *fakeServices) Cloud() *cloud.Client         { return f.cloud }
func (f *fakeServices) history() *History            { return f.hist }
func (f *fakeServices) report([]KeyRow) *Report      { return &Report{} }
func (f *fakeServices) settingsStore() SettingsStore { return &f.store }
func (f *fakeServices) SetCloud(cl *cloud.Client)    { f.cloud = cl }
func (f *fakeServices) Station() config.Station      { return f.station }
func (f *fakeServices) SetStation(st config.Station) { f.station = st }
func (f *fakeServices) ceremoniesRecorded() []*Ceremony {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.recorded
}

// fakeKey answers getInfo and the PIN retries as scripted; a PIN-taking
// call takes the next of pinErrs as its answer (nil once they run out) and
// records the PIN it was given.
type fakeKey struct {
	path    string
	virtual bool
	info    *ctap.Info
	infoErr error
	retries int
	pinErrs []error
	tried   []string
	rps     []ctap.RelyingPartyEntity
}

func keyWithPIN(path string, retries int) *fakeKey {
	return &fakeKey{path: path, retries: retries, info: &ctap.Info{Versions: []string{"FIDO_2_0", "FIDO_2_1"}, Options: map[string]bool{"clientPin": true, "credMgmt": true}, RemainingDiscoverableCredentials: 10}}
}

func (k *fakeKey) Path() string { return k.path }
func (k *fakeKey) Info(context.Context) (*ctap.Info, error) {
	return k.info, k.infoErr
}
func (k *fakeKey) PINRetries(context.Context) (int, error) { return k.retries, nil }

func (k *fakeKey) answer(pin string) error {
	k.tried = append(k.tried, pin)
	if len(k.pinErrs) == 0 {
		return nil
	}
	err := k.pinErrs[0]
	k.pinErrs = k.pinErrs[1:]
	return err
}

func (k *fakeKey) SetPIN(_ context.Context, pin string) error       { return k.answer(pin) }
func (k *fakeKey) ChangePIN(_ context.Context, _, pin string) error { return k.answer(pin) }
func (k *fakeKey) Reset(context.Context, ctap.Prompter) error       { return nil }
func (k *fakeKey) RelyingParties(_ context.Context, pin string) ([]ctap.RelyingPartyEntity, error) {
	if err := k.answer(pin); err != nil {
		return nil, err
	}
	return k.rps, nil
}
func (k *fakeKey) Credentials(context.Context, string, string) ([]ctap.StoredCredential, error) {
	return nil, nil
}
func (k *fakeKey) DeleteCredential(_ context.Context, _ []byte, pin string) error {
	return k.answer(pin)
}

func pinErr(code int) error { return &ctap.Error{Op: "test", Code: code} }

func val[T any](t *testing.T, b interface{ Get() (T, error) }) T {
	t.Helper()
	v, err := b.Get()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func scanned(t *testing.T, f *fakeServices) *KeysModel {
	t.Helper()
	test.NewTempApp(t)
	m := newKeysModel(f)
	m.Scan(context.Background(), true)
	return m
}

// A key that refused three wrong PINs in a row reads "remove and
// reinsert", not "ready".
func TestKeysModelReinsertVerdict(t *testing.T) {
	f := newFakeServices(keyWithPIN("hw", 5))
	f.blocked["hw"] = true
	if r, _ := scanned(t, f).Row("hw"); r.Verdict != VerdictReinsert {
		t.Fatalf("verdict %q, want %q", r.Verdict, VerdictReinsert)
	}
}

// A key with no PIN tries left reads "blocked", even while it also
// refuses its PIN until reinserted: only a reset helps it.
func TestKeysModelBlockedBeatsReinsert(t *testing.T) {
	f := newFakeServices(keyWithPIN("hw", 0))
	f.blocked["hw"] = true
	if r, _ := scanned(t, f).Row("hw"); r.Verdict != VerdictBlocked {
		t.Fatalf("verdict %q, want %q", r.Verdict, VerdictBlocked)
	}
}

// A key that leaves the device list forgets its PIN auth block.
func TestKeysModelRemovedKeyForgetsItsBlock(t *testing.T) {
	f := newFakeServices(keyWithPIN("hw", 5))
	f.blocked["hw"] = true
	m := scanned(t, f)
	f.mu.Lock()
	f.devices = nil
	f.mu.Unlock()
	m.Scan(context.Background(), false)
	if f.AuthBlocked("hw") {
		t.Fatal("the removed key is still marked as refusing its PIN")
	}
}

// With nothing chosen, a hardware key is chosen before the virtual key.
func TestKeysModelChoosesHardwareFirst(t *testing.T) {
	v := keyWithPIN("virtual:v", 8)
	v.virtual = true
	f := newFakeServices(v, keyWithPIN("hw", 8))
	m := scanned(t, f)
	if got := val[string](t, m.Selected); got != "hw" || f.Selected() != "hw" {
		t.Fatalf("chose %q (services %q), want the hardware key", got, f.Selected())
	}
}

// A key that does not answer getInfo is listed as not responding, with
// the catalogue's title of why.
func TestKeysModelUnreadableKey(t *testing.T) {
	k := keyWithPIN("hw", 8)
	k.infoErr = pinErr(ctap.ErrCodeRX)
	r, _ := scanned(t, newFakeServices(k)).Row("hw")
	if r.Verdict != VerdictNoResponse || r.Problem == "" {
		t.Fatalf("verdict %q problem %q", r.Verdict, r.Problem)
	}
}

// A wrong PIN in the credential listing asks again, as a retry, with the
// next PIN going to the key.
func TestManageModelAsksAgainAfterWrongPIN(t *testing.T) {
	test.NewTempApp(t)
	k := keyWithPIN("hw", 8)
	k.pinErrs = []error{pinErr(ctap.StatusPINInvalid)}
	f := newFakeServices(k)
	f.selected = "hw"
	p := testkit.NewPrompter("1111", "2222")
	if err := newManageModel(f).LoadCredentials(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	asked := p.PINRequests()
	if len(asked) != 2 || asked[0].Reason != ctap.PINEnter || asked[1].Reason != ctap.PINRetry {
		t.Fatalf("PIN requests %+v", asked)
	}
	if strings.Join(k.tried, ",") != "1111,2222" {
		t.Fatalf("the key got %q", k.tried)
	}
}

// Once the credential listing took the PIN, a deletion in the same session
// does not ask for it again; Lock forgets it.
func TestManageModelKeepsTheSessionPIN(t *testing.T) {
	test.NewTempApp(t)
	f := newFakeServices(keyWithPIN("hw", 8))
	f.selected = "hw"
	m := newManageModel(f)
	p := testkit.NewPrompter("1111", "3333")
	ctx := context.Background()
	if err := m.LoadCredentials(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := m.DeleteCredential(ctx, CredRow{RPID: "example.com", ID: []byte{1}}, p); err != nil {
		t.Fatal(err)
	}
	if n := len(p.PINRequests()); n != 1 {
		t.Fatalf("asked for the PIN %d times in one session", n)
	}
	m.Lock()
	if err := m.LoadCredentials(ctx, p); err != nil {
		t.Fatal(err)
	}
	if n := len(p.PINRequests()); n != 2 {
		t.Fatalf("after Lock the PIN was asked %d times in all, want 2", n)
	}
}

// With no key, an operation fails with words, as a failure (not a
// cancel), and nothing is asked.
func TestManageModelNoKey(t *testing.T) {
	test.NewTempApp(t)
	f := newFakeServices()
	f.noKey = errNoKey
	m := newManageModel(f)
	p := testkit.NewPrompter()
	if err := m.LoadCredentials(context.Background(), p); err == nil {
		t.Fatal("listed the credentials of no key")
	}
	if val[string](t, m.Message) == "" || val[bool](t, m.MessageOK) || Ending(val[int](t, m.MessageEnding)) != EndFailed {
		t.Fatalf("message %q ok %v ending %v", val[string](t, m.Message), val[bool](t, m.MessageOK), val[int](t, m.MessageEnding))
	}
	if len(p.PINRequests()) != 0 {
		t.Fatal("asked for a PIN with no key")
	}
}

// A failed PIN change is told to the services, which remember what it says
// about the key's PIN state.
func TestManageModelReportsPINErrors(t *testing.T) {
	test.NewTempApp(t)
	k := keyWithPIN("hw", 8)
	k.pinErrs = []error{pinErr(ctap.StatusPINAuthBlocked)}
	f := newFakeServices(k)
	f.selected = "hw"
	_ = newManageModel(f).ChangePIN(context.Background(), "0000", "5678")
	if len(f.pinErrs) != 1 {
		t.Fatalf("%d PIN errors told to the services", len(f.pinErrs))
	}
	if c, _ := ctap.CodeOf(f.pinErrs[0]); c != ctap.StatusPINAuthBlocked {
		t.Fatalf("told %v", f.pinErrs[0])
	}
}

// An enrollment that cannot start (no instance) says so as a failure, and
// leaves nothing in the history.
func TestEnrollModelCannotStart(t *testing.T) {
	test.NewTempApp(t)
	f := newFakeServices()
	f.runnerErr = result.New(result.CodeNotConfigured)
	m := newEnrollModel(f)
	_ = m.Username.Set("alice")
	if !m.Start(func(context.CancelFunc) ctap.Prompter { return testkit.NewPrompter() }) {
		t.Fatal("the enrollment did not start")
	}
	m.Wait()
	if got := val[string](t, m.ResultTitle); got != "Enrollment could not start" {
		t.Fatalf("title %q", got)
	}
	if Ending(val[int](t, m.ResultEnding)) != EndFailed || val[bool](t, m.Busy) || !val[bool](t, m.HasResult) {
		t.Fatal("not shown as a finished failure")
	}
	if n := len(f.ceremoniesRecorded()); n != 0 {
		t.Fatalf("%d ceremonies recorded", n)
	}
}

// An empty username starts nothing and says what to type.
func TestEnrollModelNeedsAUsername(t *testing.T) {
	test.NewTempApp(t)
	m := newEnrollModel(newFakeServices())
	_ = m.Username.Set("   ")
	if m.Start(func(context.CancelFunc) ctap.Prompter { t.Error("a prompter was made"); return nil }) {
		t.Fatal("an enrollment started without a username")
	}
	if val[bool](t, m.Busy) || val[string](t, m.ResultTitle) != "Type a username" {
		t.Fatalf("busy %v title %q", val[bool](t, m.Busy), val[string](t, m.ResultTitle))
	}
}

// A finished ceremony fills in the user ID to look up.
func TestHelpdeskModelTakesTheLastUserID(t *testing.T) {
	test.NewTempApp(t)
	f := newFakeServices()
	m := newHelpdeskModel(f)
	f.hist.Add(&Ceremony{Record: ceremony.Record{Kind: ceremony.KindEnroll, UserID: "3f2a9c4e"}})
	if got := val[string](t, m.UserID); got != "3f2a9c4e" {
		t.Fatalf("user ID %q", got)
	}
}

// A lookup with no instance configured says so under the lookup.
func TestHelpdeskModelLookupWithoutInstance(t *testing.T) {
	test.NewTempApp(t)
	m := newHelpdeskModel(newFakeServices())
	if err := m.LookupUser(context.Background(), "3f2a9c4e"); err == nil {
		t.Fatal("a lookup without an instance succeeded")
	}
	want := lookup(result.CodeNotConfigured).Title()
	if got := val[string](t, m.LookupStatus); !strings.HasPrefix(got, want) {
		t.Fatalf("status %q, want it to start with %q", got, want)
	}
}

// Settings show a stored access key masked, never in clear.
func TestSettingsModelMasksTheKey(t *testing.T) {
	test.NewTempApp(t)
	f := newFakeServices()
	const instance = "https://acme.mauth.nevis.cloud"
	_ = f.store.Save(config.Settings{InstanceURL: instance, Station: config.StationHelpdesk})
	_ = f.store.StoreAccessKey(instance, cloud.NewSecret("an-access-key-0123"))
	m := newSettingsModel(f, nil)
	m.Load()
	if mask := val[string](t, m.KeyMask); mask == "" || strings.Contains(mask, "0123") || mask == maskKey(cloud.Secret{}) {
		t.Fatalf("key mask %q", mask)
	}
}

// Saving a new access key for an instance hands the services a Cloud
// client for it.
func TestSettingsModelSaveConnects(t *testing.T) {
	test.NewTempApp(t)
	f := newFakeServices()
	m := newSettingsModel(f, nil)
	st, _ := f.store.Load()
	st.InstanceURL, st.Origin = "https://acme.mauth.nevis.cloud", "https://portal.acme.example"
	st.Station = config.StationHelpdesk // the station that keeps a key
	if err := m.Save(st, "an-access-key-0123"); err != nil {
		t.Fatal(err)
	}
	if f.Cloud() == nil {
		t.Fatal("no Cloud client after saving an instance and its key")
	}
	if !val[bool](t, m.StatusOK) {
		t.Fatalf("status %q", val[string](t, m.Status))
	}
}
