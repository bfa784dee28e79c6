package rest

import (
	"fmt"
	"strconv"
	"strings"
)

// Flink's configuration keys of the REST endpoint.
const (
	PortKey        = "rest.port"
	BindPortKey    = "rest.bind-port"
	AddressKey     = "rest.address"
	BindAddressKey = "rest.bind-address"
)

// DefaultBindAddress is where the endpoint listens unless the job says
// otherwise: the endpoint can cancel jobs and write savepoints and has no
// authentication, so it is reachable from this machine only.
const DefaultBindAddress = "127.0.0.1"

// Config is where a job asks the endpoint to listen.
type Config struct {
	// Address is the host to bind.
	Address string
	// Ports are tried in order; the first free one is taken. 0 takes any free port.
	Ports []int
}

// ReadConfig reads the endpoint's settings from a job's configuration. ok is
// false when the job sets neither rest.port nor rest.bind-port: no endpoint is
// served by default, because a fixed default port (Flink's 8081) would
// collide as soon as two local jobs or test processes run on one machine.
//
// rest.bind-port wins over rest.port and may be a range ("50100-50200") or a
// list ("8081,8082"), as in Flink; rest.bind-address wins over rest.address.
func ReadConfig(cfg map[string]string) (c Config, ok bool, err error) {
	port, key := strings.TrimSpace(cfg[BindPortKey]), BindPortKey
	if port == "" {
		port, key = strings.TrimSpace(cfg[PortKey]), PortKey
	}
	if port == "" {
		return Config{}, false, nil
	}
	c.Ports, err = parsePorts(port)
	if err != nil {
		return Config{}, false, fmt.Errorf("%s: %w", key, err)
	}
	c.Address = strings.TrimSpace(cfg[BindAddressKey])
	if c.Address == "" {
		c.Address = strings.TrimSpace(cfg[AddressKey])
	}
	if c.Address == "" {
		c.Address = DefaultBindAddress
	}
	return c, true, nil
}

// maxPortRange bounds the ports a range may name, so a typo cannot make the
// engine try tens of thousands of binds.
const maxPortRange = 1000

func parsePorts(s string) ([]int, error) {
	var ports []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := parsePort(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = parsePort(hi); err != nil {
				return nil, err
			}
			if b < a || b-a >= maxPortRange {
				return nil, fmt.Errorf("port range %q must go up and name at most %d ports", part, maxPortRange)
			}
		}
		for p := a; p <= b; p++ {
			ports = append(ports, p)
		}
	}
	return ports, nil
}

func parsePort(s string) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || p < 0 || p > 65535 {
		return 0, fmt.Errorf("%q is not a port (0 to 65535)", s)
	}
	return p, nil
}
