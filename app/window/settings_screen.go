package window

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/client/config"
)

// settingsScreen edits the instance URL, the origin, the access key (kept
// in the OS keyring and shown masked) and the language.
type settingsScreen struct {
	content  fyne.CanvasObject
	instance *widget.Entry
	origin   *widget.Entry
	key      *secretEntry
	save     *widget.Button
	test     *widget.Button
	cancel   *widget.Button // ends a running save or test; shown meanwhile
	language *widget.Select
	status   *widget.Label
	// station chooses helpdesk station or user desktop; form holds the
	// connection fields, with the access key row only for a helpdesk
	// station (absent, not disabled, on a user desktop).
	station *widget.RadioGroup
	form    *widget.Form
	keyRow  *widget.FormItem
	keyNote *widget.Label
}

// stationChoices are the stations a person may choose on the screen, in
// the order offered (demo is what no instance makes; a kiosk is set up
// with keydesk kiosk).
var stationChoices = []config.Station{config.StationHelpdesk, config.StationDesktop}

// showKeyRow puts the access key row into the form on a helpdesk station
// and takes it out otherwise.
func (s *settingsScreen) showKeyRow(helpdesk bool) {
	items := s.form.Items[:0:0]
	for _, it := range s.form.Items {
		if it != s.keyRow {
			items = append(items, it)
		}
	}
	if helpdesk {
		items = append(items, s.keyRow)
		s.keyNote.Show()
	} else {
		s.keyNote.Hide()
	}
	s.form.Items = items
	s.form.Refresh()
}

func newSettingsScreen(u *UI) *settingsScreen {
	m := u.Settings
	s := &settingsScreen{instance: widget.NewEntryWithData(m.InstanceURL), origin: widget.NewEntryWithData(m.Origin)}
	s.instance.SetPlaceHolder("https://acme.mauth.nevis.cloud")
	s.origin.SetPlaceHolder("https://portal.example.com")
	mask, _ := m.KeyMask.Get()
	s.key = newSecretEntry(mask)
	m.KeyMask.AddListener(binding.NewDataListener(func() {
		v, _ := m.KeyMask.Get()
		s.key.SetPlaceHolder(v)
	}))
	save := func() {
		k, st := s.key.Text, m.Typed()
		if st.Station != config.StationHelpdesk {
			k = "" // no key field on this station
		}
		m.act.run(u.ctx, func(context.Context, context.CancelFunc) {
			// The typed key is cleared only once it is stored: after a
			// failure it stays for the next try (and so does a key typed
			// anew while saving).
			if m.Save(st, k) == nil {
				fyne.Do(func() {
					if s.key.Text == k {
						s.key.SetText("")
					}
				})
			}
		})
	}
	s.save = widget.NewButton(lang.L("Save"), save)
	s.save.Importance = widget.HighImportance
	s.test = widget.NewButton(lang.L("Test connection"), func() {
		k, st := s.key.Text, m.Typed()
		if st.Station != config.StationHelpdesk {
			k = ""
		}
		m.act.run(u.ctx, func(ctx context.Context, _ context.CancelFunc) { _ = m.TestConnection(ctx, st, k) })
	})
	s.cancel = widget.NewButton(lang.L("Cancel"), m.Cancel)
	s.cancel.Hide()
	showWhile(m.Busy, s.cancel)
	disableWhile(m.Busy, s.save, s.test)
	s.key.OnSubmitted = func(string) { save() }

	names := make([]string, len(Languages))
	for i, c := range Languages {
		names[i] = languageName(c)
	}
	s.language = widget.NewSelect(names, nil)
	cur, _ := m.Language.Get()
	s.language.SetSelected(languageName(cur))
	s.language.OnChanged = func(name string) {
		for i, n := range names {
			if n == name && Languages[i] != cur {
				m.SetLanguage(Languages[i])
				u.Rebuild()
				u.Show(ScreenSettings)
			}
		}
	}
	s.status = widget.NewLabelWithData(m.Status)
	s.status.Wrapping = fyne.TextWrapWord
	m.StatusOK.AddListener(binding.NewDataListener(func() {
		if ok, _ := m.StatusOK.Get(); ok {
			s.status.Importance = widget.SuccessImportance
		} else {
			s.status.Importance = widget.DangerImportance
		}
		s.status.Refresh()
	}))
	mode := lang.L("Connected to the instance above.")
	if u.S.Demo() != nil {
		mode = lang.L("Demo mode: no instance is configured, so KeyDesk runs the Authentication Cloud emulator on this computer and a virtual key. Save an instance and restart to use it.")
	}
	here := u.S.Station()
	mode = lang.L("This computer is:") + " " + stationTitle(here) + ". " + mode
	if config.AccessKeyEnvIgnored(here) && here != config.StationDemo {
		mode += "\n" + lang.L("KEYDESK_ACCESS_KEY is set, but KeyDesk ignores it: only a helpdesk station uses the organisation's access key.")
	}
	modeLbl := widget.NewLabel(mode)
	modeLbl.Wrapping = fyne.TextWrapWord
	choiceNames := make([]string, len(stationChoices))
	for i, c := range stationChoices {
		choiceNames[i] = stationTitle(c)
	}
	s.station = widget.NewRadioGroup(choiceNames, nil)
	s.station.Horizontal = true
	s.station.Required = true
	s.keyRow = widget.NewFormItem(lang.L("Access key"), s.key)
	s.keyNote = widget.NewLabel(lang.L("The access key is stored in the system keyring and never shown."))
	s.form = widget.NewForm(
		widget.NewFormItem(lang.L("Station"), s.station),
		widget.NewFormItem(lang.L("Instance URL"), s.instance),
		widget.NewFormItem(lang.L("Origin"), s.origin))
	chosen, _ := m.Station.Get()
	for i, c := range stationChoices {
		if string(c) == chosen {
			s.station.SetSelected(choiceNames[i])
		}
	}
	s.showKeyRow(chosen == string(config.StationHelpdesk))
	s.station.OnChanged = func(name string) {
		for i, n := range choiceNames {
			if n == name {
				_ = m.Station.Set(string(stationChoices[i]))
				s.showKeyRow(stationChoices[i] == config.StationHelpdesk)
			}
		}
	}
	stationHelp := widget.NewLabel(lang.L("A helpdesk station keeps the organisation's access key: it looks users up and enrolls a key for any username. A user desktop keeps no access key: enrolling there needs a pass from the helpdesk."))
	stationHelp.Wrapping = fyne.TextWrapWord
	conn := card(lang.L("Authentication Cloud"), "", container.NewVBox(modeLbl,
		s.form, stationHelp, s.keyNote,
		container.NewHBox(s.save, s.test, s.cancel)))
	look := card(lang.L("Appearance"), "", widget.NewForm(
		widget.NewFormItem(lang.L("Language"), s.language),
		widget.NewFormItem(lang.L("Theme"), widget.NewLabel(lang.L("follows the system (light or dark)")))))
	s.content = container.NewVScroll(container.NewVBox(heading(lang.L("Settings"), ""), conn, look, s.status))
	return s
}
