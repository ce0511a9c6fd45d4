package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

// TestCeremonyReportOfRecord: the CLI's report of enroll and approve
// (the text and the --json object) is built from the ceremony's Record:
// the redacted result object, the cause explained, the {"error": …}
// member and the timeline, with no token.
func TestCeremonyReportOfRecord(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	out := result.NewOutcome("error-1001", "NotAllowedError: the PIN was wrong")
	out.Token = "tok-secret"
	failed := ceremony.Record{Kind: ceremony.KindEnroll, Username: "ada", UserID: "u-1", Started: t0, Duration: 1500 * time.Millisecond,
		Outcome: out.Redacted(), Cause: result.CTAP(0x31),
		Steps: []ceremony.Step{
			{Name: "start enrollment", Start: t0, Duration: 200 * time.Millisecond},
			{Name: "create credential on key", Start: t0.Add(300 * time.Millisecond), Duration: 1200 * time.Millisecond, Code: result.CTAP(0x31)},
		}}
	ok := ceremony.Record{Kind: ceremony.KindSignIn, UserID: "u-1", Started: t0, Outcome: result.NewOutcome("success-authentication", ""),
		Steps: []ceremony.Step{{Name: "get assertion from key", Start: t0, Duration: 5 * time.Millisecond}}}
	cause := result.Lookup(result.CTAP(0x31))
	for _, c := range []struct {
		name     string
		rec      ceremony.Record
		text     []string // in the text report, in this order
		jsonHas  map[string]any
		hasError bool
	}{
		{"failed", failed,
			[]string{`"statusCode": "error-1001"`, "Cause: " + cause.Title(), "Timeline:", "start enrollment", "200ms", "ok",
				"create credential on key", "1.2s", "ctap:0x31"},
			map[string]any{"cause": cause.Title(), "userId": "u-1", "whatToDo": cause.Text(result.User)}, true},
		{"succeeded", ok,
			[]string{`"success": true`, `"statusCode": "success-authentication"`, "Timeline:", "get assertion from key", "5ms", "ok"},
			map[string]any{"userId": "u-1"}, false},
	} {
		rep := reportOf(c.rec, false)
		var text bytes.Buffer
		printCeremony(&text, reportOf(c.rec, true))
		rest := text.String()
		for _, w := range c.text {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: the text report lacks %q (in order):\n%s", c.name, w, text.String())
				break
			}
			rest = rest[i+len(w):]
		}
		var js bytes.Buffer
		writeJSON(&js, rep)
		var obj map[string]any
		if err := json.Unmarshal(js.Bytes(), &obj); err != nil {
			t.Fatal(err)
		}
		for k, v := range c.jsonHas {
			if obj[k] != v {
				t.Errorf("%s: JSON %s = %v, want %v", c.name, k, obj[k], v)
			}
		}
		if tl, _ := obj["timeline"].([]any); len(tl) != len(c.rec.Steps) {
			t.Errorf("%s: JSON timeline %v", c.name, obj["timeline"])
		}
		e, _ := obj["error"].(map[string]any)
		if (e != nil) != c.hasError || (e != nil && (e["code"] != "ctap:0x31" || e["message"] == "")) {
			t.Errorf("%s: JSON error %v", c.name, obj["error"])
		}
		if strings.Contains(text.String()+js.String(), "tok-secret") {
			t.Errorf("%s: the report holds the token", c.name)
		}
	}
}
