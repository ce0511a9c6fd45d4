package ceremony_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
)

// rewriteApp puts a loopback proxy in front of the rig's emulator that
// passes everything through and rewrites the _app result answers with
// edit; the rig's runner talks to the proxy from then on.
func rewriteApp(t *testing.T, r *rig, edit func([]byte) []byte) {
	t.Helper()
	target, err := url.Parse(r.em.URL())
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(target)
	p.ModifyResponse = func(resp *http.Response) error {
		if !strings.HasPrefix(resp.Request.URL.Path, "/_app/") {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		b = edit(b)
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	cl, err := cloud.New(cloud.Config{InstanceURL: srv.URL, Origin: r.em.Origin(), AccessKey: cloud.NewSecret(r.em.AccessKey())})
	if err != nil {
		t.Fatal(err)
	}
	r.runner.Cloud = cl
}

// TestAppResultStatusWordIsNotTheVerdict: a 2xx _app answer without an
// errorMessage is a success whatever its status word ("ok" as Nevis's FIDO
// server says, or none at all); the status poll and the introspection
// still confirm it.
func TestAppResultStatusWordIsNotTheVerdict(t *testing.T) {
	for _, word := range []string{`"status":"ok",`, ``} {
		r := newRig(t, rigOptions{})
		rewriteApp(t, r, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"status":"succeeded",`), []byte(word), 1)
		})
		if res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "olga"}); !res.Success() {
			t.Fatalf("enroll with status word %q: %+v (%v)", word, res.Outcome, res.Err)
		}
		if res := r.runner.Approve(ctxT(t), ceremony.ApproveInput{Username: "olga"}); !res.Success() {
			t.Fatalf("approve with status word %q: %+v (%v)", word, res.Outcome, res.Err)
		}
	}
}

// TestAppResultErrorMessageIsTheCause: an errorMessage fails the step with
// the Cloud's words as the cause, in a 2xx answer (as the samples read it)
// and in an error answer, and the words are redacted.
func TestAppResultErrorMessageIsTheCause(t *testing.T) {
	const jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	for _, status := range []int{200, 400, 422} {
		r := newRig(t, rigOptions{})
		r.em.FailNext(emulator.EndpointAttestation, emulator.Fault{Status: status,
			Body: `{"status":"failed","errorMessage":"statusToken ` + jwt + ` expired"}`})
		res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "olga"})
		wantOutcome(t, res, "error-1002")
		if res.Cause != result.CloudAPI("rejected") {
			t.Errorf("HTTP %d: cause %s, want cloud-api:rejected", status, res.Cause)
		}
		if !strings.Contains(res.Outcome.Message, "expired") || strings.Contains(res.Outcome.Message, jwt) || strings.Contains(res.Err.Error(), jwt) {
			t.Errorf("HTTP %d: message %q / err %v: the Cloud's words, redacted", status, res.Outcome.Message, res.Err)
		}
	}
}
