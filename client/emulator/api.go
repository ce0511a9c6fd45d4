package emulator

import (
	"mime"
	"net/http"
	"net/url"
	"time"
)

type statusRequest struct {
	StatusToken string `json:"statusToken"`
}

type statusResponse struct {
	Status string `json:"status"`
	Token  string `json:"token,omitempty"`
	UserID string `json:"userId,omitempty"`
	// Username as the status endpoint page documents it (for a
	// usernameless sign-in only once succeeded).
	Username string `json:"username,omitempty"`
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, body []byte) {
	var req statusRequest
	if err := s.decodeRequest(body, &req); err != nil || req.StatusToken == "" {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "statusToken missing")
		return
	}
	c, err := s.parseToken(req.StatusToken, typStatus)
	if err != nil {
		s.auditFailed(r)
		writeJSON(w, http.StatusOK, statusResponse{Status: stateUnknown})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.txns[c.ID]
	switch {
	case t == nil:
		s.auditFailedLocked(noteOf(r))
		writeJSON(w, http.StatusOK, statusResponse{Status: stateUnknown})
	case s.stuckPending:
		writeJSON(w, http.StatusOK, statusResponse{Status: statePending, UserID: t.userID})
	default:
		if t.state == statePending && time.Now().After(t.expires) {
			s.failTxnLocked(t) // the ceremony timed out
		}
		resp := statusResponse{Status: t.state, UserID: t.userID}
		if t.state == stateSucceeded {
			resp.Token, resp.Username = t.token, t.username
		}
		writeJSON(w, http.StatusOK, resp)
	}
}

type introspection struct {
	Active    bool   `json:"active"`
	IssuedAt  int64  `json:"iat,omitempty"`
	ExpiresAt int64  `json:"exp,omitempty"`
	Subject   string `json:"sub,omitempty"`
	Issuer    string `json:"iss,omitempty"`
	TokenID   string `json:"jti,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	Username  string `json:"username,omitempty"`
}

// handleIntrospect answers RFC 7662: a form body, and {"active": false}
// for every token that is not a valid, unexpired transaction token of a
// succeeded transaction, without saying why (§2.2).
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request, body []byte) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		writeCloudError(w, http.StatusBadRequest, "invalid_request", "body must be application/x-www-form-urlencoded")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("token") == "" {
		writeCloudError(w, http.StatusBadRequest, "invalid_request", "token missing")
		return
	}
	c, err := s.parseToken(form.Get("token"), typTransaction)
	s.mu.Lock()
	inactive := s.inactiveTokens
	var t *txn
	if err == nil {
		t = s.txns[c.ID]
	}
	s.mu.Unlock()
	// A token whose transaction was pruned is still honoured until it
	// expires: the signature and expiry are what make it valid.
	if err != nil || inactive || (t != nil && t.state != stateSucceeded) {
		if err == nil {
			noteUser(r, c.Subject, c.Username)
		}
		s.auditFailed(r)
		writeJSON(w, http.StatusOK, introspection{Active: false})
		return
	}
	writeJSON(w, http.StatusOK, introspection{
		Active: true, IssuedAt: c.IssuedAt.Unix(), ExpiresAt: c.ExpiresAt.Unix(),
		Subject: c.Subject, Issuer: c.Issuer, TokenID: c.ID, TokenType: "transaction", Username: c.Username,
	})
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.mu.Lock()
	u := s.store.byID[r.PathValue("userId")]
	var out userView // as the users endpoint reference documents it (users_lookup.go)
	if u != nil {
		out = s.view(u)
	}
	s.mu.Unlock()
	if u == nil {
		writeCloudError(w, http.StatusNotFound, "not_found", "user not found")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleDeleteAuthenticator(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.mu.Lock()
	id := r.PathValue("authenticatorId")
	var deleted logEvent
	if a := s.store.byAuth[id]; a != nil {
		// The audit log names the user and the channel (logs.go).
		deleted = logEvent{Event: "authenticator.deleted", Status: stateSucceeded, Category: "management",
			Channel: a.AuthenticatorType, ActorType: "api", UserID: a.UserID}
		if u := s.store.byID[a.UserID]; u != nil {
			deleted.Username = u.Username
		}
	}
	ok := s.store.deleteAuthenticator(id)
	var err error
	if ok {
		err = s.store.save()
		s.logEvent(deleted)
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeCloudError(w, http.StatusNotFound, "not_found", "authenticator not found")
	case err != nil:
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "saving state failed")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
