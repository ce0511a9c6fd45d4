// Package result is KeyDesk's single catalogue of result codes: every code
// KeyDesk can meet while registering or using a security key, with what it
// means, its likely causes and what to do about it.
//
// A [Code] is a [Source] (the Authentication Cloud's fido2-client, CTAP,
// libfido2, HTTP, the Cloud API, the tenant API, the app-native
// authentication API, the browser's DOMException names, KeyDesk itself) and a
// value. [Lookup] turns any code into an [Entry] and never fails: a code
// nobody catalogued gets a generated entry that shows it verbatim.
//
// Each layer of KeyDesk translates its failures into an [*Error] at its own
// boundary; [errors.Is] compares such errors by code. The ceremonies report
// to the screen with an [Outcome], the same object the Authentication Cloud's
// fido2-client.js returns. [Diagnose] explains anything a helpdesk user
// pastes (a code, a result object, an API error body, a browser console
// line), and [Redact] removes secrets from text before it is shown or logged.
//
// The tables live in catalogue/*.json, embedded at build time; tests check
// them against the vendor documentation in the project's seed files and
// against libfido2's fido/err.h.
package result
