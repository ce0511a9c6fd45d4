package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keysScreen lists the connected keys with their model, firmware, PIN
// state, slots left and health.
type keysScreen struct {
	content fyne.CanvasObject
	list    *widget.List
}

func verdictImportance(v string) widget.Importance {
	switch v {
	case VerdictReady:
		return widget.SuccessImportance
	case VerdictBlocked, VerdictNoResponse:
		return widget.DangerImportance
	}
	return widget.WarningImportance
}

func newKeysScreen(u *UI) *keysScreen {
	m := u.Keys
	s := &keysScreen{}
	s.list = widget.NewListWithData(m.Rows,
		func() fyne.CanvasObject {
			title := widget.NewLabel(lang.L("Product — Model"))
			title.TextStyle = fyne.TextStyle{Bold: true}
			title.Truncation = fyne.TextTruncateEllipsis
			details := widget.NewLabel(lang.L("firmware · PIN · slots"))
			details.Truncation = fyne.TextTruncateEllipsis
			aaguid := widget.NewLabel("AAGUID")
			aaguid.SizeName = theme.SizeNameCaptionText
			aaguid.Truncation = fyne.TextTruncateEllipsis
			verdict := widget.NewLabel(VerdictBlocked)
			verdict.TextStyle = fyne.TextStyle{Bold: true}
			return container.NewBorder(nil, nil, nil, verdict, container.NewVBox(title, details, aaguid))
		},
		func(di binding.DataItem, o fyne.CanvasObject) {
			v, _ := di.(binding.Untyped).Get()
			r, ok := v.(KeyRow)
			if !ok {
				return
			}
			c := o.(*fyne.Container)
			texts := c.Objects[0].(*fyne.Container).Objects
			title, details, aaguid := texts[0].(*widget.Label), texts[1].(*widget.Label), texts[2].(*widget.Label)
			verdict := c.Objects[1].(*widget.Label)
			name := r.Product
			if r.Model != "" {
				name += " — " + r.Model
			}
			title.SetText(name)
			fw := r.Firmware
			if fw == "" {
				fw = lang.L("unknown")
			}
			if r.Problem != "" {
				details.SetText(r.Problem)
			} else {
				details.SetText(lang.L("Firmware {{.FW}} · {{.PIN}} · {{.Slots}} slots left",
					map[string]any{"FW": fw, "PIN": r.PINText(), "Slots": r.SlotsText()}))
			}
			aaguid.SetText("AAGUID " + r.AAGUID)
			verdict.SetText(lang.L(r.Verdict))
			verdict.Importance = verdictImportance(r.Verdict)
			verdict.Refresh()
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		v, err := m.Rows.GetValue(id)
		if r, ok := v.(KeyRow); ok && err == nil {
			_ = m.Selected.Set(r.Path)
		}
	}
	m.Rows.AddListener(binding.NewDataListener(func() {
		sel, _ := m.Selected.Get()
		for i := 0; i < m.Rows.Length(); i++ {
			if v, _ := m.Rows.GetValue(i); v.(KeyRow).Path == sel {
				s.list.Select(i)
			}
		}
	}))
	status := widget.NewLabelWithData(m.Status)
	refresh := widget.NewButton(lang.L("Read keys again"), func() { go m.Scan(u.ctx, true) })
	top := heading(lang.L("Security keys"),
		lang.L("Keys appear here when plugged in. Select the key the other screens use."))
	s.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, refresh, status), nil, nil, s.list)
	return s
}
