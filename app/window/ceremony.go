package window

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// PrompterFactory makes the prompter of one operation; cancel ends the
// operation (the touch dialog's Cancel button calls it).
type PrompterFactory func(cancel context.CancelFunc) ctap.Prompter

// ceremonyModel is the state the Enroll and Test sign-in screens share: a
// ceremony running through its action (off the UI goroutine, one at a
// time, cancellable), its live step, and its result explained from the
// catalogue.
type ceremonyModel struct {
	s    ceremonyServices
	kind ceremony.Kind
	act  *action
	// parent is the context ceremonies derive theirs from: the window's
	// (NewUI sets it), so closing the window ends a running ceremony.
	parent context.Context

	// Busy is true while a ceremony runs.
	Busy binding.Bool
	// Step is the step in progress, in words.
	Step binding.String
	// HasResult, ResultOK, ResultTitle and ResultText describe the last
	// result in the person's words: what happened, then what to do.
	// ResultCodes are its codes for the helpdesk (fido2-client status code,
	// cause, DOMException), shown only when the person asks for them.
	HasResult   binding.Bool
	ResultOK    binding.Bool
	ResultTitle binding.String
	ResultText  binding.String
	ResultCodes binding.String
	// ResultEnding is the last result's Ending (its colour: a person's
	// cancel is not an error, a timeout is not a failure).
	ResultEnding binding.Int
	// OnDone, when set, is told of each finished ceremony (any goroutine).
	OnDone func(*Ceremony)
}

func newCeremonyModel(s ceremonyServices, kind ceremony.Kind) ceremonyModel {
	act := newAction()
	return ceremonyModel{
		s: s, kind: kind, act: act, parent: context.Background(),
		Busy: act.Busy, Step: binding.NewString(),
		HasResult: binding.NewBool(), ResultOK: binding.NewBool(),
		ResultTitle: binding.NewString(), ResultText: binding.NewString(),
		ResultCodes: binding.NewString(), ResultEnding: binding.NewInt(),
	}
}

// run starts fn through the model's action; false when a ceremony is
// already running. It is called on the UI goroutine (Start, from a
// button), so it clears the last result directly; the worker hands its
// updates over with set.
func (m *ceremonyModel) run(newPrompter PrompterFactory, fn func(context.Context, *ceremony.Runner) *ceremony.Result) bool {
	if m.act.running() {
		return false
	}
	// Before the worker starts: it may show a result at once.
	_ = m.HasResult.Set(false)
	_ = m.Step.Set(lang.L("Starting…"))
	return m.act.run(m.parent, func(ctx context.Context, cancel context.CancelFunc) {
		defer set(m.Step, "")
		r, err := m.s.Runner(newPrompter(cancel), func(st ceremony.Step) {
			set(m.Step, stepText(st))
		})
		if err != nil {
			m.showError(err)
			return
		}
		res := fn(ctx, r)
		c := newCeremony(m.kind, res)
		m.s.record(c)
		m.show(c)
		if m.OnDone != nil {
			m.OnDone(c)
		}
	})
}

// Cancel stops the running ceremony (the key stops waiting).
func (m *ceremonyModel) Cancel() { m.act.Cancel() }

// Wait blocks until the running ceremony (if any) has ended.
func (m *ceremonyModel) Wait() { m.act.Wait() }

// show explains a ceremony's result for the person holding the key (from
// the worker goroutine).
func (m *ceremonyModel) show(c *Ceremony) {
	title, text := OutcomeText(c, result.User)
	set(m.ResultTitle, title)
	set(m.ResultText, text)
	set(m.ResultCodes, outcomeCodes(c))
	set(m.ResultOK, c.Success())
	set(m.ResultEnding, int(c.Ending()))
	set(m.HasResult, true)
}

// showError explains why a ceremony could not start: in words, with the
// catalogue's code behind the details.
func (m *ceremonyModel) showError(err error) {
	e := lookup(codeOf(err))
	title := lang.L("Enrollment could not start")
	if m.kind == ceremony.KindSignIn {
		title = lang.L("Sign-in could not start")
	}
	set(m.ResultTitle, title)
	set(m.ResultText, e.Text(result.User))
	set(m.ResultCodes, lang.L("Cause: {{.Code}}", map[string]any{"Code": e.Title()}))
	set(m.ResultOK, false)
	set(m.ResultEnding, int(EndFailed))
	set(m.HasResult, true)
}

// OutcomeText is a ceremony's result in catalogue words. For the person
// at the key (result.User) it is what happened and what to do, with no
// codes: those are in outcomeCodes, one click away. For the helpdesk a
// failure's title is the fido2-client code and message, its text the
// cause's code and advice. A person's cancel and a step that ran out of
// time read as what they are for both.
func OutcomeText(c *Ceremony, aud result.Audience) (title, text string) {
	e := c.Outcome.Entry().In(Language())
	if aud == result.User {
		return userOutcomeText(c, e)
	}
	title = e.Title()
	if c.Success() || c.Cause.IsZero() {
		return title, e.Text(aud)
	}
	ce := lookup(c.Cause)
	codes := lang.L("Codes: {{.Codes}}", map[string]any{"Codes": c.Outcome.Code.StatusCode + " · " + c.Cause.String()})
	switch c.Ending() {
	case EndCancelled:
		return cancelledTitle(c), ce.Text(aud) + "\n" + codes
	case EndTimedOut:
		return timedOutTitle(ce), ce.Text(aud) + "\n" + codes
	}
	text = ce.Title() + "\n" + ce.Text(aud)
	if c.DOMException != "" && c.Cause.Source != result.SourceDOMException {
		text += "\n" + lang.L("Browser error: {{.Name}}", map[string]any{"Name": c.DOMException})
	}
	return title, text
}

// userOutcomeText is OutcomeText for the person at the key: a title that
// says what happened, and the catalogue's end-user text for the cause
// (what happened and what to do); e is the fido2-client result's entry.
func userOutcomeText(c *Ceremony, e result.Entry) (title, text string) {
	signIn := c.Kind == ceremony.KindSignIn
	if c.Success() {
		title = lang.L("Your key is registered")
		switch {
		case signIn && c.Username != "":
			// Which account signed in: for a usernameless sign-in the
			// key's choice, named by the Cloud's status answer.
			title = lang.L("Signed in as {{.Name}}", map[string]any{"Name": c.Username})
		case signIn:
			title = lang.L("Sign-in worked")
		}
		text = e.Text(result.User)
		if c.AttestationTrust != "" {
			text += "\n" + lang.L("Attestation: {{.Verdict}}", map[string]any{"Verdict": trustText(c.AttestationTrust)})
		}
		return title, text
	}
	ce := e
	if !c.Cause.IsZero() {
		ce = lookup(c.Cause)
	}
	switch c.Ending() {
	case EndCancelled:
		if signIn {
			return cancelledTitle(c), lang.L("You cancelled: nobody was signed in. Start again when you are ready.")
		}
		return cancelledTitle(c), lang.L("You cancelled: the key was not registered. Start again when you are ready.")
	case EndTimedOut:
		return timedOutTitle(ce), ce.Text(result.User)
	}
	title = lang.L("Enrollment failed")
	if signIn {
		title = lang.L("Sign-in failed")
	}
	text = ce.Text(result.User)
	if text == "" {
		text = e.Text(result.User)
	}
	if c.AcceptedByCloud {
		// The Cloud took the credential before the failure: starting
		// again would register the key a second time.
		text += "\n" + lang.L("The Authentication Cloud accepted the credential, so the key may already be registered. Check with Test sign-in for this user before enrolling the key again.")
	}
	return title, text
}

// trustText says what an enrollment's attestation trust verdict means
// (demo mode, where the relying party's roots are known).
func trustText(t protocol.Trust) string {
	switch t {
	case protocol.TrustRoot:
		return lang.L("trusted (its certificate leads to a root the relying party trusts)")
	case protocol.TrustKnownModel:
		return lang.L("known model, unconfirmed (the key names a model KeyDesk knows, but its certificate leads to no root the relying party trusts)")
	}
	return lang.L("untrusted (unknown model, certificate from an unknown root: accepted because this is the demo)")
}

// timedOutTitle names the step that ran out of time, from its cause.
// cancelledTitle is the title of a ceremony the person cancelled.
func cancelledTitle(c *Ceremony) string {
	if c.Kind == ceremony.KindSignIn {
		return lang.L("Sign-in cancelled")
	}
	return lang.L("Enrollment cancelled")
}

func timedOutTitle(ce result.Entry) string {
	what := ce.Message
	if what == "" {
		what = ce.Title()
	}
	return lang.L("Timed out: {{.What}}", map[string]any{"What": what})
}

// outcomeCodes are a ceremony's codes for the helpdesk, one a line: the
// fido2-client status code and message, the cause's code, the browser's
// DOMException. The result card keeps them behind a click.
func outcomeCodes(c *Ceremony) string {
	lines := []string{lang.L("Result: {{.Code}}", map[string]any{"Code": c.Outcome.Entry().In(Language()).Title()})}
	if !c.Cause.IsZero() && c.Cause != result.Nevis(c.Outcome.Code.StatusCode) {
		lines = append(lines, lang.L("Cause: {{.Code}}", map[string]any{"Code": lookup(c.Cause).Title()}))
	}
	if c.DOMException != "" && c.Cause.Source != result.SourceDOMException {
		lines = append(lines, lang.L("Browser error: {{.Name}}", map[string]any{"Name": c.DOMException}))
	}
	return strings.Join(lines, "\n")
}

// Ending is how a ceremony ended, as a person tells endings apart.
type Ending int

// The endings: a failure is an error; a person's cancel is not; a step
// that ran out of time (PIN, touch, the key's own wait) is neither.
const (
	EndSucceeded Ending = iota
	EndFailed
	EndCancelled
	EndTimedOut
)

// endingNames name the endings in reports (not translated: codes).
var endingNames = map[Ending]string{
	EndSucceeded: "succeeded", EndFailed: "failed", EndCancelled: "cancelled", EndTimedOut: "timed-out",
}

// timeoutCauses are the causes of a step that ran out of time: a person's
// (PIN, touch), the key's own wait, the Cloud's answer, a station left
// idle (the kiosk's; listed so a kiosk record reads the same here).
var timeoutCauses = []result.Code{
	result.CodeTouchTimeout, result.CodePINTimeout,
	result.CTAP(0x2F), // CTAP2_ERR_USER_ACTION_TIMEOUT: the key's own wait
	result.CTAP(0x3A), // CTAP2_ERR_ACTION_TIMEOUT
	result.CodeCloudTimeout,
	result.CodeIdleTimeout,
}

// endingOf classifies a result by its cause.
func endingOf(success bool, cause result.Code) Ending {
	switch {
	case success:
		return EndSucceeded
	case cause == result.CodeCancelled:
		return EndCancelled
	case slices.Contains(timeoutCauses, cause):
		return EndTimedOut
	}
	return EndFailed
}

// stepEnding classifies a timeline step by its outcome.
func stepEnding(st ceremony.Step) Ending {
	return endingOf(st.OK(), st.Code)
}

// Ending says how the ceremony ended.
func (c *Ceremony) Ending() Ending { return endingOf(c.Success(), c.Cause) }

// importance is the colour of an ending: green, red, orange, neutral.
func (e Ending) importance() widget.Importance {
	switch e {
	case EndSucceeded:
		return widget.SuccessImportance
	case EndCancelled:
		return widget.MediumImportance
	case EndTimedOut:
		return widget.WarningImportance
	}
	return widget.DangerImportance
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
func NewEnrollModel(s *Services) *EnrollModel { return newEnrollModel(s) }

func newEnrollModel(s ceremonyServices) *EnrollModel {
	m := &EnrollModel{ceremonyModel: newCeremonyModel(s, ceremony.KindEnroll),
		Username: binding.NewString(), DisplayName: binding.NewString(), FriendlyName: binding.NewString()}
	_ = m.FriendlyName.Set(lang.L("Security key"))
	return m
}

// Start enrolls the key for the typed user; false when one is running.
// Call it on the UI goroutine.
func (m *EnrollModel) Start(newPrompter PrompterFactory) bool {
	u, _ := m.Username.Get()
	if strings.TrimSpace(u) == "" {
		m.needUsername()
		return false
	}
	dn, _ := m.DisplayName.Get()
	fn, _ := m.FriendlyName.Get()
	in := ceremony.EnrollInput{Username: u, DisplayName: dn, FriendlyName: fn}
	if in.DisplayName == "" {
		in.DisplayName = in.Username
	}
	return m.run(newPrompter, func(ctx context.Context, r *ceremony.Runner) *ceremony.Result { return r.Enroll(ctx, in) })
}

// SignInModel is the Test sign-in screen's state.
type SignInModel struct {
	ceremonyModel
	// Username is empty for a usernameless sign-in (discoverable credential).
	Username binding.String
	// Authenticator, when set, is the one authenticator of the user to
	// sign in with (its authenticatorId at the Cloud).
	Authenticator binding.String
}

// NewSignInModel returns the model.
func NewSignInModel(s *Services) *SignInModel { return newSignInModel(s) }

func newSignInModel(s ceremonyServices) *SignInModel {
	return &SignInModel{ceremonyModel: newCeremonyModel(s, ceremony.KindSignIn), Username: binding.NewString(), Authenticator: binding.NewString()}
}

// Start signs in; false when one is running. Call it on the UI goroutine.
func (m *SignInModel) Start(newPrompter PrompterFactory) bool {
	u, _ := m.Username.Get()
	a, _ := m.Authenticator.Get()
	in := ceremony.ApproveInput{Username: u, AuthenticatorID: strings.TrimSpace(a)}
	return m.run(newPrompter, func(ctx context.Context, r *ceremony.Runner) *ceremony.Result { return r.Approve(ctx, in) })
}
