// Package uibench measures KeyDesk's window against a bare Fyne window: the
// time from process start to the first rendered frame, and the memory an
// idle window holds. It has only benchmarks (coldstart_test.go); it is a
// package of its own so that the GUI package carries no measuring code.
package uibench
