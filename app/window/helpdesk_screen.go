package window

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
)

// helpdeskScreen is the helpdesk's view: the session's ceremonies as a
// chart, the last credential decoded, paste-to-diagnose, user lookup at
// the Cloud and the report export.
type helpdeskScreen struct {
	content   fyne.CanvasObject
	chart     *fyne.Container
	decoded   *fyne.Container
	outcome   *widget.Label
	paste     *widget.Entry
	diagnose  *widget.Button
	diagnosis *widget.Label
	userID    *widget.Entry
	lookup    *widget.Button
	cancel    *widget.Button // ends a running lookup or deletion
	lookupMsg *widget.Label
	userCard  *widget.Card
	auths     *fyne.Container
	report    *widget.Card
	export    *widget.Button
	exportDir *widget.Entry
	status    *widget.Label
	right     *fyne.Container
	chartNote *widget.Label
	delUser   *widget.Button // deletes the user shown (helpdesk_log_screen.go)
	log       *logCard       // the audit log export (helpdesk_log_screen.go)
}

// chartLimit is how many ceremonies the timeline chart draws; the report
// has all of them.
const chartLimit = 6

func newHelpdeskScreen(u *UI) *helpdeskScreen {
	m := u.Helpdesk
	s := &helpdeskScreen{chart: container.NewVBox(), decoded: container.NewVBox(), auths: container.NewVBox()}
	s.chartNote = widget.NewLabel("")
	s.chartNote.Wrapping = fyne.TextWrapWord
	s.chartNote.Importance = widget.WarningImportance
	s.chartNote.Hide()
	s.outcome = widget.NewLabel("")
	s.outcome.Wrapping = fyne.TextWrapWord
	u.S.History.Items.AddListener(binding.NewDataListener(func() { s.redraw(u) }))

	s.paste = widget.NewEntryWithData(m.Paste)
	s.paste.MultiLine = true
	s.paste.Wrapping = fyne.TextWrapWord
	s.paste.SetMinRowsVisible(4)
	s.paste.SetPlaceHolder(lang.L("Paste a code (error-1001, 0x31, ABA-60008), a result object, an API error body or a browser console line"))
	s.diagnose = widget.NewButton(lang.L("Diagnose"), func() {
		in, _ := m.Paste.Get()
		m.diagnoseAct.run(u.ctx, func(context.Context, context.CancelFunc) { m.diagnose(in) })
	})
	disableWhile(m.DiagnoseBusy, s.diagnose)
	s.diagnosis = widget.NewLabelWithData(m.Diagnosis)
	s.diagnosis.Wrapping = fyne.TextWrapWord

	s.userID = widget.NewEntryWithData(m.UserID)
	s.userID.SetPlaceHolder(lang.L("e.g. alice, or a user ID shown after an enrollment"))
	doLookup := func() {
		id, _ := m.UserID.Get()
		m.lookupAct.run(u.ctx, func(ctx context.Context, _ context.CancelFunc) { _ = m.LookupUser(ctx, id) })
	}
	s.userID.OnSubmitted = func(string) { doLookup() }
	s.lookup = widget.NewButtonWithIcon(lang.L("Look up"), theme.SearchIcon(), doLookup)
	s.cancel = widget.NewButton(lang.L("Cancel"), m.CancelLookup)
	s.cancel.Hide()
	showWhile(m.LookupBusy, s.cancel)
	disableWhile(m.LookupBusy, s.lookup)
	s.lookupMsg = widget.NewLabelWithData(m.LookupStatus)
	s.lookupMsg.Wrapping = fyne.TextWrapWord
	userText := widget.NewLabelWithData(m.UserText)
	userText.Wrapping = fyne.TextWrapWord
	m.Authenticators.AddListener(binding.NewDataListener(func() { s.fillAuths(u) }))
	// Status lines change the column's height too.
	m.LookupStatus.AddListener(binding.NewDataListener(func() { s.relayout() }))
	m.UserText.AddListener(binding.NewDataListener(func() { s.relayout() }))
	s.delUser = newDeleteUserButton(u)
	m.UserText.AddListener(binding.NewDataListener(func() {
		if txt, _ := m.UserText.Get(); txt != "" {
			s.delUser.Show()
		} else {
			s.delUser.Hide()
		}
	}))
	s.log = newLogCard(u, s)

	s.exportDir = widget.NewEntry()
	s.exportDir.SetText(DefaultReportDir())
	s.export = widget.NewButtonWithIcon(lang.L("Export report"), theme.DocumentSaveIcon(), func() { s.doExport(u, s.exportDir.Text) })
	s.export.Importance = widget.HighImportance
	disableWhile(m.ExportBusy, s.export)
	choose := widget.NewButtonWithIcon(lang.L("Choose folder…"), theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				s.exportDir.SetText(l.Path())
			}
		}, u.Win)
	})
	s.status = widget.NewLabelWithData(m.Status)
	s.status.Wrapping = fyne.TextWrapWord
	m.Status.AddListener(binding.NewDataListener(func() { s.relayout() }))

	left := container.NewVBox(
		card(lang.L("Timeline"), lang.L("This session's ceremonies, newest first; bar length is time taken; each step's colour says how it ended: green: succeeded, red: failed, amber: timed out, grey: cancelled."),
			container.NewVBox(s.chartNote, s.chart)),
		card(lang.L("Last result"), "", s.outcome),
		card(lang.L("Key data of the last ceremony"), "", s.decoded),
	)
	s.userCard = card(lang.L("User at the Authentication Cloud"), "", container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.L("Username or user ID"), container.NewBorder(nil, nil, nil, container.NewHBox(s.lookup, s.cancel), s.userID))),
		userText, s.lookupMsg, s.auths, container.NewHBox(s.delUser)))
	s.report = card(lang.L("Report"), lang.L("A JSON and an HTML file: key info, timeline, codes, environment; no token, key, challenge or PIN."),
		container.NewVBox(container.NewBorder(nil, nil, nil, choose, s.exportDir), container.NewHBox(s.export), s.status))
	s.right = container.NewVBox(
		s.userCard,
		s.log.card,
		card(lang.L("Diagnose"), "", container.NewVBox(s.paste, container.NewHBox(s.diagnose), s.diagnosis)),
		s.report,
	)
	s.redraw(u)
	s.content = container.NewVScroll(container.NewGridWithColumns(2, left, s.right))
	return s
}

// relayout lays the screen out again after content changed height (rows
// added, a status line): Fyne does not pass a child's new minimum size up
// to the containers around it, which left the lookup's rows drawn over the
// Report card.
func (s *helpdeskScreen) relayout() {
	if s.content == nil {
		return // still being built
	}
	s.userCard.Refresh()
	if s.log != nil {
		s.log.card.Refresh()
	}
	s.report.Refresh()
	s.right.Refresh()
	s.content.Refresh()
}

// redraw rebuilds the chart and the decoded data from the history.
func (s *helpdeskScreen) redraw(u *UI) {
	cs := u.S.History.All()
	s.chart.Objects = []fyne.CanvasObject{timelineChart(cs, chartLimit)}
	s.chart.Refresh()
	if len(cs) > chartLimit {
		s.chartNote.SetText(lang.L("Showing the newest {{.N}} of {{.Total}} ceremonies; the exported report has all of them.",
			map[string]any{"N": chartLimit, "Total": len(cs)}))
		s.chartNote.Show()
	} else {
		s.chartNote.Hide()
	}
	last := u.S.History.Last()
	if last == nil {
		s.outcome.SetText(lang.L("None yet."))
		s.decoded.Objects = nil
		s.decoded.Refresh()
		return
	}
	title, text := OutcomeText(last, result.Helpdesk)
	s.outcome.SetText(title + "\n" + text)
	s.decoded.Objects = []fyne.CanvasObject{credentialForm(last.Credential)}
	s.decoded.Refresh()
}

// credentialForm lists the decoded attestation or authenticator data.
func credentialForm(c *CredentialInfo) fyne.CanvasObject {
	if c == nil {
		return widget.NewLabel(lang.L("The key returned nothing to decode."))
	}
	row := func(k, v string) *widget.FormItem {
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapWord
		return widget.NewFormItem(k, l)
	}
	f := widget.NewForm(row(lang.L("Data"), c.Kind.Text()))
	if c.Format != "" {
		f.AppendItem(row(lang.L("Format"), c.Format))
	}
	if c.AAGUID != "" {
		f.AppendItem(row("AAGUID", c.AAGUID+"\n"+c.Model))
	}
	f.AppendItem(row(lang.L("Flags"), c.Flags))
	f.AppendItem(row(lang.L("Counter"), fmt.Sprint(c.Counter)))
	if c.Algorithm != "" {
		f.AppendItem(row(lang.L("Algorithm"), c.Algorithm))
	}
	if c.Kind == DataAttestation {
		chain := strings.Join(c.Chain, "\n")
		if chain == "" {
			chain = lang.L("none")
		}
		f.AppendItem(row(lang.L("Certificates"), chain))
	}
	if !c.Verdict.IsZero() {
		f.AppendItem(row(lang.L("Signature"), c.Verdict.Text()))
	}
	return f
}

func (s *helpdeskScreen) fillAuths(u *UI) {
	items, _ := u.Helpdesk.Authenticators.Get()
	var objs []fyne.CanvasObject
	for _, it := range items {
		a := it.(cloud.Authenticator)
		name := authenticatorName(a)
		typ := a.AuthenticatorType
		if a.Type != "" && a.Type != typ {
			typ += " (" + a.Type + ")"
		}
		txt := fmt.Sprintf("%s · %s · %s · %s · %s", name, notReported(typ), notReported(a.State),
			lang.L("enrolled {{.When}}", map[string]any{"When": notReported(a.EnrolledAt)}),
			lang.L("updated {{.When}}", map[string]any{"When": notReported(a.UpdatedAt)}))
		ren := newRenameButton(u, a)
		del := widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() {
			who := u.Helpdesk.Username()
			if who == "" {
				who = lang.L("The user")
			}
			dialog.ShowConfirm(lang.L("Delete this authenticator?"),
				lang.L("{{.User}} can no longer sign in with {{.Name}} (enrolled {{.When}}).", map[string]any{"User": who, "Name": name, "When": a.EnrolledAt}), func(ok bool) {
					if ok {
						u.Helpdesk.lookupAct.run(u.ctx, func(ctx context.Context, _ context.CancelFunc) { _ = u.Helpdesk.DeleteAuthenticator(ctx, a) })
					}
				}, u.Win)
		})
		l := widget.NewLabel(txt)
		l.Truncation = fyne.TextTruncateEllipsis
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewHBox(ren, del), l))
	}
	s.auths.Objects = objs
	s.auths.Refresh()
	s.relayout()
}

func (s *helpdeskScreen) doExport(u *UI, dir string) {
	keys := u.Keys.All()
	u.Helpdesk.exportAct.run(u.ctx, func(context.Context, context.CancelFunc) { _, _, _ = u.Helpdesk.Export(dir, keys) })
}
