package window

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

// TestRecordViews: the window's history entry and the exported report's
// ceremony and codes sections are built from one ceremony Record: kind,
// user, start, status code, cause, each step with its code, and how the
// ceremony ended; none holds the token.
func TestRecordViews(t *testing.T) {
	SetLanguage("en")
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	out := result.NewOutcome("error-1001", "NotAllowedError: the PIN was wrong")
	out.Token = "tok-secret"
	failed := ceremony.Record{Kind: ceremony.KindEnroll, Username: "ada", UserID: "u-1", Started: t0, Duration: 1500 * time.Millisecond,
		Outcome: out.Redacted(), Cause: result.CTAP(0x31), DOMException: "NotAllowedError",
		Steps: []ceremony.Step{
			{Name: "start enrollment", Start: t0, Duration: 200 * time.Millisecond},
			{Name: "create credential on key", Start: t0.Add(300 * time.Millisecond), Duration: 1200 * time.Millisecond, Code: result.CTAP(0x31)},
		}}
	cancelled := ceremony.Record{Kind: ceremony.KindSignIn, Username: "bob", Started: t0, Outcome: result.NewOutcome("error-0001", ""),
		Cause: result.CodeCancelled, Steps: []ceremony.Step{{Name: "get assertion from key", Start: t0, Code: result.CodeCancelled}}}
	succeeded := ceremony.Record{Kind: ceremony.KindSignIn, Username: "kim", Started: t0, Outcome: result.NewOutcome("success-authentication", ""),
		Steps: []ceremony.Step{{Name: "get assertion from key", Start: t0}}}
	for _, c := range []struct {
		name   string
		rec    ceremony.Record
		ending string
		html   []string // in the report's ceremony section, in this order
		codes  []string
	}{
		{"failed", failed, "failed",
			[]string{`<h3 class="failed">enroll ada — failed, error-1001</h3>`, "ctap:0x31", "NotAllowedError",
				"start enrollment", "200 ms", "create credential on key", "1200 ms", "ctap:0x31"},
			[]string{"ctap:0x31", "nevis:error-1001"}},
		{"cancelled", cancelled, "cancelled",
			[]string{`<h3 class="cancelled">`, "bob", "error-0001", "get assertion from key"},
			[]string{result.CodeCancelled.String(), "nevis:error-0001"}},
		{"succeeded", succeeded, "succeeded",
			[]string{`<h3 class="succeeded">`, "kim", "success-authentication", "get assertion from key"},
			[]string{"nevis:success-authentication"}},
	} {
		h := historyEntry(c.rec, nil)
		if h.EndedAs != c.ending || h.Kind != c.rec.Kind || h.Username != c.rec.Username || !h.Started.Equal(t0) ||
			len(h.Steps) != len(c.rec.Steps) || h.Success() != c.rec.Success() || h.Credential != nil {
			t.Errorf("%s: history entry %+v", c.name, h)
		}
		rep := &Report{Generated: t0, Keys: []KeyRow{}, Ceremonies: []*Ceremony{h}, Codes: reportCodes([]*Ceremony{h})}
		var codes []string
		for _, rc := range rep.Codes {
			codes = append(codes, rc.Code)
		}
		if strings.Join(codes, " ") != strings.Join(c.codes, " ") {
			t.Errorf("%s: codes section %v, want %v", c.name, codes, c.codes)
		}
		htm, err := rep.HTML()
		if err != nil {
			t.Fatal(err)
		}
		section := string(htm)
		section = section[strings.Index(section, "<h2>Ceremonies</h2>"):]
		rest := section
		for _, w := range c.html {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: the report's ceremony section lacks %q (in order):\n%s", c.name, w, section)
				break
			}
			rest = rest[i+len(w):]
		}
		js, err := rep.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var back struct {
			Ceremonies []map[string]any `json:"ceremonies"`
		}
		if err := json.Unmarshal(js, &back); err != nil || len(back.Ceremonies) != 1 {
			t.Fatalf("%s: JSON %s %v", c.name, js, err)
		}
		got := back.Ceremonies[0]
		if got["kind"] != c.rec.Kind.String() || got["ending"] != c.ending || got["username"] != c.rec.Username {
			t.Errorf("%s: JSON ceremony %v", c.name, got)
		}
		if strings.Contains(string(htm)+string(js), "tok-secret") {
			t.Errorf("%s: the report holds the token", c.name)
		}
	}
}
