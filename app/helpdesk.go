package app

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
	s *Services
	// Paste is what the helpdesk pasted; Diagnosis is its explanation.
	Paste     binding.String
	Diagnosis binding.String
	// UserID is the user to look up; UserText describes the user found;
	// Authenticators holds cloud.Authenticator values.
	UserID         binding.String
	UserText       binding.String
	Authenticators binding.UntypedList
	// Status is the last lookup, deletion or export result.
	Status binding.String

	mu     sync.Mutex
	lastID string
}

// NewHelpdeskModel returns the model.
func NewHelpdeskModel(s *Services) *HelpdeskModel {
	m := &HelpdeskModel{s: s, Paste: binding.NewString(), Diagnosis: binding.NewString(), UserID: binding.NewString(),
		UserText: binding.NewString(), Authenticators: binding.NewUntypedList(), Status: binding.NewString()}
	s.History.Items.AddListener(binding.NewDataListener(func() {
		if c := s.History.Last(); c != nil && c.UserID != "" {
			_ = m.UserID.Set(c.UserID)
		}
	}))
	return m
}

// Diagnose explains the pasted text for the helpdesk. It runs on the UI
// goroutine (the Diagnose button): the catalogue lookup does not block.
func (m *HelpdeskModel) Diagnose() {
	in, _ := m.Paste.Get()
	_ = m.Diagnosis.Set(diagnosisText(result.Diagnose(in, result.Helpdesk)))
}

// LookupUser reads the user and its authenticators from the Cloud.
// id is read from UserID by the caller, on the UI goroutine.
func (m *HelpdeskModel) LookupUser(ctx context.Context, id string) error {
	id = strings.TrimSpace(id)
	m.mu.Lock()
	m.lastID = id
	m.mu.Unlock()
	cl := m.s.Cloud()
	if cl == nil {
		return m.fail(result.New(result.KeyDesk("not-configured")))
	}
	if id == "" {
		set(m.Status, lang.L("Type a user ID (shown after an enrollment)."))
		return nil
	}
	u, err := cl.User(ctx, id)
	if err != nil {
		set(m.UserText, "")
		set(m.Authenticators, nil)
		return m.fail(err)
	}
	set(m.UserText, fmt.Sprintf("%s (%s) %s", u.Username, u.UserID, u.Status))
	items := make([]any, len(u.Authenticators))
	for i, a := range u.Authenticators {
		items[i] = a
	}
	set(m.Authenticators, items)
	set(m.Status, lang.L("Authenticators: {{.N}}", map[string]any{"N": len(items)}))
	return nil
}

// DeleteAuthenticator removes an authenticator at the Cloud and re-reads
// the user.
func (m *HelpdeskModel) DeleteAuthenticator(ctx context.Context, a cloud.Authenticator) error {
	cl := m.s.Cloud()
	if cl == nil {
		return m.fail(result.New(result.KeyDesk("not-configured")))
	}
	if err := cl.DeleteAuthenticator(ctx, a.AuthenticatorID); err != nil {
		return m.fail(err)
	}
	m.mu.Lock()
	id := m.lastID
	m.mu.Unlock()
	if err := m.LookupUser(ctx, id); err != nil {
		return err
	}
	set(m.Status, lang.L("Authenticator {{.Name}} deleted.", map[string]any{"Name": a.Name}))
	return nil
}

// Export writes the JSON and HTML reports into dir.
func (m *HelpdeskModel) Export(dir string, keys []KeyRow) (jsonPath, htmlPath string, err error) {
	jsonPath, htmlPath, err = BuildReport(m.s, keys).WriteFiles(dir)
	if err != nil {
		set(m.Status, lang.L("The report could not be written to {{.Dir}}.", map[string]any{"Dir": dir}))
		return "", "", err
	}
	set(m.Status, lang.L("Report written: {{.Path}}", map[string]any{"Path": htmlPath}))
	return jsonPath, htmlPath, nil
}

func (m *HelpdeskModel) fail(err error) error {
	title, text := explain(err, result.Helpdesk)
	set(m.Status, title+"\n"+text)
	return err
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
