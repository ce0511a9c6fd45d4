package cloud_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
)

// enrollSignIn enrolls username with a software key over loopback and signs
// in once.
func enrollSignIn(t *testing.T, c *cloud.Client, username string) (userID string, key *testauthn.Authenticator) {
	t.Helper()
	ctx := context.Background()
	key = testauthn.New(testauthn.FormatPacked)
	en, err := testauthn.Enroll(ctx, c, key, cloud.EnrollRequest{Username: username, DisplayName: username}, nil)
	if err != nil || en.Status.Status != cloud.StatusSucceeded {
		t.Fatalf("enroll %s: %v", username, err)
	}
	if _, err := testauthn.Approve(ctx, c, key, cloud.ApprovalRequest{Username: username}, nil); err != nil {
		t.Fatalf("approve %s: %v", username, err)
	}
	return en.Enroll.UserID, key
}

func TestLookupUserByUsername(t *testing.T) {
	srv, c := startEmulator(t)
	ctx := context.Background()
	aliceID, _ := enrollSignIn(t, c, "alice")
	enrollSignIn(t, c, "alice2")

	u, err := c.LookupUser(ctx, "alice")
	if err != nil {
		t.Fatalf("lookup by username: %v", err)
	}
	if u.UserID != aliceID || u.Username != "alice" || u.Status != "active" {
		t.Errorf("found %+v, want alice %s", u, aliceID)
	}
	if u.LastLoginDateSuccess == "" || u.LastLoginDateFailure != "" {
		t.Errorf("last logins = %q / %q, want a success and no failure", u.LastLoginDateSuccess, u.LastLoginDateFailure)
	}
	if len(u.Authenticators) != 1 || u.Authenticators[0].EnrolledAt == "" || u.Authenticators[0].UpdatedAt == "" || u.Authenticators[0].AuthenticatorType != "fido2" {
		t.Errorf("authenticators = %+v", u.Authenticators)
	}
	byID, err := c.LookupUser(ctx, aliceID)
	if err != nil || byID.Username != "alice" || byID.LastLoginDateSuccess == "" || byID.Authenticators[0].UpdatedAt == "" {
		t.Fatalf("lookup by ID: %+v %v", byID, err)
	}
	var sawQuery bool
	for _, r := range srv.Requests() {
		if r.Endpoint == emulator.EndpointUserQuery {
			sawQuery = r.Bearer && r.BearerValid
		}
	}
	if !sawQuery {
		t.Error("the username lookup did not reach GET /users?username= with the access key")
	}

	// No exact match is "not found": neither a prefix nor a case variant
	// finds somebody else.
	for _, who := range []string{"ali", "ALICE", "bob"} {
		_, err := c.LookupUser(ctx, who)
		var apiErr *cloud.APIError
		if !errors.Is(err, cloud.ErrUserNotFound) || !errors.As(err, &apiErr) || apiErr.HTTPStatus != http.StatusNotFound {
			t.Errorf("lookup %q: err = %v, want ErrUserNotFound as HTTP 404", who, err)
		}
	}
}

func TestRenameAndDelete(t *testing.T) {
	_, c := startEmulator(t)
	ctx := context.Background()
	id, _ := enrollSignIn(t, c, "carol")
	u, err := c.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a := u.Authenticators[0]
	time.Sleep(2 * time.Millisecond)
	got, err := c.RenameAuthenticator(ctx, a.AuthenticatorID, "Carol's blue key")
	if err != nil || got.Name != "Carol's blue key" || got.AuthenticatorID != a.AuthenticatorID {
		t.Fatalf("rename: %+v %v", got, err)
	}
	if got.UpdatedAt == "" || got.UpdatedAt <= a.EnrolledAt {
		t.Errorf("updatedAt %q not after enrolledAt %q", got.UpdatedAt, a.EnrolledAt)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("x", cloud.MaxAuthenticatorName+1), "tab\there"} {
		if _, err := c.RenameAuthenticator(ctx, a.AuthenticatorID, bad); err == nil {
			t.Errorf("rename to %q accepted", bad)
		}
	}
	_, err = c.RenameAuthenticator(ctx, "00000000-0000-0000-0000-000000000000", "x1")
	var apiErr *cloud.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != http.StatusNotFound {
		t.Errorf("rename of an unknown authenticator: %v, want HTTP 404", err)
	}

	if err := c.DeleteUser(ctx, id); err != nil {
		t.Fatalf("delete user: %v", err)
	}
	if _, err := c.LookupUser(ctx, "carol"); !errors.Is(err, cloud.ErrUserNotFound) {
		t.Errorf("lookup after delete: %v, want not found", err)
	}
	if err := c.DeleteUser(ctx, id); !errors.As(err, &apiErr) || apiErr.HTTPStatus != http.StatusNotFound {
		t.Errorf("second delete: %v, want HTTP 404", err)
	}
	if err := c.DeleteUser(ctx, "carol"); err == nil {
		t.Error("DeleteUser took a username; it must take only a user ID")
	}
}

func TestExportLogs(t *testing.T) {
	srv, c := startEmulator(t)
	ctx := context.Background()
	daveID, _ := enrollSignIn(t, c, "dave")
	enrollSignIn(t, c, "erin")
	old := time.Now().UTC().AddDate(0, 0, -3)
	srv.AddLogEvent(emulator.LogEvent{Time: old, Event: "authentication", Status: "failed", Category: "authentication", Channel: "fido2", UserID: daveID, Username: "dave"})

	evs, err := c.ExportLogs(ctx, cloud.LogQuery{Filter: daveID})
	if err != nil {
		t.Fatal(err)
	}
	// registration + authentication today, the failure three days ago.
	if len(evs) != 3 {
		t.Fatalf("dave's events = %+v, want 3", evs)
	}
	for i, e := range evs {
		if e.UserID != daveID || e.Username != "dave" {
			t.Errorf("event %d belongs to %s/%s", i, e.UserID, e.Username)
		}
		if i > 0 && e.Time.After(evs[i-1].Time) {
			t.Error("events not newest first")
		}
	}
	days := cloud.CountByDay(evs)
	if len(days) != 2 || days[0].Failed != 1 || days[1].Succeeded != 2 {
		t.Errorf("per day = %+v, want 1 failed 3 days ago, 2 succeeded today", days)
	}
	u, err := c.LookupUser(ctx, "dave")
	if err != nil || u.LastLoginDateFailure == "" {
		t.Errorf("the journalled failure is not dave's last failed sign-in: %+v %v", u, err)
	}

	ranged, err := c.ExportLogs(ctx, cloud.LogQuery{From: old.Add(-time.Hour), To: old.Add(time.Hour)})
	if err != nil || len(ranged) != 1 || ranged[0].Status != "failed" {
		t.Errorf("range export = %+v %v, want the one failure", ranged, err)
	}
	all, err := c.ExportLogs(ctx, cloud.LogQuery{Status: "succeeded"})
	if err != nil || len(all) != 4 {
		t.Errorf("succeeded export = %d events %v, want 4 (2 users × enroll + sign-in)", len(all), err)
	}
	for _, q := range []cloud.LogQuery{{Filter: "d"}, {Status: "ok"}, {From: time.Now(), To: time.Now().Add(-time.Hour)}} {
		if _, err := c.ExportLogs(ctx, q); err == nil {
			t.Errorf("query %+v accepted", q)
		}
	}
}

func TestParseLogCSV(t *testing.T) {
	// Columns in another order, an unknown column, the Identity Cloud's
	// spellings (name, user.id): read by header name.
	evs, err := cloud.ParseLogCSV([]byte("\ufeffuser.id,extra,status,name,timestamp\nu1,x,failed,authentication,2026-01-02T03:04:05.000Z\nu1,y,succeeded,registration,2026-01-03T00:00:00Z\n"))
	if err != nil || len(evs) != 2 || evs[0].Event != "registration" || evs[1].UserID != "u1" || evs[1].Status != "failed" {
		t.Fatalf("parsed %+v %v", evs, err)
	}
	if evs, err := cloud.ParseLogCSV(nil); err != nil || evs == nil || len(evs) != 0 {
		t.Errorf("empty export = %v %v, want an empty list", evs, err)
	}
	for _, bad := range []string{"event,status\nx,failed\n", "timestamp,status\nyesterday,failed\n", "timestamp,status\n2026-01-02T03:04:05Z\n"} {
		if _, err := cloud.ParseLogCSV([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		} else if strings.Contains(err.Error(), "yesterday") {
			t.Errorf("error quotes a cell: %v", err)
		}
	}
}

// TestManagementIsInTheAuditLog: renaming and deleting an authenticator
// reach the emulator's audit log, with the user and the fido2 channel (a
// deletion was not logged, and a rename's channel read the empty platform
// type).
func TestManagementIsInTheAuditLog(t *testing.T) {
	_, c := startEmulator(t)
	ctx := context.Background()
	id, _ := enrollSignIn(t, c, "dora")
	u, err := c.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a := u.Authenticators[0]
	if _, err := c.RenameAuthenticator(ctx, a.AuthenticatorID, "Dora's key"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAuthenticator(ctx, a.AuthenticatorID); err != nil {
		t.Fatal(err)
	}
	evs, err := c.ExportLogs(ctx, cloud.LogQuery{Filter: id})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]cloud.LogEvent{}
	for _, e := range evs {
		seen[e.Event] = e
	}
	for _, name := range []string{"authenticator.renamed", "authenticator.deleted"} {
		e, ok := seen[name]
		if !ok {
			t.Errorf("no %s event in %+v", name, evs)
			continue
		}
		if e.UserID != id || e.Username != "dora" || e.Channel != "fido2" || e.Status != "succeeded" {
			t.Errorf("%s: %+v", name, e)
		}
	}
}
