package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
)

// The helpdesk's user lifecycle at the Authentication Cloud (users,
// authenticators and log export endpoints; see client/cloud/users_lookup.go
// and logs.go for the documentation they follow):
//
//	keydesk user show USERNAME|USERID [--json]
//	keydesk user delete USERNAME|USERID [--confirm USERNAME] [--json]
//	keydesk authenticator rename AUTHENTICATORID NEWNAME [--json]
//	keydesk authenticator delete AUTHENTICATORID [--json]
//	keydesk logs export [--user USERNAME|USERID] [--since T] [--until T] [--status S] [--json]
//
// They need the access key (the helpdesk station's), like enroll; without a
// configured instance they run against the demo emulator.

func init() {
	register(Command{Name: "user", Summary: wordSummaryUser.en, Run: runUser})
	register(Command{Name: "authenticator", Summary: wordSummaryAuthenticator.en, Run: runAuthenticator})
	register(Command{Name: "logs", Summary: wordSummaryLogs.en, Run: runLogs})
	helps["user"] = commandHelp{[]string{"keydesk user show USERNAME|USERID [--json]", "keydesk user delete USERNAME|USERID [--confirm USERNAME] [--json]"},
		"Looks a user up at the Authentication Cloud by username or user ID and shows its state, last sign-ins and authenticators, or deletes the user with all its authenticators (type the username to confirm)."}
	helps["authenticator"] = commandHelp{[]string{"keydesk authenticator rename AUTHENTICATORID NEWNAME [--json]", "keydesk authenticator delete AUTHENTICATORID [--json]"},
		"Renames an authenticator at the Authentication Cloud, or deletes it: the user can no longer sign in with it. The IDs are in 'keydesk user show'."}
	helps["logs"] = commandHelp{[]string{"keydesk logs export [--user USERNAME|USERID] [--since T] [--until T] [--status succeeded|failed] [--json]"},
		"Exports the Cloud's audit log (the last 30 days unless --since or --until say otherwise), for one user or all, and prints each event and the events per day."}
}

// subHelp prints a command's help when no sub-command is named (exit 2) or
// help is asked for (exit 0).
func subHelp(name string, args []string, s IO) (int, bool) {
	switch {
	case len(args) == 0:
		printHelp(s.Err, newFlagSet(name, s))
		return 2, true
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help":
		printHelp(s.Err, newFlagSet(name, s))
		return 0, true
	case strings.HasPrefix(args[0], "-"):
		code := usageFail(s, wordHelpdeskNameASubCommandFirst.err(name))
		printHelp(s.Err, newFlagSet(name, s))
		return code, true
	}
	return 0, false
}

// helpdeskClient opens the Cloud client a helpdesk command (what: "user
// show") uses. Only a helpdesk station or demo mode may: a user desktop or
// a kiosk refuses with keydesk:station-not-allowed before the Cloud is
// called.
func helpdeskClient(ctx context.Context, s IO, what string) (*cloud.Client, func(), error) {
	if err := needUsernameStation(s, what, false); err != nil {
		return nil, nil, err
	}
	sess, err := openSession(ctx, s, deviceFlags{})
	if err != nil {
		return nil, nil, err
	}
	return sess.client, sess.stop, nil
}

// cloudFail reports a Cloud error with its result code (the Cloud's HTTP
// status or API code, as ceremonies report it).
func cloudFail(s IO, err error) int {
	if _, ok := result.CodeOf(err); !ok {
		var ce *cloud.ConfigError
		if !errors.As(err, &ce) {
			err = result.Wrap(ceremony.CauseOf(err), err)
		}
	}
	return fail(s, err)
}

func runUser(args []string, s IO) int {
	if code, done := subHelp("user", args, s); done {
		return code
	}
	sub, rest := args[0], args[1:]
	fs := newFlagSet("user "+sub, s)
	asJSON := fs.Bool("json", false, wordFlagDevicesJson.en)
	confirm := fs.String("confirm", "", wordFlagUserConfirm.en)
	if code, done := parseFlags(fs, rest, s); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageFail(s, wordHelpdeskUserNameOneUserA.err())
	}
	ctx, cancel := signalContext()
	defer cancel()
	cl, stop, err := helpdeskClient(ctx, s, "user "+sub)
	if err != nil {
		return fail(s, err)
	}
	defer stop()
	u, err := cl.LookupUser(ctx, fs.Arg(0))
	if err != nil {
		return cloudFail(s, err)
	}
	switch sub {
	case "show":
		if *asJSON {
			return writeJSON(s.Out, u)
		}
		printUser(s, u)
		return 0
	case "delete":
		want := u.Username
		if want == "" {
			want = u.UserID
		}
		typed := *confirm
		if typed == "" {
			if *asJSON {
				return usageFail(s, wordHelpdeskUserDeleteWithJsonConfirm.err())
			}
			printUser(s, u)
			fmt.Fprint(s.Err, wordHelpdeskDeletingRemovesTheUserAnd.f(want, len(u.Authenticators), want))
			line, _ := bufio.NewReader(s.In).ReadString('\n')
			typed = strings.TrimSpace(line)
		}
		if typed != want {
			return fail(s, result.Errorf(result.CodeCancelled, "%s", wordHelpdeskNotDeletedTheTypedUsername.String()))
		}
		if err := cl.DeleteUser(ctx, u.UserID); err != nil {
			return cloudFail(s, err)
		}
		if *asJSON {
			return writeJSON(s.Out, map[string]any{"deleted": true, "userId": u.UserID, "username": u.Username})
		}
		fmt.Fprint(s.Out, wordHelpdeskUserDeleted.f(want))
		return 0
	}
	return usageFail(s, wordHelpdeskUserUnknownSubCommandShow.err(sub))
}

// orNot is v, or "not reported" when the Cloud sent nothing.
func orNot(v string) string {
	if strings.TrimSpace(v) == "" {
		return wordNotReported.String()
	}
	return v
}

func printUser(s IO, u *cloud.User) {
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	row := func(k word, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row(wordHelpdeskUsername, orNot(u.Username))
	row(wordHelpdeskUserId, u.UserID)
	row(wordHelpdeskState, orNot(u.Status))
	row(wordHelpdeskCreated, orNot(u.CreatedAt))
	row(wordHelpdeskLastSuccessfulSignIn, orNot(u.LastLoginDateSuccess))
	row(wordHelpdeskLastFailedSignIn, orNot(u.LastLoginDateFailure))
	row(wordHelpdeskRateLimit, wordHelpdeskNotReportedByTheCloud.String())
	tw.Flush()
	fmt.Fprint(s.Out, "\n"+wordHelpdeskAuthenticators.f(len(u.Authenticators))+"\n")
	if len(u.Authenticators) == 0 {
		return
	}
	tw = tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", wordHelpdeskName.String(), wordHelpdeskType.String(), wordHelpdeskState.String(), wordHelpdeskEnrolled.String(), wordHelpdeskUpdated.String(), wordHelpdeskID)
	for _, a := range u.Authenticators {
		typ := a.AuthenticatorType
		if a.Type != "" && a.Type != typ {
			typ += " (" + a.Type + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", orNot(a.Name), orNot(typ), orNot(a.State), orNot(a.EnrolledAt), orNot(a.UpdatedAt), a.AuthenticatorID)
	}
	tw.Flush()
}

func runAuthenticator(args []string, s IO) int {
	if code, done := subHelp("authenticator", args, s); done {
		return code
	}
	sub, rest := args[0], args[1:]
	fs := newFlagSet("authenticator "+sub, s)
	asJSON := fs.Bool("json", false, wordFlagDevicesJson.en)
	if code, done := parseFlags(fs, rest, s); done {
		return code
	}
	var want int
	switch sub {
	case "rename":
		want = 2
	case "delete":
		want = 1
	default:
		return usageFail(s, wordHelpdeskAuthenticatorUnknownSubCommandRename.err(sub))
	}
	if fs.NArg() != want {
		return usageFail(s, wordHelpdeskAuthenticatorRenameTakesAnAuthenticator.err())
	}
	id := fs.Arg(0)
	if sub == "rename" {
		if err := cloud.CheckAuthenticatorName(fs.Arg(1)); err != nil {
			return fail(s, result.Errorf(result.CodeBadUsage, "%s", err.Error()))
		}
	}
	ctx, cancel := signalContext()
	defer cancel()
	cl, stop, err := helpdeskClient(ctx, s, "authenticator "+sub)
	if err != nil {
		return fail(s, err)
	}
	defer stop()
	if sub == "rename" {
		a, err := cl.RenameAuthenticator(ctx, id, fs.Arg(1))
		if err != nil {
			return cloudFail(s, err)
		}
		if *asJSON {
			return writeJSON(s.Out, a)
		}
		fmt.Fprint(s.Out, wordHelpdeskAuthenticatorRenamed.f(a.Name))
		return 0
	}
	if err := cl.DeleteAuthenticator(ctx, id); err != nil {
		return cloudFail(s, err)
	}
	if *asJSON {
		return writeJSON(s.Out, map[string]any{"deleted": true, "authenticatorId": id})
	}
	fmt.Fprintln(s.Out, wordHelpdeskAuthenticatorDeletedTheUserCan.String())
	return 0
}

// logsReport is what logs export prints with --json.
type logsReport struct {
	Events []cloud.LogEvent `json:"events"`
	PerDay []cloud.DayCount `json:"perDay"`
}

func runLogs(args []string, s IO) int {
	if code, done := subHelp("logs", args, s); done {
		return code
	}
	if args[0] != "export" {
		return usageFail(s, wordHelpdeskLogsUnknownSubCommandExport.err(args[0]))
	}
	fs := newFlagSet("logs export", s)
	asJSON := fs.Bool("json", false, wordFlagDevicesJson.en)
	user := fs.String("user", "", wordFlagLogsUser.en)
	since := fs.String("since", "", wordFlagLogsSince.en)
	until := fs.String("until", "", wordFlagLogsUntil.en)
	status := fs.String("status", "", wordFlagLogsStatus.en)
	if code, done := parseFlags(fs, args[1:], s); done {
		return code
	}
	if fs.NArg() != 0 {
		return usageFail(s, wordHelpdeskLogsExportNoArgumentsOnly.err())
	}
	now := time.Now()
	q := cloud.LogQuery{Status: *status}
	for _, f := range []struct {
		v   string
		dst *time.Time
	}{{*since, &q.From}, {*until, &q.To}} {
		if f.v == "" {
			continue
		}
		t, ok := parseWhen(f.v, now)
		if !ok {
			return usageFail(s, wordHelpdeskLogsExportIsNeitherA.err(f.v))
		}
		*f.dst = t
	}
	ctx, cancel := signalContext()
	defer cancel()
	cl, stop, err := helpdeskClient(ctx, s, "logs export")
	if err != nil {
		return fail(s, err)
	}
	defer stop()
	if *user != "" {
		// The export's filter is free text: filter by the user ID so that
		// "ann" does not also match "joanna"'s events.
		u, err := cl.LookupUser(ctx, *user)
		if err != nil {
			return cloudFail(s, err)
		}
		q.Filter = u.UserID
	}
	if err := q.Validate(); err != nil {
		return fail(s, result.Errorf(result.CodeBadUsage, "%s", err.Error()))
	}
	evs, err := cl.ExportLogs(ctx, q)
	if err != nil {
		return cloudFail(s, err)
	}
	if q.Filter != "" {
		evs = cloud.EventsOfUser(evs, q.Filter)
	}
	rep := logsReport{Events: evs, PerDay: cloud.CountByDay(evs)}
	if *asJSON {
		return writeJSON(s.Out, rep)
	}
	fmt.Fprintln(s.Out, wordHelpdeskEvents.f(len(evs)))
	if len(evs) > 0 {
		tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", wordHelpdeskTimeUtc.String(), wordHelpdeskEvent.String(), wordHelpdeskOutcome.String(), wordHelpdeskChannel.String(), wordHelpdeskUser.String())
		for _, e := range evs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Time.Format(time.RFC3339), e.Event, e.Status, e.Channel, firstOf(e.Username, e.UserID))
		}
		tw.Flush()
		fmt.Fprintln(s.Out, "\n"+wordHelpdeskPerDayUtcSucceededFailed.String())
		for _, d := range rep.PerDay {
			fmt.Fprintf(s.Out, "%s  %3d / %3d / %3d  %s%s\n", d.Day.Format("2006-01-02"), d.Succeeded, d.Failed, d.Other,
				strings.Repeat("+", min(d.Succeeded, 40)), strings.Repeat("x", min(d.Failed, 40)))
		}
	}
	return 0
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseWhen reads --since and --until: a duration back from now, an RFC
// 3339 time or a date (UTC midnight); false when v is none of them.
func parseWhen(v string, now time.Time) (time.Time, bool) {
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return now.Add(-d), true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
