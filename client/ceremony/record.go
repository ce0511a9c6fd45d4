package ceremony

import (
	"slices"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// Record is one finished enroll or approve as every front-end keeps it:
// the window's history and the helpdesk report it exports, the CLI's
// report of enroll and approve, and the kiosk's journal are each built
// from a Record. It holds no secret: the outcome is redacted (no
// transaction token), and there is no challenge, PIN, credential ID or key
// material; step details were redacted when they were recorded.
type Record struct {
	Kind     Kind   `json:"kind"`
	Username string `json:"username,omitempty"`
	UserID   string `json:"userId,omitempty"`
	// Started is when the first step began; Duration runs from there to
	// the end of the last step.
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"durationNs"`
	// Outcome is the fido2-client result object, redacted.
	Outcome result.Outcome `json:"outcome"`
	// Cause is the most specific code behind a failure (zero on success).
	Cause        result.Code `json:"cause"`
	DOMException string      `json:"domException,omitempty"`
	// AcceptedByCloud: the enrollment failed after the Cloud accepted the
	// credential, so the key may already be registered.
	AcceptedByCloud bool `json:"acceptedByCloud,omitempty"`
	// PassID names the enrollment pass the ceremony ran with (never the
	// pass); NotIntrospected marks a pass holder's success, which the
	// organisation confirms (Result.NotIntrospected).
	PassID          string `json:"passId,omitempty"`
	NotIntrospected bool   `json:"notIntrospected,omitempty"`
	// Steps are the timeline, each step with its outcome code.
	Steps []Step `json:"timeline"`
	// KeyModel and AAGUID name the key, when the front-end knows it.
	KeyModel string `json:"keyModel,omitempty"`
	AAGUID   string `json:"aaguid,omitempty"`
	// AttestationTrust is an enrollment's verdict on the key's
	// attestation, when the relying party's roots are known (the demo).
	AttestationTrust protocol.Trust `json:"attestationTrust,omitempty"`
}

// NewRecord keeps what may be shown of a ceremony's result. A result
// without steps (the ceremony could not start) is dated now.
func NewRecord(kind Kind, r *Result) Record {
	rec := Record{
		Kind: kind, Username: r.Username, UserID: r.UserID,
		Outcome: r.Outcome.Redacted(), Cause: r.Cause, DOMException: r.DOMException, AcceptedByCloud: r.AcceptedByCloud,
		Steps: append([]Step(nil), r.Steps...), Started: time.Now(),
		AttestationTrust: r.AttestationTrust, PassID: r.PassID, NotIntrospected: r.NotIntrospected,
	}
	if n := len(r.Steps); n > 0 {
		rec.Started = r.Steps[0].Start
		last := r.Steps[n-1]
		rec.Duration = last.Start.Add(last.Duration).Sub(rec.Started)
	}
	return rec
}

// Success reports whether the ceremony succeeded, introspection included.
func (r Record) Success() bool { return r.Outcome.Success }

// StatusCode is the fido2-client status code (success-registration,
// error-1001, …).
func (r Record) StatusCode() string { return r.Outcome.Code.StatusCode }

// Codes are the catalogue codes the ceremony met: its status code, its
// cause and the codes of each failed step, in that order, each once.
func (r Record) Codes() []result.Code {
	var out []result.Code
	add := func(c result.Code) {
		if !c.IsZero() && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	add(result.Nevis(r.StatusCode()))
	add(r.Cause)
	for _, st := range r.Steps {
		add(st.Code) // zero for a step that went well
	}
	return out
}
