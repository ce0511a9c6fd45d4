package window

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// resultCard shows a result: a bold title and the explanation, coloured by
// how it ended (Ending: success, failure, cancel, timeout), hidden until
// there is a result. The result's codes are under "Codes for the
// helpdesk", closed for each new result: the person reads words, the
// helpdesk gets the codes with one click (or Tab and Space).
type resultCard struct {
	title, text *widget.Label
	details     *widget.Accordion
	box         *fyne.Container
}

func newResultCard(has binding.Bool, ending binding.Int, title, text, codes binding.String) *resultCard {
	c := &resultCard{title: widget.NewLabelWithData(title), text: widget.NewLabelWithData(text)}
	c.title.TextStyle = fyne.TextStyle{Bold: true}
	c.title.Wrapping = fyne.TextWrapWord
	c.text.Wrapping = fyne.TextWrapWord
	c.details = codesDetails(codes)
	c.box = container.NewVBox(widget.NewSeparator(), c.title, c.text, c.details)
	c.box.Hide()
	update := func() {
		h, _ := has.Get()
		e, _ := ending.Get()
		c.title.Importance = Ending(e).importance()
		c.title.Refresh()
		if h {
			c.box.Show()
		} else {
			c.details.CloseAll()
			c.box.Hide()
		}
	}
	has.AddListener(binding.NewDataListener(update))
	ending.AddListener(binding.NewDataListener(update))
	return c
}

// codesDetails is "Codes for the helpdesk": a closed accordion holding a
// result's codes (selectable, to paste into a ticket), hidden while there
// are none and closed again whenever they change, so the person reads
// words first and the helpdesk gets the codes with one click (or Tab and
// Space).
func codesDetails(codes binding.String) *widget.Accordion {
	l := widget.NewLabelWithData(codes)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	a := widget.NewAccordion(widget.NewAccordionItem(lang.L("Codes for the helpdesk"), l))
	a.Hide()
	codes.AddListener(binding.NewDataListener(func() {
		a.CloseAll()
		if s, _ := codes.Get(); s == "" {
			a.Hide()
		} else {
			a.Show()
		}
	}))
	return a
}

// busyLine is a progress bar and the current step, shown while busy, with
// a Cancel button.
func busyLine(busy binding.Bool, step binding.String, cancel func()) *fyne.Container {
	bar := widget.NewProgressBarInfinite()
	lbl := widget.NewLabelWithData(step)
	btn := widget.NewButton(lang.L("Cancel"), cancel)
	box := container.NewBorder(nil, nil, nil, btn, container.NewVBox(bar, lbl))
	box.Hide()
	busy.AddListener(binding.NewDataListener(func() {
		if b, _ := busy.Get(); b {
			bar.Start()
			box.Show()
		} else {
			bar.Stop()
			box.Hide()
		}
	}))
	return box
}

// disableWhile disables objects while busy is true.
func disableWhile(busy binding.Bool, objs ...fyne.Disableable) {
	busy.AddListener(binding.NewDataListener(func() {
		b, _ := busy.Get()
		for _, o := range objs {
			if b {
				o.Disable()
			} else {
				o.Enable()
			}
		}
	}))
}

// heading is a screen's title and a line saying what it is for.
func heading(title, sub string) fyne.CanvasObject {
	t := widget.NewLabel(title)
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.SizeName = theme.SizeNameSubHeadingText
	if sub == "" {
		return t
	}
	s := widget.NewLabel(sub)
	s.Wrapping = fyne.TextWrapWord
	return container.NewVBox(t, s)
}

// wrapLabel is a label whose text wraps.
func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// card is a widget.Card whose subtitle wraps (Fyne's card subtitle does
// not, which would make the window as wide as the sentence).
func card(title, sub string, content fyne.CanvasObject) *widget.Card {
	if sub == "" {
		return widget.NewCard(title, "", content)
	}
	l := widget.NewLabel(sub)
	l.Wrapping = fyne.TextWrapWord
	return widget.NewCard(title, "", container.NewVBox(l, content))
}
