package emulator

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestForgottenCeremonyIsAudited: a ceremony nobody finishes nor polls
// after its timeout is journalled as failed, at its expiry, when the
// emulator forgets it (it vanished from the log before).
func TestForgottenCeremonyIsAudited(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, Config{AccessKey: "k-test-123", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/api/v1/users/enroll", strings.NewReader(`{"username":"ann","displayName":"Ann","channel":"fido2"}`))
	req.Header.Set("Authorization", "Bearer k-test-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("enroll: %v %v", resp, err)
	}
	resp.Body.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneTxns(time.Now().Add(time.Hour))
	if len(s.txns) != 0 {
		t.Fatalf("%d transactions kept", len(s.txns))
	}
	for _, e := range s.journal {
		if e.Event == evRegistration && e.Status == stateFailed && e.Username == "ann" && e.UserID != "" {
			return
		}
	}
	t.Errorf("no failed registration in %+v", s.journal)
}
