package ceremony

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// TestNewRecord: a Record keeps what may be shown of a Result (the token
// redacted, the timeline copied) and dates it by its steps; Codes lists
// the codes met, each once.
func TestNewRecord(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	out := result.NewOutcome("error-1001", "NotAllowedError: the PIN was wrong")
	out.Token = "eyJhbGciOiJIUzI1NiJ9.e30.secret-token"
	res := &Result{
		Outcome: out, Cause: result.CTAP(0x31), DOMException: "NotAllowedError",
		Username: "alice", UserID: "u-1",
		Steps: []Step{
			{Name: "start enrollment", Start: t0, Duration: 200 * time.Millisecond},
			{Name: "create credential on key", Start: t0.Add(300 * time.Millisecond), Duration: time.Second, Code: result.CTAP(0x31)},
		},
	}
	rec := NewRecord(KindEnroll, res)
	if rec.Kind != KindEnroll || rec.Username != "alice" || rec.UserID != "u-1" || rec.DOMException != "NotAllowedError" || rec.Cause != result.CTAP(0x31) {
		t.Errorf("record: %+v", rec)
	}
	if !rec.Started.Equal(t0) || rec.Duration != 1300*time.Millisecond {
		t.Errorf("started %s, duration %s; want %s, 1.3s", rec.Started, rec.Duration, t0)
	}
	if rec.Success() || rec.StatusCode() != "error-1001" {
		t.Errorf("status %q success %v", rec.StatusCode(), rec.Success())
	}
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "secret-token") || strings.Contains(string(b), "eyJ") {
		t.Errorf("the record holds the token: %s", b)
	}
	res.Steps[0].Name = "changed"
	if rec.Steps[0].Name != "start enrollment" {
		t.Error("the record shares the result's timeline")
	}
	want := []result.Code{result.Nevis("error-1001"), result.CTAP(0x31)}
	if got := rec.Codes(); !slices.Equal(got, want) {
		t.Errorf("Codes() = %v, want %v", got, want)
	}

	// A ceremony that could not start has no steps: it is dated now.
	before := time.Now()
	rec = NewRecord(KindSignIn, &Result{Outcome: result.NewOutcome("error-0099", "")})
	if rec.Started.Before(before) || rec.Duration != 0 || rec.Kind.String() != "sign-in" {
		t.Errorf("no steps: %+v", rec)
	}
}
