package window

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// chartWidth is the width of the longest ceremony's bar: small enough that
// the Helpdesk screen's two columns fit the window's opening width.
const chartWidth float32 = 320

// Colours of the timeline bars: by outcome.
var (
	colorOK      = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	colorFail    = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	colorTimeout = color.NRGBA{R: 0xef, G: 0x8f, B: 0x00, A: 0xff}
	colorCancel  = color.NRGBA{R: 0x75, G: 0x75, B: 0x75, A: 0xff}
)

// endingColor is a timeline bar's colour: a person's cancel is neutral, a
// timeout amber, a failure red.
func endingColor(e Ending) color.Color {
	switch e {
	case EndSucceeded:
		return colorOK
	case EndCancelled:
		return colorCancel
	case EndTimedOut:
		return colorTimeout
	}
	return colorFail
}

// endingWord names an ending in the timeline and the helpdesk view.
func endingWord(e Ending) string {
	switch e {
	case EndSucceeded:
		return lang.L("succeeded")
	case EndCancelled:
		return lang.L("cancelled")
	case EndTimedOut:
		return lang.L("timed out")
	}
	return lang.L("failed")
}

// timelineChart draws the session's ceremonies as horizontal bars: one row
// per ceremony, one segment per step, as wide as the step took and
// coloured by its outcome, with the steps named below.
func timelineChart(cs []*Ceremony, limit int) fyne.CanvasObject {
	if len(cs) == 0 {
		return widget.NewLabel(lang.L("No ceremony yet in this session: enroll or sign in first."))
	}
	if len(cs) > limit {
		cs = cs[len(cs)-limit:]
	}
	var longest time.Duration
	for _, c := range cs {
		longest = maxDur(longest, total(c))
	}
	if longest <= 0 {
		longest = time.Millisecond
	}
	rows := []fyne.CanvasObject{}
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		end := c.Ending()
		title := widget.NewLabel(fmt.Sprintf("%s  %s %s — %s, %s (%s)", c.Started.Format("15:04:05"), kindText(c.Kind), c.Username,
			endingWord(end), c.Outcome.Code.StatusCode, ms(total(c))))
		title.TextStyle = fyne.TextStyle{Bold: true}
		title.Wrapping = fyne.TextWrapWord // a long username must not widen the screen
		title.Importance = end.importance()
		bars := container.NewHBox()
		bars.Objects = nil
		legend := ""
		for j, st := range c.Steps {
			w := max(chartWidth*float32(st.Duration)/float32(longest), 3)
			se := stepEnding(st)
			r := canvas.NewRectangle(endingColor(se))
			r.SetMinSize(fyne.NewSize(w, 14))
			r.CornerRadius = 2
			bars.Add(r)
			if j > 0 {
				legend += " · "
			}
			legend += fmt.Sprintf("%s %s", stepNameText(st.Name), ms(st.Duration))
			if !st.OK() {
				mark := " ✗ "
				if se != EndFailed {
					mark = " — " + endingWord(se) + ": "
				}
				legend += mark + st.Code.String()
			}
		}
		bars.Refresh()
		lg := widget.NewLabel(legend)
		lg.Wrapping = fyne.TextWrapWord
		lg.SizeName = theme.SizeNameCaptionText
		rows = append(rows, container.NewVBox(title, container.NewPadded(bars), lg))
	}
	return container.NewVBox(rows...)
}

func total(c *Ceremony) time.Duration {
	var d time.Duration
	for _, s := range c.Steps {
		d += s.Duration
	}
	return d
}

func maxDur(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}
