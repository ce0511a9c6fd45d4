package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/keydesk/keydesk/client/cloud"
)

// Station is the kind of KeyDesk station (issue 14, DESIGN.md section 8):
// what a station may do follows from it, and only a helpdesk station ever
// holds the organisation's access key. The Cloud's documentation forbids
// the access key on clients ("This API is designed to be only used for
// server-to-server calls. Never expose your access keys on the client side
// or in untrusted contexts", docs.nevis.net/authcloud/api-doc/, the
// overview's caution).
type Station string

// The kinds of station. The values are what Settings.Station holds.
const (
	// StationDemo runs against the emulator and the virtual key (no
	// instance configured); every screen works, with the emulator's own key.
	StationDemo Station = "demo"
	// StationHelpdesk holds the access key (keyring or KEYDESK_ACCESS_KEY):
	// it looks users up, deletes authenticators and enrolls directly.
	StationHelpdesk Station = "helpdesk"
	// StationDesktop is a person's own computer: the instance URL and the
	// origin, no access key. It is the default of a configured instance.
	StationDesktop Station = "desktop"
	// StationKiosk is a walk-up enrollment station (keydesk kiosk).
	StationKiosk Station = "kiosk"
)

// Stations lists the values Settings.Station may hold, in the order a
// person is offered them.
var Stations = []Station{StationHelpdesk, StationDesktop, StationKiosk, StationDemo}

// Valid reports whether s is one of the kinds of station.
func (s Station) Valid() bool {
	for _, v := range Stations {
		if s == v {
			return true
		}
	}
	return false
}

// HoldsAccessKey reports whether a station of this kind may read the
// access key at all: only a helpdesk station.
func (s Station) HoldsAccessKey() bool { return s == StationHelpdesk }

// EnrollsByUsername reports whether a station of this kind may enroll a
// key for a username typed on it (and look users up): helpdesk and demo.
// A user desktop and a kiosk enroll only with a pass from the helpdesk.
func (s Station) EnrollsByUsername() bool { return s == StationHelpdesk || s == StationDemo }

// Label is the station's name in English words ("user desktop").
func (s Station) Label() string {
	switch s {
	case StationDesktop:
		return "user desktop"
	case StationHelpdesk:
		return "helpdesk station"
	case StationKiosk:
		return "kiosk"
	case StationDemo:
		return "demo"
	}
	return string(s)
}

// ParseStation reads a station as a person types it: "helpdesk", "desktop"
// ("user desktop", "user-desktop"), "kiosk", "demo"; case and spaces do not
// matter.
func ParseStation(v string) (Station, error) {
	k := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(v, "-", " ")), " "))
	switch k {
	case "user desktop", "user":
		return StationDesktop, nil
	}
	if s := Station(k); s.Valid() {
		return s, nil
	}
	return "", fmt.Errorf("config: unknown station %q: one of helpdesk, desktop, kiosk, demo", v)
}

// StationKind decides which kind of station these settings make, the one rule
// every front-end uses: no instance configured is demo; an explicit
// station wins; a configured instance with no explicit station is a user
// desktop (the default that fails safe: no access key is read). A helpdesk
// station exists only where it was chosen explicitly.
func (s Settings) StationKind() Station {
	if !s.Configured() {
		return StationDemo
	}
	if s.Station.Valid() {
		return s.Station
	}
	return StationDesktop
}

// ErrNoAccessKeyOnStation is returned by AccessKeyFor on a station that
// never holds the access key (user desktop, kiosk, demo).
var ErrNoAccessKeyOnStation = errors.New("config: this station holds no access key")

// ErrHelpdeskNeedsAccessKey is returned by AccessKeyFor on a helpdesk
// station whose keyring and environment hold no access key. Its message
// says what to do.
var ErrHelpdeskNeedsAccessKey = errors.New("config: this helpdesk station has no access key: store it with the Settings screen (it goes into the system keyring) or start KeyDesk with it in " + EnvAccessKey)

// AccessKeyFor is the one way KeyDesk reads the access key: only a helpdesk
// station reads it (environment, then keyring; AccessKey). Every other
// station gets ErrNoAccessKeyOnStation without the environment or the
// keyring being read. A helpdesk station with no key gets an error that
// wraps both ErrNoAccessKey and ErrHelpdeskNeedsAccessKey.
func AccessKeyFor(st Station, instanceURL string) (cloud.Secret, Source, error) {
	if !st.HoldsAccessKey() {
		return cloud.Secret{}, "", ErrNoAccessKeyOnStation
	}
	k, src, err := AccessKey(instanceURL)
	if errors.Is(err, ErrNoAccessKey) {
		return cloud.Secret{}, "", noKeyOnHelpdesk{}
	}
	return k, src, err
}

type noKeyOnHelpdesk struct{}

func (noKeyOnHelpdesk) Error() string { return ErrHelpdeskNeedsAccessKey.Error() }
func (noKeyOnHelpdesk) Is(target error) bool {
	return target == ErrNoAccessKey || target == ErrHelpdeskNeedsAccessKey
}

// AccessKeyEnvIgnored reports whether KEYDESK_ACCESS_KEY is set on a
// station that does not hold the access key: the front-ends then say once,
// in plain words, that it is ignored. Only whether it is set is looked at;
// its value is neither kept nor registered.
func AccessKeyEnvIgnored(st Station) bool {
	return !st.HoldsAccessKey() && strings.TrimSpace(os.Getenv(EnvAccessKey)) != ""
}
