package cloud

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Log export, from the log export endpoint reference,
// https://docs.nevis.net/authcloud/api-doc/api-reference/log-export-ref:
// GET /logs/export answers the events as CSV, newest first, timestamps in
// UTC, at most 10000 records by default. Query parameters used here:
// filter (free text, at least two characters), fromDate and toDate
// (ISO 8601 timestamps, not together with timespan), timespan (ISO 8601
// duration; P30D when no date is given), status (succeeded|failed).
//
// Where the documentation is silent (README): the CSV's columns. KeyDesk
// reads columns by their header name, in any order, ignores columns it
// does not know, and needs a timestamp column ("timestamp" or "date");
// the rest (event, status, category, channel, user) are shown when
// present. A row whose timestamp does not parse makes the whole export
// malformed rather than silently dropping an event.

// MaxLogRecords is the documented default limit of one export.
const MaxLogRecords = 10000

// LogQuery selects the events of an export. The zero value is the Cloud's
// default: the last 30 days.
type LogQuery struct {
	// Filter is free text the Cloud searches the log for: a username or a
	// user ID for one user's events. Empty, or at least 2 characters.
	Filter string
	// From and To bound the time range (UTC); zero leaves a side open.
	From, To time.Time
	// Status is "", "succeeded" or "failed".
	Status string
}

// LogEvent is one exported event.
type LogEvent struct {
	Time     time.Time `json:"timestamp"`
	Event    string    `json:"event,omitempty"`
	Status   string    `json:"status,omitempty"`
	Category string    `json:"category,omitempty"`
	Channel  string    `json:"channel,omitempty"`
	UserID   string    `json:"userId,omitempty"`
	Username string    `json:"username,omitempty"`
}

// Validate checks the query as the reference requires before calling.
func (q LogQuery) Validate() error {
	if f := strings.TrimSpace(q.Filter); f != "" && len([]rune(f)) < 2 {
		return errors.New("cloud: log export: the filter needs at least 2 characters")
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return errors.New("cloud: log export: the range ends before it starts")
	}
	switch q.Status {
	case "", "succeeded", "failed":
	default:
		return errors.New("cloud: log export: status must be succeeded or failed")
	}
	return nil
}

func (q LogQuery) values() url.Values {
	v := url.Values{}
	if f := strings.TrimSpace(q.Filter); f != "" {
		v.Set("filter", f)
	}
	if !q.From.IsZero() {
		v.Set("fromDate", q.From.UTC().Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		v.Set("toDate", q.To.UTC().Format(time.RFC3339))
	}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	return v
}

// ExportLogs exports the events q selects, newest first.
func (c *Client) ExportLogs(ctx context.Context, q LogQuery) ([]LogEvent, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	u := c.apiURL("/logs/export")
	if enc := q.values().Encode(); enc != "" {
		u += "?" + enc
	}
	var raw []byte
	if err := c.do(ctx, call{op: "log export", method: http.MethodGet, url: u, server: true, idempotent: true, raw: &raw}); err != nil {
		return nil, err
	}
	evs, err := ParseLogCSV(raw)
	if err != nil {
		return nil, fmt.Errorf("cloud: log export: %w: %s", ErrMalformedResponse, err)
	}
	return evs, nil
}

// logColumns maps the header names KeyDesk knows (lower case) to a field.
var logColumns = map[string]func(*LogEvent, string){
	"event":     func(e *LogEvent, v string) { e.Event = v },
	"name":      func(e *LogEvent, v string) { e.Event = v },
	"eventtype": func(e *LogEvent, v string) { e.Event = v },
	"status":    func(e *LogEvent, v string) { e.Status = v },
	"category":  func(e *LogEvent, v string) { e.Category = v },
	"channel":   func(e *LogEvent, v string) { e.Channel = v },
	"userid":    func(e *LogEvent, v string) { e.UserID = v },
	"user.id":   func(e *LogEvent, v string) { e.UserID = v },
	"username":  func(e *LogEvent, v string) { e.Username = v },
}

// ParseLogCSV reads an export. An empty body is no events; a header
// without a timestamp column, a ragged row or an unparsable timestamp is an
// error (the error never quotes a cell).
func ParseLogCSV(b []byte) ([]LogEvent, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(b)) == 0 {
		return []LogEvent{}, nil
	}
	r := csv.NewReader(bytes.NewReader(b))
	header, err := r.Read()
	if err != nil {
		return nil, errors.New("unreadable CSV header")
	}
	ts := -1
	set := make([]func(*LogEvent, string), len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "timestamp" || h == "date" {
			ts = i
		}
		set[i] = logColumns[h]
	}
	if ts < 0 {
		return nil, errors.New("no timestamp column")
	}
	evs := []LogEvent{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("CSV row %d unreadable", line)
		}
		if len(evs) >= MaxLogRecords {
			return nil, fmt.Errorf("more than %d rows", MaxLogRecords)
		}
		t, err := parseLogTime(rec[ts])
		if err != nil {
			return nil, fmt.Errorf("CSV row %d: timestamp not ISO 8601", line)
		}
		e := LogEvent{Time: t}
		for i, v := range rec {
			if set[i] != nil {
				set[i](&e, strings.TrimSpace(v))
			}
		}
		evs = append(evs, e)
	}
	// The reference says newest first; keep that order even if a server
	// does not.
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.After(evs[j].Time) })
	return evs, nil
}

func parseLogTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, f := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(f, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("bad time")
}

// DayCount is the events of one UTC day, by outcome.
type DayCount struct {
	Day       time.Time `json:"day"`
	Succeeded int       `json:"succeeded"`
	Failed    int       `json:"failed"`
	Other     int       `json:"other"`
}

// CountByDay groups events per UTC day and outcome, oldest day first.
func CountByDay(evs []LogEvent) []DayCount {
	idx := map[time.Time]*DayCount{}
	var days []time.Time
	for _, e := range evs {
		d := time.Date(e.Time.Year(), e.Time.Month(), e.Time.Day(), 0, 0, 0, 0, time.UTC)
		c := idx[d]
		if c == nil {
			c = &DayCount{Day: d}
			idx[d] = c
			days = append(days, d)
		}
		switch e.Status {
		case "succeeded":
			c.Succeeded++
		case "failed":
			c.Failed++
		default:
			c.Other++
		}
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	out := make([]DayCount, len(days))
	for i, d := range days {
		out[i] = *idx[d]
	}
	return out
}

// EventsOfUser keeps the events whose user ID is userID: the export's
// filter is free text, so it may also match events that only mention the
// ID; events without a user column are kept (the column is undocumented).
func EventsOfUser(evs []LogEvent, userID string) []LogEvent {
	out := []LogEvent{}
	for _, e := range evs {
		if e.UserID == "" || e.UserID == userID {
			out = append(out, e)
		}
	}
	return out
}
