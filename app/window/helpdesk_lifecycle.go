package window

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
)

// The helpdesk's user lifecycle at the Cloud, beyond lookup: rename or
// delete an authenticator, delete the user, export the audit log. The
// endpoints and where their documentation is silent are in
// client/cloud/users_lookup.go and logs.go.

// errNotConfirmed is DeleteUser's answer when the typed name differs.
var errNotConfirmed = errors.New("window: the typed username does not match")

// notReported is v, or "not reported" when the Cloud sent nothing.
func notReported(v string) string {
	if strings.TrimSpace(v) == "" {
		return lang.L("not reported")
	}
	return v
}

// found returns the user the lookup result shows, or nil.
func (m *HelpdeskModel) shown() *cloud.User {
	id, _ := m.UserID.Get()
	return m.foundFor(id)
}

// ConfirmName is what the helpdesk types to delete the user shown: its
// username, or its user ID when it has none ("" when no user is shown).
func (m *HelpdeskModel) ConfirmName() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.found == nil {
		return ""
	}
	if m.found.Username != "" {
		return m.found.Username
	}
	return m.found.UserID
}

// relookup reads the last looked-up user again.
func (m *HelpdeskModel) relookup(ctx context.Context) error {
	m.mu.Lock()
	id := m.lastID
	m.mu.Unlock()
	return m.LookupUser(ctx, id)
}

// RenameAuthenticator gives a the new name at the Cloud and re-reads the
// user.
func (m *HelpdeskModel) RenameAuthenticator(ctx context.Context, a cloud.Authenticator, name string) error {
	cl := m.s.Cloud()
	if cl == nil {
		return m.failLookup(result.New(result.CodeNotConfigured))
	}
	if err := cloud.CheckAuthenticatorName(name); err != nil {
		set(m.LookupStatus, lang.L("Not renamed: the name must not be empty, at most 100 bytes, without control characters."))
		return err
	}
	if _, err := cl.RenameAuthenticator(ctx, a.AuthenticatorID, name); err != nil {
		return m.failLookup(err)
	}
	if err := m.relookup(ctx); err != nil {
		return err
	}
	set(m.LookupStatus, lang.L("Authenticator renamed to {{.Name}}.", map[string]any{"Name": name}))
	return nil
}

// DeleteUser deletes the user shown, with all its authenticators, when
// typed is its ConfirmName: the second confirmation, after the dialog's.
func (m *HelpdeskModel) DeleteUser(ctx context.Context, typed string) error {
	cl := m.s.Cloud()
	if cl == nil {
		return m.failLookup(result.New(result.CodeNotConfigured))
	}
	want := m.ConfirmName()
	m.mu.Lock()
	u := m.found
	m.mu.Unlock()
	if u == nil || want == "" || strings.TrimSpace(typed) != want {
		set(m.LookupStatus, lang.L("Not deleted: the typed username does not match."))
		return errNotConfirmed
	}
	if err := cl.DeleteUser(ctx, u.UserID); err != nil {
		return m.failLookup(err)
	}
	m.mu.Lock()
	if m.found == u {
		m.found = nil
	}
	m.mu.Unlock()
	set(m.UserText, "")
	set(m.Authenticators, nil)
	set(m.LookupStatus, lang.L("User {{.User}} deleted with its authenticators.", map[string]any{"User": want}))
	return nil
}

// LogRequest is what the Audit log card asks for: a range of days (each
// "" or YYYY-MM-DD, in UTC; both inclusive) and whether only the events of
// the user shown count.
type LogRequest struct {
	Since, Until string
	OnlyUser     bool
}

// ExportLog exports the Cloud's audit log (logs/export) and fills
// LogEvents and LogDays.
func (m *HelpdeskModel) ExportLog(ctx context.Context, r LogRequest) error {
	set(m.LogEvents, nil)
	set(m.LogDays, nil)
	cl := m.s.Cloud()
	if cl == nil {
		return m.failLog(result.New(result.CodeNotConfigured))
	}
	var q cloud.LogQuery
	for _, f := range []struct {
		v   string
		dst *time.Time
		end bool
	}{{r.Since, &q.From, false}, {r.Until, &q.To, true}} {
		v := strings.TrimSpace(f.v)
		if v == "" {
			continue
		}
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			set(m.LogStatus, lang.L("Dates are written YYYY-MM-DD, e.g. 2026-11-30."))
			return err
		}
		if f.end {
			d = d.Add(24*time.Hour - time.Second)
		}
		*f.dst = d
	}
	if r.OnlyUser {
		u := m.shown()
		if u == nil {
			set(m.LogStatus, lang.L("Look a user up first, or export everybody's events."))
			return errors.New("window: no user shown")
		}
		q.Filter = u.UserID
	}
	if err := q.Validate(); err != nil {
		set(m.LogStatus, lang.L("The range ends before it starts."))
		return err
	}
	set(m.LogStatus, lang.L("Exporting…"))
	evs, err := cl.ExportLogs(ctx, q)
	if err != nil {
		return m.failLog(err)
	}
	if q.Filter != "" {
		evs = cloud.EventsOfUser(evs, q.Filter)
	}
	items := make([]any, len(evs))
	for i, e := range evs {
		items[i] = e
	}
	days := cloud.CountByDay(evs)
	dayItems := make([]any, len(days))
	for i, d := range days {
		dayItems[i] = d
	}
	set(m.LogEvents, items)
	set(m.LogDays, dayItems)
	set(m.LogStatus, lang.L("Events: {{.N}}", map[string]any{"N": len(evs)}))
	return nil
}

func (m *HelpdeskModel) failLog(err error) error {
	title, text := explain(err, result.Helpdesk)
	set(m.LogStatus, title+"\n"+text)
	return err
}
