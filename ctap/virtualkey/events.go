package virtualkey

import "time"

// EventKind names something the key did that a UI or a test may watch.
type EventKind int

const (
	EventConnected       EventKind = iota + 1 // a platform opened the device
	EventDisconnected                         // it closed it
	EventCommand                              // a CTAP command arrived (Command)
	EventResponse                             // the key answered it (Command, Status)
	EventWaitingPresence                      // the key blinks: touch me (Command)
	EventPresence                             // the wait ended (Status: 0 touched, else why not)
	EventWink                                 // CTAPHID_WINK
	EventUnplugged                            // Unplug
	EventReplugged                            // Replug
	EventReset                                // authenticatorReset wiped the key
)

var eventNames = map[EventKind]string{
	EventConnected: "connected", EventDisconnected: "disconnected", EventCommand: "command",
	EventResponse: "response", EventWaitingPresence: "waiting for presence", EventPresence: "presence",
	EventWink: "wink", EventUnplugged: "unplugged", EventReplugged: "replugged", EventReset: "reset",
}

func (e EventKind) String() string {
	if s, ok := eventNames[e]; ok {
		return s
	}
	return "unknown event"
}

// Event is one thing the key did.
type Event struct {
	Kind    EventKind
	Command byte // CTAP command byte, where it applies
	Status  byte // CTAP status, where it applies
	Time    time.Time
}

// OnEvent installs f to be called, synchronously and never with the key's
// lock held, for each event; nil removes it. f must return quickly: a
// command waits for it.
func (k *Key) OnEvent(f func(Event)) {
	if f == nil {
		k.hook.Store(nil)
		return
	}
	k.hook.Store(&f)
}

func (k *Key) emit(e Event) {
	if f := k.hook.Load(); f != nil {
		e.Time = time.Now()
		(*f)(e)
	}
}
