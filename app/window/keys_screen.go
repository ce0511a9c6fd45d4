package window

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
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

func verdictImportance(v KeyVerdict) widget.Importance {
	switch v {
	case VerdictReady:
		return widget.SuccessImportance
	case VerdictBlocked, VerdictNoResponse, VerdictReinsert:
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
			verdict := widget.NewLabel(VerdictReinsert.Text()) // the longest verdict sizes the column
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
			details.SetText(r.DetailsText())
			aaguid.SetText("AAGUID " + r.AAGUID)
			verdict.SetText(r.Verdict.Text())
			verdict.Importance = verdictImportance(r.Verdict)
			verdict.Refresh()
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		v, err := m.Rows.GetValue(id)
		if r, ok := v.(KeyRow); ok && err == nil {
			_ = m.Selected.Set(r.Path)
		}
	}
	// The chosen key is highlighted whichever comes first: the rows or the
	// choice (a scan sets both, and their listeners run a turn later).
	highlight := binding.NewDataListener(func() {
		sel, _ := m.Selected.Get()
		for i := 0; i < m.Rows.Length(); i++ {
			if v, _ := m.Rows.GetValue(i); v.(KeyRow).Path == sel {
				s.list.Select(i)
			}
		}
	})
	m.Rows.AddListener(highlight)
	m.Selected.AddListener(highlight)
	status := widget.NewLabelWithData(m.Status)
	refresh := widget.NewButton(lang.L("Read keys again"), func() { go m.Scan(u.ctx, true) })
	top := heading(lang.L("Security keys"),
		lang.L("Keys appear here when plugged in. Select the key the other screens use."))
	s.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, refresh, status), nil, nil, s.list)
	return s
}

// whenKeyUsable runs start (a ceremony) unless the chosen key cannot take
// its PIN now. A key that refused three wrong PINs in a row gets the
// "remove and reinsert" dialog, which waits for that and then runs start;
// a key whose PIN is blocked for good gets the way to a factory reset
// instead of a PIN prompt it could never pass. Call it on the UI goroutine.
func (u *UI) whenKeyUsable(start func()) {
	path := u.S.Selected()
	r, known := u.Keys.Row(path)
	switch {
	case path != "" && u.S.AuthBlocked(path):
		u.showReinsert(path, start)
	case known && r.Verdict == VerdictBlocked:
		u.showPINBlocked()
	default:
		start()
	}
}

// reinsertPoll is how often the reinsert dialog looks for the key.
const reinsertPoll = 200 * time.Millisecond

// showReinsert asks the person to remove and reinsert the key at path and
// waits for it: the key leaving the device list (or the virtual key's
// replug) ends the block; then runs once a key is back. The rescans and
// the virtual key's Replug button each run through an action: closing the
// dialog cancels them, and a second press while a replug runs does nothing.
func (u *UI) showReinsert(path string, then func()) {
	msg := widget.NewLabel(lang.L("After three wrong PINs in a row this key refuses its PIN until it is removed and plugged in again. Its remaining tries are not used up by this."))
	msg.Wrapping = fyne.TextWrapWord
	wait := widget.NewLabel(lang.L("Waiting for the key to be removed…"))
	wait.Wrapping = fyne.TextWrapWord
	rescan, replug := newAction(), newAction()
	var d *dialog.CustomDialog
	var popEsc func()
	var once sync.Once
	closeDlg := func() {
		once.Do(func() {
			rescan.Cancel()
			replug.Cancel()
			popEsc()
			d.Hide()
		})
	}
	buttons := []fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), closeDlg)}
	if u.S.IsVirtual(path) {
		b := widget.NewButton(lang.L("Replug the virtual key"), func() {
			replug.run(u.ctx, func(context.Context, context.CancelFunc) { _ = u.S.Replug() })
		})
		disableWhile(replug.Busy, b)
		buttons = append(buttons, b)
	} else {
		// A replug faster than the device list is read goes unseen: the
		// person can say it happened.
		buttons = append(buttons, widget.NewButton(lang.L("I reinserted it"), func() {
			u.S.clearAuthBlocked(path)
		}))
	}
	d = dialog.NewCustomWithoutButtons(lang.L("Remove and reinsert the key"), container.NewVBox(msg, wait), u.Win)
	d.SetButtons(buttons)
	popEsc = u.esc.push(closeDlg)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
	if testOnlyReinsert != nil {
		testOnlyReinsert(rescan, replug)
	}
	rescan.run(u.ctx, func(ctx context.Context, _ context.CancelFunc) {
		t := time.NewTicker(reinsertPoll)
		defer t.Stop()
		var others map[string]bool // the keys listed while this one was out
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			u.Keys.Scan(ctx, false) // clears the block when the key is gone
			if u.S.AuthBlocked(path) {
				continue
			}
			present, back := false, ""
			for _, r := range u.Keys.All() {
				if r.Path == path {
					present = true
				} else if others != nil && !others[r.Path] {
					back = r.Path // reinserted under a new path
				}
			}
			if !present && back == "" {
				if others == nil {
					others = map[string]bool{}
					for _, r := range u.Keys.All() {
						others[r.Path] = true
					}
					txt := lang.L("Now plug the key in again.")
					fyne.Do(func() { wait.SetText(txt) })
				}
				continue
			}
			// Choose it again: while it was out the Keys list chose another.
			pick := path
			if !present {
				pick = back
			}
			u.S.Select(pick)
			set(u.Keys.Selected, pick)
			u.Keys.Scan(ctx, true) // the verdict is no longer "reinsert"
			// And wait: the action's context ends when this returns.
			fyne.DoAndWait(func() {
				if ctx.Err() != nil {
					return // cancelled meanwhile
				}
				closeDlg()
				then()
			})
			return
		}
	})
}

// testOnlyReinsert, when set by a test, is told of each reinsert dialog's
// actions (its rescans and its Replug button) when the dialog opens.
var testOnlyReinsert func(rescan, replug *action)

// showPINBlocked explains that the key's PIN is blocked and offers the
// factory reset on Manage key, the only way to use the key again.
func (u *UI) showPINBlocked() {
	msg := widget.NewLabel(lang.L("This key's PIN is blocked: it was typed wrong too many times, and the key no longer accepts any PIN. A factory reset makes the key usable again. It deletes every credential on the key, so each account must enroll the key again."))
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	var popEsc func()
	var once sync.Once
	closeDlg := func() {
		once.Do(func() {
			popEsc()
			d.Hide()
		})
	}
	reset := widget.NewButton(lang.L("Go to factory reset"), func() {
		closeDlg()
		u.Show(ScreenManage)
	})
	reset.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(lang.L("The PIN is blocked"), msg, u.Win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), closeDlg), reset})
	popEsc = u.esc.push(closeDlg)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
}
