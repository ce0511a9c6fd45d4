package kiosk

import (
	"fmt"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// This file holds the kiosk's own words; failures are told in the result
// catalogue's end-user text, never with err.Error().

const (
	wordsAttractTitle   = "Enroll your security key"
	wordsAttractSteps   = "1  Type or scan your %s\n2  Plug in your security key\n3  Touch it when it blinks"
	wordsAttractStart   = "Start"
	wordsAttractHint    = "Tap Start or just begin typing"
	wordsUsernameTitle  = "Who are you?"
	wordsUsernameBody   = "Type or scan your %s, then press Enter."
	wordsContinue       = "Continue"
	wordsCancel         = "Cancel"
	wordsInsertTitle    = "Plug in your security key"
	wordsInsertBody     = "Put your key into a USB port of this station.\nIt is found automatically."
	wordsChooseTitle    = "Touch the key you want to enroll"
	wordsChooseBody     = "Several keys are plugged in. Touch the one you want to enroll when it blinks,\nor unplug the others."
	wordsSetPINTitle    = "Choose a PIN for your key"
	wordsSetPINBody     = "Your key has no PIN yet. Choose one of at least %d characters (no simple patterns like 1234) and type it twice. You will need it to sign in."
	wordsNewPIN         = "New PIN"
	wordsNewPINAgain    = "New PIN again"
	wordsEnterPINTitle  = "Enter your key's PIN"
	wordsEnterPINBody   = "Type the PIN of your security key."
	wordsPIN            = "PIN"
	wordsTouchTitle     = "Touch your key now"
	wordsTouchBody      = "Touch the metal contact or button of your key while it blinks."
	wordsTouchCountdown = "%d seconds left"
	wordsWorkingTitle   = "One moment…"
	wordsSuccessTitle   = "Your key is enrolled"
	wordsFailureTitle   = "Your key was not enrolled"
	wordsHelpdesk       = "If this happens again, call the helpdesk and give them code %s"
	wordsDone           = "Done"
	wordsTryAgain       = "Try again"
	wordsAdminTitle     = "Administrator"
	wordsAdminBody      = "Enter the admin PIN to close the kiosk."
	wordsAdminPIN       = "Admin PIN"
	wordsAdminExit      = "Close the kiosk"
	wordsNoneTouched    = "No key was touched. Unplug the keys you do not want to enroll."
	wordsDemo           = "DEMO: virtual key and local test server"

	wordsWorkingPreparing = "Getting ready…"
	wordsWorkingSetPIN    = "Setting your PIN…"
	wordsWorkingServer    = "Talking to the server…"
	wordsWorkingChecking  = "Checking your PIN…"
)

func usernameWords(p UsernameProblem, label string) string {
	switch p {
	case UsernameEmpty:
		return "Please type your " + label + "."
	case UsernameTooLong:
		return "That is too long to be a " + label + "."
	case UsernameInvalid:
		return "That " + label + " contains characters that are not allowed."
	case UsernameNoMatch:
		return "That does not look like a " + label + ". Check it and try again."
	}
	return ""
}

func pinWords(p PINProblem, minLen int) string {
	switch p {
	case PINEmpty:
		return "Please type a PIN."
	case PINTooShort:
		return fmt.Sprintf("The PIN needs at least %d characters.", minLen)
	case PINTooLong:
		return "The PIN is too long."
	case PINTrivial:
		return "That PIN is too easy to guess. Avoid repeated or consecutive characters like 1111 or 1234."
	case PINMismatch:
		return "The two PINs are different. Type the same PIN twice."
	case PINInvalid:
		return "The PIN contains characters that are not allowed."
	case PINForbidden:
		return "That PIN is not allowed here. Choose another one."
	}
	return ""
}

func retryWords(retries int) string {
	switch {
	case retries == 1:
		return "Wrong PIN. 1 try left before your key locks its PIN."
	case retries > 1:
		return fmt.Sprintf("Wrong PIN. %d tries left.", retries)
	}
	return "Wrong PIN. Try again."
}

func adminWords(v AdminVerdict, now time.Time) string {
	switch {
	case v.OK:
		return ""
	case v.Locked:
		mins := int(v.LockedUntil.Sub(now).Round(time.Minute) / time.Minute)
		if mins < 1 {
			return "Too many wrong PINs. Try again in a minute."
		}
		if mins >= 120 {
			return fmt.Sprintf("Too many wrong PINs. Try again in %d hours.", (mins+30)/60)
		}
		return fmt.Sprintf("Too many wrong PINs. Try again in %d minutes.", mins)
	case v.TriesLeft == 1:
		return "Wrong admin PIN. 1 try left."
	}
	return fmt.Sprintf("Wrong admin PIN. %d tries left.", v.TriesLeft)
}

// failureText is the catalogue's end-user text for a failure: the cause's
// when it has one, else the fido2-client code's.
func failureText(status string, cause result.Code) string {
	if !cause.IsZero() {
		if t := result.Lookup(cause).Text(result.User); t != "" {
			return t
		}
	}
	return result.Lookup(result.Nevis(status)).Text(result.User)
}

// helpdeskCode is what the person reads out to the helpdesk: the
// fido2-client code and the cause in the form `keydesk explain` reads.
func helpdeskCode(status string, cause result.Code) string {
	if cause.IsZero() {
		return status
	}
	return status + " (" + cause.String() + ")"
}

// wordsSetPINBodyAny is the set-PIN screen's rule when kiosk.json allows
// simple patterns.
const wordsSetPINBodyAny = "Your key has no PIN yet. Choose one of at least %d characters and type it twice. You will need it to sign in."

// setPINWords is the set-PIN screen's rule: the minimum length, and the
// ban on simple patterns only when the policy in force has it.
func setPINWords(minLen int, forbidTrivial bool) string {
	if forbidTrivial {
		return fmt.Sprintf(wordsSetPINBody, minLen)
	}
	return fmt.Sprintf(wordsSetPINBodyAny, minLen)
}
