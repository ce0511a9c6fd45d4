package virtualkey

// CTAP status codes the virtual key returns (CTAP 2.1 §8.2). Only the codes
// this authenticator can produce are listed; callers that need names for
// every code use the result catalogue.
const (
	statusOK                  byte = 0x00
	errInvalidCommand         byte = 0x01
	errInvalidParameter       byte = 0x02
	errInvalidLength          byte = 0x03
	errCBORUnexpectedType     byte = 0x11
	errInvalidCBOR            byte = 0x12
	errMissingParameter       byte = 0x14
	errLimitExceeded          byte = 0x15
	errCredentialExcluded     byte = 0x19
	errUnsupportedAlgorithm   byte = 0x26
	errOperationDenied        byte = 0x27
	errKeyStoreFull           byte = 0x28
	errUnsupportedOption      byte = 0x2B
	errInvalidOption          byte = 0x2C
	errKeepaliveCancel        byte = 0x2D
	errNoCredentials          byte = 0x2E
	errUserActionTimeout      byte = 0x2F
	errNotAllowed             byte = 0x30
	errPINInvalid             byte = 0x31
	errPINBlocked             byte = 0x32
	errPINAuthInvalid         byte = 0x33
	errPINAuthBlocked         byte = 0x34
	errPINNotSet              byte = 0x35
	errPUATRequired           byte = 0x36
	errPINPolicyViolation     byte = 0x37
	errRequestTooLarge        byte = 0x39
	errInvalidSubcommand      byte = 0x3E
	errUnauthorizedPermission byte = 0x40
	errOther                  byte = 0x7F
)

// Exported names for the statuses a test or demo script is most likely to
// hand to FailNext.
const (
	StatusOperationDenied    = errOperationDenied
	StatusUserActionTimeout  = errUserActionTimeout
	StatusKeepaliveCancel    = errKeepaliveCancel
	StatusNoCredentials      = errNoCredentials
	StatusPINInvalid         = errPINInvalid
	StatusPINBlocked         = errPINBlocked
	StatusPINAuthBlocked     = errPINAuthBlocked
	StatusPINRequired        = errPUATRequired
	StatusCredentialExcluded = errCredentialExcluded
	StatusKeyStoreFull       = errKeyStoreFull
	StatusNotAllowed         = errNotAllowed
	StatusInvalidCBOR        = errInvalidCBOR
	StatusOther              = errOther
)
