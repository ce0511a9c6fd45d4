package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// kioskTheme is Fyne's default theme with type and targets sized for a
// screen read from a step away and used standing up: text about twice the
// desktop size, bigger padding, and always the light variant so the
// station looks the same whatever the OS is set to.
type kioskTheme struct{ base fyne.Theme }

func newKioskTheme() fyne.Theme { return kioskTheme{base: theme.DefaultTheme()} }

func (t kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return color.NRGBA{0xF7, 0xF8, 0xFA, 0xFF}
	case theme.ColorNamePrimary:
		return color.NRGBA{0x1F, 0x5F, 0xBF, 0xFF}
	case theme.ColorNameSuccess:
		return color.NRGBA{0x1B, 0x7F, 0x3B, 0xFF}
	case theme.ColorNameError:
		return color.NRGBA{0xB3, 0x26, 0x1E, 0xFF}
	}
	return t.base.Color(n, theme.VariantLight)
}

func (t kioskTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base.Font(s) }
func (t kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

func (t kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 30
	case theme.SizeNameHeadingText:
		return 60
	case theme.SizeNameSubHeadingText:
		return 38
	case theme.SizeNameCaptionText:
		return 20
	case theme.SizeNamePadding:
		return 10
	case theme.SizeNameInnerPadding:
		return 18
	case theme.SizeNameInputBorder:
		return 3
	case theme.SizeNameInlineIcon:
		return 36
	}
	return t.base.Size(n)
}
