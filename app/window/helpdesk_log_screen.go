package window

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/client/cloud"
)

// newRenameButton asks for a's new name and renames it at the Cloud.
func newRenameButton(u *UI, a cloud.Authenticator) *widget.Button {
	return widget.NewButtonWithIcon(lang.L("Rename"), theme.DocumentCreateIcon(), func() {
		e := widget.NewEntry()
		e.SetText(a.Name)
		e.Validator = cloud.CheckAuthenticatorName
		dialog.ShowForm(lang.L("Rename this authenticator"), lang.L("Rename"), lang.L("Cancel"),
			[]*widget.FormItem{widget.NewFormItem(lang.L("New name"), e)}, func(ok bool) {
				if ok {
					name := e.Text
					u.Helpdesk.lookupAct.run(u.ctx, func(ctx context.Context, _ context.CancelFunc) { _ = u.Helpdesk.RenameAuthenticator(ctx, a, name) })
				}
			}, u.Win)
	})
}

// newDeleteUserButton deletes the user shown after two confirmations: the
// question, then the username typed (the form's Delete stays disabled until
// it matches; DeleteUser checks it again).
func newDeleteUserButton(u *UI) *widget.Button {
	b := widget.NewButtonWithIcon(lang.L("Delete user…"), theme.DeleteIcon(), func() {
		want := u.Helpdesk.ConfirmName()
		if want == "" {
			return
		}
		dialog.ShowConfirm(lang.L("Delete this user?"),
			lang.L("{{.User}} and all their authenticators are deleted at the Cloud; nobody can sign in as {{.User}} any more.", map[string]any{"User": want}),
			func(ok bool) {
				if !ok {
					return
				}
				e := widget.NewEntry()
				e.SetPlaceHolder(want)
				e.Validator = func(s string) error {
					if s != want {
						return errNotConfirmed
					}
					return nil
				}
				dialog.ShowForm(lang.L("Type the username to delete it"), lang.L("Delete"), lang.L("Cancel"),
					[]*widget.FormItem{widget.NewFormItem(lang.L("Username"), e)}, func(ok bool) {
						if ok {
							typed := e.Text
							u.Helpdesk.lookupAct.run(u.ctx, func(ctx context.Context, _ context.CancelFunc) { _ = u.Helpdesk.DeleteUser(ctx, typed) })
						}
					}, u.Win)
			}, u.Win)
	})
	b.Importance = widget.DangerImportance
	b.Hide()
	disableWhile(u.Helpdesk.LookupBusy, b)
	return b
}

// logCard is the Audit log card: a range and a scope, the export, a chart
// of events per day by outcome and the events as a table.
type logCard struct {
	card         *widget.Card
	since, until *widget.Entry
	onlyUser     *widget.Check
	export       *widget.Button
	status       *widget.Label
	chart        *fyne.Container
	table        *fyne.Container
	more         *widget.Label
}

// logTableLimit is how many events the card lists; the CLI's logs export
// prints them all.
const logTableLimit = 50

func newLogCard(u *UI, s *helpdeskScreen) *logCard {
	m := u.Helpdesk
	c := &logCard{since: widget.NewEntry(), until: widget.NewEntry(), chart: container.NewVBox(), table: container.NewVBox()}
	c.since.SetPlaceHolder(lang.L("from (YYYY-MM-DD)"))
	c.until.SetPlaceHolder(lang.L("to (YYYY-MM-DD)"))
	c.onlyUser = widget.NewCheck(lang.L("Only the user looked up"), nil)
	c.export = widget.NewButtonWithIcon(lang.L("Export log"), theme.DownloadIcon(), func() {
		r := LogRequest{Since: c.since.Text, Until: c.until.Text, OnlyUser: c.onlyUser.Checked}
		m.logAct.run(u.ctx, func(ctx context.Context, _ context.CancelFunc) { _ = m.ExportLog(ctx, r) })
	})
	disableWhile(m.LogBusy, c.export)
	c.status = widget.NewLabelWithData(m.LogStatus)
	c.status.Wrapping = fyne.TextWrapWord
	c.more = widget.NewLabel("")
	c.more.Hide()
	m.LogDays.AddListener(binding.NewDataListener(func() { c.fill(u); s.relayout() }))
	m.LogStatus.AddListener(binding.NewDataListener(func() { s.relayout() }))
	c.card = card(lang.L("Audit log"), lang.L("The Cloud's log export (the last 30 days unless a range is given); events per day: green succeeded, red failed, grey other."),
		container.NewVBox(container.NewGridWithColumns(2, c.since, c.until), container.NewHBox(c.onlyUser, c.export), c.status, c.chart, c.table, c.more))
	return c
}

// fill draws the chart and the table from the model, on the UI goroutine.
func (c *logCard) fill(u *UI) {
	days, _ := u.Helpdesk.LogDays.Get()
	evs, _ := u.Helpdesk.LogEvents.Get()
	c.chart.Objects = nil
	if len(days) > 0 {
		c.chart.Objects = []fyne.CanvasObject{dayChart(days)}
	}
	c.chart.Refresh()
	var rows []fyne.CanvasObject
	if len(evs) > 0 {
		head := container.NewGridWithColumns(4, bold(lang.L("Time (UTC)")), bold(lang.L("Event")), bold(lang.L("Outcome")), bold(lang.L("User")))
		rows = append(rows, head)
	}
	for i, it := range evs {
		if i == logTableLimit {
			break
		}
		e := it.(cloud.LogEvent)
		user := e.Username
		if user == "" {
			user = e.UserID
		}
		rows = append(rows, container.NewGridWithColumns(4, cell(e.Time.Format("2006-01-02 15:04")), cell(e.Event), cell(e.Status), cell(user)))
	}
	c.table.Objects = rows
	c.table.Refresh()
	if len(evs) > logTableLimit {
		c.more.SetText(lang.L("Showing the newest {{.N}} of {{.Total}} events; 'keydesk logs export' prints all of them.", map[string]any{"N": logTableLimit, "Total": len(evs)}))
		c.more.Show()
	} else {
		c.more.Hide()
	}
}

func bold(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func cell(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// chartBarWidth is the width of the longest day's bar.
const chartBarWidth = 220

var colorOther = color.NRGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}

// dayChart draws one row per day: its date, a bar in three parts
// (succeeded green, failed red, other grey) with lengths proportional to
// the counts, and the counts.
func dayChart(days []any) fyne.CanvasObject {
	most := 1
	for _, it := range days {
		d := it.(cloud.DayCount)
		most = max(most, d.Succeeded+d.Failed+d.Other)
	}
	rows := container.NewVBox()
	for _, it := range days {
		d := it.(cloud.DayCount)
		bar := container.NewHBox()
		for _, part := range []struct {
			n int
			c color.Color
		}{{d.Succeeded, colorOK}, {d.Failed, colorFail}, {d.Other, colorOther}} {
			if part.n == 0 {
				continue
			}
			r := canvas.NewRectangle(part.c)
			r.SetMinSize(fyne.NewSize(float32(chartBarWidth*part.n)/float32(most), 14))
			bar.Add(r)
		}
		counts := widget.NewLabel(fmt.Sprintf("%d / %d / %d", d.Succeeded, d.Failed, d.Other))
		rows.Add(container.NewHBox(widget.NewLabel(d.Day.Format(time.DateOnly)), container.NewCenter(bar), counts))
	}
	return rows
}
