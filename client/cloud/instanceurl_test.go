package cloud_test

import (
	"context"
	"testing"

	"github.com/keydesk/keydesk/client/cloud"
)

// TestInstanceURLAsTheConsoleShowsIt: the Management Console shows the API
// endpoint base URL, ending in /api/v1 (the API reference's base URL
// https://{instance}.mauth.nevis.cloud/api/v1); pasted with or without a
// trailing slash it is the same instance, and calls reach it.
func TestInstanceURLAsTheConsoleShowsIt(t *testing.T) {
	for in, want := range map[string]string{
		"https://acme.mauth.nevis.cloud":          "https://acme.mauth.nevis.cloud",
		"https://acme.mauth.nevis.cloud/":         "https://acme.mauth.nevis.cloud",
		"https://acme.mauth.nevis.cloud/api/v1":   "https://acme.mauth.nevis.cloud",
		"https://acme.mauth.nevis.cloud/api/v1/":  "https://acme.mauth.nevis.cloud",
		"https://acme.mauth.nevis.cloud/api/v1//": "https://acme.mauth.nevis.cloud",
		"HTTPS://acme.mauth.nevis.cloud/api/v1/":  "https://acme.mauth.nevis.cloud",
		"https://gw.example.com/nevis/api/v1":     "https://gw.example.com/nevis",
	} {
		u, err := cloud.ValidateInstanceURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ValidateInstanceURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	srv, _ := startEmulator(t)
	c, err := cloud.New(cloud.Config{InstanceURL: srv.URL() + "/api/v1/", Origin: srv.Origin(), AccessKey: cloud.NewSecret(plantedKey)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Enroll(context.Background(), cloud.EnrollRequest{Username: "ivo", DisplayName: "Ivo"}); err != nil {
		t.Fatalf("enroll through the console's URL: %v", err)
	}
}
