package window

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestSignInWithOneChosenAuthenticator: the Test sign-in screen can name
// one authenticator of the user: the right one signs in, an unknown one is
// refused by the Cloud (404) before the key is asked.
func TestSignInWithOneChosenAuthenticator(t *testing.T) {
	u, env := newTestUI(t)
	onUI(func() { u.Show(ScreenEnroll) })
	fyne.DoAndWait(func() {
		u.enrollScreen.username.SetText("wes")
		test.Tap(u.enrollScreen.start)
	})
	u.Enroll.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enroll: %s", get[string](t, u.Enroll.ResultText))
	}
	c := u.S.History.Last()
	usr, err := env.Client.User(context.Background(), c.UserID)
	if err != nil || len(usr.Authenticators) != 1 {
		t.Fatalf("user: %+v %v", usr, err)
	}
	onUI(func() { u.Show(ScreenSignIn) })
	signIn := func(id string) {
		t.Helper()
		fyne.DoAndWait(func() {
			u.signInScreen.username.SetText("wes")
			u.signInScreen.authenticator.SetText(id)
			test.Tap(u.signInScreen.start)
		})
		u.SignIn.Wait()
	}
	signIn("00000000-0000-0000-0000-00000000beef")
	if get[bool](t, u.SignIn.ResultOK) || !strings.Contains(get[string](t, u.SignIn.ResultCodes), "404") {
		t.Fatalf("unknown authenticator: %s / %s", get[string](t, u.SignIn.ResultTitle), get[string](t, u.SignIn.ResultCodes))
	}
	signIn(usr.Authenticators[0].AuthenticatorID)
	if !get[bool](t, u.SignIn.ResultOK) {
		t.Fatalf("chosen authenticator: %s / %s", get[string](t, u.SignIn.ResultTitle), get[string](t, u.SignIn.ResultCodes))
	}
}
