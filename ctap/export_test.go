package ctap

// MarkRemoved is markRemoved for the external tests (removed_test.go).
var MarkRemoved = markRemoved
