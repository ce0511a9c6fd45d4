package cli

import (
	"fmt"
	"strings"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
)

func init() {
	register(Command{Name: "settings", Summary: wordSummarySettings.en, Run: runSettings})
}

// settingsReport is what `settings test --json` prints on success.
type settingsReport struct {
	InstanceURL string `json:"instanceUrl"`
	Origin      string `json:"origin,omitempty"`
	Reachable   bool   `json:"reachable"`
	KeyAccepted bool   `json:"accessKeyAccepted"`
}

// runSettings is `keydesk settings test`: the window's "Test connection"
// on the command line. The documented ping proves the instance answers;
// a documented read that changes nothing proves it accepts the access key.
func runSettings(args []string, s IO) int {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if args[0] != "test" {
			return usageFail(s, wordSettingsUnknown.err(args[0]))
		}
		args = args[1:]
	}
	fs := newFlagSet("settings test", s)
	fs.Bool("json", false, wordFlagDevicesJson.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageFail(s, wordSettingsUnknown.err(fs.Arg(0)))
	}
	st, err := config.Load()
	if err != nil {
		return fail(s, err)
	}
	if !st.Configured() {
		return fail(s, result.Errorf(result.CodeNotConfigured, "%s", wordNoInstanceDemoMode.en))
	}
	cfg, opts, err := st.CloudConfig()
	if err != nil {
		return fail(s, err)
	}
	cl, err := cloud.New(cfg, opts...)
	if err != nil {
		return fail(s, err)
	}
	ctx, cancel := signalContext()
	defer cancel()
	rep := settingsReport{InstanceURL: st.InstanceURL, Origin: st.Origin}
	if err := cl.Ping(ctx); err != nil {
		return fail(s, connectionError(err))
	}
	rep.Reachable = true
	if err := cl.CheckAccessKey(ctx); err != nil {
		return fail(s, connectionError(err))
	}
	rep.KeyAccepted = true
	if s.json {
		writeJSON(s.Out, rep)
		return 0
	}
	fmt.Fprint(s.Out, wordConnectionWorks.f(st.InstanceURL))
	return 0
}

// connectionError gives a failed connection test its catalogue code (an
// HTTP status, unreachable, TLS, …), as a ceremony names its cause.
func connectionError(err error) error {
	if _, ok := result.CodeOf(err); ok {
		return err
	}
	if c := ceremony.CauseOf(err); c != result.NoCode && !c.IsZero() {
		return result.Wrap(c, err)
	}
	return err
}
