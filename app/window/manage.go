package window

import (
	"context"
	"sort"
	"sync"

	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// CredRow is one line of the Manage screen's credential list: a relying
// party heading, or one of its discoverable credentials.
type CredRow struct {
	Header bool
	RPID   string
	RPName string
	User   ctap.UserEntity
	ID     []byte
}

// ManageModel is the Manage key screen's state: PIN, discoverable
// credentials, reset. Its methods block on the key: the screen runs them
// through its action (one at a time, cancellable, off the UI goroutine);
// results land in the bindings.
type ManageModel struct {
	s   manageServices
	act *action
	// Busy is true while the screen's action runs (its Cancel button
	// shows then).
	Busy binding.Bool
	// Message is the last operation's result in words for the person at
	// the key; MessageOK says whether it succeeded; MessageCodes holds a
	// failure's catalogue code and message, for the helpdesk (the screen
	// shows it one click away).
	Message      binding.String
	MessageOK    binding.Bool
	MessageCodes binding.String
	// MessageEnding is the last result's Ending (its colour: a person's
	// cancel is not an error, a timeout is not a failure).
	MessageEnding binding.Int
	// Creds holds CredRow values grouped by relying party.
	Creds binding.UntypedList
	// OnChanged, when set, is told after the key changed (PIN, reset,
	// deletion), so the Keys screen re-reads it.
	OnChanged func()

	mu  sync.Mutex
	pin string // the PIN of the current credential session; cleared by Lock
}

// NewManageModel returns the model.
func NewManageModel(s *Services) *ManageModel { return newManageModel(s) }

func newManageModel(s manageServices) *ManageModel {
	act := newAction()
	return &ManageModel{s: s, act: act, Busy: act.Busy, Message: binding.NewString(), MessageOK: binding.NewBool(),
		MessageCodes: binding.NewString(), MessageEnding: binding.NewInt(), Creds: binding.NewUntypedList()}
}

// Cancel ends the running operation: the key stops waiting, an open PIN
// dialog closes.
func (m *ManageModel) Cancel() { m.act.Cancel() }

// Wait blocks until the running operation (if any) has returned.
func (m *ManageModel) Wait() { m.act.Wait() }

// begin clears the last operation's result.
func (m *ManageModel) begin() {
	set(m.Message, "")
	set(m.MessageCodes, "")
}

func (m *ManageModel) ok(msg string) {
	set(m.MessageOK, true)
	set(m.MessageEnding, int(EndSucceeded))
	set(m.Message, msg)
}

// fail shows the catalogue's words for err and returns it.
func (m *ManageModel) fail(err error) error {
	m.s.notePINError(m.s.Selected(), err)
	title, text := explain(err, result.User)
	set(m.MessageOK, false)
	set(m.MessageEnding, int(endingOf(false, codeOf(err))))
	set(m.MessageCodes, title)
	set(m.Message, text)
	return err
}

func (m *ManageModel) changed() {
	if m.OnChanged != nil {
		m.OnChanged()
	}
}

// SetPIN sets the first PIN of the chosen key.
func (m *ManageModel) SetPIN(ctx context.Context, pin string) error {
	m.begin()
	dev, err := m.s.chosenKey(ctx)
	if err != nil {
		return m.fail(err)
	}
	if err := dev.SetPIN(ctx, pin); err != nil {
		return m.fail(err)
	}
	m.ok(lang.L("The PIN is set."))
	m.changed()
	return nil
}

// ChangePIN replaces the chosen key's PIN.
func (m *ManageModel) ChangePIN(ctx context.Context, old, pin string) error {
	m.begin()
	dev, err := m.s.chosenKey(ctx)
	if err != nil {
		return m.fail(err)
	}
	err = dev.ChangePIN(ctx, old, pin)
	m.changed()
	if err != nil {
		return m.fail(err)
	}
	m.Lock()
	m.ok(lang.L("The PIN is changed."))
	return nil
}

// Lock forgets the PIN of the credential session and the list.
func (m *ManageModel) Lock() {
	m.mu.Lock()
	m.pin = ""
	m.mu.Unlock()
	set(m.Creds, nil)
}

// withPIN runs fn with the session's PIN, asking p for it (with the
// retries left) when there is none or it turns out wrong.
func (m *ManageModel) withPIN(ctx context.Context, dev managedKey, p ctap.Prompter, fn func(pin string) error) error {
	reason := ctap.PINEnter
	for {
		m.mu.Lock()
		pin := m.pin
		m.mu.Unlock()
		if pin == "" {
			info, err := dev.Info(ctx)
			if err != nil {
				return err
			}
			if !info.PINSet() {
				return &ctap.Error{Op: "list credentials", Code: ctap.StatusPINNotSet}
			}
			retries, err := dev.PINRetries(ctx)
			if err != nil {
				retries = -1
			}
			pin, err = p.PIN(ctx, ctap.PINRequest{Reason: reason, Device: dev.Path(), RetriesLeft: retries, MinLength: max(int(info.MinPINLength), 4)})
			if err != nil {
				return err
			}
		}
		err := fn(pin)
		if code, _ := ctap.CodeOf(err); code == ctap.StatusPINInvalid {
			m.Lock()
			reason = ctap.PINRetry
			continue
		}
		m.mu.Lock()
		if err == nil {
			m.pin = pin
		} else {
			m.pin = ""
		}
		m.mu.Unlock()
		return err
	}
}

// keyOffering opens the chosen key when its getInfo says it offers what
// op needs (supported); else the error says the key cannot, and nothing
// is sent to it.
func (m *ManageModel) keyOffering(ctx context.Context, op string, supported func(*ctap.Info) bool, lacks string) (managedKey, error) {
	dev, err := m.s.chosenKey(ctx)
	if err != nil {
		return nil, err
	}
	info, err := dev.Info(ctx)
	if err != nil {
		return nil, err
	}
	if !supported(info) {
		return nil, ctap.Unsupported(op, lacks)
	}
	return dev, nil
}

const noCredMgmt = "the key has no credential management (credMgmt, credentialMgmtPreview)"

// LoadCredentials lists the chosen key's discoverable credentials, grouped
// by relying party; the PIN is asked through p. A key without credential
// management is not asked.
func (m *ManageModel) LoadCredentials(ctx context.Context, p ctap.Prompter) error {
	m.begin()
	dev, err := m.keyOffering(ctx, "list credentials", ctap.CredMgmtSupported, noCredMgmt)
	if err != nil {
		return m.fail(err)
	}
	var rows []any
	err = m.withPIN(ctx, dev, p, func(pin string) error {
		rps, err := dev.RelyingParties(ctx, pin)
		if err != nil {
			return err
		}
		sort.Slice(rps, func(i, j int) bool { return rps[i].ID < rps[j].ID })
		rows = rows[:0]
		for _, rp := range rps {
			creds, err := dev.Credentials(ctx, rp.ID, pin)
			if err != nil {
				return err
			}
			rows = append(rows, CredRow{Header: true, RPID: rp.ID, RPName: rp.Name})
			for _, c := range creds {
				rows = append(rows, CredRow{RPID: rp.ID, RPName: rp.Name, User: c.User, ID: c.ID})
			}
		}
		return nil
	})
	if err != nil {
		return m.fail(err)
	}
	set(m.Creds, rows)
	if len(rows) == 0 {
		m.ok(lang.L("This key holds no discoverable credentials."))
	} else {
		m.ok("")
	}
	return nil
}

// DeleteCredential removes one discoverable credential and re-lists.
func (m *ManageModel) DeleteCredential(ctx context.Context, row CredRow, p ctap.Prompter) error {
	m.begin()
	dev, err := m.keyOffering(ctx, "delete credential", ctap.CredMgmtSupported, noCredMgmt)
	if err != nil {
		return m.fail(err)
	}
	err = m.withPIN(ctx, dev, p, func(pin string) error { return dev.DeleteCredential(ctx, row.ID, pin) })
	if err != nil {
		return m.fail(err)
	}
	m.changed()
	if err := m.LoadCredentials(ctx, p); err != nil {
		return err
	}
	m.ok(lang.L("The credential for {{.User}} at {{.RP}} is deleted.", map[string]any{"User": row.User.Name, "RP": row.RPID}))
	return nil
}

// ResetWindow is how long after being plugged in a key accepts a reset.
const ResetWindow = 10

// Reset factory-resets the chosen key: every credential and the PIN are
// erased. The key must have been plugged in within the last ResetWindow
// seconds and asks for a touch (through p).
func (m *ManageModel) Reset(ctx context.Context, p ctap.Prompter) error {
	m.begin()
	dev, err := m.keyOffering(ctx, "reset", ctap.ResetSupported, "the key speaks no CTAP2 version")
	if err != nil {
		return m.fail(err)
	}
	err = dev.Reset(ctx, p)
	m.Lock()
	m.changed()
	if err != nil {
		return m.fail(err)
	}
	m.ok(lang.L("The key is reset: no PIN, no credentials."))
	return nil
}

// CanReplug reports whether the chosen key is the virtual key, which the
// window can replug.
func (m *ManageModel) CanReplug(ctx context.Context) bool {
	dev, err := m.s.chosenKey(ctx)
	return err == nil && m.s.IsVirtual(dev.Path())
}
