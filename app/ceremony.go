package app

import (
	"context"
	"sync"

	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/client"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// PrompterFactory makes the prompter of one operation; cancel ends the
// operation (the touch dialog's Cancel button calls it).
type PrompterFactory func(cancel context.CancelFunc) ctap.Prompter

// ceremonyModel is the state the Enroll and Test sign-in screens share: a
// ceremony running off the UI goroutine, its live step, and its result
// explained from the catalogue.
type ceremonyModel struct {
	s    *Services
	kind string

	// Busy is true while a ceremony runs.
	Busy binding.Bool
	// Step is the step in progress, in words.
	Step binding.String
	// HasResult, ResultOK, ResultTitle and ResultText describe the last
	// result: the fido2-client code with its message, then the cause and
	// what to do, in the person's words.
	HasResult   binding.Bool
	ResultOK    binding.Bool
	ResultTitle binding.String
	ResultText  binding.String
	// OnDone, when set, is told of each finished ceremony (any goroutine).
	OnDone func(*Ceremony)

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

func newCeremonyModel(s *Services, kind string) ceremonyModel {
	return ceremonyModel{
		s: s, kind: kind,
		Busy: binding.NewBool(), Step: binding.NewString(),
		HasResult: binding.NewBool(), ResultOK: binding.NewBool(),
		ResultTitle: binding.NewString(), ResultText: binding.NewString(),
	}
}

// run starts fn on a worker goroutine with a cancellable context; false
// when a ceremony is already running. It is called on the UI goroutine
// (Start, from a button), so it marks the model busy directly; the worker
// hands its updates over with set.
func (m *ceremonyModel) run(newPrompter PrompterFactory, fn func(context.Context, *client.Runner) *client.Result) bool {
	m.mu.Lock()
	if m.cancel != nil {
		m.mu.Unlock()
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	done := make(chan struct{})
	m.done = done
	m.mu.Unlock()

	_ = m.Busy.Set(true)
	_ = m.HasResult.Set(false)
	_ = m.Step.Set(lang.L("Starting…"))
	go func() {
		defer close(done)
		defer func() {
			cancel()
			m.mu.Lock()
			m.cancel = nil
			m.mu.Unlock()
			set(m.Busy, false)
			set(m.Step, "")
		}()
		r, err := m.s.Runner(newPrompter(cancel), func(st client.Step) {
			set(m.Step, lang.L("Done: {{.Step}}", map[string]any{"Step": lang.L(st.Name)}))
		})
		if err != nil {
			m.showError(err)
			return
		}
		res := fn(ctx, r)
		c := newCeremony(m.kind, res)
		m.s.History.Add(c)
		m.show(c)
		if m.OnDone != nil {
			m.OnDone(c)
		}
	}()
	return true
}

// Cancel stops the running ceremony (the key stops waiting).
func (m *ceremonyModel) Cancel() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cancel != nil {
		m.cancel()
	}
}

// Wait blocks until the running ceremony (if any) has ended.
func (m *ceremonyModel) Wait() {
	m.mu.Lock()
	done := m.done
	m.mu.Unlock()
	if done != nil {
		<-done
	}
}

// show explains a ceremony's result for the person holding the key (from
// the worker goroutine).
func (m *ceremonyModel) show(c *Ceremony) {
	title, text := OutcomeText(c, result.User)
	set(m.ResultTitle, title)
	set(m.ResultText, text)
	set(m.ResultOK, c.Success())
	set(m.HasResult, true)
}

func (m *ceremonyModel) showError(err error) {
	title, text := explain(err, result.User)
	set(m.ResultTitle, title)
	set(m.ResultText, text)
	set(m.ResultOK, false)
	set(m.HasResult, true)
}

// OutcomeText is a ceremony's result in catalogue words: the fido2-client
// code and message as the title; the cause's code and advice as the text.
func OutcomeText(c *Ceremony, aud result.Audience) (title, text string) {
	e := c.Outcome.Entry().In(Language())
	title = e.Title()
	if c.Success() || c.Cause.IsZero() {
		return title, e.Text(aud)
	}
	ce := lookup(c.Cause)
	text = ce.Title() + "\n" + ce.Text(aud)
	if c.DOMException != "" && c.Cause.Source != result.SourceDOMException {
		text += "\n" + lang.L("Browser error: {{.Name}}", map[string]any{"Name": c.DOMException})
	}
	return title, text
}

// EnrollModel is the Enroll screen's state. What was typed stays when a
// ceremony fails, so the person can try again.
type EnrollModel struct {
	ceremonyModel
	Username     binding.String
	DisplayName  binding.String
	FriendlyName binding.String
}

// NewEnrollModel returns the model.
func NewEnrollModel(s *Services) *EnrollModel {
	m := &EnrollModel{ceremonyModel: newCeremonyModel(s, "enroll"),
		Username: binding.NewString(), DisplayName: binding.NewString(), FriendlyName: binding.NewString()}
	_ = m.FriendlyName.Set(lang.L("Security key"))
	return m
}

// Start enrolls the key for the typed user; false when one is running.
// Call it on the UI goroutine.
func (m *EnrollModel) Start(newPrompter PrompterFactory) bool {
	u, _ := m.Username.Get()
	dn, _ := m.DisplayName.Get()
	fn, _ := m.FriendlyName.Get()
	in := client.EnrollInput{Username: u, DisplayName: dn, FriendlyName: fn}
	if in.DisplayName == "" {
		in.DisplayName = in.Username
	}
	return m.run(newPrompter, func(ctx context.Context, r *client.Runner) *client.Result { return r.Enroll(ctx, in) })
}

// SignInModel is the Test sign-in screen's state.
type SignInModel struct {
	ceremonyModel
	// Username is empty for a usernameless sign-in (discoverable credential).
	Username binding.String
}

// NewSignInModel returns the model.
func NewSignInModel(s *Services) *SignInModel {
	return &SignInModel{ceremonyModel: newCeremonyModel(s, "sign-in"), Username: binding.NewString()}
}

// Start signs in; false when one is running. Call it on the UI goroutine.
func (m *SignInModel) Start(newPrompter PrompterFactory) bool {
	u, _ := m.Username.Get()
	in := client.ApproveInput{Username: u}
	return m.run(newPrompter, func(ctx context.Context, r *client.Runner) *client.Result { return r.Approve(ctx, in) })
}
