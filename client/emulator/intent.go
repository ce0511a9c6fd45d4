package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
)

// The intent endpoint, as
// https://docs.nevis.net/authcloud/api-doc/api-reference/intent-ref
// documents it: POST /api/v1/intent with the access key, a JSON body
// {username | userId, operation: enroll | approve, channels?}, answered
// 200 {"token": "…"}. The token is "a one-time token … tied to a specific
// user and a specific intent" that has "the user and the purpose encoded"
// ("to prevent exposing your access key"); the introspect page calls it a
// "Short-living one-time token which is restricted to specific user and
// specific intent". The registration page (registration-ref) says to "send
// your access key or intent token in the Authorization Bearer token
// header" of POST /users/enroll; the intent page names approve "to sign a
// transaction for existing users", so an approve token is the bearer of
// POST /approval.
//
// What the pages do not say, and what the emulator assumes (README, "Where
// the documentation is silent"), each choice failing safe:
//   - the lifetime ("short-living", no number): Config.IntentTTL, default
//     DefaultIntentTTL;
//   - whether fido2 is among the channels ("app, push or sms … by default,
//     it adds all possible channels"): the emulator counts fido2 among
//     "all possible channels"; a token restricted to channels without
//     fido2 is refused for a fido2 call; Config.RefuseIntentForFIDO2
//     plays an instance that refuses intent tokens for fido2 altogether;
//   - when the one use is spent: when the enroll or approval call that
//     carries it is accepted (a ceremony that then fails needs a new
//     token);
//   - where else the token is accepted: nowhere. Every other server
//     endpoint (users, authenticators, logs, intent itself, introspect,
//     status with a bearer) refuses it with 403; a used or expired token
//     is 401, and a token bound to another user, operation or channel 403.

// DefaultIntentTTL is the emulator's lifetime of an intent token (an
// assumption: the docs say "short-living" and give no number).
const DefaultIntentTTL = 72 * time.Hour

// Intent operations (intent-ref: operation enum).
const (
	intentEnroll  = "enroll"
	intentApprove = "approve"
)

// intentChannels are the channels the intent page names, plus fido2, which
// it does not name but which "all possible channels" is taken to hold.
var intentChannels = []string{"app", "push", "sms", "fido2"}

// intentRec is an issued intent token, kept under the SHA-256 of the
// token (never the token itself), in memory and in the state file so that
// a demo pass issued in one run redeems in the next.
type intentRec struct {
	ID        string    `json:"id"`
	Hash      string    `json:"hash"`
	UserID    string    `json:"userId,omitempty"`
	Username  string    `json:"username,omitempty"`
	Operation string    `json:"operation"`
	Channels  []string  `json:"channels,omitempty"`
	Issued    time.Time `json:"issued"`
	Expires   time.Time `json:"expires"`
	Used      bool      `json:"used,omitempty"`
}

type intentRequest struct {
	Username  string   `json:"username"`
	UserID    string   `json:"userId"`
	Operation string   `json:"operation"`
	Channels  []string `json:"channels"`
}

type intentResponse struct {
	Token string `json:"token"`
}

func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// intentEndpoints are where an intent token may stand in for the access
// key, and for which operation.
var intentEndpoints = map[Endpoint]string{EndpointEnroll: intentEnroll, EndpointApproval: intentApprove}

type intentKey struct{}

// intentOf is the intent token a request carries as its bearer (handle
// put it in the context), or nil when it carries the access key.
func intentOf(r *http.Request) *intentRec {
	rec, _ := r.Context().Value(intentKey{}).(*intentRec)
	return rec
}

func withIntent(r *http.Request, rec *intentRec) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), intentKey{}, rec))
}

func (s *Server) handleIntent(w http.ResponseWriter, r *http.Request, body []byte) {
	var req intentRequest
	if err := s.decodeRequest(body, &req); err != nil {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "malformed JSON body")
		return
	}
	if req.Operation != intentEnroll && req.Operation != intentApprove {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "operation must be enroll or approve")
		return
	}
	if req.Username == "" && req.UserID == "" {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "username or userId is required")
		return
	}
	if len(req.Username) > 300 {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "username too long")
		return
	}
	for _, c := range req.Channels {
		if !slices.Contains(intentChannels, c) {
			writeCloudError(w, http.StatusBadRequest, "bad_request", "unknown channel")
			return
		}
	}
	now := time.Now()
	s.mu.Lock()
	var u *userRec
	if req.UserID != "" {
		u = s.store.byID[req.UserID]
		if u == nil || (req.Username != "" && u.Username != req.Username) {
			s.mu.Unlock()
			writeCloudError(w, http.StatusNotFound, "not_found", "user not found")
			return
		}
	} else {
		u = s.store.byName[req.Username]
	}
	if u == nil && req.Operation == intentApprove {
		// approve is "to sign a transaction for existing users".
		s.mu.Unlock()
		writeCloudError(w, http.StatusNotFound, "not_found", "user not found")
		return
	}
	rec := &intentRec{ID: uuid.NewString(), Username: req.Username, Operation: req.Operation,
		Channels: req.Channels, Issued: now.UTC(), Expires: now.Add(s.cfg.IntentTTL).UTC()}
	if u != nil {
		rec.UserID, rec.Username = u.ID, u.Username
	}
	s.mu.Unlock()
	tok, err := s.signToken(typIntent, rec.ID, rec.UserID, rec.Username, now, s.cfg.IntentTTL)
	if err != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "signing token failed")
		return
	}
	rec.Hash = tokenHash(tok)
	s.mu.Lock()
	s.store.addIntent(rec, now)
	saveErr := s.store.save()
	s.logEvent(logEvent{Event: "intent.issued", Status: stateSucceeded, Category: "management",
		Channel: "unknown", ActorType: "api", UserID: rec.UserID, Username: rec.Username})
	s.mu.Unlock()
	if saveErr != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "saving state failed")
		return
	}
	writeJSON(w, http.StatusOK, intentResponse{Token: tok})
}

// knownIntent finds the intent token presented as a bearer; s.mu is held.
func (s *Server) knownIntent(tok string) *intentRec {
	if tok == "" {
		return nil
	}
	return s.store.intents[tokenHash(tok)]
}

// intentRefusal is why an intent token may not be used for this call: 401
// for a spent or expired token, 403 for one bound to another user,
// operation or channel, or presented where no intent token is accepted.
type intentRefusal struct {
	status int
	name   string
	msg    string
}

// checkIntentBearer decides at the door whether rec may stand in for the
// access key on ep; s.mu is held.
func (s *Server) checkIntentBearer(rec *intentRec, ep Endpoint, now time.Time) *intentRefusal {
	op, ok := intentEndpoints[ep]
	switch {
	case !ok:
		return &intentRefusal{http.StatusForbidden, "forbidden", "an intent token is not accepted on this endpoint"}
	case rec.Used:
		return &intentRefusal{http.StatusUnauthorized, "unauthorized", "intent token already used"}
	case !now.Before(rec.Expires):
		return &intentRefusal{http.StatusUnauthorized, "unauthorized", "intent token expired"}
	case rec.Operation != op:
		return &intentRefusal{http.StatusForbidden, "forbidden", "intent token is for another operation"}
	case s.cfg.RefuseIntentForFIDO2 || (len(rec.Channels) > 0 && !slices.Contains(rec.Channels, "fido2")):
		return &intentRefusal{http.StatusForbidden, "forbidden", "intent token is not valid for channel fido2"}
	}
	return nil
}

// redeemIntent spends rec for the user u (named username by the request):
// the token must be bound to that user. s.mu is held. On refusal the
// refusal is logged and returned; on success the redemption is logged.
func (s *Server) redeemIntent(rec *intentRec, u *userRec, username string) *intentRefusal {
	bound := rec.boundTo(u, username)
	category := "registration"
	if rec.Operation == intentApprove {
		category = "authentication"
	}
	e := logEvent{Status: stateSucceeded, Category: category, Channel: documentedAuthenticatorType,
		ActorType: "user", UserID: rec.UserID, Username: rec.Username}
	if !bound {
		e.Event, e.Status = "intent.refused", stateFailed
		s.logEvent(e)
		return &intentRefusal{http.StatusForbidden, "forbidden", "intent token is for another user"}
	}
	if rec.Used {
		// A second request with the same token raced the first.
		e.Event, e.Status = "intent.refused", stateFailed
		s.logEvent(e)
		return &intentRefusal{http.StatusUnauthorized, "unauthorized", "intent token already used"}
	}
	rec.Used = true
	_ = s.store.save() // a failed save keeps the token spent in memory
	e.Event = "intent.redeemed"
	s.logEvent(e)
	return nil
}

// boundTo reports whether rec was issued for the user u (named username
// in the request; u is nil when no such user exists yet).
func (rec *intentRec) boundTo(u *userRec, username string) bool {
	switch {
	case rec.UserID != "":
		return u != nil && rec.UserID == u.ID
	default:
		// Issued by username for a user not yet registered.
		return username != "" && rec.Username == username
	}
}

func writeIntentRefusal(w http.ResponseWriter, f *intentRefusal) {
	writeCloudError(w, f.status, f.name, f.msg)
}
