package emulator

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/internal/testauthn"
)

// seedUsers adds n users with one (fake) authenticator each, straight into
// the store: enrolling them over HTTP would only make the setup slow.
func seedUsers(s *Server, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now().UTC()
	for i := range n {
		u := &userRec{ID: uuid.NewString(), Username: fmt.Sprintf("seed-%d", i), Status: userStatusNew, CreatedAt: now, UpdatedAt: now}
		s.store.addUser(u)
		id := make([]byte, 32)
		rand.Read(id)
		s.store.addAuthenticator(u, &authRec{
			ID: uuid.NewString(), UserID: u.ID, Name: "seed", Type: documentedFIDO2Platform, AuthenticatorType: documentedAuthenticatorType,
			State: authStateActive, EnrolledAt: now, Credential: webauthn.Credential{ID: id},
		})
	}
}

// BenchmarkEmulatorEnroll measures complete enroll ceremonies (enroll,
// make credential with the test helper authenticator, post the
// attestation, read the status) over loopback HTTP with 10000 users already
// enrolled; BenchmarkEmulatorEnrollBaseline is the same with 10 users. The
// rate should be flat in the number of users (.ci/benchratio divides the
// two) and at least 500 ceremonies/s.
func BenchmarkEmulatorEnroll(b *testing.B) { benchEmulatorEnroll(b, 10000) }

// BenchmarkEmulatorEnrollBaseline is BenchmarkEmulatorEnroll with 10 users.
func BenchmarkEmulatorEnrollBaseline(b *testing.B) { benchEmulatorEnroll(b, 10) }

func benchEmulatorEnroll(b *testing.B, users int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Start(ctx, Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	seedUsers(srv, users)
	c, err := cloud.New(cloud.Config{InstanceURL: srv.URL(), Origin: srv.Origin(), AccessKey: cloud.NewSecret(srv.AccessKey())})
	if err != nil {
		b.Fatal(err)
	}
	key := testauthn.New(testauthn.FormatNone)
	b.ReportAllocs()
	start := time.Now()
	i := 0
	for b.Loop() {
		res, err := testauthn.Enroll(ctx, c, key, cloud.EnrollRequest{Username: fmt.Sprintf("bench-%d", i)}, nil)
		if err != nil || res.Status.Status != cloud.StatusSucceeded {
			b.Fatalf("ceremony %d: %v", i, err)
		}
		i++
	}
	b.ReportMetric(float64(i)/time.Since(start).Seconds(), "ceremonies/s")
}
