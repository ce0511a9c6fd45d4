package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
)

func init() {
	register(Command{Name: "devices", Summary: wordSummaryDevices.en, Run: runDevices})
	register(Command{Name: "info", Summary: wordSummaryInfo.en, Run: runInfo})
	register(Command{Name: "pin", Summary: wordSummaryPin.en, Run: runPIN})
	register(Command{Name: "credentials", Summary: wordSummaryCredentials.en, Run: runCredentials})
	register(Command{Name: "reset", Summary: wordSummaryReset.en, Run: runReset})
}

// signalContext ends on the first Ctrl-C (or SIGTERM), so a wait for a
// touch or for a key can be abandoned; the operation on the key is
// cancelled, even one still opening the key. A second Ctrl-C or SIGTERM
// exits at once with status 130, whatever the command waits for (a prompt,
// a key that never answers), with the terminal's echo restored.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	fd := int(os.Stdin.Fd())
	var saved *term.State
	if term.IsTerminal(fd) {
		saved, _ = term.GetState(fd)
	}
	stopped := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-stopped:
			return
		}
		fmt.Fprintln(os.Stderr, wordCancelling)
		cancel(errInterrupted)
		select {
		case <-sigs:
			if saved != nil {
				_ = term.Restore(fd, saved)
			}
			fmt.Fprintln(os.Stderr, wordInterrupted)
			os.Exit(exitInterrupted)
		case <-stopped:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(stopped)
			cancel(context.Canceled)
		})
	}
}

// exitInterrupted is the exit status after a second Ctrl-C: 128 + SIGINT,
// as shells report a process that Ctrl-C ended.
const exitInterrupted = 130

// errInterrupted is why a command's context ended on Ctrl-C or SIGTERM.
var errInterrupted = wordCtrlC.err()

// deviceFlags are the flags every key command shares.
type deviceFlags struct {
	device string
	demo   bool
	json   bool
}

func (d *deviceFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&d.device, "device", "", wordFlagDevicesDevice.en)
	fs.BoolVar(&d.demo, "demo", false, wordFlagDevicesDemo.en)
	fs.BoolVar(&d.json, "json", false, wordFlagDevicesJson.en)
}

// newFlagSet is the flag set of command name. The flag package's own
// words are English: parseFlags writes the help and the errors instead
// (printHelp, flagProblem), in the CLI's language.
func newFlagSet(name string, s IO) *flag.FlagSet {
	fs := flag.NewFlagSet("keydesk "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args; done is true when the command should end with
// code: 0 after -h (the usage was printed), 2 on a bad flag. Flags may come
// before, between or after the positional arguments ("explain 0x31 --json");
// "--" ends the flags, and everything after it is positional. Afterwards
// fs.Args() holds the positional arguments in order.
//
// Under --json a bad flag is also reported as the JSON error shape
// (keydesk:bad-usage) on standard output.
//
// helpArgs fill the fmt verbs of the command's help (helps).
func parseFlags(fs *flag.FlagSet, args []string, s IO, helpArgs ...any) (code int, done bool) {
	var pos []string
	for {
		switch err := fs.Parse(args); {
		case errors.Is(err, flag.ErrHelp):
			printHelp(s.Err, fs, helpArgs...)
			return 0, true
		case err != nil:
			if s.json {
				writeJSON(s.Out, errorReport(result.Errorf(result.CodeBadUsage, "%v", err)))
			}
			fmt.Fprintf(s.Err, "%s: %s\n\n", fs.Name(), flagProblem(err))
			printHelp(s.Err, fs, helpArgs...)
			return 2, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse stops at the first non-flag, or just after a "--",
		// which it consumes.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	// Leave the positional arguments in fs.Args(); "--" keeps one that
	// looks like a flag from being parsed again.
	_ = fs.Parse(append([]string{"--"}, pos...))
	return 0, false
}

// errNoKey is "no security key found" when the virtual key may not stand
// in: an instance is configured and --demo was not given.
var errNoKey = result.New(result.CodeNoKey)

// noKeyHint is printed after "no key found"; errNoKey's own explanation
// already says to plug the key in, so fail prints only noKeyHelp.
func noKeyHint() string {
	return wordPlugIn.String() + "\n" + wordNoKeyHelp.String()
}

// startVirtualKey starts the demo virtual key; tests replace it to prove
// it is not started.
var startVirtualKey = startDemoKey

// virtualKeyAllowed reports whether KeyDesk's virtual key may stand in for
// a missing hardware key: only in demo mode, i.e. with --demo or when no
// instance is configured. A configuration that cannot be read counts as
// configured: a software key must never reach a real Cloud.
func virtualKeyAllowed(d deviceFlags) bool {
	if d.demo {
		return true
	}
	settings, err := config.Load()
	return err == nil && !settings.Configured()
}

// pickDevice returns the key to work on: the one named, the one
// ctap.PickKey chooses (the only one connected, a hardware key before a
// virtual one), or KeyDesk's virtual key in demo mode (--demo, or no instance
// configured) when none is connected. With an instance configured and no
// key connected it returns errNoKey.
func pickDevice(s IO, d deviceFlags) (dev *ctap.Device, stop func(), err error) {
	stop = func() {}
	path := d.device
	if err := checkDevicePath(path); err != nil {
		return nil, stop, err
	}
	// --device names the key itself (it may be one this process cannot
	// list, as a virtual key another process serves); without it the one
	// rule (ctap.PickKey) chooses.
	if path == "" && !d.demo {
		keys, err := ctap.ListDevices()
		if err != nil {
			return nil, stop, err
		}
		k, err := ctap.PickKey(keys, "")
		var several *ctap.SeveralKeysError
		switch {
		case err == nil:
			path = k.Path
		case errors.As(err, &several):
			return nil, stop, result.Errorf(result.CodeSeveralKeys, "%w",
				wordSeveralKeys.err(len(several.Keys), strings.Join(several.Paths(), ", ")))
		case !errors.Is(err, ctap.ErrNoKey):
			return nil, stop, err
		}
	}
	if path == "" {
		if !virtualKeyAllowed(d) {
			return nil, stop, errNoKey
		}
		p, st, err := startVirtualKey()
		if err != nil {
			return nil, stop, wordStartVirtual.err(err)
		}
		fmt.Fprintln(s.Err, wordUsingVirtual)
		path, stop = p, st
	}
	dev, err = ctap.Open(path)
	if err != nil {
		stop()
		return nil, func() {}, err
	}
	return dev, stop, nil
}

// checkDevicePath says so when a --device path names nothing: a /dev path
// whose file does not exist, or a virtual key whose socket is gone (a
// virtual key's path changes every run). libfido2 would only answer
// FIDO_ERR_INTERNAL. Other paths are left to ctap.Open.
func checkDevicePath(path string) error {
	var file string
	switch {
	case strings.HasPrefix(path, "virtual:"):
		file = strings.TrimPrefix(path, "virtual:")
	case strings.HasPrefix(path, "/dev/"):
		file = path
	default:
		return nil
	}
	if _, err := os.Stat(file); err != nil && errors.Is(err, fs.ErrNotExist) || file == "" {
		return result.Errorf(result.CodeNoSuchDevice, "%w", wordNoKeyAt.err(path))
	}
	return nil
}

// keyCommand parses the shared device flags and any extra ones (extra may
// return a check of them, run before the key is opened), opens the key and
// runs fn with it, cancelled on Ctrl-C.
func keyCommand(name string, args []string, s IO, extra func(fs *flag.FlagSet) (check func() int), fn func(ctx context.Context, dev *ctap.Device, d deviceFlags) int) int {
	fs := newFlagSet(name, s)
	var d deviceFlags
	d.bind(fs)
	var check func() int
	if extra != nil {
		check = extra(fs)
	}
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if check != nil {
		if code := check(); code != 0 {
			return code
		}
	} else if fs.NArg() > 0 {
		return usageFail(s, wordUnexpectedArg.err(name, fs.Arg(0)))
	}
	ctx, cancel := signalContext()
	defer cancel()
	dev, stop, err := pickDevice(s, d)
	if err != nil {
		return fail(s, err)
	}
	defer stop()
	return fn(ctx, dev, d)
}

// fail prints an error with its explanation and returns exit code 1.
// Under --json it writes the one error shape every command uses instead:
//
//	{"error": {"code": "keydesk:no-such-device", "message": "…", "advice": "…"}}
func fail(s IO, err error) int {
	if s.json {
		writeJSON(s.Out, errorReport(err))
		return 1
	}
	fmt.Fprint(s.Err, wordFailure.f(explainError(err)))
	if errors.Is(err, errNoKey) {
		fmt.Fprintln(s.Err, wordNoKeyHelp)
	}
	return 1
}

// usageFail reports a usage error (exit 2): err in the CLI's language on
// standard error (localText), or in English in the JSON error shape with
// code keydesk:bad-usage under --json.
func usageFail(s IO, err error) int {
	if s.json {
		writeJSON(s.Out, errorReport(result.Errorf(result.CodeBadUsage, "%s", err.Error())))
		return 2
	}
	fmt.Fprintln(s.Err, localText(err))
	return 2
}

// jsonError is the body of {"error": …}, the one shape failures take
// under --json. Code is "source:value" ("ctap:0x31", "keydesk:no-key"), or
// empty when the error has no result code.
type jsonError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Advice  string `json:"advice,omitempty"`
}

func errorReport(err error) map[string]jsonError {
	c := errorCode(err)
	e := jsonError{Message: result.Redact(err.Error())}
	if !c.IsZero() {
		ent := result.Lookup(c)
		e.Code = c.String()
		e.Advice = ent.Text(result.User)
		var re *result.Error
		if errors.As(err, &re) && re.Detail != "" {
			e.Message = re.Detail
		} else if ent.Message != "" {
			e.Message = ent.Message
		}
	}
	return map[string]jsonError{"error": e}
}

func writeJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return 1
	}
	return 0
}

func runDevices(args []string, s IO) int {
	fs := newFlagSet("devices", s)
	var d deviceFlags
	d.bind(fs)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	keys, err := ctap.ListDevices()
	if err != nil {
		return fail(s, err)
	}
	if (len(keys) == 0 && virtualKeyAllowed(d)) || d.demo {
		_, stop, err := startVirtualKey()
		if err != nil {
			return fail(s, err)
		}
		defer stop()
		if !d.json {
			fmt.Fprintln(s.Err, wordListsVirtual)
		}
		if keys, err = ctap.ListDevices(); err != nil {
			return fail(s, err)
		}
	}
	if len(keys) == 0 && !d.json {
		fmt.Fprintln(s.Err, wordNoKeyFound.String()+"\n"+noKeyHint())
	}
	if d.json {
		if keys == nil {
			keys = []ctap.DeviceDescriptor{}
		}
		return writeJSON(s.Out, keys)
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, wordDevicesHead)
	for _, k := range keys {
		kind := wordHardware
		if k.Virtual {
			kind = wordVirtual
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", safetext.Escape(k.Path), safetext.Escape(k.Manufacturer), safetext.Escape(k.Product), kind)
	}
	tw.Flush()
	return 0
}

// infoReport is `keydesk info`: getInfo plus what KeyDesk derives from it.
type infoReport struct {
	Path       string `json:"path"`
	AAGUID     string `json:"aaguid"`
	PINSet     bool   `json:"pinSet"`
	PINRetries *int   `json:"pinRetries,omitempty"`
	// U2FOnly: a U2F (CTAP1) key, which answers no getInfo (Info is what
	// such a key amounts to, ctap.Info.U2FOnly).
	U2FOnly  bool       `json:"u2fOnly"`
	Supports supports   `json:"supports"`
	Info     *ctap.Info `json:"info"`
}

// supports is what the key offers, by the feature predicates of package
// ctap: the commands offer only that.
type supports struct {
	PIN      bool `json:"pin"`
	CredMgmt bool `json:"credentialManagement"`
	Reset    bool `json:"reset"`
	Config   bool `json:"authenticatorConfig"`
}

func supportsOf(info *ctap.Info) supports {
	return supports{PIN: ctap.PINSupported(info), CredMgmt: ctap.CredMgmtSupported(info),
		Reset: ctap.ResetSupported(info), Config: ctap.ConfigSupported(info)}
}

func runInfo(args []string, s IO) int {
	return keyCommand("info", args, s, nil, func(ctx context.Context, dev *ctap.Device, d deviceFlags) int {
		info, err := dev.Info(ctx)
		if err != nil {
			return fail(s, err)
		}
		rep := infoReport{Path: dev.Path(), AAGUID: info.AAGUIDString(), PINSet: info.PINSet(), U2FOnly: info.U2FOnly(), Supports: supportsOf(info), Info: info}
		if info.PINSet() {
			if n, err := dev.PINRetries(ctx); err == nil {
				rep.PINRetries = &n
			}
		}
		if d.json {
			return writeJSON(s.Out, rep)
		}
		printInfo(s.Out, rep)
		return 0
	})
}

// reported writes a getInfo number, or "not reported" for one the key left
// out (zero: CTAP 2.0 keys have no firmware version and no list limits).
func reported(v uint64, format func(...any) string) string {
	if v == 0 {
		return wordNotReported.String()
	}
	return format(v)
}

func printInfo(w io.Writer, r infoReport) {
	i := r.Info
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k word, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, safetext.Escape(v)) }
	row(wordInfoPath, r.Path)
	if r.U2FOnly {
		row(wordInfoProtocol, wordInfoU2FOnly.String())
	}
	aaguid := r.AAGUID
	if aaguid == "" {
		aaguid = wordNotReported.String() // a U2F key has none
	}
	row(wordInfoAAGUID, aaguid)
	row(wordInfoVersions, strings.Join(i.Versions, ", "))
	row(wordInfoExt, strings.Join(i.Extensions, ", "))
	row(wordInfoTransp, strings.Join(i.Transports, ", "))
	var algs []string
	for _, a := range i.Algorithms {
		algs = append(algs, fmt.Sprintf("%s (%d)", protocol.AlgName(protocol.COSEAlgorithmIdentifier(a)), a))
	}
	row(wordInfoAlgs, strings.Join(algs, ", "))
	var opts []string
	for k, v := range i.Options {
		opts = append(opts, fmt.Sprintf("%s=%t", k, v))
	}
	sort.Strings(opts)
	row(wordInfoOptions, strings.Join(opts, ", "))
	var protos []string
	for _, p := range i.PINUVAuthProtocols {
		protos = append(protos, fmt.Sprint(p))
	}
	row(wordInfoProtocols, strings.Join(protos, ", "))
	switch {
	case !ctap.PINSupported(i):
		row(wordPIN, wordPINNoSupport.String())
	case !r.PINSet:
		row(wordPIN, wordPINNotSet.String())
	case r.PINRetries != nil:
		row(wordPIN, wordRetries.f(plural(*r.PINRetries, wordRetryOne, wordRetryMany)))
	default:
		row(wordPIN, wordPINIsSet.String())
	}
	yesNo := map[bool]string{true: wordYes.String(), false: wordNo.String()}
	row(wordInfoCredMgmt, yesNo[r.Supports.CredMgmt])
	row(wordInfoConfig, yesNo[r.Supports.Config])
	if ctap.PINSupported(i) {
		row(wordInfoMinPIN, fmt.Sprint(max(i.MinPINLength, 4)))
	}
	row(wordInfoMaxMsg, reported(i.MaxMsgSize, fmt.Sprint))
	row(wordInfoMaxList, reported(i.MaxCredentialCountInList, fmt.Sprint))
	row(wordInfoMaxCredID, reported(i.MaxCredentialIDLength, fmt.Sprint))
	if i.RemainingDiscoverableCredentials >= 0 {
		row(wordInfoSlots, fmt.Sprint(i.RemainingDiscoverableCredentials))
	}
	row(wordInfoFirmware, reported(i.FirmwareVersion, func(v ...any) string { return fmt.Sprintf("0x%08x", v...) }))
	if i.ForcePINChange {
		row(wordInfoPINChange, wordYes.String())
	}
	tw.Flush()
}

func runPIN(args []string, s IO) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(s.Err, helpText("pin"))
		return 0
	}
	if len(args) == 0 || (args[0] != "set" && args[0] != "change") {
		return usageFail(s, errors.New(helpText("pin")))
	}
	sub := args[0]
	return keyCommand("pin "+sub, args[1:], s, nil, func(ctx context.Context, dev *ctap.Device, d deviceFlags) int {
		info, err := dev.Info(ctx)
		if err != nil {
			return fail(s, err)
		}
		switch {
		case !ctap.PINSupported(info):
			return failUnsupported(s, wordNoPINSupport, ctap.Unsupported("pin "+sub, wordLacksPIN.String()))
		case sub == "set" && info.PINSet():
			return fail(s, wordHasPIN.err())
		case sub == "change" && !info.PINSet():
			return fail(s, wordHasNoPIN.err())
		}
		var old string
		if sub == "change" {
			if old, err = readKeyPIN(ctx, s, dev, wordCurrentPIN); err != nil {
				return failPIN(ctx, s, dev, err)
			}
		}
		pin, err := readNewPIN(s, max(int(info.MinPINLength), 4))
		if err != nil {
			return fail(s, err)
		}
		if sub == "set" {
			err = dev.SetPIN(ctx, pin)
		} else {
			err = dev.ChangePIN(ctx, old, pin)
		}
		if err != nil {
			return failPIN(ctx, s, dev, err)
		}
		return done(s, d, map[string]word{"set": wordPINSet, "change": wordPINChanged}[sub])
	})
}

// credentialRow is one discoverable credential as the CLI prints it.
type credentialRow struct {
	RPID            string `json:"rpId"`
	ID              string `json:"id"`
	UserName        string `json:"userName"`
	UserDisplayName string `json:"userDisplayName"`
	UserID          string `json:"userId"`
	Algorithm       string `json:"algorithm"`
}

func runCredentials(args []string, s IO) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(s.Err, helpText("credentials"))
		return 0
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "delete") {
		return usageFail(s, errors.New(helpText("credentials")))
	}
	sub := args[0]
	var credID []byte
	idFlag := func(fs *flag.FlagSet) func() int {
		id := fs.String("id", "", wordFlagDevicesId.en)
		return func() int {
			if sub != "delete" {
				return 0
			}
			var err error
			if credID, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(*id, "=")); err != nil || len(credID) == 0 {
				return usageFail(s, wordBadCredID.err())
			}
			return 0
		}
	}
	return keyCommand("credentials "+sub, args[1:], s, idFlag, func(ctx context.Context, dev *ctap.Device, d deviceFlags) int {
		info, err := dev.Info(ctx)
		if err != nil {
			return fail(s, err)
		}
		if !ctap.CredMgmtSupported(info) {
			return failUnsupported(s, wordNoCredMgmt,
				ctap.Unsupported("credentials "+sub, wordLacksCredMgmt.String()))
		}
		if !info.PINSet() {
			return fail(s, wordCredsNeedPIN.err())
		}
		pin, err := readKeyPIN(ctx, s, dev, wordPIN)
		if err != nil {
			return failPIN(ctx, s, dev, err)
		}
		if sub == "delete" {
			if err := dev.DeleteCredential(ctx, credID, pin); err != nil {
				return failPIN(ctx, s, dev, err)
			}
			return done(s, d, wordCredDeleted)
		}
		return listCredentials(ctx, s, dev, pin, d.json)
	})
}

func listCredentials(ctx context.Context, s IO, dev *ctap.Device, pin string, asJSON bool) int {
	slots, err := dev.CredentialSlots(ctx, pin)
	if err != nil {
		return failPIN(ctx, s, dev, err)
	}
	rps, err := dev.RelyingParties(ctx, pin)
	if err != nil {
		return fail(s, err)
	}
	rows := []credentialRow{}
	for _, rp := range rps {
		creds, err := dev.Credentials(ctx, rp.ID, pin)
		if err != nil {
			return fail(s, err)
		}
		for _, c := range creds {
			rows = append(rows, credentialRow{
				RPID: rp.ID, ID: base64.RawURLEncoding.EncodeToString(c.ID),
				UserName: c.User.Name, UserDisplayName: c.User.DisplayName,
				UserID:    base64.RawURLEncoding.EncodeToString(c.User.ID),
				Algorithm: protocol.AlgName(protocol.COSEAlgorithmIdentifier(c.Algorithm)),
			})
		}
	}
	if asJSON {
		return writeJSON(s.Out, map[string]any{"slots": slots, "credentials": rows})
	}
	fmt.Fprint(s.Out, wordSlots.f(plural(int(slots.Existing), wordCredOne, wordCredMany), slots.Remaining))
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	if len(rows) > 0 {
		fmt.Fprintln(tw, wordCredsHead)
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", safetext.Escape(r.RPID), safetext.Escape(r.UserName), safetext.Escape(r.UserDisplayName), r.Algorithm, r.ID)
	}
	tw.Flush()
	return 0
}

func runReset(args []string, s IO) int {
	var yes *bool
	yesFlag := func(fs *flag.FlagSet) func() int {
		yes = fs.Bool("yes", false, wordFlagDevicesYes.en)
		return nil
	}
	return keyCommand("reset", args, s, yesFlag, func(ctx context.Context, dev *ctap.Device, d deviceFlags) int {
		if !*yes {
			fmt.Fprint(s.Err, wordResetConfirm.f(dev.Path()))
			answer, err := readSecretLineFrom(s)
			if err != nil || strings.TrimSpace(answer) != "RESET" {
				return fail(s, result.Errorf(result.CodeCancelled, "%w", wordNotReset.err()))
			}
		}
		// Asked after the confirmation: nothing reaches the key before.
		info, err := dev.Info(ctx)
		if err != nil {
			return fail(s, err)
		}
		if !ctap.ResetSupported(info) {
			return failUnsupported(s, wordNoResetFIDO2, ctap.Unsupported("reset", wordLacksCTAP2.String()))
		}
		if err := dev.Reset(ctx, termPrompter{s}); err != nil {
			if code, _ := ctap.CodeOf(err); code == ctap.StatusNotAllowed {
				fmt.Fprintln(s.Err, wordResetReplug)
			}
			return fail(s, err)
		}
		return done(s, d, wordResetDone)
	})
}

// failUnsupported reports a command the key does not offer (its getInfo
// says so; nothing was sent): why in words, then err with its code.
func failUnsupported(s IO, why word, err error) int {
	if !s.json {
		fmt.Fprintln(s.Err, why)
	}
	return fail(s, err)
}

// done reports a command's success: msg as a line in the CLI's language,
// or under --json {"ok": true, "message": msg} in English.
func done(s IO, d deviceFlags, msg word) int {
	if d.json {
		return writeJSON(s.Out, map[string]any{"ok": true, "message": msg.en})
	}
	fmt.Fprintln(s.Out, msg)
	return 0
}

// plural is "1 credential", "2 credentials", "0 credentials": one or
// many with n filled.
func plural(n int, one, many word) string {
	if n == 1 {
		return one.f(n)
	}
	return many.f(n)
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }
