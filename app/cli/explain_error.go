package cli

// explainError is the one place the CLI turns an error into words for a
// person.
func explainError(err error) string {
	return err.Error()
}
