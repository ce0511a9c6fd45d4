package window

import (
	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap"
)

// The words end users read for things the code names in developer terms:
// ceremony steps, accounts known by an opaque ID. The helpdesk's timeline
// and the report keep the step names; these are for the person at the key.

// stepText tells the person at the key what a finished step means, in
// words: "The Authentication Cloud started the enrollment.", not "Done:
// start enrollment".
func stepText(st ceremony.Step) string {
	switch st.Name {
	case ceremony.StepCheckInput:
		return lang.L("Checked what you typed.")
	case ceremony.StepStartEnrollment:
		return lang.L("The Authentication Cloud started the enrollment.")
	case ceremony.StepCheckAuthenticators:
		return lang.L("Checked how many keys you already have.")
	case ceremony.StepFindKey:
		return lang.L("Found your security key.")
	case ceremony.StepMakeCredential:
		return lang.L("Your key created its sign-in data.")
	case ceremony.StepSendAttestation:
		return lang.L("Sent your key's answer to the Authentication Cloud.")
	case ceremony.StepStartApproval:
		return lang.L("The Authentication Cloud started the sign-in.")
	case ceremony.StepGetAssertion:
		return lang.L("Your key signed the sign-in.")
	case ceremony.StepSendAssertion:
		return lang.L("Sent your key's signature to the Authentication Cloud.")
	case ceremony.StepPollStatus:
		return lang.L("The Authentication Cloud confirmed the result.")
	case ceremony.StepIntrospectToken:
		return lang.L("Checked the Authentication Cloud's confirmation.")
	}
	return lang.L("Working…")
}

// stepNameText names a step in the helpdesk's timeline and the report, in
// the window's language ("Registrierung starten" for start enrollment).
func stepNameText(n ceremony.StepName) string {
	if w, ok := stepNameWords[n]; ok {
		return lang.L(w)
	}
	return string(n)
}

// stepNameWords are the steps' names as the helpdesk reads them, in
// English (the keys of translations/*.json).
var stepNameWords = map[ceremony.StepName]string{
	ceremony.StepCheckInput:          "check input",
	ceremony.StepStartEnrollment:     "start enrollment",
	ceremony.StepCheckAuthenticators: "check authenticators",
	ceremony.StepFindKey:             "find security key",
	ceremony.StepMakeCredential:      "create credential on key",
	ceremony.StepSendAttestation:     "send attestation",
	ceremony.StepStartApproval:       "start approval",
	ceremony.StepGetAssertion:        "get assertion from key",
	ceremony.StepSendAssertion:       "send assertion",
	ceremony.StepPollStatus:          "poll status",
	ceremony.StepIntrospectToken:     "introspect token",
}

// kindText names a ceremony in the window's language.
func kindText(k ceremony.Kind) string {
	switch k {
	case ceremony.KindEnroll:
		return lang.L("enroll")
	case ceremony.KindSignIn:
		return lang.L("sign-in")
	}
	return lang.L("unknown")
}

// touchPurposeText is what the key waits for a touch for, as the end of
// "Touch your security key to …".
func touchPurposeText(p ctap.TouchPurpose) string {
	switch p {
	case ctap.TouchMakeCredential:
		return lang.L("create a credential")
	case ctap.TouchGetAssertion:
		return lang.L("sign in")
	case ctap.TouchReset:
		return lang.L("reset")
	}
	return lang.L("confirm")
}

// userLabel is how a person recognises an account a key holds
// (ctap.UserEntity.Label), or words saying it has no name.
func userLabel(u ctap.UserEntity) string {
	if l := u.Label(); l != "" {
		return l
	}
	return lang.L("an account without a name")
}

// needUsername explains, without starting anything, that an enrollment
// needs a username (the Cloud would answer with error-1000 about invalid
// creation options). Call it on the UI goroutine.
func (m *EnrollModel) needUsername() {
	_ = m.ResultOK.Set(false)
	_ = m.ResultTitle.Set(lang.L("Type a username"))
	_ = m.ResultCodes.Set("")
	_ = m.ResultText.Set(lang.L("Enrollment registers the key for one person: type the username they sign in with, e.g. alice@example.com, then start again."))
	_ = m.HasResult.Set(true)
}
