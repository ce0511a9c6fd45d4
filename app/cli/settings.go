package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
)

func init() {
	register(Command{Name: "settings", Summary: wordSummarySettings.en, Run: runSettings})
}

// settingsReport is what `settings test --json` prints on success.
type settingsReport struct {
	InstanceURL string `json:"instanceUrl"`
	Origin      string `json:"origin,omitempty"`
	Reachable   bool   `json:"reachable"`
	KeyAccepted bool   `json:"accessKeyAccepted"`
	// Station is the kind of station the test ran on; only a helpdesk
	// station's access key is checked.
	Station config.Station `json:"station"`
}

// settingsShow is what `settings show --json` prints. It never holds the
// access key: only where it comes from.
type settingsShow struct {
	InstanceURL string         `json:"instanceUrl,omitempty"`
	Origin      string         `json:"origin,omitempty"`
	Station     config.Station `json:"station"`
	// StationChosen is true when the settings name the station; false when
	// KeyDesk decided it (demo, or the user desktop default).
	StationChosen bool `json:"stationChosen"`
	// AccessKey is where a helpdesk station's key comes from
	// ("environment", "keyring"), "missing", or "not-used" elsewhere.
	AccessKey string `json:"accessKey"`
}

// runSettings is `keydesk settings [show|station|test]`: show prints the
// settings and the station (the default), station chooses the station,
// test is the window's "Test connection".
func runSettings(args []string, s IO) int {
	sub := "show"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "show":
		return runSettingsShow(args, s)
	case "station":
		return runSettingsStation(args, s)
	case "test":
		return runSettingsTest(args, s)
	}
	return usageFail(s, wordSettingsUnknown.err(sub))
}

func runSettingsShow(args []string, s IO) int {
	fs := newFlagSet("settings show", s)
	fs.Bool("json", false, wordFlagDevicesJson.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageFail(s, wordSettingsUnknown.err(fs.Arg(0)))
	}
	st, err := config.Load()
	if err != nil {
		return fail(s, err)
	}
	station := st.StationKind()
	noteIgnoredAccessKey(s, station)
	rep := settingsShow{InstanceURL: st.InstanceURL, Origin: st.Origin, Station: station,
		StationChosen: st.Configured() && st.Station.Valid(), AccessKey: "not-used"}
	keyWords := wordKeyNotOnStation.String()
	if station.HoldsAccessKey() {
		_, src, err := config.AccessKeyFor(station, st.InstanceURL)
		switch {
		case err == nil:
			rep.AccessKey, keyWords = string(src), wordKeyFrom.f(src)
		case errors.Is(err, config.ErrNoAccessKey):
			rep.AccessKey, keyWords = "missing", wordKeyMissing.String()
		default:
			rep.AccessKey, keyWords = "unreadable", wordKeyUnreadable.String()
		}
	}
	if s.json {
		writeJSON(s.Out, rep)
		return 0
	}
	inst, origin, how := st.InstanceURL, st.Origin, wordStationDefault.String()
	switch {
	case !st.Configured():
		inst, how = wordNoInstance.String(), wordStationNoInstance.String()
	case rep.StationChosen:
		how = wordStationChosen.String()
	}
	if origin == "" {
		origin = wordNoOrigin.String()
	}
	fmt.Fprint(s.Out, wordSettingsShow.f(inst, origin, stationWords(station), how, keyWords))
	return 0
}

// runSettingsStation is `keydesk settings station helpdesk|desktop|kiosk`:
// it writes the station into the settings file (the window's Settings
// screen does the same). Demo is what no instance makes, not a choice.
func runSettingsStation(args []string, s IO) int {
	fs := newFlagSet("settings station", s)
	fs.Bool("json", false, wordFlagDevicesJson.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageFail(s, wordStationWant.err())
	}
	want, err := config.ParseStation(fs.Arg(0))
	if err != nil || want == config.StationDemo {
		return usageFail(s, wordStationWant.err())
	}
	st, err := config.Load()
	if err != nil {
		return fail(s, err)
	}
	st.Station = want
	if err := config.Save(st); err != nil {
		return fail(s, err)
	}
	if s.json {
		writeJSON(s.Out, map[string]any{"station": st.StationKind(), "stationChosen": want})
		return 0
	}
	fmt.Fprint(s.Out, wordStationSet.f(stationWords(want)))
	switch {
	case !st.Configured():
		fmt.Fprint(s.Out, wordStationSetDemo)
	case want.HoldsAccessKey():
		if _, _, err := config.AccessKeyFor(want, st.InstanceURL); err != nil {
			fmt.Fprint(s.Out, wordStationSetNeedKey)
		}
	default:
		noteIgnoredAccessKey(s, want)
	}
	return 0
}

// runSettingsTest is `keydesk settings test`: the window's "Test
// connection" on the command line. The documented ping proves the instance
// answers; on a helpdesk station a documented read that changes nothing
// proves it accepts the access key. Other stations hold no key to prove.
func runSettingsTest(args []string, s IO) int {
	fs := newFlagSet("settings test", s)
	fs.Bool("json", false, wordFlagDevicesJson.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageFail(s, wordSettingsUnknown.err(fs.Arg(0)))
	}
	st, err := config.Load()
	if err != nil {
		return fail(s, err)
	}
	if !st.Configured() {
		return fail(s, result.Errorf(result.CodeNotConfigured, "%s", wordNoInstanceDemoMode.en))
	}
	station := st.StationKind()
	noteIgnoredAccessKey(s, station)
	cfg, opts, err := st.CloudConfig()
	if err != nil {
		return fail(s, err)
	}
	cl, err := cloud.New(cfg, opts...)
	if err != nil {
		return fail(s, err)
	}
	ctx, cancel := signalContext()
	defer cancel()
	rep := settingsReport{InstanceURL: st.InstanceURL, Origin: st.Origin, Station: station}
	if err := cl.Ping(ctx); err != nil {
		return fail(s, connectionError(err))
	}
	rep.Reachable = true
	if !station.HoldsAccessKey() {
		if s.json {
			writeJSON(s.Out, rep)
			return 0
		}
		fmt.Fprint(s.Out, wordConnectionNoKey.f(st.InstanceURL, stationWords(station)))
		return 0
	}
	if err := cl.CheckAccessKey(ctx); err != nil {
		return fail(s, connectionError(err))
	}
	rep.KeyAccepted = true
	if s.json {
		writeJSON(s.Out, rep)
		return 0
	}
	fmt.Fprint(s.Out, wordConnectionWorks.f(st.InstanceURL))
	return 0
}

// connectionError gives a failed connection test its catalogue code (an
// HTTP status, unreachable, TLS, …), as a ceremony names its cause.
func connectionError(err error) error {
	if _, ok := result.CodeOf(err); ok {
		return err
	}
	if c := ceremony.CauseOf(err); c != result.NoCode && !c.IsZero() {
		return result.Wrap(c, err)
	}
	return err
}
