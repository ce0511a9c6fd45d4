package emulator

import (
	"bytes"
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

// logTxn journals the end of a ceremony; s.mu is held.
func (s *Server) logTxn(t *txn, status string) {
	e := logEvent{Status: status, Channel: documentedAuthenticatorType, ActorType: "user", UserID: t.userID, Username: t.username}
	if t.kind == kindEnroll {
		e.Event, e.Category = "registration", "registration"
	} else {
		e.Event, e.Category = "authentication", "authentication"
	}
	s.logEvent(e)
}

// lastLogins is the user's last successful and failed sign-in; s.mu is held.
func (s *Server) lastLogins(userID string) (ok, failed time.Time) {
	for _, e := range s.journal {
		if e.UserID != userID || e.Category != "authentication" {
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
