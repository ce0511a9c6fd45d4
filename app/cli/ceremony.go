package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

func init() {
	register(Command{Name: "enroll", Summary: "register a security key for a user at the Authentication Cloud", Run: runEnroll})
	register(Command{Name: "approve", Summary: "sign a user in with a security key (test sign-in)", Run: runApprove})
}

// ceremonyReport is what enroll/approve print with --json: the
// fido2-client result object (token redacted) and the diagnosis.
type ceremonyReport struct {
	Result      result.Outcome `json:"result"`
	Cause       string         `json:"cause,omitempty"`
	Explanation string         `json:"explanation,omitempty"`
	UserText    string         `json:"whatToDo,omitempty"`
	UserID      string         `json:"userId,omitempty"`
	// Username is the account the ceremony ran for (for a usernameless
	// sign-in: the one that signed in).
	Username string `json:"username,omitempty"`
	// MayBeRegistered: the enrollment failed after the Cloud accepted the
	// credential, so the key may already be registered.
	MayBeRegistered bool            `json:"mayBeRegistered,omitempty"`
	Timeline        []ceremony.Step `json:"timeline"`
	// Error is set on failure: the {"error": …} shape every command's
	// --json failure has, next to the result object.
	Error *jsonError `json:"error,omitempty"`
}

func runEnroll(args []string, s IO) int {
	fs := newFlagSet("enroll", s)
	var d deviceFlags
	d.bind(fs)
	user := fs.String("user", "", "the `username` to enroll (required)")
	display := fs.String("display-name", "", "the user's display `name`")
	name := fs.String("key-name", "", "a `name` for the key at the Cloud (default: the key's product name)")
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if *user == "" {
		return usageFail(s, "keydesk enroll: --user is required")
	}
	return runCeremony(s, d, ceremony.KindEnroll, func(r *ceremony.Runner) *ceremony.Result {
		ctx, cancel := signalContext()
		defer cancel()
		return r.Enroll(ctx, ceremony.EnrollInput{Username: *user, DisplayName: *display, FriendlyName: *name})
	})
}

func runApprove(args []string, s IO) int {
	fs := newFlagSet("approve", s)
	var d deviceFlags
	d.bind(fs)
	user := fs.String("user", "", "the `username` to sign in; empty: usernameless, with a credential stored on the key")
	userID := fs.String("user-id", "", "the Cloud's `userId` instead of a username")
	authID := fs.String("authenticator-id", "", "sign in with this one `authenticator` of the user (its authenticatorId at the Cloud)")
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if *authID != "" && *user == "" && *userID == "" {
		return usageFail(s, say("keydesk approve: --authenticator-id needs --user or --user-id"))
	}
	return runCeremony(s, d, ceremony.KindSignIn, func(r *ceremony.Runner) *ceremony.Result {
		ctx, cancel := signalContext()
		defer cancel()
		return r.Approve(ctx, ceremony.ApproveInput{Username: *user, UserID: *userID, AuthenticatorID: *authID})
	})
}

func runCeremony(s IO, d deviceFlags, kind ceremony.Kind, run func(*ceremony.Runner) *ceremony.Result) int {
	ctx, cancel := signalContext()
	defer cancel()
	sess, err := openSession(ctx, s, d)
	if err != nil {
		return fail(s, err)
	}
	defer sess.stop()
	dev, stop, err := pickDevice(s, sess.device)
	if err != nil {
		return fail(s, err)
	}
	defer stop()
	r := &ceremony.Runner{Cloud: sess.cloud, Key: dev, Prompter: termPrompter{s}, UserAgent: "KeyDesk CLI"}
	res := run(r)
	rep := reportOf(ceremony.NewRecord(kind, res), !d.json)
	if rep.Error != nil && res.Err != nil {
		// The failure's own words, where it has them (redacted).
		je := errorReport(res.Err)["error"]
		if !res.Cause.IsZero() {
			je.Code, je.Advice = rep.Error.Code, rep.Error.Advice
		}
		if je.Message == "" {
			je.Message = rep.Error.Message
		}
		rep.Error = &je
	}
	if d.json {
		writeJSON(s.Out, rep)
	} else {
		printCeremony(s.Out, rep)
	}
	if !res.Success() {
		return 1
	}
	return 0
}

// reportOf is the CLI's report of a finished ceremony: the result object,
// and on failure the cause explained (in the CLI's language when local,
// else English, for --json) with the {"error": …} member.
func reportOf(rec ceremony.Record, local bool) ceremonyReport {
	rep := ceremonyReport{Result: rec.Outcome, UserID: rec.UserID, Username: rec.Username,
		MayBeRegistered: rec.AcceptedByCloud, Timeline: rec.Steps}
	if rec.Success() {
		return rep
	}
	e := result.Lookup(rec.Cause)
	if local {
		e = e.In(language())
	}
	rep.Cause, rep.Explanation, rep.UserText = e.Title(), e.Explanation, e.Text(result.User)
	var je jsonError
	if !rec.Cause.IsZero() {
		je.Code, je.Advice = rec.Cause.String(), e.Text(result.User)
	}
	je.Message = e.Message
	if je.Message == "" {
		je.Message = rep.Result.Message
	}
	rep.Error = &je
	return rep
}

// mayBeRegisteredHint follows the cause of an enrollment that failed after
// the Cloud accepted the credential; %s is the username.
const mayBeRegisteredHint = "  The Authentication Cloud accepted the credential, so the key may already be registered.\n  Check with a test sign-in before enrolling it again: keydesk approve --user %s\n"

func printCeremony(w io.Writer, rep ceremonyReport) {
	b, _ := json.MarshalIndent(rep.Result, "", "  ")
	fmt.Fprintln(w, string(b))
	st := result.Lookup(result.Nevis(rep.Result.Code.StatusCode)).In(language())
	fmt.Fprintf(w, "\n%s\n", st.Title())
	if rep.Result.Success && rep.Result.Code.StatusCode == result.SuccessAuthentication.Value && rep.Username != "" {
		// Which account signed in (for a usernameless sign-in, the one the
		// key offered), as the Cloud's status answer names it.
		fmt.Fprintf(w, say("Signed in as: %s (user ID %s)\n"), rep.Username, rep.UserID)
	}
	if rep.Cause != "" {
		fmt.Fprintf(w, say("Cause: %s\n  %s\n  What to do: %s\n"), rep.Cause, rep.Explanation, rep.UserText)
	}
	if rep.MayBeRegistered {
		fmt.Fprintf(w, say(mayBeRegisteredHint), rep.Username)
	}
	fmt.Fprintln(w, say("\nTimeline:"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, st := range rep.Timeline {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", say(st.Name), st.Duration.Round(time.Millisecond), st.Outcome())
	}
	tw.Flush()
}
