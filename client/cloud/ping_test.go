package cloud_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
)

// TestPingThenCheckAccessKey: the connection test is the documented
// GET {instance}/ping, then an authenticated read that changes nothing
// (GET /api/v1/users/{nil UUID}: 404 means the key was accepted). A wrong
// key passes the ping and fails the second call with 401; an unreachable
// or failing instance fails the ping.
func TestPingThenCheckAccessKey(t *testing.T) {
	srv, c := startEmulator(t)
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	if err := c.CheckAccessKey(ctx); err != nil {
		t.Fatalf("check access key: %v", err)
	}
	var paths []string
	for _, q := range srv.Requests() {
		paths = append(paths, q.Method+" "+q.Path)
	}
	if len(paths) != 2 || paths[0] != "GET /ping" || paths[1] != "GET /api/v1/users/"+cloud.NilUUID {
		t.Fatalf("requests %v", paths)
	}
	wrong, err := cloud.New(cloud.Config{InstanceURL: srv.URL(), AccessKey: cloud.NewSecret("not-the-key")})
	if err != nil {
		t.Fatal(err)
	}
	if err := wrong.Ping(ctx); err != nil {
		t.Fatalf("ping with a wrong key: %v", err)
	}
	var ae *cloud.APIError
	if err := wrong.CheckAccessKey(ctx); !errors.As(err, &ae) || ae.HTTPStatus != http.StatusUnauthorized {
		t.Fatalf("a wrong key: %v", err)
	}
	srv.FailNext(emulator.EndpointPing, emulator.CloudError(503, "unavailable", "down"))
	srv.FailNext(emulator.EndpointPing, emulator.CloudError(503, "unavailable", "down"))
	srv.FailNext(emulator.EndpointPing, emulator.CloudError(503, "unavailable", "down"))
	srv.FailNext(emulator.EndpointPing, emulator.CloudError(503, "unavailable", "down"))
	if err := c.Ping(ctx); !errors.As(err, &ae) || ae.HTTPStatus != 503 {
		t.Fatalf("ping of a failing instance: %v", err)
	}
}
