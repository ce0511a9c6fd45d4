package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
)

// session is what a ceremony command runs against: the configured
// Authentication Cloud instance and key, or demo mode (emulator + virtual
// key) when nothing is configured or --demo is given. With an instance
// configured (and no --demo) the virtual key never stands in for a missing
// hardware key: pickDevice fails with errNoKey.
type session struct {
	cloud  ceremony.Cloud
	client *cloud.Client
	device deviceFlags
	stop   func()
	demo   bool
	// roots are the relying party's attestation roots when KeyDesk knows
	// them (demo mode): enrollments then show the trust verdict.
	roots *x509.CertPool
}

// startDemoEnv starts the emulator and the virtual key; tests replace it
// to prove demo mode is not entered.
var startDemoEnv = demo.Start

func openSession(ctx context.Context, s IO, d deviceFlags) (*session, error) {
	settings, err := config.Load()
	if err != nil {
		return nil, err
	}
	if d.demo || !settings.Configured() {
		if d.demo && settings.Configured() {
			fmt.Fprint(s.Err, wordDemoInstead.f(settings.InstanceURL))
		}
		env, err := startDemoEnv(ctx, demo.Options{})
		if err != nil {
			return nil, err
		}
		if !d.demo {
			fmt.Fprintln(s.Err, wordDemoNoInstance)
		}
		if d.device == "" {
			d.device = env.Key.Path()
		}
		return &session{cloud: env.Client, client: env.Client, device: d, stop: env.Close, demo: true, roots: env.AttestationRoots()}, nil
	}
	noteIgnoredAccessKey(s, settings.StationKind())
	cfg, opts, err := settings.CloudConfig()
	if errors.Is(err, config.ErrHelpdeskNeedsAccessKey) {
		return nil, result.Errorf(result.CodeNotConfigured, "%w", wordHelpdeskNeedsKey.err())
	}
	if err != nil {
		return nil, err
	}
	cl, err := cloud.New(cfg, opts...)
	if err != nil {
		return nil, err
	}
	return &session{cloud: cl, client: cl, device: d, stop: func() {}}, nil
}
