package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap/protocol"
)

func init() {
	register(Command{Name: "enroll", Summary: wordSummaryEnroll.en, Run: runEnroll})
	register(Command{Name: "approve", Summary: wordSummaryApprove.en, Run: runApprove})
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
	// AttestationTrust is an enrollment's verdict on the key's attestation
	// in demo mode, where the relying party's roots are known.
	AttestationTrust protocol.Trust `json:"attestationTrust,omitempty"`
	// PassID names the enrollment pass the ceremony ran with;
	// NotIntrospected marks a pass holder's success, which the
	// organisation confirms (the token was not introspected).
	PassID          string `json:"passId,omitempty"`
	NotIntrospected bool   `json:"notIntrospected,omitempty"`
	// Error is set on failure: the {"error": …} shape every command's
	// --json failure has, next to the result object.
	Error *jsonError `json:"error,omitempty"`
}

func runEnroll(args []string, s IO) int {
	fs := newFlagSet("enroll", s)
	var d deviceFlags
	d.bind(fs)
	user := fs.String("user", "", wordFlagCeremonyUser.en)
	display := fs.String("display-name", "", wordFlagCeremonyDisplayName.en)
	name := fs.String("key-name", "", wordFlagCeremonyKeyName.en)
	passFrom := fs.String("pass", "", wordFlagCeremonyPass.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if *passFrom != "" {
		// The username comes from the pass only.
		if *user != "" || *display != "" {
			return usageFail(s, wordPassNoUserWithPass.err("enroll"))
		}
		return runPassCeremony(s, d, ceremony.KindEnroll, *passFrom, *name)
	}
	if *user == "" {
		return usageFail(s, wordUserRequired.err())
	}
	// Enrolling a key for a typed username is the helpdesk's power: a user
	// desktop or kiosk refuses before the Cloud or a key is reached.
	if err := needUsernameStation(s, "enroll --user", d.demo); err != nil {
		return fail(s, err)
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
	user := fs.String("user", "", wordFlagCeremonyUser2.en)
	userID := fs.String("user-id", "", wordFlagCeremonyUserId.en)
	authID := fs.String("authenticator-id", "", wordFlagCeremonyAuthenticatorId.en)
	passFrom := fs.String("pass", "", wordFlagCeremonyPass2.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if *passFrom != "" {
		if *user != "" || *userID != "" || *authID != "" {
			return usageFail(s, wordPassNoUserWithPass.err("approve"))
		}
		return runPassCeremony(s, d, ceremony.KindSignIn, *passFrom, "")
	}
	if *authID != "" && *user == "" && *userID == "" {
		return usageFail(s, wordAuthIDNeedsUser.err())
	}
	// Starting a sign-in (POST /approval) takes the access key, which only
	// a helpdesk station holds.
	if err := needUsernameStation(s, "approve", d.demo); err != nil {
		return fail(s, err)
	}
	return runCeremony(s, d, ceremony.KindSignIn, func(r *ceremony.Runner) *ceremony.Result {
		ctx, cancel := signalContext()
		defer cancel()
		return r.Approve(ctx, ceremony.ApproveInput{Username: *user, UserID: *userID, AuthenticatorID: *authID})
	})
}

func runCeremony(s IO, d deviceFlags, kind ceremony.Kind, run func(*ceremony.Runner) *ceremony.Result) int {
	return runCeremonyWith(s, d, kind, func(ctx context.Context) (*session, error) { return openSession(ctx, s, d) }, run)
}

// runCeremonyWith runs a ceremony in the session open gives (a helpdesk
// station's, or a pass holder's: pass.go).
func runCeremonyWith(s IO, d deviceFlags, kind ceremony.Kind, open func(context.Context) (*session, error), run func(*ceremony.Runner) *ceremony.Result) int {
	ctx, cancel := signalContext()
	defer cancel()
	sess, err := open(ctx)
	if err != nil {
		return fail(s, err)
	}
	defer sess.stop()
	dev, stop, err := pickDevice(s, sess.device)
	if err != nil {
		return fail(s, err)
	}
	defer stop()
	r := &ceremony.Runner{Cloud: sess.cloud, Key: dev, Prompter: termPrompter{s}, UserAgent: "KeyDesk CLI", AttestationRoots: sess.roots}
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
		MayBeRegistered: rec.AcceptedByCloud, Timeline: rec.Steps, AttestationTrust: rec.AttestationTrust,
		PassID: rec.PassID, NotIntrospected: rec.NotIntrospected}
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

func printCeremony(w io.Writer, rep ceremonyReport) {
	b, _ := json.MarshalIndent(rep.Result, "", "  ")
	fmt.Fprintln(w, string(b))
	st := result.Lookup(result.Nevis(rep.Result.Code.StatusCode)).In(language())
	fmt.Fprintf(w, "\n%s\n", st.Title())
	if rep.Result.Success && rep.NotIntrospected {
		// Never more than was checked: the Cloud reported the transaction
		// succeeded; a pass holder cannot introspect its token.
		if rep.Result.Code.StatusCode == result.SuccessRegistration.Value {
			fmt.Fprint(w, wordPassRegisteredOrgConfirms.f(rep.Username))
		} else {
			fmt.Fprint(w, wordPassSignedInOrgConfirms.f(rep.Username))
		}
	}
	if rep.PassID != "" {
		fmt.Fprint(w, wordPassUsed.f(rep.PassID))
	}
	if rep.AttestationTrust != "" {
		fmt.Fprint(w, wordAttestation.f(trustWords(rep.AttestationTrust)))
	}
	if rep.Result.Success && rep.Result.Code.StatusCode == result.SuccessAuthentication.Value && rep.Username != "" {
		// Which account signed in (for a usernameless sign-in, the one the
		// key offered), as the Cloud's status answer names it.
		fmt.Fprint(w, wordSignedInAs.f(rep.Username, rep.UserID))
	}
	if rep.Cause != "" {
		fmt.Fprint(w, wordCause.f(rep.Cause, rep.Explanation, rep.UserText))
	}
	if rep.MayBeRegistered {
		fmt.Fprint(w, wordMayBeRegistered.f(rep.Username))
	}
	fmt.Fprintln(w, wordTimeline)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, st := range rep.Timeline {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", stepWords(st.Name), st.Duration.Round(time.Millisecond), st.Outcome())
	}
	tw.Flush()
}
