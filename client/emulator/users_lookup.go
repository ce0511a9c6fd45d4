package emulator

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// The helpdesk's user and authenticator endpoints, as the Cloud's API
// reference documents them:
//   - https://docs.nevis.net/authcloud/api-doc/api-reference/users-endpoint-ref
//     (GET and DELETE /users/{userId}; the user carries
//     lastLoginDateSuccess, lastLoginDateFailure, and each authenticator
//     its updatedAt);
//   - https://docs.nevis.net/authcloud/api-doc/api-reference/authenticator-endpoint-ref
//     (PATCH /authenticators/{authenticatorId} {"name"} answers the
//     authenticator).
//
// GET /users?username=… is not in the reference (it documents lookup by
// userId only): the emulator answers it as KeyDesk assumes, {"users": [...]}
// with the users whose username is exactly the one asked for (README,
// "Where the documentation is silent").

// Endpoints added for the helpdesk.
const (
	EndpointUserQuery           Endpoint = "user-query"           // GET /api/v1/users?username=
	EndpointDeleteUser          Endpoint = "delete-user"          // DELETE /api/v1/users/{userId}
	EndpointRenameAuthenticator Endpoint = "rename-authenticator" // PATCH /api/v1/authenticators/{id}
	EndpointLogExport           Endpoint = "log-export"           // GET /api/v1/logs/export
)

// maxAuthenticatorName bounds a rename; the reference gives no limit, so
// the emulator uses the one it applies to userFriendlyName.
const maxAuthenticatorName = maxFriendlyName

// userView is a user as the users endpoint reference documents it.
type userView struct {
	userJSON
	LastLoginDateSuccess string              `json:"lastLoginDateSuccess,omitempty"`
	LastLoginDateFailure string              `json:"lastLoginDateFailure,omitempty"`
	Authenticators       []authenticatorView `json:"authenticators"`
}

type authenticatorView struct {
	authenticatorJSON
	UpdatedAt string `json:"updatedAt"`
}

// view builds the documented user; s.mu is held.
func (s *Server) view(u *userRec) userView {
	v := userView{userJSON: u.json(), Authenticators: []authenticatorView{}}
	okAt, failAt := s.lastLogins(u.ID)
	if !okAt.IsZero() {
		v.LastLoginDateSuccess = okAt.Format(timeFormat)
	}
	if !failAt.IsZero() {
		v.LastLoginDateFailure = failAt.Format(timeFormat)
	}
	for i, a := range u.Authenticators {
		upd := a.UpdatedAt
		if upd.IsZero() {
			upd = a.EnrolledAt
		}
		v.Authenticators = append(v.Authenticators, authenticatorView{authenticatorJSON: v.userJSON.Authenticators[i], UpdatedAt: upd.UTC().Format(timeFormat)})
	}
	v.userJSON.Authenticators = nil
	return v
}

func (s *Server) handleUserQuery(w http.ResponseWriter, r *http.Request, _ []byte) {
	name := r.URL.Query().Get("username")
	if name == "" {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "username required")
		return
	}
	s.mu.Lock()
	out := struct {
		Users []userView `json:"users"`
	}{Users: []userView{}}
	if u := s.store.byName[name]; u != nil {
		out.Users = append(out.Users, s.view(u))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleDeleteUser(w http.ResponseWriter, r *http.Request, _ []byte) {
	id := r.PathValue("userId")
	s.mu.Lock()
	u := s.store.byID[id]
	var err error
	if u != nil {
		for len(u.Authenticators) > 0 {
			s.store.deleteAuthenticator(u.Authenticators[0].ID)
		}
		delete(s.store.byID, id)
		delete(s.store.byName, u.Username)
		for i, x := range s.store.ordered {
			if x == u {
				s.store.ordered = append(s.store.ordered[:i:i], s.store.ordered[i+1:]...)
				break
			}
		}
		err = s.store.save()
		s.logEvent(logEvent{Event: "user.deleted", Status: stateSucceeded, Category: "management", Channel: "unknown", ActorType: "api", UserID: u.ID, Username: u.Username})
	}
	s.mu.Unlock()
	switch {
	case u == nil:
		writeCloudError(w, http.StatusNotFound, "not_found", "user not found")
	case err != nil:
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "saving state failed")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) handleRenameAuthenticator(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Name *string `json:"name"`
	}
	if err := decodeLenient(body, &req); err != nil || req.Name == nil {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "name required")
		return
	}
	name := *req.Name
	s.mu.Lock()
	a := s.store.byAuth[r.PathValue("authenticatorId")]
	if a != nil {
		if u := s.store.byID[a.UserID]; u != nil {
			noteUser(r, u.ID, u.Username) // a refused rename names its user
		}
	}
	if strings.TrimSpace(name) == "" || len(name) > maxAuthenticatorName || !utf8.ValidString(name) {
		s.mu.Unlock()
		writeCloudError(w, http.StatusBadRequest, "bad_request", "invalid name")
		return
	}
	var (
		out authenticatorView
		err error
	)
	if a != nil {
		now := time.Now().UTC()
		a.Name, a.UpdatedAt = name, now
		if u := s.store.byID[a.UserID]; u != nil {
			u.UpdatedAt = now
			for _, v := range s.view(u).Authenticators {
				if v.AuthenticatorID == a.ID {
					out = v
				}
			}
			s.logEvent(logEvent{Event: "authenticator.renamed", Status: stateSucceeded, Category: "management", Channel: a.AuthenticatorType, ActorType: "api", UserID: u.ID, Username: u.Username})
		}
		err = s.store.save()
	}
	s.mu.Unlock()
	switch {
	case a == nil:
		writeCloudError(w, http.StatusNotFound, "not_found", "authenticator not found")
	case err != nil:
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "saving state failed")
	default:
		writeJSON(w, http.StatusOK, out)
	}
}

// helpdeskRoutes registers the endpoints of this file and logs.go.
func (s *Server) helpdeskRoutes(mux *http.ServeMux) {
	s.handle(mux, "GET /api/v1/users", EndpointUserQuery, true, s.handleUserQuery)
	s.handle(mux, "DELETE /api/v1/users/{userId}", EndpointDeleteUser, true, s.handleDeleteUser)
	s.handle(mux, "PATCH /api/v1/authenticators/{authenticatorId}", EndpointRenameAuthenticator, true, s.handleRenameAuthenticator)
	s.handle(mux, "GET /api/v1/logs/export", EndpointLogExport, true, s.handleLogExport)
}
