package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/keydesk/keydesk/app/demo"
)

func init() {
	register(Command{
		Name:    "emulator",
		Summary: wordSummaryEmulator.en,
		Run: func(args []string, s IO) int {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runEmulator(ctx, args, s)
		},
	})
}

// runEmulator serves until ctx ends (SIGINT or SIGTERM from the command).
//
// The emulator's access key comes from KEYDESK_ACCESS_KEY; without it a
// random key is generated and printed. Printing it is deliberate and
// confined to this command: it is the emulator's own local test key, valid
// only against this process on loopback, never a Cloud credential, and the
// integrator needs it to call the emulator.
func runEmulator(ctx context.Context, args []string, s IO) int {
	fs := newFlagSet("emulator", s)
	addr := fs.String("addr", demo.EmulatorAddr, wordFlagEmulatorAddr.en)
	state := fs.String("state", "", wordFlagEmulatorState.en)
	origin := fs.String("origin", demo.EmulatorOrigin, wordFlagEmulatorOrigin.en)
	rpName := fs.String("rp-name", demo.EmulatorRPName, wordFlagEmulatorRpName.en)
	rpStyle := fs.String("rp-style", demo.EmulatorRPStyleDocs, wordFlagEmulatorRpStyle.en)
	asJSON := fs.Bool("json", false, wordFlagEmulatorJson.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageFail(s, wordUnexpectedArg.err("emulator", fs.Arg(0)))
	}
	if *rpStyle != demo.EmulatorRPStyleDocs && *rpStyle != demo.EmulatorRPStyleSamples {
		return usageFail(s, wordEmulatorBadRPStyle.err(*rpStyle, demo.EmulatorRPStyleDocs, demo.EmulatorRPStyleSamples))
	}
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	key := strings.TrimSpace(getenv("KEYDESK_ACCESS_KEY"))
	generated := key == ""

	srv, err := demo.StartEmulator(ctx, demo.EmulatorConfig{
		Addr: *addr, AccessKey: key, Origin: *origin, RPName: *rpName, StateFile: *state, RPStyle: *rpStyle,
	})
	if err != nil {
		return fail(s, wordEmulatorFailed.err(err))
	}
	if *asJSON {
		info := map[string]string{"instanceURL": srv.URL(), "apiBase": srv.URL() + "/api/v1",
			"origin": srv.Origin(), "rpId": srv.RPID(), "stateFile": *state}
		if generated {
			// The generated local test key, printed as in the text form.
			info["accessKey"] = srv.AccessKey()
		}
		writeJSON(s.Out, info)
		<-ctx.Done()
		srv.Close()
		return 0
	}
	fmt.Fprint(s.Out, wordEmulatorListening)
	fmt.Fprint(s.Out, wordEmulatorURL.f(srv.URL()))
	fmt.Fprint(s.Out, wordEmulatorAPI.f(srv.URL()))
	fmt.Fprint(s.Out, wordEmulatorOrigin.f(srv.Origin(), srv.RPID()))
	if generated {
		fmt.Fprint(s.Out, wordEmulatorKey.f(srv.AccessKey()))
		fmt.Fprint(s.Out, wordEmulatorKeyMade)
	} else {
		fmt.Fprint(s.Out, wordEmulatorKeyEnv)
	}
	if *state != "" {
		fmt.Fprint(s.Out, wordEmulatorState.f(*state))
	}
	fmt.Fprint(s.Out, wordEmulatorStop)

	<-ctx.Done()
	srv.Close()
	fmt.Fprintln(s.Out, wordEmulatorDone)
	return 0
}
