package result

// The codes of the Authentication Cloud's own API refusals (source
// cloud-api) that KeyDesk names in code.

// CodeCloudRejected (cloud-api:rejected) is the Cloud's own refusal of a
// credential: an _app result answer that carries an errorMessage (the
// official sample apps treat any errorMessage as a failure).
var CodeCloudRejected = CloudAPI("rejected")
