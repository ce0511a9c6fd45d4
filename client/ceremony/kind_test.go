package ceremony_test

import (
	"encoding/json"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
)

// TestResultKind: each ceremony says which it was, and the kind's JSON
// name reads back.
func TestResultKind(t *testing.T) {
	r := newRig(t, rigOptions{})
	if res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "ada"}); res.Kind != ceremony.KindEnroll {
		t.Fatalf("enroll: kind %v", res.Kind)
	}
	if res := r.runner.Approve(ctxT(t), ceremony.ApproveInput{Username: "ada"}); res.Kind != ceremony.KindSignIn {
		t.Fatalf("approve: kind %v", res.Kind)
	}
	for _, k := range ceremony.Kinds() {
		b, err := json.Marshal(k)
		var back ceremony.Kind
		if err != nil || json.Unmarshal(b, &back) != nil || back != k || string(b) != `"`+k.String()+`"` {
			t.Errorf("%v: JSON %s, read back %v (%v)", k, b, back, err)
		}
	}
	var k ceremony.Kind
	if err := json.Unmarshal([]byte(`"register"`), &k); err == nil {
		t.Error("an unknown kind was read")
	}
}
