package ceremony

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// StepName names a step of a ceremony. Its value is how logs, reports and
// JSON write the step ("start enrollment"): stable English, not words for
// a person; each front-end maps the names to its own words (the window's
// stepNameText and stepText, the CLI's stepWords).
type StepName string

// The steps a ceremony takes, in the order an enrollment or a sign-in
// takes them.
const (
	StepCheckInput      StepName = "check input"
	StepStartEnrollment StepName = "start enrollment"
	// StepCheckAuthenticators: the user already has the documented
	// maximum of authenticators, so the key is not asked.
	StepCheckAuthenticators StepName = "check authenticators"
	StepFindKey             StepName = "find security key"
	StepMakeCredential      StepName = "create credential on key"
	StepSendAttestation     StepName = "send attestation"
	StepStartApproval       StepName = "start approval"
	StepGetAssertion        StepName = "get assertion from key"
	StepSendAssertion       StepName = "send assertion"
	StepPollStatus          StepName = "poll status"
	StepIntrospectToken     StepName = "introspect token"
)

// StepNames are every step a ceremony can take (a front-end's words cover
// them all; TestStepNamesComplete keeps the list whole).
var StepNames = []StepName{
	StepCheckInput, StepStartEnrollment, StepCheckAuthenticators, StepFindKey, StepMakeCredential, StepSendAttestation,
	StepStartApproval, StepGetAssertion, StepSendAssertion, StepPollStatus, StepIntrospectToken,
}

// Step is one step of a ceremony as the helpdesk sees it. Detail is
// redacted: it never holds a token, a key, a challenge or a PIN.
type Step struct {
	Name     StepName      `json:"name"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"durationNs"`
	// Code is the catalogue code that ended the step (result.NoCode when
	// none names the failure); zero when the step succeeded. Readers
	// branch on it, never on text.
	Code   result.Code `json:"-"`
	Detail string      `json:"detail,omitempty"`
}

// OK reports whether the step succeeded.
func (s Step) OK() bool { return s.Code.IsZero() }

// Outcome is how the step's end is written in logs, reports and JSON:
// "ok", or its code ("ctap:0x31").
func (s Step) Outcome() string {
	if s.OK() {
		return stepOK
	}
	return s.Code.String()
}

// stepOK is a successful step's outcome.
const stepOK = "ok"

// stepJSON is Step on the wire: its outcome written as Outcome does, as
// the reports and the CLI's JSON always have.
type stepJSON struct {
	Name     StepName      `json:"name"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"durationNs"`
	Outcome  string        `json:"outcome"`
	Detail   string        `json:"detail,omitempty"`
}

// MarshalJSON writes the step with its outcome as text ("ok" or the code).
func (s Step) MarshalJSON() ([]byte, error) {
	return json.Marshal(stepJSON{Name: s.Name, Start: s.Start, Duration: s.Duration, Outcome: s.Outcome(), Detail: s.Detail})
}

// UnmarshalJSON reads what MarshalJSON wrote; an outcome that is neither
// "ok" nor a code is kept as a failure without a code (result.NoCode).
func (s *Step) UnmarshalJSON(b []byte) error {
	var j stepJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Step{Name: j.Name, Start: j.Start, Duration: j.Duration, Detail: j.Detail}
	if j.Outcome != stepOK {
		s.Code = result.NoCode
		if c, ok := result.ParseString(j.Outcome); ok {
			s.Code = c
		}
	}
	return nil
}

// Timeline records a ceremony's steps as they happen; OnStep, when set, is
// told of each finished step (the GUI draws them live).
type Timeline struct {
	mu     sync.Mutex
	steps  []Step
	OnStep func(Step)
}

// begin starts a step; the returned func ends it with err (nil: ok) and a
// detail that is redacted before it is kept.
func (t *Timeline) begin(name StepName) func(err error, detail string) {
	start := time.Now()
	return func(err error, detail string) {
		s := Step{Name: name, Start: start, Duration: time.Since(start), Detail: result.Redact(detail)}
		if err != nil {
			s.Code = causeOf(err)
			if s.Detail == "" {
				s.Detail = result.Redact(err.Error())
			}
		}
		t.mu.Lock()
		t.steps = append(t.steps, s)
		fn := t.OnStep
		t.mu.Unlock()
		if fn != nil {
			fn(s)
		}
	}
}

// Steps returns a copy of the steps so far.
func (t *Timeline) Steps() []Step {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Step(nil), t.steps...)
}
