package cli

import (
	"fmt"

	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
)

// The three kinds of station (issue 14, client/config.Station): only a
// helpdesk station holds the access key, looks users up, changes them and
// enrolls a key for a typed username; demo mode may do all of it against
// the emulator. A user desktop and a kiosk refuse before the Cloud is
// called or a key is touched.

// stationWords names a station in the CLI's language.
func stationWords(st config.Station) string {
	switch st {
	case config.StationHelpdesk:
		return wordStationHelpdesk.String()
	case config.StationDesktop:
		return wordStationDesktop.String()
	case config.StationKiosk:
		return wordStationKiosk.String()
	case config.StationDemo:
		return wordStationDemo.String()
	}
	return string(st)
}

// noteIgnoredAccessKey says, once per command, that KEYDESK_ACCESS_KEY is
// set on a station that never reads it; its value is never shown.
func noteIgnoredAccessKey(s IO, st config.Station) {
	if (st == config.StationDesktop || st == config.StationKiosk) && config.AccessKeyEnvIgnored(st) {
		fmt.Fprint(s.Err, wordAccessKeyEnvIgnored.f(stationWords(st)))
	}
}

// needUsernameStation refuses what only a helpdesk station (or demo mode)
// may do: the helpdesk commands and enrollment by a typed username. what
// names the command ("user show", "enroll --user"). demo is --demo, which
// replaces the configured instance with the emulator. A settings file that
// cannot be read is left to openSession to report.
func needUsernameStation(s IO, what string, demo bool) error {
	if demo {
		return nil
	}
	st, err := config.Load()
	if err != nil {
		return nil
	}
	station := st.StationKind()
	if station.EnrollsByUsername() {
		return nil
	}
	noteIgnoredAccessKey(s, station)
	return result.Errorf(result.CodeStationNotAllowed, "%w", wordStationRefuses.err(what, stationWords(station)))
}
