// Package window is KeyDesk's main window (the Fyne GUI): its screens,
// their view-models and the prompter. The kiosk is a window of its own
// (package app/kiosk); the command line (app/cli) needs no window at all.
// It never talks to libfido2 or HTTP itself; it drives the ctap and client
// packages off the UI goroutine, and those worker goroutines update widgets
// through fyne.Do (code on the UI goroutine updates them directly).
//
// Each screen has a view-model (keys.go, ceremony.go, manage.go,
// helpdesk.go, settings.go: bindings, no widgets, testable without a
// display; each reaches Services through a small interface, seams.go) and
// a file with its widgets (*_screen.go). prompter.go turns
// the key's PIN and touch requests into dialogs.
package window

import (
	"context"
	"fmt"
	"os"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/assets"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/ctap"
)

// AppID is KeyDesk's application ID (preferences, desktop entry).
const AppID = "io.keydesk.app"

// Run opens the KeyDesk window and returns the exit code when it closes.
// With no instance configured it starts demo mode: the Authentication
// Cloud emulator on loopback and KeyDesk's virtual key.
func Run() int {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	SetLanguage(a.Preferences().String(prefLanguage))
	svc, stop, err := StartServices(context.Background(), ConfigStore{}, demo.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "keydesk:", err)
		return 1
	}
	defer stop()
	w := a.NewWindow(windowTitle(svc))
	ui := NewUI(a, w, svc)
	w.SetContent(ui.Build())
	w.Resize(fyne.NewSize(1000, 680))
	ui.Start()
	defer ui.Stop()
	w.ShowAndRun()
	return 0
}

// StartServices loads the settings and connects to the configured
// instance, or starts demo mode (emulator + virtual key) when there is
// none. stop ends demo mode.
func StartServices(ctx context.Context, store SettingsStore, demoOpts demo.Options) (svc *Services, stop func(), err error) {
	st, err := store.Load()
	if err == nil && st.Configured() {
		station := st.StationKind()
		if config.AccessKeyEnvIgnored(station) && station != config.StationDemo {
			// Said once, in plain words, never with the value.
			fmt.Fprintf(os.Stderr, "keydesk: %s\n", lang.L("KEYDESK_ACCESS_KEY is set, but KeyDesk ignores it: only a helpdesk station uses the organisation's access key."))
		}
		key, kerr := store.AccessKey(station, st.InstanceURL)
		svc = NewServices(nil, nil, store)
		svc.SetStation(station)
		if kerr == nil && (!key.IsZero() || !station.HoldsAccessKey()) {
			// A station without the access key still reaches the instance
			// (ping, the _app results, status); its server calls are
			// refused before anything is sent.
			if cl, cerr := NewCloudClient(st, key); cerr == nil {
				svc.SetCloud(cl)
			}
		}
		return svc, func() {}, nil
	}
	env, err := demo.Start(ctx, demoOpts)
	if err != nil {
		return nil, nil, err
	}
	return NewDemoServices(env, store), env.Close, nil
}

// windowTitle names the station: "KeyDesk — Helpdesk station", "— User
// desktop", "— Kiosk" or "— Demo".
func windowTitle(s *Services) string {
	return "KeyDesk — " + stationTitle(s.Station())
}

// stationTitle is the station's name as a title.
func stationTitle(st config.Station) string {
	switch st {
	case config.StationHelpdesk:
		return lang.L("Helpdesk station")
	case config.StationDesktop:
		return lang.L("User desktop")
	case config.StationKiosk:
		return lang.L("Kiosk")
	}
	return lang.L("Demo")
}

// Screen names, in tab order.
const (
	ScreenKeys     = "keys"
	ScreenEnroll   = "enroll"
	ScreenSignIn   = "signin"
	ScreenManage   = "manage"
	ScreenHelpdesk = "helpdesk"
	ScreenSettings = "settings"
)

// Screens lists the screen names in tab order.
var Screens = []string{ScreenKeys, ScreenEnroll, ScreenSignIn, ScreenManage, ScreenHelpdesk, ScreenSettings}

// UI is the KeyDesk window: the models, the screens built on them and the
// window's dialogs. Tests keep a UI to drive its widgets.
type UI struct {
	App fyne.App
	Win fyne.Window
	S   *Services

	Keys     *KeysModel
	Enroll   *EnrollModel
	SignIn   *SignInModel
	Manage   *ManageModel
	Helpdesk *HelpdeskModel
	Settings *SettingsModel

	esc  *escapeStack
	tabs *container.AppTabs
	// shown are the names of the screens in the tabs, in order: Screens
	// less what the station may not do (stationScreens).
	shown []string
	// guard is set while a prompter's dialog is open and shortly after:
	// the forms ignore Enter then.
	guard *inputGuard

	// The screens: Build makes keysScreen, the others are nil until their
	// tab is first selected (ensureScreen).
	keysScreen     *keysScreen
	enrollScreen   *enrollScreen
	signInScreen   *signInScreen
	manageScreen   *manageScreen
	helpdeskScreen *helpdeskScreen
	settingsScreen *settingsScreen

	ctx  context.Context
	stop context.CancelFunc
	// testOnlyPrompter, when set, wraps every prompter (tests watch dialogs).
	testOnlyPrompter func(*Prompter)
}

// NewUI makes the models for a window; Build makes its content.
func NewUI(a fyne.App, w fyne.Window, s *Services) *UI {
	u := &UI{App: a, Win: w, S: s, esc: &escapeStack{}, guard: &inputGuard{}}
	u.ctx, u.stop = context.WithCancel(context.Background())
	u.Keys = NewKeysModel(s)
	u.Enroll = NewEnrollModel(s)
	u.SignIn = NewSignInModel(s)
	u.Manage = NewManageModel(s)
	u.Helpdesk = NewHelpdeskModel(s)
	u.Settings = NewSettingsModel(s, a.Preferences())
	u.Settings.Load()
	u.Settings.OnStationChanged = u.Rebuild
	u.Enroll.parent, u.SignIn.parent = u.ctx, u.ctx // closing the window ends a ceremony
	rescan := func() { go u.Keys.Scan(u.ctx, true) }
	u.Enroll.OnDone = func(*Ceremony) { rescan() }
	u.SignIn.OnDone = func(*Ceremony) { rescan() }
	u.Manage.OnChanged = rescan
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			u.esc.escape()
		}
	})
	return u
}

// Start watches for keys being plugged in and out.
func (u *UI) Start() { u.Keys.Watch(u.ctx) }

// Stop ends the watchers and any running ceremony.
func (u *UI) Stop() {
	u.stop()
	u.Enroll.Cancel()
	u.SignIn.Cancel()
}

// Build makes the window's content: one tab per screen. Only the Keys
// screen is built now; every other screen is built the first time it is
// selected (Show or a tap on its tab), so the first frame does not wait
// for widgets nobody sees yet. Screens read their models when built, so a
// screen built late shows the same state as one built at start.
func (u *UI) Build() fyne.CanvasObject {
	u.keysScreen, u.enrollScreen, u.signInScreen = nil, nil, nil
	u.manageScreen, u.helpdeskScreen, u.settingsScreen = nil, nil, nil
	u.shown = stationScreens(u.S.Station())
	items := make([]*container.TabItem, len(u.shown))
	for i, n := range u.shown {
		switch n {
		case ScreenKeys:
			items[i] = container.NewTabItemWithIcon(lang.L("Keys"), theme.ComputerIcon(), notBuilt())
		case ScreenEnroll:
			items[i] = container.NewTabItemWithIcon(lang.L("Enroll"), theme.ContentAddIcon(), notBuilt())
		case ScreenSignIn:
			items[i] = container.NewTabItemWithIcon(lang.L("Test sign-in"), theme.LoginIcon(), notBuilt())
		case ScreenManage:
			items[i] = container.NewTabItemWithIcon(lang.L("Manage key"), theme.StorageIcon(), notBuilt())
		case ScreenHelpdesk:
			items[i] = container.NewTabItemWithIcon(lang.L("Helpdesk"), theme.HelpIcon(), notBuilt())
		case ScreenSettings:
			items[i] = container.NewTabItemWithIcon(lang.L("Settings"), theme.SettingsIcon(), notBuilt())
		}
	}
	u.tabs = container.NewAppTabs(items...)
	u.ensureScreen(0)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.OnSelected = func(it *container.TabItem) {
		// A tap on a tab selects it, lays it out and then tells us: a
		// screen built now takes the stand-in's place at the next layout.
		if i := slices.Index(u.tabs.Items, it); i >= 0 && u.ensureScreen(i) {
			u.tabs.Refresh()
		}
		u.focusScreen()
	}
	return u.tabs
}

// stationScreens are the screens a station offers, in tab order: the
// Helpdesk screen only on a helpdesk station and in demo mode (issue 14);
// a user desktop and a kiosk hold no access key to look anyone up with.
func stationScreens(st config.Station) []string {
	var out []string
	for _, n := range Screens {
		if n == ScreenHelpdesk && !st.EnrollsByUsername() {
			continue
		}
		out = append(out, n)
	}
	return out
}

// notBuilt stands in for a screen until its tab is first selected.
func notBuilt() fyne.CanvasObject { return container.NewStack() }

// ensureScreen builds the screen of tab i if it is not built yet and puts
// it into its tab; true when it built it.
func (u *UI) ensureScreen(i int) bool {
	if i < 0 || i >= len(u.shown) || !isNotBuilt(u.tabs.Items[i].Content) {
		return false
	}
	var content fyne.CanvasObject
	byName := u.S.Station().EnrollsByUsername()
	switch n := u.shown[i]; {
	case n == ScreenKeys && u.keysScreen == nil:
		u.keysScreen = newKeysScreen(u)
		content = u.keysScreen.content
	case n == ScreenEnroll && !byName:
		content = passNeededScreen(lang.L("Enroll a security key"))
	case n == ScreenEnroll && u.enrollScreen == nil:
		u.enrollScreen = newEnrollScreen(u)
		content = u.enrollScreen.content
	case n == ScreenSignIn && !byName:
		content = passNeededScreen(lang.L("Test sign-in"))
	case n == ScreenSignIn && u.signInScreen == nil:
		u.signInScreen = newSignInScreen(u)
		content = u.signInScreen.content
	case n == ScreenManage && u.manageScreen == nil:
		u.manageScreen = newManageScreen(u)
		content = u.manageScreen.content
	case n == ScreenHelpdesk && u.helpdeskScreen == nil:
		u.helpdeskScreen = newHelpdeskScreen(u)
		content = u.helpdeskScreen.content
	case n == ScreenSettings && u.settingsScreen == nil:
		u.settingsScreen = newSettingsScreen(u)
		content = u.settingsScreen.content
	default:
		return false
	}
	u.tabs.Items[i].Content = content
	return true
}

// isNotBuilt reports whether a tab still holds notBuilt's stand-in.
func isNotBuilt(o fyne.CanvasObject) bool {
	c, ok := o.(*fyne.Container)
	return ok && len(c.Objects) == 0
}

// Rebuild remakes the content (after the language changed); what was
// typed lives in the models and stays.
// Rebuild remakes the content (after the language or the station
// changed); what was typed lives in the models and stays. A screen the
// station no longer offers gives way to Keys.
func (u *UI) Rebuild() {
	sel := u.Selected()
	u.Win.SetContent(u.Build())
	if !slices.Contains(u.shown, sel) {
		sel = ScreenKeys
	}
	u.Show(sel)
	u.Win.SetTitle(windowTitle(u.S))
}

// Selected is the name of the selected screen.
func (u *UI) Selected() string {
	if i := u.tabs.SelectedIndex(); i >= 0 && i < len(u.shown) {
		return u.shown[i]
	}
	return ""
}

// Shown lists the screens the window offers now, in tab order.
func (u *UI) Shown() []string { return slices.Clone(u.shown) }

// Show selects a screen by name, building it first if needed. A screen the
// station does not offer is not shown.
func (u *UI) Show(name string) {
	if i := slices.Index(u.shown, name); i >= 0 {
		u.ensureScreen(i)
		u.tabs.SelectIndex(i)
	}
	u.focusScreen()
}

// focusScreen puts the keyboard focus where the screen's work starts.
func (u *UI) focusScreen() {
	switch u.Selected() {
	case ScreenEnroll:
		if u.enrollScreen != nil {
			u.Win.Canvas().Focus(u.enrollScreen.username)
		}
	case ScreenSignIn:
		if u.signInScreen != nil {
			u.Win.Canvas().Focus(u.signInScreen.username)
		}
	case ScreenHelpdesk:
		u.Win.Canvas().Focus(u.helpdeskScreen.paste)
	case ScreenSettings:
		u.Win.Canvas().Focus(u.settingsScreen.instance)
	}
}

// prompterFactory makes the dialogs of one operation.
func (u *UI) prompterFactory() PrompterFactory {
	return func(cancel context.CancelFunc) ctap.Prompter { return u.prompter(cancel) }
}

func (u *UI) prompter(cancel context.CancelFunc) *Prompter {
	p := NewPrompter(u.Win, u.esc, cancel)
	p.guard = u.guard
	if u.testOnlyPrompter != nil {
		u.testOnlyPrompter(p)
	}
	return p
}
