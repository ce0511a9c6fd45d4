// Package uitest is the Fyne half of KeyDesk's test kit (ctap/testkit is
// the other half: the virtual key, the scripted prompter, SyncBuffer): it
// walks a window's canvas objects to find what a test taps or reads, and
// keeps the window's settings in memory (SettingsStore). Only the tests of
// app/window, app/kiosk and app/uibench import it; being under
// app/internal, nothing outside app/ can.
package uitest

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// How says how far Walk looks.
type How int

const (
	// Containers looks into containers only: it does not build or read
	// widgets' renderers, so it may run beside their refreshes.
	Containers How = 0
	// Renderers also looks into widgets' rendered parts (labels inside a
	// card, a dialog's buttons). Call it on the UI goroutine.
	Renderers How = 1 << iota
	// VisibleOnly skips hidden objects and everything in them.
	VisibleOnly
)

// WalkCanvas walks c's content and then each of its overlays (dialogs,
// pop-ups), as Walk does.
func WalkCanvas(c fyne.Canvas, how How, fn func(fyne.CanvasObject) bool) {
	Walk(c.Content(), how, fn)
	for _, o := range c.Overlays().List() {
		Walk(o, how, fn)
	}
}

// Walk visits o and everything in it, depth first, as how says; when fn
// returns false, Walk does not look inside that object.
func Walk(o fyne.CanvasObject, how How, fn func(fyne.CanvasObject) bool) {
	if o == nil || (how&VisibleOnly != 0 && !o.Visible()) {
		return
	}
	if !fn(o) {
		return
	}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			Walk(c, how, fn)
		}
	case fyne.Widget:
		if how&Renderers == 0 {
			return
		}
		if r := test.WidgetRenderer(v); r != nil {
			for _, c := range r.Objects() {
				Walk(c, how, fn)
			}
		}
	}
}

// Each calls fn for o and everything in it, depth first, as how says.
func Each(o fyne.CanvasObject, how How, fn func(fyne.CanvasObject)) {
	Walk(o, how, func(c fyne.CanvasObject) bool { fn(c); return true })
}

// Find returns the first object under o (o included) that match accepts,
// nil when none does.
func Find(o fyne.CanvasObject, how How, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	var found fyne.CanvasObject
	Walk(o, how, func(c fyne.CanvasObject) bool {
		if found != nil {
			return false
		}
		if match(c) {
			found = c
			return false
		}
		return true
	})
	return found
}

// All returns the objects of type T under o (o included).
func All[T fyne.CanvasObject](o fyne.CanvasObject, how How) []T {
	var out []T
	Walk(o, how, func(c fyne.CanvasObject) bool {
		if t, ok := c.(T); ok {
			out = append(out, t)
		}
		return true
	})
	return out
}
