package ceremony

import (
	"sync"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// Step is one step of a ceremony as the helpdesk sees it. Detail is
// redacted: it never holds a token, a key, a challenge or a PIN.
type Step struct {
	Name     string        `json:"name"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"durationNs"`
	// Outcome is "ok", or the catalogue code that ended the step.
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`
}

// OK reports whether the step succeeded.
func (s Step) OK() bool { return s.Outcome == "ok" }

// Timeline records a ceremony's steps as they happen; OnStep, when set, is
// told of each finished step (the GUI draws them live).
type Timeline struct {
	mu     sync.Mutex
	steps  []Step
	OnStep func(Step)
}

// begin starts a step; the returned func ends it with err (nil: ok) and a
// detail that is redacted before it is kept.
func (t *Timeline) begin(name string) func(err error, detail string) {
	start := time.Now()
	return func(err error, detail string) {
		s := Step{Name: name, Start: start, Duration: time.Since(start), Outcome: "ok", Detail: result.Redact(detail)}
		if err != nil {
			s.Outcome = causeOf(err).String()
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
