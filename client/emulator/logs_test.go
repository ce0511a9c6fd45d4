package emulator

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLogExportParameters checks the documented rules of GET /logs/export
// (log export endpoint reference): filter at least 2 characters, timespan
// not together with the dates, enums as listed; CSV answer newest first.
func TestLogExportParameters(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, Config{AccessKey: "k-test-123"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	s.AddLogEvent(LogEvent{Time: now.Add(-2 * time.Hour), Event: "authentication", Status: "failed", Category: "authentication", Channel: "fido2", UserID: "u-1", Username: "alice"})
	s.AddLogEvent(LogEvent{Time: now.Add(-time.Hour), Event: "authentication", Status: "succeeded", Category: "authentication", Channel: "fido2", UserID: "u-1", Username: "alice"})
	s.AddLogEvent(LogEvent{Time: now.AddDate(0, 0, -40), Event: "registration", Status: "succeeded", Category: "registration", Channel: "fido2", UserID: "u-1", Username: "alice"})

	get := func(query string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/api/v1/logs/export"+query, nil)
		req.Header.Set("Authorization", "Bearer k-test-123")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, q := range []string{"?filter=a", "?timespan=P1D&fromDate=2026-01-01T00:00:00Z", "?status=ok", "?category=x", "?channel=fax", "?actorType=robot", "?timespan=1D", "?fromDate=yesterday"} {
		if code, _ := get(q); code != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400", q, code)
		}
	}
	code, body := get("")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if code != http.StatusOK || len(lines) != 3 || !strings.HasPrefix(lines[0], "timestamp,") || !strings.Contains(lines[1], "succeeded") || !strings.Contains(lines[2], "failed") {
		t.Errorf("default export (P30D, newest first): HTTP %d\n%s", code, body)
	}
	if _, body := get("?timespan=PT90M"); strings.Count(body, "\n") != 2 {
		t.Errorf("timespan PT90M:\n%s", body)
	}
	if _, body := get("?timespan=P60D&status=succeeded"); strings.Count(body, "\n") != 3 {
		t.Errorf("P60D succeeded:\n%s", body)
	}
	if _, body := get("?filter=bob"); strings.Count(body, "\n") != 1 {
		t.Errorf("filter bob:\n%s", body)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/api/v1/logs/export", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without the access key: HTTP %d", resp.StatusCode)
	}
}

func TestParseISODuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"P30D": 30 * 24 * time.Hour, "P0DT1H": time.Hour, "PT15M": 15 * time.Minute, "P1DT2H3M4S": 26*time.Hour + 3*time.Minute + 4*time.Second} {
		if got, err := parseISODuration(in); err != nil || got != want {
			t.Errorf("%s = %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "P", "PT", "30D", "P1W", "P-1D"} {
		if _, err := parseISODuration(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
