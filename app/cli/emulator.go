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
		Summary: "run the Authentication Cloud emulator on loopback (for integrators' tests)",
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
	addr := fs.String("addr", demo.EmulatorAddr, "listen `address`; loopback only (127.0.0.1, ::1, localhost)")
	state := fs.String("state", "", "keep users and keys in this JSON `file` across runs")
	origin := fs.String("origin", demo.EmulatorOrigin, "the `origin` the WebAuthn client must claim")
	rpName := fs.String("rp-name", demo.EmulatorRPName, "relying party `name` in the creation options")
	rpStyle := fs.String("rp-style", demo.EmulatorRPStyleDocs, "the creation options' relying party member: `relyingParty` (as the Cloud's docs show) or rp (as its sample apps read it)")
	asJSON := fs.Bool("json", false, "print where the emulator listens as one JSON object")
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageFail(s, fmt.Sprintf("keydesk emulator: unexpected argument %q", fs.Arg(0)))
	}
	if *rpStyle != demo.EmulatorRPStyleDocs && *rpStyle != demo.EmulatorRPStyleSamples {
		return usageFail(s, fmt.Sprintf("keydesk emulator: --rp-style %q: want %s or %s", *rpStyle, demo.EmulatorRPStyleDocs, demo.EmulatorRPStyleSamples))
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
		return fail(s, fmt.Errorf("emulator: %w", err))
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
	fmt.Fprintf(s.Out, "Authentication Cloud emulator listening\n")
	fmt.Fprintf(s.Out, "  instance URL: %s\n", srv.URL())
	fmt.Fprintf(s.Out, "  API base:     %s/api/v1\n", srv.URL())
	fmt.Fprintf(s.Out, "  origin:       %s (RP ID %s)\n", srv.Origin(), srv.RPID())
	if generated {
		fmt.Fprintf(s.Out, "  access key:   %s\n", srv.AccessKey())
		fmt.Fprintf(s.Out, "                (generated for this run: a local test key, not a Cloud key;\n")
		fmt.Fprintf(s.Out, "                 set KEYDESK_ACCESS_KEY to choose one)\n")
	} else {
		fmt.Fprintf(s.Out, "  access key:   from KEYDESK_ACCESS_KEY\n")
	}
	if *state != "" {
		fmt.Fprintf(s.Out, "  state file:   %s\n", *state)
	}
	fmt.Fprintf(s.Out, "Press Ctrl-C to stop.\n")

	<-ctx.Done()
	srv.Close()
	fmt.Fprintln(s.Out, "emulator stopped")
	return 0
}
