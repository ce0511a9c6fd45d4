package cli

import "github.com/keydesk/keydesk/app/demo"

// startDemoKey starts the demo virtual key (state in the config dir).
func startDemoKey() (path string, stop func(), err error) {
	k, err := demo.StartUserKey()
	if err != nil {
		return "", nil, err
	}
	return k.Path(), k.Close, nil
}
