package window

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
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
	modeLbl := widget.NewLabel(mode)
	modeLbl.Wrapping = fyne.TextWrapWord
	conn := card(lang.L("Authentication Cloud"), "", container.NewVBox(modeLbl,
		widget.NewForm(
			widget.NewFormItem(lang.L("Instance URL"), s.instance),
			widget.NewFormItem(lang.L("Origin"), s.origin),
			widget.NewFormItem(lang.L("Access key"), s.key)),
		widget.NewLabel(lang.L("The access key is stored in the system keyring and never shown.")),
		container.NewHBox(s.save, s.test, s.cancel)))
	look := card(lang.L("Appearance"), "", widget.NewForm(
		widget.NewFormItem(lang.L("Language"), s.language),
		widget.NewFormItem(lang.L("Theme"), widget.NewLabel(lang.L("follows the system (light or dark)")))))
	s.content = container.NewVScroll(container.NewVBox(heading(lang.L("Settings"), ""), conn, look, s.status))
	return s
}
