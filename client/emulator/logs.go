package emulator

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The log export endpoint, as
// https://docs.nevis.net/authcloud/api-doc/api-reference/log-export-ref
// documents it: GET /api/v1/logs/export answers CSV, newest first,
// timestamps in UTC, at most 10000 records; filter (free text, at least 2
// characters), fromDate/toDate (ISO 8601) or timespan (ISO 8601 duration,
// default P30D; not together with the dates), status, category, channel
// and actorType filters.
//
// The reference does not list the CSV's columns; the emulator writes
// logColumns (README, "Where the documentation is silent").

var logColumns = []string{"timestamp", "event", "status", "category", "channel", "actorType", "userId", "username"}

const (
	maxLogRecords  = 10000
	maxLogJournal  = 50000
	defaultLogSpan = 30 * 24 * time.Hour
)

// logEvent is one journalled event.
type logEvent struct {
	Time      time.Time
	Event     string
	Status    string // succeeded | failed
	Category  string // registration | authentication | management | none
	Channel   string // fido2 | app | … | unknown
	ActorType string // api | admin | user | app | unknown
	UserID    string
	Username  string
}

// LogEvent is an event a test or the demo adds to the journal (AddLogEvent).
type LogEvent struct {
	Time                             time.Time
	Event, Status, Category, Channel string
	UserID, Username                 string
}

// AddLogEvent journals an event as if it had happened at e.Time, for tests
// and demo data. Events of category "authentication" count as the user's
// last successful or failed sign-in.
func (s *Server) AddLogEvent(e LogEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logEvent(logEvent{Time: e.Time, Event: e.Event, Status: e.Status, Category: e.Category, Channel: e.Channel,
		ActorType: "user", UserID: e.UserID, Username: e.Username})
}

// logEvent journals e (now, when e.Time is zero); s.mu is held.
func (s *Server) logEvent(e logEvent) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	s.journal = append(s.journal, e)
	if len(s.journal) > maxLogJournal {
		s.journal = append([]logEvent(nil), s.journal[len(s.journal)-maxLogJournal:]...)
	}
}

// The events of the audit log. The Cloud's logs page
// (https://docs.nevis.net/authcloud/logs, "Operations with multiple
// events") says a registration and an authentication are each logged as
// separate events ("Registration created", "Registration verified";
// "Authentication created", "Authentication verified"; "redeemed" only
// for the app and push channels), each succeeded or failed, with the
// category registration, authentication, management or None, the
// channel, the actor (user, admin, API, app) and the target user
// ("Unknown" when there is none). It does not give the events' names as
// the export spells them, nor which management calls or failed reads are
// logged: the emulator's spellings are its own (README, "Where the
// documentation is silent"). A ceremony's end keeps the names "registration"
// and "authentication" that KeyDesk's tests and demo data use.
const (
	evRegistrationCreated   = "registration.created"
	evRegistration          = "registration" // verified (or failed) at the _app result, or timed out
	evAuthenticationCreated = "authentication.created"
	evAuthentication        = "authentication"
)

// endpointEvent is the event an endpoint's call is logged as.
type endpointEvent struct{ event, category, channel string }

// endpointEvents names, for every emulated endpoint, the event its failure
// is logged as. The docs are silent on whether a real instance logs a
// failed status poll, introspection, read, ping or export, or a call
// refused for a wrong access key; the emulator logs every failure, which
// fails safe for an audit (a helpdesk sees each refused call), and never
// what the call carried (tokens, challenges, the access key). The log
// export alone is not journalled, failed or not: reading the log does not
// change it.
var endpointEvents = map[Endpoint]endpointEvent{
	EndpointEnroll:              {evRegistrationCreated, "registration", documentedAuthenticatorType},
	EndpointAttestation:         {evRegistration, "registration", documentedAuthenticatorType},
	EndpointApproval:            {evAuthenticationCreated, "authentication", documentedAuthenticatorType},
	EndpointAssertion:           {evAuthentication, "authentication", documentedAuthenticatorType},
	EndpointStatus:              {"status", "none", "unknown"},
	EndpointIntrospect:          {"introspection", "none", "unknown"},
	EndpointUser:                {"user.read", "none", "unknown"},
	EndpointUserQuery:           {"user.read", "none", "unknown"},
	EndpointDeleteUser:          {"user.deleted", "management", "unknown"},
	EndpointRenameAuthenticator: {"authenticator.renamed", "management", documentedAuthenticatorType},
	EndpointDeleteAuthenticator: {"authenticator.deleted", "management", documentedAuthenticatorType},
	EndpointPing:                {"ping", "none", "unknown"},
}

// auditNote is what a request has told the audit log so far: the user it
// names, and whether its outcome is already journalled. handle puts one in
// every request's context and journals a failed event for any answer of
// 400 or more that is not (handlers journal the failures they answer with
// 200 themselves: an _app refusal, an unknown status token, an inactive
// introspection).
type auditNote struct {
	ep               Endpoint
	actor            string
	userID, username string
	logged           bool
}

type auditKey struct{}

func noteOf(r *http.Request) *auditNote {
	if n, ok := r.Context().Value(auditKey{}).(*auditNote); ok {
		return n
	}
	return &auditNote{}
}

func withNote(r *http.Request, n *auditNote) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), auditKey{}, n))
}

// noteUser names the request's target user for its audit event.
func noteUser(r *http.Request, userID, username string) {
	n := noteOf(r)
	n.userID, n.username = userID, username
}

// markLogged records that the request's outcome is journalled.
func markLogged(r *http.Request) { noteOf(r).logged = true }

// auditFailed journals the request's endpoint event as failed, once.
func (s *Server) auditFailed(r *http.Request) {
	s.mu.Lock()
	s.auditFailedLocked(noteOf(r))
	s.mu.Unlock()
}

// auditFailedLocked is auditFailed with s.mu held.
func (s *Server) auditFailedLocked(n *auditNote) {
	ev, ok := endpointEvents[n.ep]
	if n.logged || !ok {
		return
	}
	n.logged = true
	s.logEvent(logEvent{Event: ev.event, Status: stateFailed, Category: ev.category, Channel: ev.channel,
		ActorType: n.actor, UserID: n.userID, Username: n.username})
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logTxn journals the end of a ceremony now; s.mu is held.
func (s *Server) logTxn(t *txn, status string) { s.logTxnAt(t, status, time.Time{}) }

// logTxnAt journals the end of a ceremony at at (now when zero); s.mu is
// held.
func (s *Server) logTxnAt(t *txn, status string, at time.Time) {
	e := logEvent{Time: at, Status: status, Channel: documentedAuthenticatorType, ActorType: "user", UserID: t.userID, Username: t.username}
	if t.kind == kindEnroll {
		e.Event, e.Category = evRegistration, "registration"
	} else {
		e.Event, e.Category = evAuthentication, "authentication"
	}
	s.logEvent(e)
}

// failTxnLocked ends a pending ceremony as failed and journals it; s.mu is
// held. A ceremony that has already ended is left as it is.
func (s *Server) failTxnLocked(t *txn) {
	if t.state == statePending {
		t.state = stateFailed
		s.logTxn(t, stateFailed)
	}
}

// lastLogins is the user's last successful and failed sign-in; s.mu is held.
// An approval refused at its start (authentication.created) is no sign-in.
func (s *Server) lastLogins(userID string) (ok, failed time.Time) {
	for _, e := range s.journal {
		if e.UserID != userID || e.Category != "authentication" || e.Event == evAuthenticationCreated {
			continue
		}
		switch {
		case e.Status == stateSucceeded && e.Time.After(ok):
			ok = e.Time
		case e.Status == stateFailed && e.Time.After(failed):
			failed = e.Time
		}
	}
	return ok, failed
}

var enums = map[string][]string{
	"status":    {"succeeded", "failed"},
	"category":  {"registration", "authentication", "management", "none"},
	"channel":   {"app", "push", "fido2", "sms", "recovery", "unknown"},
	"actorType": {"api", "admin", "user", "app", "unknown"},
}

func (s *Server) handleLogExport(w http.ResponseWriter, r *http.Request, _ []byte) {
	q := r.URL.Query()
	filter := q.Get("filter")
	if q.Has("filter") && len([]rune(filter)) < 2 {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "filter needs at least 2 characters")
		return
	}
	for k, allowed := range enums {
		if v := q.Get(k); v != "" && !contains(allowed, v) {
			writeCloudError(w, http.StatusBadRequest, "bad_request", "invalid "+k)
			return
		}
	}
	now := time.Now().UTC()
	from, to := now.Add(-defaultLogSpan), time.Time{}
	hasDates := q.Get("fromDate") != "" || q.Get("toDate") != ""
	if hasDates && q.Get("timespan") != "" {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "timespan cannot be used with fromDate or toDate")
		return
	}
	var err error
	switch {
	case hasDates:
		from, to = time.Time{}, time.Time{}
		if v := q.Get("fromDate"); v != "" {
			if from, err = time.Parse(time.RFC3339Nano, v); err != nil {
				writeCloudError(w, http.StatusBadRequest, "bad_request", "fromDate is not an ISO 8601 timestamp")
				return
			}
		}
		if v := q.Get("toDate"); v != "" {
			if to, err = time.Parse(time.RFC3339Nano, v); err != nil {
				writeCloudError(w, http.StatusBadRequest, "bad_request", "toDate is not an ISO 8601 timestamp")
				return
			}
		}
	case q.Get("timespan") != "":
		d, err := parseISODuration(q.Get("timespan"))
		if err != nil {
			writeCloudError(w, http.StatusBadRequest, "bad_request", "timespan is not an ISO 8601 duration")
			return
		}
		from = now.Add(-d)
	}
	s.mu.Lock()
	var out []logEvent
	for _, e := range s.journal {
		if (!from.IsZero() && e.Time.Before(from)) || (!to.IsZero() && e.Time.After(to)) {
			continue
		}
		if v := q.Get("status"); v != "" && e.Status != v {
			continue
		}
		if v := q.Get("category"); v != "" && e.Category != v {
			continue
		}
		if v := q.Get("channel"); v != "" && e.Channel != v {
			continue
		}
		if v := q.Get("actorType"); v != "" && e.ActorType != v {
			continue
		}
		if filter != "" && !strings.Contains(strings.Join([]string{e.Event, e.Status, e.Category, e.Channel, e.UserID, e.Username}, "\x00"), filter) {
			continue
		}
		out = append(out, e)
	}
	s.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	if len(out) > maxLogRecords {
		out = out[:maxLogRecords]
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(logColumns)
	for _, e := range out {
		_ = cw.Write([]string{e.Time.Format(timeFormat), e.Event, e.Status, e.Category, e.Channel, e.ActorType, e.UserID, e.Username})
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="logs-export.csv"`)
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

var isoDuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// parseISODuration reads the day-time subset of ISO 8601 durations
// (P30D, P0DT1H, PT15M).
func parseISODuration(v string) (time.Duration, error) {
	m := isoDuration.FindStringSubmatch(v)
	if m == nil || v == "P" || strings.HasSuffix(v, "T") {
		return 0, errors.New("not a duration")
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil || n > 100000 {
			return 0, errors.New("out of range")
		}
		d += time.Duration(n) * unit
	}
	return d, nil
}
