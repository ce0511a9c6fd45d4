package pass

// Reseal is a pass text around payload with a correct checksum: what
// anyone can compute, since the checksum is not a signature.
func Reseal(payload string) string { return Prefix + payload + "." + checksum(payload) }
