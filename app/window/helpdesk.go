package window

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
)

// HelpdeskModel is the Helpdesk screen's state: the session's ceremonies
// (in Services.History), paste-to-diagnose, user lookup at the Cloud and
// the report export. Methods that reach the Cloud or the disk block: the
// screen calls them from worker goroutines.
type HelpdeskModel struct {
	s helpdeskServices
	// Paste is what the helpdesk pasted; Diagnosis is its explanation.
	Paste     binding.String
	Diagnosis binding.String
	// UserID is the user to look up; UserText describes the user found;
	// Authenticators holds cloud.Authenticator values. They describe the
	// user whose ID is in UserID: when the field changes (typed, or filled
	// in after a ceremony) the previous user's result goes.
	UserID         binding.String
	UserText       binding.String
	Authenticators binding.UntypedList
	// LookupStatus is the last lookup or deletion result, shown under the
	// lookup.
	LookupStatus binding.String
	// Status is the last export result, shown under the export.
	Status binding.String
	// LookupBusy is true while a lookup or a deletion runs, ExportBusy
	// while a report is written, DiagnoseBusy while a paste is explained:
	// each runs through its action (one at a time, off the UI goroutine;
	// a lookup or deletion can be cancelled).
	LookupBusy   binding.Bool
	ExportBusy   binding.Bool
	DiagnoseBusy binding.Bool

	// LogEvents holds the cloud.LogEvent values of the last audit-log
	// export, newest first; LogDays its cloud.DayCount values, oldest day
	// first; LogStatus says what was exported or why not; LogBusy is true
	// while an export runs (helpdesk_lifecycle.go).
	LogEvents binding.UntypedList
	LogDays   binding.UntypedList
	LogStatus binding.String
	LogBusy   binding.Bool

	lookupAct, exportAct, diagnoseAct, logAct *action

	mu     sync.Mutex
	lastID string      // the ID of the last lookup
	found  *cloud.User // what the last lookup found, nil after a failure
}

// NewHelpdeskModel returns the model.
func NewHelpdeskModel(s *Services) *HelpdeskModel { return newHelpdeskModel(s) }

func newHelpdeskModel(s helpdeskServices) *HelpdeskModel {
	m := &HelpdeskModel{s: s, Paste: binding.NewString(), Diagnosis: binding.NewString(), UserID: binding.NewString(),
		UserText: binding.NewString(), Authenticators: binding.NewUntypedList(), LookupStatus: binding.NewString(),
		Status: binding.NewString(), lookupAct: newAction(), exportAct: newAction(), diagnoseAct: newAction(),
		LogEvents: binding.NewUntypedList(), LogDays: binding.NewUntypedList(), LogStatus: binding.NewString(), logAct: newAction()}
	m.LookupBusy, m.ExportBusy, m.DiagnoseBusy, m.LogBusy = m.lookupAct.Busy, m.exportAct.Busy, m.diagnoseAct.Busy, m.logAct.Busy
	m.UserID.AddListener(binding.NewDataListener(func() {
		// Listeners run on the UI goroutine: set the bindings directly.
		id, _ := m.UserID.Get()
		if u := m.foundFor(id); u != nil {
			_ = m.UserText.Set(userSummary(u))
			_ = m.Authenticators.Set(authenticatorItems(u))
			return
		}
		_ = m.UserText.Set("")
		_ = m.Authenticators.Set(nil)
		_ = m.LookupStatus.Set("")
	}))
	s.history().Items.AddListener(binding.NewDataListener(func() {
		if c := s.history().Last(); c != nil && c.UserID != "" {
			_ = m.UserID.Set(c.UserID)
		}
	}))
	return m
}

// Diagnose explains the pasted text for the helpdesk, on the UI
// goroutine (the screen's button runs diagnose through its action).
func (m *HelpdeskModel) Diagnose() {
	in, _ := m.Paste.Get()
	_ = m.Diagnosis.Set(diagnosisText(result.Diagnose(in, result.Helpdesk)))
}

// diagnose is Diagnose for a worker goroutine: in was read on the UI
// goroutine.
func (m *HelpdeskModel) diagnose(in string) {
	set(m.Diagnosis, diagnosisText(result.Diagnose(in, result.Helpdesk)))
}

// CancelLookup ends a running lookup or deletion.
func (m *HelpdeskModel) CancelLookup() { m.lookupAct.Cancel() }

// Wait blocks until the running lookup, deletion, export and diagnosis
// (if any) have ended.
func (m *HelpdeskModel) Wait() {
	m.lookupAct.Wait()
	m.exportAct.Wait()
	m.diagnoseAct.Wait()
	m.logAct.Wait()
}

// LookupUser reads the user and its authenticators from the Cloud, by
// username or user ID (cloud.Client.LookupUser). id is read from UserID by
// the caller, on the UI goroutine.
func (m *HelpdeskModel) LookupUser(ctx context.Context, id string) error {
	id = strings.TrimSpace(id)
	m.mu.Lock()
	m.lastID, m.found = id, nil
	m.mu.Unlock()
	set(m.UserID, id) // the field names the user whose result follows
	set(m.UserText, "")
	set(m.Authenticators, nil)
	cl := m.s.Cloud()
	if cl == nil {
		return m.failLookup(result.New(result.CodeNotConfigured))
	}
	if id == "" {
		set(m.LookupStatus, lang.L("Type a username, or a user ID (shown after an enrollment)."))
		return nil
	}
	set(m.LookupStatus, lang.L("Looking up…"))
	u, err := cl.LookupUser(ctx, id)
	if err != nil {
		return m.failLookup(err)
	}
	m.mu.Lock()
	current := m.lastID == id
	if current {
		m.found = u
	}
	m.mu.Unlock()
	if !current {
		return nil // a newer lookup replaced this one
	}
	set(m.UserText, userSummary(u))
	set(m.Authenticators, authenticatorItems(u))
	set(m.LookupStatus, lang.L("Authenticators: {{.N}}", map[string]any{"N": len(u.Authenticators)}))
	return nil
}

// foundFor returns the last lookup's user when id names it, else nil: the
// result belongs to the ID in the field, not to whatever was typed since.
func (m *HelpdeskModel) foundFor(id string) *cloud.User {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id = strings.TrimSpace(id); m.found != nil && (m.found.UserID == id || (m.found.Username != "" && m.found.Username == id)) {
		return m.found
	}
	return nil
}

// userSummary is the user's state, last sign-ins and rate-limit state
// (users endpoint reference; see client/cloud/users_lookup.go).
func userSummary(u *cloud.User) string {
	return lang.L("{{.User}} · status {{.Status}} · ID {{.ID}}", map[string]any{"User": u.Username, "Status": u.Status, "ID": u.UserID}) + "\n" +
		lang.L("Last successful sign-in: {{.When}}", map[string]any{"When": notReported(u.LastLoginDateSuccess)}) + "\n" +
		lang.L("Last failed sign-in: {{.When}}", map[string]any{"When": notReported(u.LastLoginDateFailure)}) + "\n" +
		lang.L("Rate limit: not reported by the Cloud (a rate-limited call fails with HTTP 429)")
}

func authenticatorItems(u *cloud.User) []any {
	items := make([]any, len(u.Authenticators))
	for i, a := range u.Authenticators {
		items[i] = a
	}
	return items
}

// Username is the username of the user the lookup result shows ("" when
// none is shown).
func (m *HelpdeskModel) Username() string {
	id, _ := m.UserID.Get()
	if u := m.foundFor(id); u != nil {
		return u.Username
	}
	return ""
}

// DeleteAuthenticator removes an authenticator at the Cloud and re-reads
// the user.
func (m *HelpdeskModel) DeleteAuthenticator(ctx context.Context, a cloud.Authenticator) error {
	cl := m.s.Cloud()
	if cl == nil {
		return m.failLookup(result.New(result.CodeNotConfigured))
	}
	if err := cl.DeleteAuthenticator(ctx, a.AuthenticatorID); err != nil {
		return m.failLookup(err)
	}
	m.mu.Lock()
	id := m.lastID
	m.mu.Unlock()
	if err := m.LookupUser(ctx, id); err != nil {
		return err
	}
	set(m.LookupStatus, lang.L("Authenticator {{.Name}} deleted.", map[string]any{"Name": authenticatorName(a)}))
	return nil
}

// Export writes the JSON and HTML reports into dir.
func (m *HelpdeskModel) Export(dir string, keys []KeyRow) (jsonPath, htmlPath string, err error) {
	jsonPath, htmlPath, err = m.s.report(keys).WriteFiles(dir)
	if err != nil {
		set(m.Status, lang.L("The report could not be written to {{.Dir}}.", map[string]any{"Dir": dir}))
		return "", "", err
	}
	set(m.Status, lang.L("Report written: {{.Path}}", map[string]any{"Path": htmlPath}))
	return jsonPath, htmlPath, nil
}

// failLookup explains a failed lookup or deletion under the lookup.
func (m *HelpdeskModel) failLookup(err error) error {
	title, text := explain(err, result.Helpdesk)
	set(m.LookupStatus, title+"\n"+text)
	return err
}

// authenticatorName is how the helpdesk names an authenticator: its name
// at the Cloud, or its type when it has none (never only its ID).
func authenticatorName(a cloud.Authenticator) string {
	switch {
	case strings.TrimSpace(a.Name) != "":
		return a.Name
	case a.AuthenticatorType != "":
		return a.AuthenticatorType
	}
	return lang.L("this authenticator")
}

// diagnosisText writes a diagnosis as paragraphs the window wraps itself
// (Diagnosis.Text is pre-wrapped for a terminal).
func diagnosisText(d result.Diagnosis) string {
	var b strings.Builder
	if d.Kind == result.InputEmpty {
		return lang.L("Paste something first.")
	}
	for _, m := range d.Matches {
		e := m.Entry.In(Language())
		fmt.Fprintf(&b, "%s\n%s\n%s %s\n\n", e.Title(), e.Explanation, lang.L("Check:"), e.HelpdeskText)
	}
	if len(d.Matches) == 0 {
		b.WriteString(lang.L("No known code found.") + "\n\n")
	}
	if len(d.Causes) > 0 {
		b.WriteString(lang.L("Likely causes, most likely first:") + "\n")
		for i, c := range d.Causes {
			c.Cause = c.In(Language())
			fmt.Fprintf(&b, "%d. %s — %s\n", i+1, c.Summary, c.HelpdeskText)
		}
	}
	for _, n := range d.Notes {
		b.WriteString("• " + n + "\n")
	}
	return strings.TrimSpace(b.String())
}
