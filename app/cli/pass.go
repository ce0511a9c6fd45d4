package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/atomicfile"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/pass"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
)

// Enrollment passes (issue 14; client/pass):
//
//	keydesk pass issue --user NAME [--display-name NAME] [--approve] [--expires 72h] [--out FILE|-] [--demo] [--json]
//	keydesk pass issue --handoff --user NAME [--display-name NAME] [--out FILE|-] [--json]
//	keydesk pass issue --users users.csv --out DIR [--approve] [--expires 72h] [--demo] [--json]
//	keydesk pass list [--demo] [--json]
//	keydesk enroll --pass FILE|-      keydesk approve --pass FILE|-
//
// A helpdesk station (the access key) issues; a user desktop or a kiosk
// redeems without ever reading the access key (cloud.NewPassHolder).

func init() {
	register(Command{Name: "pass", Summary: wordSummaryPass.en, Run: runPass})
}

// The sub-commands' names, as typed.
const (
	cmdPassIssue = "pass issue"
	cmdPassList  = "pass list"
)

// The files of the station's own records, in the config folder (0600).
const (
	issuedPassesFile   = "issued-passes.json"
	redeemedPassesFile = "redeemed-passes.json"
)

// DefaultPassExpiry is how long a pass is valid unless --expires says
// otherwise; MaxPassExpiry the longest a helpdesk may choose.
const (
	DefaultPassExpiry = 72 * time.Hour
	MaxPassExpiry     = 30 * 24 * time.Hour
)

func runPass(args []string, s IO) int {
	if code, done := subHelp("pass", args, s); done {
		return code
	}
	switch args[0] {
	case "issue":
		return runPassIssue(args[1:], s)
	case "list":
		return runPassList(args[1:], s)
	}
	return usageFail(s, wordPassUnknownSub.err(args[0]))
}

// issuedPass is one entry of the helpdesk station's record: never the
// pass or a token.
type issuedPass struct {
	ID         string           `json:"passId"`
	Kind       pass.Kind        `json:"kind"`
	Username   string           `json:"username"`
	Operations []pass.Operation `json:"operations"`
	Instance   string           `json:"instance"`
	Issued     time.Time        `json:"issued"`
	Expires    time.Time        `json:"expires"`
	// File is where the pass was written ("" for standard output).
	File string `json:"file,omitempty"`
	// Redeemed (pass list only): whether the user has an authenticator
	// enrolled since the pass was issued; absent when the station could
	// not look the user up.
	Redeemed *bool `json:"redeemed,omitempty"`
	// Pass is the pass text, only in `pass issue --json` to standard
	// output.
	Pass string `json:"pass,omitempty"`
}

func recordPath(name string) (string, error) {
	d, err := config.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, name), nil
}

func loadIssued() ([]issuedPass, error) {
	p, err := recordPath(issuedPassesFile)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []issuedPass
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, wordPassRecordUnreadable.err(p)
	}
	return out, nil
}

func saveJSONRecord(name string, v any) error {
	p, err := recordPath(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(p, append(b, '\n'), 0o600)
}

func appendIssued(rec issuedPass) error {
	all, err := loadIssued()
	if err != nil {
		return err
	}
	rec.Pass, rec.Redeemed = "", nil
	return saveJSONRecord(issuedPassesFile, append(all, rec))
}

func runPassIssue(args []string, s IO) int {
	fs := newFlagSet(cmdPassIssue, s)
	user := fs.String("user", "", wordFlagPassUser.en)
	users := fs.String("users", "", wordFlagPassUsers.en)
	display := fs.String("display-name", "", wordFlagCeremonyDisplayName.en)
	approve := fs.Bool("approve", false, wordFlagPassApprove.en)
	expires := fs.Duration("expires", DefaultPassExpiry, wordFlagPassExpires.en)
	out := fs.String("out", "", wordFlagPassOut.en)
	handoff := fs.Bool("handoff", false, wordFlagPassHandoff.en)
	var d deviceFlags
	fs.BoolVar(&d.demo, "demo", false, wordFlagDevicesDemo.en)
	fs.BoolVar(&d.json, "json", false, wordFlagDevicesJson.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return usageFail(s, wordUnexpectedArg.err(cmdPassIssue, fs.Arg(0)))
	case (*user == "") == (*users == ""):
		return usageFail(s, wordPassUserOrUsers.err())
	case *users != "" && (*out == "" || *out == "-"):
		return usageFail(s, wordPassUsersNeedsDir.err())
	case *users != "" && *display != "":
		return usageFail(s, wordPassUsersNoDisplay.err())
	case *expires <= 0 || *expires > MaxPassExpiry:
		return usageFail(s, wordPassExpiresRange.err(MaxPassExpiry))
	case *handoff && (*users != "" || *approve || flagSet(fs, "expires")):
		return usageFail(s, wordPassHandoffAlone.err())
	}
	if ext := strings.ToLower(filepath.Ext(*out)); *users == "" && (ext == ".png" || ext == ".pdf") {
		return usageFail(s, wordPassNoLetterYet.err(ext))
	}
	// Issuing a pass takes the access key: a helpdesk station's (or the
	// demo's) work, refused on a user desktop or kiosk before any call.
	if err := needUsernameStation(s, cmdPassIssue, d.demo); err != nil {
		return fail(s, err)
	}
	var people [][2]string
	if *users != "" {
		list, err := readUsersCSV(*users)
		if err != nil {
			return fail(s, err)
		}
		people = list
	} else {
		if err := checkPerson(*user, *display); err != nil {
			return fail(s, err)
		}
	}

	ctx, cancel := signalContext()
	defer cancel()
	sess, err := openSession(ctx, s, d)
	if err != nil {
		return fail(s, err)
	}
	defer sess.stop()
	instance := pass.DemoInstance
	if !sess.demo {
		instance = sess.client.Config().InstanceURL
	}
	if *handoff && sess.demo {
		// The demo's emulator keeps a started enrollment only while it
		// runs, and each command runs its own.
		return fail(s, wordPassHandoffNoDemo.err())
	}
	iss := issuer{cl: sess.client, instance: instance, approve: *approve, ttl: *expires}
	if *users != "" {
		return iss.bulk(ctx, s, people, *out)
	}
	var p *pass.Pass
	if *handoff {
		p, err = ceremony.StartHandoff(ctx, sess.client, instance, *user, *display)
	} else {
		p, err = iss.issue(ctx, *user, *display)
	}
	var we *wordError
	if errors.As(err, &we) {
		return fail(s, err) // KeyDesk's own words say what to do
	}
	if err != nil {
		return cloudFail(s, err)
	}
	rec := recordOf(p)
	if *out != "" && *out != "-" {
		if err := writePassFile(*out, p); err != nil {
			return fail(s, err)
		}
		rec.File = *out
	}
	if err := appendIssued(rec); err != nil {
		fmt.Fprint(s.Err, wordPassRecordNotSaved.f(localText(err)))
	}
	toStdout := *out == "" || *out == "-"
	if d.json {
		if toStdout {
			rec.Pass = p.Encode()
		}
		return writeJSON(s.Out, rec)
	}
	summary := wordPassIssued.f(p.ID(), safetext.Escape(p.Username), opsWords(p.Operations()), localTime(p.Expires))
	if toStdout {
		fmt.Fprintln(s.Out, p.Encode())
		fmt.Fprint(s.Err, summary)
	} else {
		fmt.Fprint(s.Out, summary)
		fmt.Fprint(s.Out, wordPassWritten.f(*out))
	}
	fmt.Fprintln(s.Err, wordPassTreatLikePassword)
	return 0
}

// checkPerson applies the Cloud's rules for names before anything is
// asked (ceremony.CheckUsername, CheckDisplayName).
func checkPerson(user, display string) error {
	if err := ceremony.CheckUsername(user); err != nil {
		return err
	}
	if display != "" {
		return ceremony.CheckDisplayName(display)
	}
	return nil
}

// issuer asks the Cloud for a person's intent tokens and makes the pass.
type issuer struct {
	cl       *cloud.Client
	instance string
	approve  bool
	ttl      time.Duration
}

func (iss issuer) issue(ctx context.Context, user, display string) (*pass.Pass, error) {
	now := time.Now()
	expires := now.Add(iss.ttl)
	enr, err := iss.cl.IssueIntent(ctx, cloud.IntentRequest{Username: user, Operation: cloud.OperationEnroll})
	if err != nil {
		return nil, err
	}
	// Never promise longer than the token itself states (the docs call
	// intent tokens "short-living" without a number).
	if !enr.ExpiresAt.IsZero() && enr.ExpiresAt.Before(expires) {
		expires = enr.ExpiresAt
	}
	f := pass.Fields{Instance: iss.instance, Username: user, DisplayName: display, EnrollToken: string(enr.Token), Issued: now, Expires: expires}
	if iss.approve {
		apr, err := iss.cl.IssueIntent(ctx, cloud.IntentRequest{Username: user, Operation: cloud.OperationApprove})
		var ae *cloud.APIError
		if errors.As(err, &ae) && ae.HTTPStatus == http.StatusNotFound {
			// The intent page: approve is "to sign a transaction for
			// existing users".
			return nil, wordPassApproveNeedsUser.err(user)
		}
		if err != nil {
			return nil, err
		}
		if !apr.ExpiresAt.IsZero() && apr.ExpiresAt.Before(f.Expires) {
			f.Expires = apr.ExpiresAt
		}
		f.ApproveToken = string(apr.Token)
	}
	return pass.Issue(f)
}

func recordOf(p *pass.Pass) issuedPass {
	return issuedPass{ID: p.ID(), Kind: p.Kind, Username: p.Username, Operations: p.Operations(), Instance: p.Instance, Issued: p.Issued, Expires: p.Expires}
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// writePassFile writes the pass text (0600: it is a secret).
func writePassFile(path string, p *pass.Pass) error {
	return atomicfile.WriteFile(path, []byte(p.Encode()+"\n"), 0o600)
}

// readUsersCSV reads a rollout's list: one person a line, "username" and
// optionally "display name"; a first line starting "username" is a header.
func readUsersCSV(path string) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(io.LimitReader(f, 16<<20))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var out [][2]string
	for line := 1; ; line++ {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, wordPassUsersCSVBad.err(path, line)
		}
		if len(row) == 0 || (len(row) == 1 && strings.TrimSpace(row[0]) == "") {
			continue
		}
		if line == 1 && strings.EqualFold(strings.TrimSpace(row[0]), "username") {
			continue
		}
		p := [2]string{strings.TrimSpace(row[0])}
		if len(row) > 1 {
			p[1] = strings.TrimSpace(row[1])
		}
		if err := checkPerson(p[0], p[1]); err != nil {
			return nil, wordPassUsersCSVLine.err(path, line, localText(err))
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, wordPassUsersCSVEmpty.err(path)
	}
	return out, nil
}

// bulk issues one pass per person into dir (USERNAME.pass, 0600) and
// writes dir/summary.csv: username, pass id, expiry, and the error of a
// person who got none; never a token.
func (iss issuer) bulk(ctx context.Context, s IO, people [][2]string, dir string) int {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fail(s, err)
	}
	var sum strings.Builder
	w := csv.NewWriter(&sum)
	w.Write([]string{"username", "passId", "expires", "error"})
	var recs []issuedPass
	failed := 0
	for _, person := range people {
		p, err := iss.issue(ctx, person[0], person[1])
		if err == nil {
			file := filepath.Join(dir, person[0]+".pass")
			if err = writePassFile(file, p); err == nil {
				rec := recordOf(p)
				rec.File = file
				recs = append(recs, rec)
				if rerr := appendIssued(rec); rerr != nil {
					fmt.Fprint(s.Err, wordPassRecordNotSaved.f(localText(rerr)))
				}
				w.Write([]string{p.Username, p.ID(), p.Expires.UTC().Format(time.RFC3339), ""})
				continue
			}
		}
		failed++
		code, _ := result.CodeOf(err)
		if code.IsZero() {
			code = ceremony.CauseOf(err)
		}
		w.Write([]string{person[0], "", "", code.String()})
		fmt.Fprint(s.Err, wordPassBulkFailed.f(person[0], explainError(result.Wrap(code, err))))
	}
	w.Flush()
	if err := atomicfile.WriteFile(filepath.Join(dir, "summary.csv"), []byte(sum.String()), 0o600); err != nil {
		return fail(s, err)
	}
	if s.json {
		writeJSON(s.Out, map[string]any{"issued": recs, "failed": failed, "summary": filepath.Join(dir, "summary.csv")})
	} else {
		fmt.Fprint(s.Out, wordPassBulkDone.f(len(recs), dir, failed))
	}
	fmt.Fprintln(s.Err, wordPassTreatLikePassword)
	if failed > 0 {
		return 1
	}
	return 0
}

func runPassList(args []string, s IO) int {
	fs := newFlagSet(cmdPassList, s)
	var d deviceFlags
	fs.BoolVar(&d.demo, "demo", false, wordFlagDevicesDemo.en)
	fs.BoolVar(&d.json, "json", false, wordFlagDevicesJson.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageFail(s, wordUnexpectedArg.err(cmdPassList, fs.Arg(0)))
	}
	recs, err := loadIssued()
	if err != nil {
		return fail(s, err)
	}
	if len(recs) > 0 {
		ctx, cancel := signalContext()
		defer cancel()
		// Redeemed is known only where the users can be looked up: a
		// helpdesk station with the access key (or the demo).
		if sess, err := openSession(ctx, s, d); err == nil {
			defer sess.stop()
			for i := range recs {
				recs[i].Redeemed = redeemedSince(ctx, sess.client, recs[i])
			}
		} else {
			fmt.Fprint(s.Err, wordPassListNoLookup.f(localText(err)))
		}
	}
	if d.json {
		if recs == nil {
			recs = []issuedPass{}
		}
		return writeJSON(s.Out, recs)
	}
	if len(recs) == 0 {
		fmt.Fprintln(s.Out, wordPassListEmpty)
		return 0
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, wordPassListHeader)
	for _, r := range recs {
		state := wordPassUnknown.String()
		if r.Redeemed != nil {
			state = wordPassOpen.String()
			if *r.Redeemed {
				state = wordPassRedeemed.String()
			}
		}
		if time.Now().After(r.Expires) && (r.Redeemed == nil || !*r.Redeemed) {
			state = wordPassExpired.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, safetext.Escape(r.Username), opsWords(r.Operations),
			localTime(r.Issued), localTime(r.Expires), state)
	}
	tw.Flush()
	return 0
}

// redeemedSince looks the user up: a new authenticator enrolled since the
// pass was issued means it was redeemed (the helpdesk's confirmation of a
// pass holder's enrollment). Nil when the lookup fails.
func redeemedSince(ctx context.Context, cl *cloud.Client, r issuedPass) *bool {
	no := false
	u, err := cl.LookupUser(ctx, r.Username)
	if errors.Is(err, cloud.ErrUserNotFound) {
		return &no
	}
	if err != nil {
		return nil
	}
	for _, a := range u.Authenticators {
		t, err := time.Parse(time.RFC3339Nano, a.EnrolledAt)
		if err == nil && !t.Before(r.Issued) {
			yes := true
			return &yes
		}
	}
	return &no
}

func opsWords(ops []pass.Operation) string {
	var out []string
	for _, op := range ops {
		if op == pass.Approve {
			out = append(out, wordPassOpApprove.String())
		} else {
			out = append(out, wordPassOpEnroll.String())
		}
	}
	return strings.Join(out, ", ")
}

func localTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04 MST") }

// readPass reads a pass from a file or, for "-", the first line of
// standard input (byte by byte, so that PINs on the following lines are
// left for the prompt).
func readPass(s IO, from string) (*pass.Pass, error) {
	if from == "-" {
		var b []byte
		one := make([]byte, 1)
		for len(b) <= pass.MaxLen+64 {
			n, err := s.In.Read(one)
			if n == 1 {
				if one[0] == '\n' {
					break
				}
				b = append(b, one[0])
			}
			if err != nil {
				break
			}
		}
		return pass.Decode(string(b))
	}
	f, err := os.Open(from)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, pass.MaxLen+65))
	if err != nil {
		return nil, err
	}
	return pass.Decode(string(b))
}

// openPassSession is the session of a pass holder: the configured
// instance, or the demo's emulator, reached with cloud.NewPassHolder. It
// never reads the access key (no config.CloudConfig, no keyring, no
// KEYDESK_ACCESS_KEY). instance is what the pass is checked against.
func openPassSession(ctx context.Context, s IO, d deviceFlags, p *pass.Pass) (sess *session, instance string, err error) {
	settings, err := config.Load()
	if err != nil {
		return nil, "", err
	}
	if d.demo || !settings.Configured() {
		if d.demo && settings.Configured() {
			fmt.Fprint(s.Err, wordDemoInstead.f(settings.InstanceURL))
		}
		env, err := startDemoEnv(ctx, demo.Options{})
		if err != nil {
			return nil, "", err
		}
		hc, err := cloud.NewPassHolder(ceremony.PassHolderConfig(p, env.Cloud.URL(), env.Cloud.Origin()))
		if err != nil {
			env.Close()
			return nil, "", err
		}
		if d.device == "" {
			d.device = env.Key.Path()
		}
		return &session{cloud: hc, client: hc, device: d, stop: env.Close, demo: true, roots: env.AttestationRoots()}, pass.DemoInstance, nil
	}
	if err := settings.Validate(); err != nil {
		return nil, "", err
	}
	var opts []cloud.Option
	if settings.RequestTimeoutSeconds > 0 {
		opts = append(opts, cloud.WithTimeout(time.Duration(settings.RequestTimeoutSeconds)*time.Second))
	}
	hc, err := cloud.NewPassHolder(ceremony.PassHolderConfig(p, settings.InstanceURL, settings.Origin), opts...)
	if err != nil {
		return nil, "", err
	}
	return &session{cloud: hc, client: hc, device: d, stop: func() {}}, settings.InstanceURL, nil
}

// runPassCeremony is `enroll --pass` and `approve --pass`.
func runPassCeremony(s IO, d deviceFlags, kind ceremony.Kind, from, keyName string) int {
	p, err := readPass(s, from)
	if err != nil {
		return fail(s, err)
	}
	op := pass.Enroll
	if kind == ceremony.KindSignIn {
		op = pass.Approve
	}
	var instance string
	open := func(ctx context.Context) (*session, error) {
		sess, inst, err := openPassSession(ctx, s, d, p)
		instance = inst
		return sess, err
	}
	code := runCeremonyWith(s, d, kind, open, func(r *ceremony.Runner) *ceremony.Result {
		ctx, cancel := signalContext()
		defer cancel()
		in := ceremony.PassInput{Pass: p, Instance: instance, FriendlyName: keyName,
			Redeemed: func(id string) bool { return redeemedHere(id, op) }}
		var res *ceremony.Result
		if kind == ceremony.KindSignIn {
			res = r.ApproveWithPass(ctx, in)
		} else {
			res = r.EnrollWithPass(ctx, in)
		}
		if tokenSpent(res) {
			if err := markRedeemed(p.ID(), op); err != nil {
				fmt.Fprint(s.Err, wordPassRecordNotSaved.f(localText(err)))
			}
		}
		return res
	})
	return code
}

// tokenSpent: the Cloud accepted the pass's token (its one use is gone).
func tokenSpent(res *ceremony.Result) bool {
	for _, st := range res.Steps {
		if (st.Name == ceremony.StepStartEnrollment || st.Name == ceremony.StepStartApproval) && st.OK() {
			return true
		}
	}
	return false
}

// redeemedPass is an entry of the station's own record of passes redeemed
// here (pass ID and operation only).
type redeemedPass struct {
	ID        string         `json:"passId"`
	Operation pass.Operation `json:"operation"`
	At        time.Time      `json:"at"`
}

func loadRedeemed() []redeemedPass {
	p, err := recordPath(redeemedPassesFile)
	if err != nil {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	var out []redeemedPass
	_ = json.Unmarshal(b, &out)
	return out
}

func redeemedHere(id string, op pass.Operation) bool {
	return slices.ContainsFunc(loadRedeemed(), func(r redeemedPass) bool { return r.ID == id && r.Operation == op })
}

func markRedeemed(id string, op pass.Operation) error {
	all := loadRedeemed()
	if len(all) > 1000 {
		all = all[len(all)-1000:]
	}
	return saveJSONRecord(redeemedPassesFile, append(all, redeemedPass{ID: id, Operation: op, At: time.Now().UTC()}))
}
