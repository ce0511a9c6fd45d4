package ceremony_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestStepOutcomeIsACode: a failed step carries the catalogue code that
// ended it, the one the ceremony's cause names; a successful step carries
// none. JSON keeps writing "ok" or the code and reads both back.
func TestStepOutcomeIsACode(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "erin"})
	wantOutcome(t, res, "error-1001")
	steps := res.Steps
	last := steps[len(steps)-1]
	if last.OK() || last.Code != res.Cause || last.Code != result.CTAP(0x27) || last.Outcome() != "ctap:0x27" {
		t.Fatalf("last step %+v, cause %s", last, res.Cause)
	}
	for _, st := range steps[:len(steps)-1] {
		if !st.OK() || !st.Code.IsZero() || st.Outcome() != "ok" {
			t.Errorf("step before the failure: %+v", st)
		}
	}
	b, err := json.Marshal(steps)
	if err != nil {
		t.Fatal(err)
	}
	var wire []map[string]any
	if err := json.Unmarshal(b, &wire); err != nil {
		t.Fatal(err)
	}
	if wire[0]["outcome"] != "ok" || wire[len(wire)-1]["outcome"] != "ctap:0x27" {
		t.Fatalf("JSON outcomes: %s", b)
	}
	var back []ceremony.Step
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for i := range steps {
		if !back[i].Start.Equal(steps[i].Start) {
			t.Fatalf("step %d start %v, was %v", i, back[i].Start, steps[i].Start)
		}
		back[i].Start = steps[i].Start
	}
	if !reflect.DeepEqual(back, steps) {
		t.Fatalf("JSON round trip:\n%+v\n%+v", back, steps)
	}
	var odd ceremony.Step
	if err := json.Unmarshal([]byte(`{"name":"x","outcome":"something else"}`), &odd); err != nil || odd.OK() || odd.Code != result.NoCode {
		t.Fatalf("an outcome that is no code: %+v %v", odd, err)
	}
}

// TestNoCodeIsNotUnknownError: an error nothing names has result.NoCode,
// not the browser's UnknownError; a DOMError named UnknownError keeps its
// name.
func TestNoCodeIsNotUnknownError(t *testing.T) {
	if c := ceremony.CauseOf(errors.New("settings: something")); c != result.NoCode || c == result.DOMException(webauthn.UnknownError) || c.IsZero() {
		t.Fatalf("cause of an unnamed error: %s", c)
	}
	de := &webauthn.DOMError{Name: webauthn.UnknownError, Message: "m", Cause: errors.New("x")}
	if c := ceremony.CauseOf(de); c != result.DOMException(webauthn.UnknownError) {
		t.Fatalf("cause of an UnknownError DOMException: %s", c)
	}
	if e := result.Lookup(result.NoCode); e.Generated || e.Explanation == "" {
		t.Fatalf("NoCode has no catalogue entry: %+v", e)
	}
}
